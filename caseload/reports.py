"""Outcome reports for any period: every figure of caseload/outcomes.py per team and in total,
the 12-month employment rate the benchmark is held against, conversion since each service
started, caseloads at the period's end, and what has changed since a closed period was first
reported.

Every figure is aggregated by the database (GROUP BY over indexed date ranges), so a report
over a hundred thousand clients streams no rows into Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from caseload import clock
from caseload.access import require_role, team_scope, visible_teams
from caseload.db import Database
from caseload.errors import NotAllowed, NotFound
from caseload.first_reports import Changed, compare_with_first
from caseload.history import in_force_on
from caseload.models import (
    ACTIVE_CASELOAD,
    BetterOffCalculation,
    BetterOffOutcome,
    ClientStatusPeriod,
    Role,
    Staff,
    Team,
)
from caseload.outcomes import (
    Caseload,
    Conversion,
    EmploymentRate,
    FunnelStep,
    JobStarts,
    Supervision,
    Sustainment,
    benchmark_applies,
    caseloads_on,
    conversion_since_start,
    employment_rates,
    funnel,
    job_starts,
    referrals,
    referrals_in_work,
    supervision,
    sustainment,
    vocational_profiles_started,
)
from caseload.overdue import overdue_by_specialist_as_of, overdue_counts_as_of, per_team
from caseload.periods import Period, month, months_ending, twelve_months_ending
from caseload.staff import staff_names

REPORT_ROLES = (Role.TEAM_LEADER, Role.REGIONAL_TRAINER, Role.ADMIN)
FUNNEL_STEPS = ("asked", "said_yes", "referred", "accepted", "met_an_employer", "started_work")


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@dataclass(frozen=True)
class BetterOffCounts:
    done: int = 0
    better_off: int = 0

    def __add__(self, other: BetterOffCounts) -> BetterOffCounts:
        return BetterOffCounts(self.done + other.done, self.better_off + other.better_off)


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
    """One team's job starts for one month against its monthly target (Figure 1 of the
    Sussex briefing)."""

    team_id: int
    team_name: str
    month: date
    target: int
    counts: JobStarts

    @property
    def difference(self) -> int:
        return self.counts.total - self.target


def job_starts_against_target(session: Session, months: list[Period], team_id: int | None = None,
                              within: ColumnElement[bool] | None = None) -> list[TeamMonth]:
    """Competitive job starts per team per month against target."""
    teams = _teams(session, team_id, within)
    rows = []
    for period in months:
        counts = job_starts(session, period, team_id)
        for team in teams:
            rows.append(TeamMonth(team.id, team.name, period.start,
                                  team.job_start_target_per_month,
                                  counts.get(team.id, JobStarts())))
    return rows


def all_teams_by_month(rows: list[TeamMonth]) -> list[TeamMonth]:
    """The region's line: every team's job starts and targets added up, month by month."""
    months: dict[date, TeamMonth] = {}
    for row in rows:
        seen = months.get(row.month)
        months[row.month] = row if seen is None else TeamMonth(
            0, "All teams", row.month, seen.target + row.target, seen.counts + row.counts)
    return [replace(m, team_id=0, team_name="All teams") for _, m in sorted(months.items())]


def last_twelve_months(session: Session, any_day: date, team_id: int | None = None
                       ) -> list[TeamMonth]:
    return job_starts_against_target(session, months_ending(any_day, 12), team_id)


def _teams(session: Session, team_id: int | None, within: ColumnElement[bool] | None = None
           ) -> list[Team]:
    query = select(Team).order_by(Team.name)
    if team_id is not None:
        query = query.where(Team.id == team_id)
    if within is not None:
        query = query.where(within)
    return list(session.scalars(query))


@dataclass(frozen=True)
class TeamOutcomes:
    """One team's figures for a period (or all teams', added up, as `OutcomesReport.totals`)."""

    team_id: int
    team_name: str
    referral_target: int  # over the period: the monthly target times its months
    job_start_target: int
    referrals: int
    referrals_in_work: int
    profiles_started: int
    job_starts: JobStarts
    employment: EmploymentRate  # over the period
    employment_year: EmploymentRate  # over the 12 months to the period's end
    better_off: BetterOffCounts
    caseload: Caseload  # at the end of the period's last day
    overdue: int
    since_start: Conversion  # from the service's start to the period's end
    # The team's monthly targets over the months since it started (0 and 0: no targets or no
    # start date), to read beside `since_start` as the evaluation read 120 and 60 over 18 months.
    since_start_targets: Conversion
    sustainment: Sustainment = field(default_factory=Sustainment)
    # Per referring clinician (name, their steps): asked → said yes → referred → ... → job start.
    funnel: list[tuple[str, FunnelStep]] = field(default_factory=list)
    # Per specialist (name, figures), for supervision: team leaders and trainers only.
    supervision: list[tuple[str, Supervision]] = field(default_factory=list)
    specialists: list[SpecialistCaseload] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    def since_start_sentence(self) -> str:
        """Table 3's words, with the team's own targets for the same months where it has them."""
        targets = self.since_start_targets
        if not (targets.referrals or targets.job_starts):
            return self.since_start.sentence()
        return (f"{self.since_start.sentence()} (targets since it started: {targets.referrals} "
                f"referrals and {targets.job_starts} job starts)")

    @property
    def funnel_total(self) -> FunnelStep:
        """The team's clinicians' steps added up."""
        steps = [step for _, step in self.funnel]
        return FunnelStep(None, *(sum(getattr(step, name) for step in steps) for name in FUNNEL_STEPS))

    def figures(self) -> dict[str, int]:
        """The counts a closed period's report stands by, by the names people read."""
        return {
            "Referrals": self.referrals, "Referrals already in work": self.referrals_in_work,
            "Vocational profiles started": self.profiles_started,
            "Job starts": self.job_starts.total, "People into work": self.job_starts.people,
            "Jobs that are not competitive": self.job_starts.not_competitive,
            "Out-of-work clients who started work": self.employment.started_work,
            "Out-of-work clients on the caseload": self.employment.out_of_work,
            "Active caseload": self.caseload.active, "In work": self.caseload.in_work,
            "Job retention": self.caseload.job_retention,
            "Overdue for employer contact": self.overdue,
            "Better-off calculations": self.better_off.done,
            **{f"Jobs reaching {m.weeks} weeks": m.reached for m in self.sustainment.milestones},
            **{f"Still going at {m.weeks} weeks": m.lasted for m in self.sustainment.milestones},
            "Jobs too recent to judge": self.sustainment.too_recent,
        }


@dataclass(frozen=True)
class OutcomesReport:
    period: Period
    as_of: date
    teams: list[TeamOutcomes]

    @property
    def year(self) -> Period:
        """The 12 months to the period's end, over which the benchmark is held."""
        return twelve_months_ending(self.period.last_day)

    @property
    def benchmark_applies(self) -> bool:
        return benchmark_applies(self.period)

    @property
    def changed(self) -> list[tuple[str, Changed]]:
        return [(t.team_name, c) for t in self.teams for c in t.changed]

    @property
    def totals(self) -> TeamOutcomes:
        """All teams added together (specialists left out)."""
        def add(name: str) -> object:
            values = [getattr(t, name) for t in self.teams]
            total = values[0]
            for value in values[1:]:
                total = total + value
            return total

        if not self.teams:
            raise ValueError("a report with no teams has no totals")
        # The added-up figures keep their types (each adds to its own kind); mypy sees objects.
        return TeamOutcomes(
            team_id=0, team_name="All teams",
            **{name: add(name) for name in (  # type: ignore[arg-type]
                "referral_target", "job_start_target", "referrals", "referrals_in_work",
                "profiles_started", "job_starts", "employment", "employment_year", "better_off",
                "caseload", "overdue", "since_start", "since_start_targets", "sustainment")},
            funnel=[("All teams", FunnelStep(None, *(
                sum(getattr(t.funnel_total, name) for t in self.teams) for name in FUNNEL_STEPS)))],
        )


def outcomes_report(session: Session, period: Period, team_id: int | None = None, *,
                    within: ColumnElement[bool] | None = None,
                    today: date | None = None) -> OutcomesReport:
    """Everything a report shows for `period`, for one team or all (or those matching `within`,
    a WHERE clause over Team such as `access.visible_teams(actor)`)."""
    as_of = min(period.last_day, today or clock.today())
    year = twelve_months_ending(period.last_day)
    counted = {
        "referrals": referrals(session, period, team_id),
        "in_work": referrals_in_work(session, period, team_id),
        "profiles": vocational_profiles_started(session, period, team_id),
    }
    starts = job_starts(session, period, team_id)
    employment = employment_rates(session, period, team_id)
    employment_year = employment_rates(session, year, team_id)
    better_off = better_off_counts(session, period, team_id)
    caseloads = caseloads_on(session, as_of, team_id)
    # The overdue count per specialist at the period's end is the report's costliest read: a
    # closed period's team figure is its sum rather than a second read.
    overdue_at_end = overdue_by_specialist_as_of(session, period.last_day, team_id)
    overdue = (per_team(overdue_at_end) if as_of == period.last_day
               else overdue_counts_as_of(session, as_of, team_id))
    specialists = caseload_by_specialist(session, as_of, team_id)
    since_start = conversion_since_start(session, period.end, team_id)
    lasted = sustainment(session, period, team_id)
    steps = funnel(session, period, team_id)
    supervised = supervision(session, period, team_id, overdue=overdue_at_end)
    names = staff_names(session, [*(step.clinician_id for rows in steps.values() for step in rows),
                                  *(row.specialist_id for rows in supervised.values() for row in rows)])
    teams = []
    for team in _teams(session, team_id, within):
        months = period.months()
        teams.append(TeamOutcomes(
            team_id=team.id, team_name=team.name,
            referral_target=team.referral_target_per_month * months,
            job_start_target=team.job_start_target_per_month * months,
            referrals=counted["referrals"].get(team.id, 0),
            referrals_in_work=counted["in_work"].get(team.id, 0),
            profiles_started=counted["profiles"].get(team.id, 0),
            job_starts=starts.get(team.id, JobStarts()),
            employment=employment.get(team.id, EmploymentRate()),
            employment_year=employment_year.get(team.id, EmploymentRate()),
            better_off=better_off.get(team.id, BetterOffCounts()),
            caseload=caseloads.get(team.id, Caseload()),
            overdue=overdue.get(team.id, 0),
            since_start=since_start.get(team.id, Conversion()),
            since_start_targets=_targets_since(team, period.end),
            specialists=specialists.get(team.id, []),
            sustainment=lasted.get(team.id, Sustainment()),
            funnel=[(names.get(step.clinician_id or 0, "No care coordinator recorded"), step)
                    for step in steps.get(team.id, [])],
            supervision=[(names.get(row.specialist_id, "?"), row) for row in supervised.get(team.id, [])],
        ))
    return OutcomesReport(period=period, as_of=as_of, teams=teams)


def _targets_since(team: Team, end: date) -> Conversion:
    started = team.service_started_on
    if started is None or started >= end:
        return Conversion()
    months = Period(started, end).months()
    return Conversion(team.referral_target_per_month * months, team.job_start_target_per_month * months)


def outcomes_report_for(session: Session, actor: Staff, period: Period, team_id: int | None = None,
                        today: date | None = None) -> OutcomesReport:
    """The report limited to what `actor` may see: their team, or their workspace's teams (or
    one of them, `team_id`)."""
    require_role(actor, REPORT_ROLES, "see team outcome reports")
    scope = team_scope(actor)
    if scope is not None and team_id not in (None, scope):
        raise NotAllowed("Team leaders see their own team's report only.")
    return outcomes_report(session, period, scope if team_id is None else team_id,
                           within=visible_teams(actor), today=today)


def published_report(db: Database, period: Period, *, actor: Staff | None = None,
                     team_id: int | None = None, today: date | None = None) -> OutcomesReport:
    """The report as every surface publishes it: limited to `actor` when given (None is the
    system: the clock, the command line), with what has changed since a closed period was first
    reported. Keeps the first report of a closed period as it goes."""
    today = today or clock.today()
    with db.transaction() as session:
        if actor is None:
            report = outcomes_report(session, period, team_id, today=today)
        else:
            report = outcomes_report_for(session, session.merge(actor), period, team_id, today)
        changes = compare_with_first(session, period, today,
                                     {t.team_id: t.figures() for t in report.teams})
    return replace(report, teams=[replace(t, changed=changes.get(t.team_id, []))
                                  for t in report.teams])


def reports_by_month(session: Session, period: Period, team_id: int | None = None, *,
                     within: ColumnElement[bool] | None = None) -> list[OutcomesReport]:
    """The period month by month (a workbook's rows)."""
    months = [month(period.start + relativedelta(months=n)) for n in range(max(period.months(), 1))]
    return [outcomes_report(session, m, team_id, within=within) for m in months]


def reports_by_month_for(session: Session, actor: Staff, period: Period) -> list[OutcomesReport]:
    """Month by month, limited as `outcomes_report_for` limits the report."""
    require_role(actor, REPORT_ROLES, "see team outcome reports")
    return reports_by_month(session, period, team_scope(actor), within=visible_teams(actor))


def report_team(session: Session, actor: Staff, name: str) -> int:
    """The team called `name` (any case) among those whose figures `actor` may see."""
    require_role(actor, REPORT_ROLES, "see team outcome reports")
    team = session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower(),
                                             visible_teams(actor)))
    if team is None:
        raise NotFound(f"There is no team called {name.strip()!r} among the teams whose figures "
                       "you can see.")
    return team.id


def months_against_target_for(session: Session, actor: Staff, any_day: date,
                              team_id: int | None = None) -> list[TeamMonth]:
    """The 12 months to `any_day`'s month, for the teams `actor` may see (or one of them)."""
    require_role(actor, REPORT_ROLES, "see team outcome reports")
    return job_starts_against_target(session, months_ending(any_day, 12),
                                     team_id if team_id is not None else team_scope(actor),
                                     within=visible_teams(actor))
