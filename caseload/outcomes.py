"""What each outcome figure counts: one function per definition, used by every report, Slack
message, page and export. docs/outcomes.md gives each one's source in plain English.

Every function answers per team (a dict keyed by team id) for a period of whole days
[start, end), and reads only dated facts - referral, acceptance, job and contact dates and the
status history - so a closed period's figure does not move when later events are recorded.
Only jobs that count as competitive employment (open to anyone, at least the minimum wage for
the person's age) are outcomes; the others are counted apart, never in the outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from caseload.history import in_force_on
from caseload.models import (
    ACTIVE_CASELOAD,
    Client,
    ClientStatus,
    ClientStatusPeriod,
    EmployerContact,
    InWorkContact,
    Job,
    JustAskResponse,
    Team,
)
from caseload.overdue import overdue_by_specialist_as_of
from caseload.periods import Period

# IPS Grow's benchmark employment rate, for a rate over a review period or 12 months or more.
EMPLOYMENT_RATE_BENCHMARK = Decimal("0.40")
# The fidelity scale's active caseload per full-time specialist.
CASELOAD_LIMIT = 20
# The share of an active caseload that may be job retention: people already in work when
# referred. domain.md ("Outcomes"): "In-work (retention) clients should be at most 15% of a
# caseload". The people IPS itself has helped into work are not held against it: they are the
# caseload doing what it should. The caseload guard and every report use this one figure.
JOB_RETENTION_LIMIT = Decimal("0.15")
# Making IPS Work (2018), the evaluation's target per site over 18 months.
EVALUATION_MONTHS = 18
EVALUATION_REFERRALS = 120
EVALUATION_JOB_STARTS = 60


# What each figure counts, in a sentence with its source: the workbook's "How each figure is
# counted" sheet and docs/outcomes.md say the same.
DEFINITIONS: dict[str, str] = {
    "Referrals": "Clients whose referral date falls in the period: the day the employment "
                 "specialist received the referral and accepted it onto their caseload "
                 "(IPS Grow Reporting Tool).",
    "Referrals already in work": "Of those referrals, people in a job when referred: job "
                                 "retention, or looking for a better job (IPS Grow Reporting Tool).",
    "Vocational profiles started": "Clients whose vocational profile was started in the period and "
                                   "who had not been discharged by its end (IPS Grow Reporting Tool).",
    "Job starts": "Competitive jobs started in the period, second and third jobs included "
                  "(IPS Grow Reporting Tool, total job starts).",
    "People into work": "Clients whose first competitive job started in the period, each once "
                        "(IPS Grow Reporting Tool, clients supported into work).",
    "Jobs that are not competitive": "Jobs recorded that are set aside for people with a mental "
                                     "health condition or pay below the minimum wage for the "
                                     "person's age: shown apart, never counted as outcomes.",
    "Out-of-work clients who started work": "Of the out-of-work clients on the caseload, those who "
                                            "started a competitive job in the period.",
    "Out-of-work clients on the caseload": "Accepted before the period ended, not discharged before "
                                           "it began, not in work when referred, and not in a "
                                           "competitive job on its first day (IPS Grow policy "
                                           "note, April 2024).",
    "Employment rate": "Out-of-work clients who started work ÷ out-of-work clients on the "
                       "caseload. The 40% benchmark applies to a rate over 12 months or a "
                       "fidelity review period, never to a month (IPS Grow policy note, April 2024).",
    "Active caseload": "Clients accepted, looking for work or in work at the end of the period's "
                       "last day; at most 20 per full-time specialist (fidelity item S1).",
    "In work": "Of the active caseload, those in work at the end of the period: the people IPS "
               "helped into work and those already in work when referred. No limit applies: "
               "people in work are what the service is for.",
    "Job retention": "Of the active caseload, those at the end of the period who were already in "
                     "work when referred (job retention, or looking for a better job); at most "
                     "15% of the caseload, as IPS guidance puts it: \"in-work (retention) clients "
                     "should be at most 15% of a caseload\". Until 29 November 2026 the reports "
                     "held everyone in work against the 15%.",
    "Overdue for employer contact": "Clients looking for work at the end of the period with no "
                                    "face-to-face employer contact on their behalf for more than "
                                    "28 days (the four-week rule; fidelity item V4).",
    "Better-off calculations": "In-work better-off calculations done in the period (IPS "
                               "principle 8, benefits counselling).",
    "Jobs reaching N weeks": "Competitive jobs whose start was 13, 26 or 52 weeks before a day in "
                             "the period; 'still going' counts those not ended by that day "
                             "(from start and end dates, jobs still going included).",
    "Jobs too recent to judge": "Competitive jobs still going at the end of the period that "
                                "started less than 13 weeks before it.",
    "Referral funnel": "Per referring clinician, each step counted by its own date in the period: "
                       "clients asked about work and who said yes (their weekly \"just ask\" "
                       "answers), referrals received, referrals accepted, first face-to-face "
                       "meetings with an employer, first competitive job starts. \"Said yes but "
                       "not referred\" is the gap to follow up.",
    "Per specialist": "For supervision (team leaders and trainers): face-to-face employer "
                      "contacts in the period and a week (aim: 6, fidelity item V6), competitive "
                      "job starts for clients on their caseload that day, and their caseload and "
                      "overdue clients at the end of the period.",
    "Since the service started": "Referrals and job starts from the team's service start date, "
                                 "as the Making IPS Work evaluation (2018) gives them in its "
                                 "Table 3: \"193 referrals and 78 jobs achieved—40%\".",
}


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.001"))


def _clients_per_team(session: Session, team_id: int | None, *where: ColumnElement[bool]
                      ) -> dict[int, int]:
    query = select(Client.team_id, func.count(Client.id)).where(*where).group_by(Client.team_id)
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    return {row[0]: int(row[1]) for row in session.execute(query)}


def _within(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def referrals(session: Session, period: Period, team_id: int | None = None) -> dict[int, int]:
    """Referrals: episodes whose referral date - the day the specialist received the referral
    and accepted it onto the caseload (IPS Grow) - falls in the period."""
    return _clients_per_team(session, team_id, _within(Client.accepted_on, period))


def referrals_in_work(session: Session, period: Period, team_id: int | None = None
                      ) -> dict[int, int]:
    """Of those referrals, the people already in work when referred (job retention, or looking
    for a better job)."""
    return _clients_per_team(session, team_id, _within(Client.accepted_on, period),
                             Client.in_work_at_referral.is_(True))


def vocational_profiles_started(session: Session, period: Period, team_id: int | None = None
                                ) -> dict[int, int]:
    """Clients whose vocational profile was started in the period and who had not been
    discharged by its end."""
    return _clients_per_team(session, team_id, _within(Client.vocational_profile_started_on, period),
                             or_(Client.discharged_on.is_(None), Client.discharged_on >= period.end))


def _first_competitive() -> ColumnElement[bool]:
    """SQL: this job is its episode's first competitive one (ties broken by id)."""
    earlier = aliased(Job)
    return ~exists().where(
        earlier.client_id == Job.client_id,
        earlier.is_competitive.is_(True),
        or_(earlier.started_on < Job.started_on,
            and_(earlier.started_on == Job.started_on, earlier.id < Job.id)),
    )


@dataclass(frozen=True)
class JobStarts:
    """Job starts in a period: competitive ones are outcomes, the rest are shown apart."""

    total: int = 0  # every competitive job started (second and third jobs too)
    people: int = 0  # clients supported into work: first competitive job starts
    not_competitive: int = 0  # recorded, never counted as outcomes

    def __add__(self, other: JobStarts) -> JobStarts:
        return JobStarts(self.total + other.total, self.people + other.people,
                         self.not_competitive + other.not_competitive)


def job_starts(session: Session, period: Period, team_id: int | None = None
               ) -> dict[int, JobStarts]:
    """Job starts by the date the job started, per team."""
    competitive = Job.is_competitive.is_(True)
    query = (
        select(Job.team_id,
               func.sum(case((competitive, 1), else_=0)),
               func.sum(case((and_(competitive, _first_competitive()), 1), else_=0)),
               func.sum(case((competitive, 0), else_=1)))
        .where(_within(Job.started_on, period))
        .group_by(Job.team_id)
    )
    if team_id is not None:
        query = query.where(Job.team_id == team_id)
    return {row[0]: JobStarts(int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))
            for row in session.execute(query)}


@dataclass(frozen=True)
class EmploymentRate:
    """IPS Grow's employment rate (since April 2024): out-of-work clients who started a
    competitive job, over the out-of-work clients on the caseload in the period."""

    started_work: int = 0
    out_of_work: int = 0

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.started_work, self.out_of_work)

    def __add__(self, other: EmploymentRate) -> EmploymentRate:
        return EmploymentRate(self.started_work + other.started_work,
                              self.out_of_work + other.out_of_work)


def benchmark_applies(period: Period) -> bool:
    """The 40% benchmark is what good services reach over a review period or a year: it is
    shown beside a rate over 12 months or more, never beside a month or a quarter."""
    return period.months() >= 12


def employment_rates(session: Session, period: Period, team_id: int | None = None
                     ) -> dict[int, EmploymentRate]:
    """Out of work: accepted before the period ended, not discharged before it began, not in
    work when referred, and not in a competitive job on its first day. Of those, the ones who
    started a competitive job within the period."""
    working = aliased(Job)
    in_work_at_start = exists().where(
        working.client_id == Client.id, working.is_competitive.is_(True),
        working.started_on < period.start,
        or_(working.ended_on.is_(None), working.ended_on >= period.start))
    started = aliased(Job)
    started_in_period = exists().where(
        started.client_id == Client.id, started.is_competitive.is_(True),
        _within(started.started_on, period))
    query = (
        select(Client.team_id, func.count(Client.id), func.sum(case((started_in_period, 1), else_=0)))
        .where(Client.accepted_on.is_not(None), Client.accepted_on < period.end,
               or_(Client.discharged_on.is_(None), Client.discharged_on >= period.start),
               Client.in_work_at_referral.is_(False), ~in_work_at_start)
        .group_by(Client.team_id)
    )
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    return {row[0]: EmploymentRate(int(row[2] or 0), int(row[1])) for row in session.execute(query)}


def over_job_retention_limit(job_retention: int, active: int) -> bool:
    """More than 15% of an active caseload in work when referred (exact: 3 of 20 is not over)."""
    return active > 0 and Decimal(job_retention) > JOB_RETENTION_LIMIT * active


@dataclass(frozen=True)
class Caseload:
    """A team's caseload at the end of a day, from the dated history."""

    active: int = 0  # accepted, looking for work or in work
    in_work: int = 0  # in work that day, however they came to be: no limit applies
    job_retention: int = 0  # active that day and in work when referred: at most 15%

    @property
    def in_work_share(self) -> Decimal | None:
        return ratio(self.in_work, self.active)

    @property
    def job_retention_share(self) -> Decimal | None:
        return ratio(self.job_retention, self.active)

    @property
    def over_job_retention_limit(self) -> bool:
        return over_job_retention_limit(self.job_retention, self.active)

    def __add__(self, other: Caseload) -> Caseload:
        return Caseload(self.active + other.active, self.in_work + other.in_work,
                        self.job_retention + other.job_retention)


def caseloads_on(session: Session, day: date, team_id: int | None = None) -> dict[int, Caseload]:
    """Active caseload, how many of it are in work and how many were in work when referred
    (job retention), per team, as things stood on `day`. Whether someone was in work when
    referred is fixed at referral (a new referral is a new episode), so the history row of
    `day` joined to its episode says it as it was then."""
    query = (
        select(ClientStatusPeriod.team_id, func.count(ClientStatusPeriod.client_id),
               func.sum(case((ClientStatusPeriod.status == ClientStatus.IN_WORK, 1), else_=0)),
               func.sum(case((Client.in_work_at_referral.is_(True), 1), else_=0)))
        .join(Client, Client.id == ClientStatusPeriod.client_id)
        .where(in_force_on(day), ClientStatusPeriod.status.in_(ACTIVE_CASELOAD))
        .group_by(ClientStatusPeriod.team_id)
    )
    if team_id is not None:
        query = query.where(ClientStatusPeriod.team_id == team_id)
    return {row[0]: Caseload(int(row[1]), int(row[2] or 0), int(row[3] or 0))
            for row in session.execute(query)}


@dataclass(frozen=True)
class Conversion:
    """Referrals and competitive job starts over a span, as the 2018 evaluation's Table 3 gives
    them per site ("193 referrals and 78 jobs achieved—40%")."""

    referrals: int = 0
    job_starts: int = 0

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.job_starts, self.referrals)

    def sentence(self) -> str:
        rate = self.rate
        share = "no referrals yet" if rate is None else f"{rate * 100:.0f}%"
        referrals = f"{self.referrals} referral{'' if self.referrals == 1 else 's'}"
        jobs = f"{self.job_starts} job{'' if self.job_starts == 1 else 's'}"
        return f"{referrals} and {jobs} achieved—{share}"

    def __add__(self, other: Conversion) -> Conversion:
        return Conversion(self.referrals + other.referrals, self.job_starts + other.job_starts)


def conversion_since_start(session: Session, end: date, team_id: int | None = None
                           ) -> dict[int, Conversion]:
    """Referrals and competitive job starts from each team's service start date (all its
    records when it has none) up to `end` (exclusive), per team."""
    referred = (select(Client.team_id, func.count(Client.id))
                .join(Team, Team.id == Client.team_id)
                .where(Client.accepted_on < end,
                       Client.accepted_on >= func.coalesce(Team.service_started_on, Client.accepted_on))
                .group_by(Client.team_id))
    started = (select(Job.team_id, func.count(Job.id))
               .join(Team, Team.id == Job.team_id)
               .where(Job.is_competitive.is_(True), Job.started_on < end,
                      Job.started_on >= func.coalesce(Team.service_started_on, Job.started_on))
               .group_by(Job.team_id))
    if team_id is not None:
        referred = referred.where(Client.team_id == team_id)
        started = started.where(Job.team_id == team_id)
    counted = {row[0]: int(row[1]) for row in session.execute(referred)}
    jobs = {row[0]: int(row[1]) for row in session.execute(started)}
    return {team: Conversion(counted.get(team, 0), jobs.get(team, 0))
            for team in counted.keys() | jobs.keys()}


# Weeks in work at which a job is judged to have lasted (DWP contracts report 13 and 26 weeks;
# domain.md "Outcomes"), and the first of them, before which a job is too recent to judge.
SUSTAINMENT_WEEKS = (13, 26, 52)


@dataclass(frozen=True)
class Milestone:
    """Competitive jobs that reached `weeks` weeks after their start within the period, and
    how many of them were still going that day."""

    weeks: int
    reached: int = 0
    lasted: int = 0

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.lasted, self.reached)


@dataclass(frozen=True)
class Sustainment:
    milestones: tuple[Milestone, ...] = tuple(Milestone(w) for w in SUSTAINMENT_WEEKS)
    too_recent: int = 0  # still going at the period's end, short of the first milestone

    def __add__(self, other: Sustainment) -> Sustainment:
        return Sustainment(tuple(Milestone(a.weeks, a.reached + b.reached, a.lasted + b.lasted)
                                 for a, b in zip(self.milestones, other.milestones, strict=True)),
                           self.too_recent + other.too_recent)


def sustainment(session: Session, period: Period, team_id: int | None = None
                ) -> dict[int, Sustainment]:
    """How long competitive jobs lasted, from their start and end dates (jobs still going
    included): per milestone, the jobs that reached it in the period and those still going
    then; and the jobs too recent to judge at the period's end."""
    longest = timedelta(weeks=max(SUSTAINMENT_WEEKS))
    query = (select(Job.team_id, Job.started_on, Job.ended_on)
             .where(Job.is_competitive.is_(True), Job.started_on >= period.start - longest,
                    Job.started_on < period.end))
    if team_id is not None:
        query = query.where(Job.team_id == team_id)
    counts: dict[int, dict[str, int]] = {}
    first = timedelta(weeks=SUSTAINMENT_WEEKS[0])
    for team, started, ended in session.execute(query):
        tally = counts.setdefault(team, {})
        for weeks in SUSTAINMENT_WEEKS:
            milestone = started + timedelta(weeks=weeks)
            if period.start <= milestone < period.end:
                tally[f"reached {weeks}"] = tally.get(f"reached {weeks}", 0) + 1
                if ended is None or ended >= milestone:
                    tally[f"lasted {weeks}"] = tally.get(f"lasted {weeks}", 0) + 1
        if started + first > period.last_day and (ended is None or ended > period.last_day):
            tally["too recent"] = tally.get("too recent", 0) + 1
    return {team: Sustainment(tuple(Milestone(w, t.get(f"reached {w}", 0), t.get(f"lasted {w}", 0))
                                    for w in SUSTAINMENT_WEEKS), t.get("too recent", 0))
            for team, t in counts.items()}


@dataclass(frozen=True)
class FunnelStep:
    """One referring clinician's path from asking about work to job starts, in a period: the
    "just ask" answers they gave, and what happened that period to the clients they refer."""

    clinician_id: int | None  # None: clients with no care coordinator recorded
    asked: int = 0
    said_yes: int = 0
    referred: int = 0
    accepted: int = 0
    met_an_employer: int = 0  # first face-to-face employer contact on their behalf
    started_work: int = 0  # first competitive job

    @property
    def said_yes_not_referred(self) -> int:
        """The gap to follow up: people who said yes to work, less the referrals made."""
        return max(0, self.said_yes - self.referred)


def funnel(session: Session, period: Period, team_id: int | None = None
           ) -> dict[int, list[FunnelStep]]:
    """Per team, per referring clinician: asked → said yes → referred → accepted → first
    face-to-face with an employer → first competitive job start, each counted by its own date
    in the period (so the figures stay as they were once the period is over)."""
    steps: dict[tuple[int, int | None], dict[str, int]] = {}

    def add(rows: Any, *names: str) -> None:
        for team, clinician, *values in rows:
            tally = steps.setdefault((team, clinician), {})
            for name, value in zip(names, values, strict=True):
                tally[name] = tally.get(name, 0) + int(value or 0)

    answers = (select(JustAskResponse.team_id, JustAskResponse.staff_id,
                      func.sum(JustAskResponse.asked_count), func.sum(JustAskResponse.said_yes_count))
               .where(_within(JustAskResponse.week_starting, period), JustAskResponse.team_id.is_not(None))
               .group_by(JustAskResponse.team_id, JustAskResponse.staff_id))
    if team_id is not None:
        answers = answers.where(JustAskResponse.team_id == team_id)
    add(session.execute(answers), "asked", "said_yes")
    by_client = (Client.team_id, Client.care_coordinator_id)
    for name, when in (("referred", Client.referral_received_on), ("accepted", Client.accepted_on)):
        add(session.execute(_per_clinician(by_client, team_id).where(_within(when, period))), name)
    add(session.execute(_per_clinician(by_client, team_id).where(
        _within(Client.first_face_to_face_contact_on, period))), "met_an_employer")
    add(session.execute(_per_clinician(by_client, team_id).join(Job, Job.client_id == Client.id).where(
        Job.is_competitive.is_(True), _first_competitive(), _within(Job.started_on, period))),
        "started_work")
    out: dict[int, list[FunnelStep]] = {}
    for (team, clinician), tally in sorted(steps.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        out.setdefault(team, []).append(FunnelStep(clinician, **tally))
    return out


def _per_clinician(columns: tuple[Any, Any], team_id: int | None) -> Any:
    query = select(*columns, func.count(Client.id)).group_by(*columns)
    return query if team_id is None else query.where(Client.team_id == team_id)


# Face-to-face employer contacts a week each specialist aims for (fidelity item V6).
EMPLOYER_CONTACTS_A_WEEK = 6


@dataclass(frozen=True)
class Supervision:
    """One specialist's figures for a period, for supervision with their team leader."""

    specialist_id: int
    employer_contacts: int = 0  # face-to-face, for clients or general job development
    weeks: Decimal = Decimal(1)
    job_starts: int = 0  # competitive, for clients on their caseload the day the job started
    caseload: int = 0  # active at the end of the period
    overdue: int = 0  # at the end of the period
    in_work_contacts: int = 0  # in-work support with the person, the employer or both

    @property
    def contacts_a_week(self) -> Decimal:
        return (Decimal(self.employer_contacts) / self.weeks).quantize(Decimal("0.1"))


def supervision(session: Session, period: Period, team_id: int | None = None, *,
                overdue: dict[tuple[int, int | None], int] | None = None
                ) -> dict[int, list[Supervision]]:
    """Per team, each specialist who had anything to count in the period. `overdue` is
    `overdue_by_specialist_as_of` the period's last day, when the caller has read it already."""
    tallies: dict[tuple[int, int], dict[str, int]] = {}

    def add(rows: Any, name: str) -> None:
        for team, specialist, count in rows:
            if specialist is not None:
                tallies.setdefault((team, specialist), {})[name] = int(count)

    contacts = (select(EmployerContact.team_id, EmployerContact.staff_id, func.count(EmployerContact.id))
                .where(EmployerContact.face_to_face.is_(True), _within(EmployerContact.contacted_on, period))
                .group_by(EmployerContact.team_id, EmployerContact.staff_id))
    on_caseload = and_(ClientStatusPeriod.client_id == Job.client_id,
                       ClientStatusPeriod.valid_from <= Job.started_on,
                       or_(ClientStatusPeriod.valid_to.is_(None),
                           ClientStatusPeriod.valid_to > Job.started_on))
    starts = (select(Job.team_id, ClientStatusPeriod.specialist_id, func.count(Job.id))
              .join(ClientStatusPeriod, on_caseload)
              .where(Job.is_competitive.is_(True), _within(Job.started_on, period))
              .group_by(Job.team_id, ClientStatusPeriod.specialist_id))
    support = (select(InWorkContact.team_id, InWorkContact.staff_id, func.count(InWorkContact.id))
               .where(_within(InWorkContact.contacted_on, period))
               .group_by(InWorkContact.team_id, InWorkContact.staff_id))
    held = (select(ClientStatusPeriod.team_id, ClientStatusPeriod.specialist_id,
                   func.count(ClientStatusPeriod.client_id))
            .where(in_force_on(period.last_day), ClientStatusPeriod.status.in_(ACTIVE_CASELOAD))
            .group_by(ClientStatusPeriod.team_id, ClientStatusPeriod.specialist_id))
    if team_id is not None:
        contacts = contacts.where(EmployerContact.team_id == team_id)
        starts = starts.where(Job.team_id == team_id)
        support = support.where(InWorkContact.team_id == team_id)
        held = held.where(ClientStatusPeriod.team_id == team_id)
    add(session.execute(contacts), "employer_contacts")
    add(session.execute(starts), "job_starts")
    add(session.execute(support), "in_work_contacts")
    add(session.execute(held), "caseload")
    if overdue is None:
        overdue = overdue_by_specialist_as_of(session, period.last_day, team_id)
    add(((t, sp, n) for (t, sp), n in overdue.items()), "overdue")
    weeks = (Decimal((period.end - period.start).days) / 7).quantize(Decimal("0.01"))
    out: dict[int, list[Supervision]] = {}
    for (team, specialist), tally in sorted(tallies.items()):
        out.setdefault(team, []).append(Supervision(specialist, weeks=weeks, **tally))
    return out


def conversion(session: Session, span: Period, team_id: int | None = None) -> dict[int, Conversion]:
    """Referrals (by referral date) and competitive job starts in `span`, per team."""
    counted = referrals(session, span, team_id)
    starts = job_starts(session, span, team_id)
    return {team: Conversion(counted.get(team, 0), starts.get(team, JobStarts()).total)
            for team in counted.keys() | starts.keys()}
