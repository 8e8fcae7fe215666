"""Outcome reports: job starts against target, referrals to jobs, employment rate, better-off.

Every figure is aggregated by the database (GROUP BY over indexed date ranges), so a
report over a hundred thousand clients streams no rows into Python. Definitions follow
domain.md ("Outcomes") and the IPS Grow reporting tool.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from caseload import clock
from caseload.access import require_role, team_scope, visible_teams
from caseload.history import in_force_on
from caseload.models import (
    ACTIVE_CASELOAD,
    BetterOffCalculation,
    BetterOffOutcome,
    Client,
    ClientStatusPeriod,
    Job,
    Role,
    Staff,
    Team,
)
from caseload.overdue import overdue_counts_as_of
from caseload.periods import Period, financial_year_to_date, month, months_ending

# IPS Grow's benchmark employment rate (domain.md).
EMPLOYMENT_RATE_BENCHMARK = Decimal("0.40")
REPORT_ROLES = (Role.TEAM_LEADER, Role.REGIONAL_TRAINER, Role.ADMIN)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.001"))


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@dataclass(frozen=True)
class JobStartCounts:
    job_starts: int = 0
    first_job_starts: int = 0
    competitive_job_starts: int = 0


def _is_first_job() -> ColumnElement[bool]:
    """SQL: no earlier job for the same client episode (ties broken by id)."""
    earlier = aliased(Job)
    return ~exists().where(
        earlier.client_id == Job.client_id,
        or_(earlier.started_on < Job.started_on,
            and_(earlier.started_on == Job.started_on, earlier.id < Job.id)),
    )


def job_start_counts(session: Session, period: Period, team_id: int | None = None
                     ) -> dict[int, JobStartCounts]:
    """Per team: all job starts, first job starts (people into work) and competitive ones."""
    query = (
        select(
            Job.team_id,
            func.count(Job.id),
            func.sum(case((_is_first_job(), 1), else_=0)),
            func.sum(case((Job.is_competitive, 1), else_=0)),
        )
        .where(Job.started_on >= period.start, Job.started_on < period.end)
        .group_by(Job.team_id)
    )
    if team_id is not None:
        query = query.where(Job.team_id == team_id)
    return {
        row[0]: JobStartCounts(int(row[1]), int(row[2] or 0), int(row[3] or 0))
        for row in session.execute(query)
    }


def referral_counts(session: Session, period: Period, team_id: int | None = None
                    ) -> dict[int, int]:
    """Per team: referral episodes received in the period."""
    query = (
        select(Client.team_id, func.count(Client.id))
        .where(Client.referral_received_on >= period.start,
               Client.referral_received_on < period.end)
        .group_by(Client.team_id)
    )
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    return {row[0]: int(row[1]) for row in session.execute(query)}


@dataclass(frozen=True)
class EmploymentRate:
    started_work: int
    out_of_work: int

    @property
    def rate(self) -> Decimal | None:
        return _ratio(self.started_work, self.out_of_work)


def employment_rates(session: Session, period: Period, team_id: int | None = None
                     ) -> dict[int, EmploymentRate]:
    """IPS Grow employment rate per team for a period.

    Out-of-work clients on the caseload in the period (the denominator) are episodes that
    were accepted before the period ended, not discharged before it began, and not in a
    job on its first day (no job started before the period and still open then). Of
    those, the ones who started a job within the period are the numerator.
    """
    working_at_start = aliased(Job)
    in_work_at_start = exists().where(
        working_at_start.client_id == Client.id,
        working_at_start.started_on < period.start,
        or_(working_at_start.ended_on.is_(None), working_at_start.ended_on >= period.start),
    )
    started = aliased(Job)
    started_in_period = exists().where(
        started.client_id == Client.id,
        started.started_on >= period.start,
        started.started_on < period.end,
    )
    query = (
        select(
            Client.team_id,
            func.count(Client.id),
            func.sum(case((started_in_period, 1), else_=0)),
        )
        .where(
            Client.accepted_on.is_not(None),
            Client.accepted_on < period.end,
            or_(Client.discharged_on.is_(None), Client.discharged_on >= period.start),
            ~in_work_at_start,
        )
        .group_by(Client.team_id)
    )
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    return {
        row[0]: EmploymentRate(started_work=int(row[2] or 0), out_of_work=int(row[1]))
        for row in session.execute(query)
    }


@dataclass(frozen=True)
class BetterOffCounts:
    done: int = 0
    better_off: int = 0


def better_off_counts(session: Session, period: Period, team_id: int | None = None
                      ) -> dict[int | None, BetterOffCounts]:
    """Per team: better-off calculations done in the period, and how many showed better off."""
    start, end = period.utc_bounds()
    query = (
        select(
            BetterOffCalculation.team_id,
            func.count(BetterOffCalculation.id),
            func.sum(case((BetterOffCalculation.outcome == BetterOffOutcome.BETTER_OFF, 1),
                          else_=0)),
        )
        .where(BetterOffCalculation.calculated_at >= start,
               BetterOffCalculation.calculated_at < end)
        .group_by(BetterOffCalculation.team_id)
    )
    if team_id is not None:
        query = query.where(BetterOffCalculation.team_id == team_id)
    return {row[0]: BetterOffCounts(int(row[1]), int(row[2] or 0))
            for row in session.execute(query)}


@dataclass(frozen=True)
class SpecialistCaseload:
    staff_id: int
    name: str
    fte: Decimal
    active_clients: int

    @property
    def per_fte(self) -> Decimal:
        return (Decimal(self.active_clients) / self.fte).quantize(Decimal("0.1"))


def caseload_by_specialist(session: Session, as_of: date, team_id: int | None = None
                           ) -> dict[int, list[SpecialistCaseload]]:
    """Per team: each specialist's active caseload (accepted, job-seeking, in work) at the end
    of `as_of`, from the dated history. Listed: specialists who had anyone then, and the team's
    active specialists who were already recorded by that day."""
    counts = (
        select(ClientStatusPeriod.specialist_id, func.count(ClientStatusPeriod.client_id).label("n"))
        .where(in_force_on(as_of), ClientStatusPeriod.status.in_(ACTIVE_CASELOAD))
        .group_by(ClientStatusPeriod.specialist_id)
        .subquery()
    )
    _, end = Period(as_of, as_of + timedelta(days=1)).utc_bounds()
    query = (
        select(Staff.team_id, Staff.id, Staff.display_name, Staff.fte,
               func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.specialist_id == Staff.id)
        .where(Staff.role == Role.EMPLOYMENT_SPECIALIST,
               or_(counts.c.n > 0, and_(Staff.active.is_(True), Staff.created_at < end)))
        .order_by(Staff.team_id, Staff.display_name)
    )
    if team_id is not None:
        query = query.where(Staff.team_id == team_id)
    out: dict[int, list[SpecialistCaseload]] = defaultdict(list)
    for row in session.execute(query):
        out[row[0]].append(SpecialistCaseload(row[1], row[2], row[3], int(row[4])))
    return out


@dataclass(frozen=True)
class TeamMonth:
    """One team's job starts for one month against its monthly target."""

    team_id: int
    team_name: str
    month: date
    target: int
    counts: JobStartCounts

    @property
    def difference(self) -> int:
        return self.counts.job_starts - self.target


def job_starts_against_target(session: Session, months: list[Period], team_id: int | None = None
                              ) -> list[TeamMonth]:
    """Job starts per team per month against target (the Sussex briefing's Figure 1)."""
    teams = _teams(session, team_id)
    rows = []
    for period in months:
        counts = job_start_counts(session, period, team_id)
        for team in teams:
            rows.append(TeamMonth(team.id, team.name, period.start,
                                  team.job_start_target_per_month,
                                  counts.get(team.id, JobStartCounts())))
    return rows


def _teams(session: Session, team_id: int | None, within: ColumnElement[bool] | None = None
           ) -> list[Team]:
    query = select(Team).order_by(Team.name)
    if team_id is not None:
        query = query.where(Team.id == team_id)
    if within is not None:
        query = query.where(within)
    return list(session.scalars(query))


@dataclass(frozen=True)
class ReferralConversion:
    """Referrals received and job starts achieved in a period, as in the 2018 evaluation's Table 3."""

    referrals: int
    job_starts: int

    @property
    def conversion(self) -> Decimal | None:
        return _ratio(self.job_starts, self.referrals)


@dataclass(frozen=True)
class TeamOutcomes:
    team_id: int
    team_name: str
    job_start_target: int
    referral_target: int
    month: JobStartCounts
    month_referrals: ReferralConversion
    year_to_date: ReferralConversion
    year_to_date_starts: JobStartCounts
    employment: EmploymentRate
    better_off: BetterOffCounts
    overdue: int
    caseloads: list[SpecialistCaseload] = field(default_factory=list)


@dataclass(frozen=True)
class OutcomesReport:
    period: Period
    year_to_date: Period
    as_of: date
    teams: list[TeamOutcomes]

    @property
    def totals(self) -> TeamOutcomes:
        """All teams added together (caseloads left out)."""
        def add(name: str, attr: str) -> int:
            return sum(getattr(getattr(t, name), attr) for t in self.teams)

        return TeamOutcomes(
            team_id=0, team_name="All teams",
            job_start_target=sum(t.job_start_target for t in self.teams),
            referral_target=sum(t.referral_target for t in self.teams),
            month=JobStartCounts(add("month", "job_starts"), add("month", "first_job_starts"),
                                 add("month", "competitive_job_starts")),
            month_referrals=ReferralConversion(add("month_referrals", "referrals"),
                                               add("month_referrals", "job_starts")),
            year_to_date=ReferralConversion(add("year_to_date", "referrals"),
                                            add("year_to_date", "job_starts")),
            year_to_date_starts=JobStartCounts(
                add("year_to_date_starts", "job_starts"),
                add("year_to_date_starts", "first_job_starts"),
                add("year_to_date_starts", "competitive_job_starts")),
            employment=EmploymentRate(add("employment", "started_work"),
                                      add("employment", "out_of_work")),
            better_off=BetterOffCounts(add("better_off", "done"), add("better_off", "better_off")),
            overdue=sum(t.overdue for t in self.teams),
        )


def outcomes_report(session: Session, any_day_in_month: date, team_id: int | None = None, *,
                    within: ColumnElement[bool] | None = None) -> OutcomesReport:
    """Everything the monthly outcomes report shows, for one team or all (or those of all
    matching `within`, a WHERE clause over Team such as `access.visible_teams(actor)`)."""
    period = month(any_day_in_month)
    ytd = financial_year_to_date(any_day_in_month)
    as_of = min(period.last_day, clock.today())
    starts = job_start_counts(session, period, team_id)
    referrals = referral_counts(session, period, team_id)
    ytd_starts = job_start_counts(session, ytd, team_id)
    ytd_referrals = referral_counts(session, ytd, team_id)
    employment = employment_rates(session, period, team_id)
    better_off = better_off_counts(session, period, team_id)
    caseloads = caseload_by_specialist(session, as_of, team_id)
    overdue = overdue_counts_as_of(session, as_of, team_id)

    teams = []
    for team in _teams(session, team_id, within):
        month_counts = starts.get(team.id, JobStartCounts())
        ytd_counts = ytd_starts.get(team.id, JobStartCounts())
        teams.append(TeamOutcomes(
            team_id=team.id,
            team_name=team.name,
            job_start_target=team.job_start_target_per_month,
            referral_target=team.referral_target_per_month,
            month=month_counts,
            month_referrals=ReferralConversion(referrals.get(team.id, 0), month_counts.job_starts),
            year_to_date=ReferralConversion(ytd_referrals.get(team.id, 0), ytd_counts.job_starts),
            year_to_date_starts=ytd_counts,
            employment=employment.get(team.id, EmploymentRate(0, 0)),
            better_off=better_off.get(team.id, BetterOffCounts()),
            overdue=overdue.get(team.id, 0),
            caseloads=caseloads.get(team.id, []),
        ))
    return OutcomesReport(period=period, year_to_date=ytd, as_of=as_of, teams=teams)


def outcomes_report_for(session: Session, actor: Staff, any_day_in_month: date) -> OutcomesReport:
    """The report limited to what `actor` may see: their team, or all their workspace's."""
    require_role(actor, REPORT_ROLES, "see team outcome reports")
    return outcomes_report(session, any_day_in_month, team_scope(actor),
                           within=visible_teams(actor))


def last_twelve_months(session: Session, any_day: date, team_id: int | None = None
                       ) -> list[TeamMonth]:
    return job_starts_against_target(session, months_ending(any_day, 12), team_id)
