"""A realistic demo caseload, built through the real services so every rule and audit row applies.

Three teams (one in Scotland, for its bank holidays), twelve staff across every role, about
150 referral episodes across every status, a year of employer contacts and job starts, a
scored fidelity review, "just ask" answers and better-off calculations. Dates run back from
today; the same seed gives the same demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseload import calculations, clients, clock, contacts, fidelity, in_work, jobs, just_ask
from caseload import staff as staff_service
from caseload import teams as team_service
from caseload.evidence import fidelity_evidence
from caseload.first_reports import compare_with_first
from caseload.models import (
    AgeBand,
    Client,
    ClientStatus,
    FirstReport,
    InWorkWith,
    Job,
    JobType,
    Nation,
    Role,
    Staff,
    Team,
)
from caseload.overdue import overdue_for_employer_contact
from caseload.periods import month
from caseload.reports import outcomes_report
from caseload.validation import parse
from caseload.working_days import add_working_days, next_working_day

TEAMS = [
    # name, nation, referral target, job-start target, reference prefix
    ("Brighton and Hove CMHT", Nation.ENGLAND, 8, 3, "BH"),
    ("Hastings and Rother CMHT", Nation.ENGLAND, 6, 2, "HR"),
    ("Dumfries Community Mental Health Team", Nation.SCOTLAND, 5, 2, "DG"),
]
STAFF = [
    # team index (None: all teams), role, name as shown in Slack, FTE
    (0, Role.TEAM_LEADER, "Priya Shah", "1.00"),
    (0, Role.EMPLOYMENT_SPECIALIST, "Tom Okafor", "1.00"),
    (0, Role.CARE_COORDINATOR, "Dan Murphy", "1.00"),
    (0, Role.BENEFITS_ADVISOR, "Aisha Rahman", "0.60"),
    (1, Role.TEAM_LEADER, "Mark Ellis", "1.00"),
    (1, Role.EMPLOYMENT_SPECIALIST, "Sophie Turner", "1.00"),
    (1, Role.CARE_COORDINATOR, "Ravi Patel", "1.00"),
    (2, Role.TEAM_LEADER, "Fiona MacLeod", "1.00"),
    (2, Role.EMPLOYMENT_SPECIALIST, "Callum Reid", "1.00"),
    (2, Role.CARE_COORDINATOR, "Isla Brown", "1.00"),
    (None, Role.REGIONAL_TRAINER, "Helen Carter", "1.00"),
    (None, Role.ADMIN, "Grace Lindqvist", "0.80"),
]
EMPLOYERS = [
    "Sainsbury's", "Tesco", "Boots", "Costa Coffee", "Royal Mail", "Brighton Council",
    "Amex", "B&Q", "Travelodge", "Premier Inn", "NHS Sussex", "Lidl", "Screwfix",
    "Hilton", "Marks & Spencer", "Ocado", "local garage", "independent bakery",
    "garden centre", "print shop", "care home", "call centre", "library service",
]
JOBS = [
    ("Retail assistant", JobType.SALES_CUSTOMER), ("Barista", JobType.SALES_CUSTOMER),
    ("Warehouse operative", JobType.ELEMENTARY), ("Cleaner", JobType.ELEMENTARY),
    ("Admin assistant", JobType.ADMINISTRATIVE), ("Care assistant", JobType.CARING_LEISURE),
    ("Kitchen porter", JobType.ELEMENTARY), ("Delivery driver", JobType.PROCESS_PLANT),
    ("Gardener", JobType.SKILLED_TRADES), ("IT support technician", JobType.ASSOCIATE_PROFESSIONAL),
    ("Receptionist", JobType.ADMINISTRATIVE), ("Bookkeeper", JobType.ASSOCIATE_PROFESSIONAL),
]
PREFERENCES = [
    "Outdoor work, mornings", "Retail, part time", "Office work near home",
    "Something with animals", "Driving", "Kitchen or café work", "IT", "Caring roles",
    "Warehouse, nights ok", "Anything local, up to 16 hours",
]


@dataclass
class DemoSummary:
    teams: int = 0
    staff: int = 0
    clients: int = 0
    contacts: int = 0
    job_starts: int = 0
    second_jobs: int = 0
    below_minimum_wage: int = 0
    re_referrals: int = 0
    in_work_at_referral: int = 0
    in_work_contacts: int = 0
    job_end_follow_ups: int = 0
    past_holds: int = 0
    late_contacts: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def has_data(session: Session) -> bool:
    return (session.scalar(select(func.count(Team.id))) or 0) > 0


def load_demo(session: Session, seed: int = 2026, clients_per_team: int = 50) -> DemoSummary:
    """Fill an empty database with the demo caseload in the caller's transaction."""
    rng = random.Random(seed)
    # What the outcome reports need beyond the first demo (in-work referrals, profiles, past
    # holds) draws from its own stream, so the rest of the demo stays as it was for a seed.
    extra = random.Random(seed + 1)
    today = clock.today()
    summary = DemoSummary()
    # Teams and staff go through their services too, so the demo meets the same validation
    # (Slack id shapes, FTE range, team membership) as anything an operator types.
    teams = [
        team_service.add_team(session, parse(team_service.NewTeam, {
            "name": name, "nation": nation, "referral_target_per_month": referrals,
            "job_start_target_per_month": starts,
            "service_started_on": today - timedelta(days=730)}), actor=None)
        for name, nation, referrals, starts, _prefix in TEAMS
    ]
    people: dict[tuple[int | None, Role], list[Staff]] = {}
    for number, (team_index, role, name, fte) in enumerate(STAFF, start=1):
        person = staff_service.add_staff(session, parse(staff_service.NewStaff, {
            "slack_user_id": f"UDEMO{number:04d}", "display_name": name, "role": role,
            "team_id": teams[team_index].id if team_index is not None else None,
            "fte": Decimal(fte)}), actor=None)
        people.setdefault((team_index, role), []).append(person)
    summary.teams, summary.staff = len(teams), len(STAFF)

    for index, team in enumerate(teams):
        prefix = TEAMS[index][4]
        leader = people[(index, Role.TEAM_LEADER)][0]
        coordinator = people[(index, Role.CARE_COORDINATOR)][0]
        specialists = people[(index, Role.EMPLOYMENT_SPECIALIST)]
        for n in range(1, clients_per_team + 1):
            _one_client(session, (rng, extra), today, team, f"{prefix}-{n:04d}", leader,
                        coordinator, rng.choice(specialists), summary)
        for specialist in specialists:
            _job_development(session, rng, today, specialist, summary)
        _just_ask(session, rng, today, coordinator)
        advisor = people.get((index, Role.BENEFITS_ADVISOR))
        _calculations(session, rng, today, advisor[0] if advisor else leader, team)

    # In-work support, the pipeline's gaps and a recent start draw from a stream of their own,
    # so everything above stays as it was for a seed.
    support = random.Random(seed + 2)
    for team in teams:
        _in_work_support(session, support, today, team, summary)
    # "Just ask" answers for the rest of the year, from a stream of their own, before the
    # pipeline's one gap week is written over them.
    asking = random.Random(seed + 3)
    for index in range(len(teams)):
        _just_ask_year(session, asking, today, people[(index, Role.CARE_COORDINATOR)][0],
                       gap=index == GAP_TEAM)
    _pipeline_gaps(session, today, teams[0], TEAMS[0][4], people, summary)
    # Scored after the in-work support, so V12's evidence is there when the review is.
    _fidelity(session, rng, today, teams, people)
    _late_contact(session, today, people[(0, Role.EMPLOYMENT_SPECIALIST)][0], summary)
    summary.clients = session.scalar(select(func.count(Client.id))) or 0
    summary.statuses = {
        status.value: count for status, count in session.execute(
            select(Client.status, func.count(Client.id)).group_by(Client.status))
    }
    return summary


def _one_client(session: Session, rngs: tuple[random.Random, random.Random], today: date,
                team: Team, reference: str, leader: Staff, coordinator: Staff, specialist: Staff,
                summary: DemoSummary) -> None:
    rng, extra = rngs
    received = today - timedelta(days=rng.randint(3, 365))
    in_work = extra.random() < 0.06  # job retention, or after a better job
    summary.in_work_at_referral += int(in_work)
    client = clients.refer(session, coordinator, parse(clients.Referral, {
        "reference": reference, "team_id": team.id, "consent_recorded": True,
        "work_preferences": rng.choice(PREFERENCES), "received_on": received,
        "in_work_at_referral": in_work,
    }))
    # Referrals from the last fortnight may still be waiting to be accepted.
    if (today - received).days < 14 and rng.random() < 0.6:
        return
    accepted = min(today, received + timedelta(days=rng.randint(1, 7)))
    # Some demo specialists are over 20 on purpose; the leader sees the number and confirms.
    clients.accept(session, leader, client, on=accepted, specialist_id=specialist.id,
                   confirm_over=True)
    if rng.random() < 0.08:
        return  # accepted, job search not started yet
    searching = min(today, accepted + timedelta(days=rng.randint(0, 10)))
    clients.start_job_search(session, specialist, client, on=searching)
    if extra.random() < 0.7:  # the first face-to-face meeting
        clients.start_vocational_profile(session, specialist, client,
                                         min(today, accepted + timedelta(days=extra.randint(0, 12))))
    searching = _past_hold(session, extra, today, client, specialist, searching, summary)

    # Most specialists keep in touch with employers every week or two; a few clients drift
    # past four weeks, which is what the nudges are for.
    drifting = rng.random() < 0.2
    day = searching
    job_day = searching + timedelta(days=rng.randint(20, 200)) if rng.random() < 0.55 else None
    while True:
        day += timedelta(days=rng.randint(25, 45) if drifting else rng.randint(4, 16))
        if day > today or (job_day and day >= job_day):
            break
        contacts.record_employer_contact(session, specialist, parse(
            contacts.NewEmployerContact, {
                "employer": rng.choice(EMPLOYERS), "contacted_on": day,
                "face_to_face": rng.random() < 0.8, "client_id": client.id}))
        summary.contacts += 1

    if job_day and job_day <= today:
        _jobs(session, rng, today, client, specialist, job_day, summary)

    _on_hold_or_discharged(session, rng, today, client, (specialist, coordinator), day, summary)


SUPPORT_WITH = (InWorkWith.PERSON, InWorkWith.PERSON, InWorkWith.BOTH, InWorkWith.EMPLOYER)


def _support_contact(session: Session, rng: random.Random, specialist: Staff, client: Client,
                     day: date, summary: DemoSummary, with_whom: InWorkWith | None = None) -> None:
    in_work.record_in_work_contact(session, specialist, parse(in_work.NewInWorkContact, {
        "client_id": client.id, "contacted_on": day,
        "with_whom": with_whom or rng.choice(SUPPORT_WITH), "face_to_face": rng.random() < 0.6}))
    summary.in_work_contacts += 1


def _in_work_support(session: Session, rng: random.Random, today: date, team: Team,
                     summary: DemoSummary) -> None:
    """In-work support for every job of the team's clients still open (not discharged): on the
    team's rhythm mostly, now and then late; most job ends followed up within 3 working days."""
    rhythm = in_work.InWorkRhythm.of(team)
    rows = session.execute(select(Job, Client).join(Client, Client.id == Job.client_id).where(
        Job.team_id == team.id, Client.status != ClientStatus.DISCHARGED,
        Client.specialist_id.is_not(None)).order_by(Job.started_on, Job.id)).all()
    for job, client in rows:
        specialist = session.get(Staff, client.specialist_id)
        assert specialist is not None
        last_day = min(today, job.ended_on or today)
        day = in_work.in_work_contact_due_on(job.started_on, None, rhythm)
        while day <= last_day:
            _support_contact(session, rng, specialist, client, day, summary)
            late = rng.randint(3, 20) if rng.random() < 0.15 else rng.randint(-2, 1)
            day = in_work.in_work_contact_due_on(job.started_on, day, rhythm) + timedelta(days=late)
        if job.ended_on is not None and rng.random() < 0.8:
            follow_up = add_working_days(job.ended_on, rng.randint(1, 3), team.nation)
            if follow_up <= today:
                _support_contact(session, rng, specialist, client, follow_up, summary,
                                 InWorkWith.PERSON)
                summary.job_end_follow_ups += 1


def _pipeline_gaps(session: Session, today: date, team: Team, prefix: str,
                   people: dict[tuple[int | None, Role], list[Staff]], summary: DemoSummary) -> None:
    """What the issue of the pipeline asks the demo to show: a referral nobody has accepted for
    two months, a week when more said yes to work than were referred, and someone in the first
    fortnight of a job, with a week's support so far."""
    coordinator = people[(0, Role.CARE_COORDINATOR)][0]
    clients.refer(session, coordinator, parse(clients.Referral, {
        "reference": f"{prefix}-0900", "team_id": team.id, "consent_recorded": True,
        "work_preferences": "Anything local, up to 16 hours",
        "received_on": today - timedelta(days=60)}))
    just_ask.record_just_ask(session, coordinator, parse(just_ask.JustAskAnswer, {
        "week_of": just_ask.week_starting(today) - timedelta(weeks=13), "asked_count": 9,
        "said_yes_count": 6, "referred_count": 1}))
    seeker = session.scalar(select(Client).where(
        Client.team_id == team.id, Client.status == ClientStatus.JOB_SEEKING,
        Client.specialist_id.is_not(None)).order_by(Client.id))
    if seeker is None:
        return
    specialist = session.get(Staff, seeker.specialist_id)
    assert specialist is not None
    started = today - timedelta(days=9)
    jobs.record_job_start(session, specialist, parse(jobs.NewJobStart, {
        "client_id": seeker.id, "employer": "Brighton Library", "job_title": "Library assistant",
        "job_type": JobType.ADMINISTRATIVE, "hours_per_week": Decimal(16),
        "hourly_wage": Decimal("13.10"), "age_band": AgeBand.AGE_21_AND_OVER,
        "started_on": started}))
    summary.job_starts += 1
    in_work.record_in_work_contact(session, specialist, parse(in_work.NewInWorkContact, {
        "client_id": seeker.id, "contacted_on": started + timedelta(days=6),
        "with_whom": InWorkWith.BOTH, "face_to_face": True}))
    summary.in_work_contacts += 1


def _on_hold_or_discharged(session: Session, rng: random.Random, today: date, client: Client,
                           staff: tuple[Staff, Staff], last_day: date, summary: DemoSummary) -> None:
    """Now and then a client is on hold today, or was discharged (and sometimes re-referred)."""
    specialist, coordinator = staff
    roll = rng.random()
    if roll < 0.10 and client.status != ClientStatus.ON_HOLD:
        clients.put_on_hold(session, specialist, client, parse(clients.Hold, {
            "reason": rng.choice(["in hospital", "wants a break from job search",
                                  "caring for a relative"]),
            "until": today + timedelta(days=rng.randint(7, 60))}))
    elif roll < 0.26:
        left = min(today, last_day)
        clients.discharge(session, specialist, client, parse(clients.Discharge, {
            "reason": rng.choice(["moved out of area", "no longer wants support",
                                  "settled in work, support ended by choice"]),
            "on": max(left, client.referral_received_on)}))
        if rng.random() < 0.25 and left < today:
            clients.re_refer(session, coordinator, client, parse(clients.ReReferral, {
                "consent_recorded": True,
                "received_on": min(today, left + timedelta(days=rng.randint(1, 30)))}))
            summary.re_referrals += 1


def _past_hold(session: Session, extra: random.Random, today: date, client: Client,
               specialist: Staff, searching: date, summary: DemoSummary) -> date:
    """Now and then a hold early in the job search, taken off by the clock when it ended, so
    past months' reports have holds in them. Returns the day the job search resumed."""
    start = searching + timedelta(days=extra.randint(3, 10))
    end = start + timedelta(days=extra.randint(14, 40))
    if extra.random() >= 0.1 or end >= today:
        return searching
    with _clock_at(start):
        clients.put_on_hold(session, specialist, client, parse(clients.Hold, {
            "reason": extra.choice(["in hospital", "caring for a relative"]), "until": end}))
    with _clock_at(end):
        clients.resume(session, None, client)
    summary.past_holds += 1
    return end


def _late_contact(session: Session, today: date, specialist: Staff, summary: DemoSummary) -> None:
    """Last month's report is made on the first of this month; then a meeting from last month
    is logged late with its real date, so last month's report now lists what changed since it
    was first reported."""
    last_month = month(month(today).start - timedelta(days=1))
    overdue = [c for c in overdue_for_employer_contact(session, last_month.last_day,
                                                       specialist_id=specialist.id)
               if c.since < last_month.last_day - timedelta(days=28)]
    if not overdue:
        return
    session.flush()
    first = outcomes_report(session, last_month, today=last_month.end)
    compare_with_first(session, last_month, last_month.end, {t.team_id: t.figures() for t in first.teams})
    for row in session.scalars(select(FirstReport).where(FirstReport.period_start == last_month.start)):
        row.reported_at = datetime.combine(last_month.end, time(7, 30), tzinfo=UTC)
    contacts.record_employer_contact(session, specialist, parse(contacts.NewEmployerContact, {
        "employer": "Brighton Library", "contacted_on": last_month.last_day - timedelta(days=3),
        "face_to_face": True, "client_id": overdue[0].client_id,
        "notes": "Logged late: met the manager about a library assistant post"}))
    summary.late_contacts += 1


def _jobs(session: Session, rng: random.Random, today: date, client: Client, specialist: Staff,
          start: date, summary: DemoSummary, second_job: bool = False) -> None:
    title, job_type = rng.choice(JOBS)
    # Exactly one start (the fifth) is paid below the minimum wage, to show that such a job is
    # kept but not counted as a competitive outcome; one is enough and keeps the demo's
    # outcome figures typical.
    below = summary.job_starts == 4
    wage = Decimal("9.50") if below else Decimal(rng.choice(["12.71", "12.90", "13.50", "14.20"]))
    job = jobs.record_job_start(session, specialist, parse(jobs.NewJobStart, {
        "client_id": client.id, "employer": rng.choice(EMPLOYERS), "job_title": title,
        "job_type": job_type, "hours_per_week": Decimal(rng.choice([8, 12, 16, 20, 25, 30])),
        "hourly_wage": wage, "age_band": AgeBand.AGE_21_AND_OVER, "started_on": start}))
    summary.job_starts += 1
    summary.second_jobs += int(second_job)
    summary.below_minimum_wage += int(below)
    if rng.random() < 0.3:
        ended = start + timedelta(days=rng.randint(14, 120))
        if ended < today:
            jobs.record_job_end(session, specialist, job.id, parse(jobs.JobEnd, {
                "ended_on": ended,
                "reason": rng.choice(["contract_ended", "resigned", "dismissed",
                                      "better_job"])}))
            # Time-unlimited support: some find a second job.
            second = ended + timedelta(days=rng.randint(10, 60))
            if second < today and rng.random() < 0.5:
                _jobs(session, rng, today, client, specialist, second, summary, second_job=True)


def _job_development(session: Session, rng: random.Random, today: date, specialist: Staff,
                     summary: DemoSummary) -> None:
    day = today - timedelta(days=365)
    while day < today:
        contacts.record_employer_contact(session, specialist, parse(contacts.NewEmployerContact, {
            "employer": rng.choice(EMPLOYERS), "contacted_on": day, "face_to_face": True,
            "notes": "General job development"}))
        summary.contacts += 1
        day += timedelta(days=rng.randint(2, 6))


def _just_ask(session: Session, rng: random.Random, today: date, coordinator: Staff) -> None:
    monday = just_ask.week_starting(today)
    for weeks_back in range(1, 13):
        if rng.random() < 0.2:
            continue  # did not answer that week
        asked = rng.randint(0, 8)
        yes = rng.randint(0, asked)
        just_ask.record_just_ask(session, coordinator, parse(just_ask.JustAskAnswer, {
            "week_of": monday - timedelta(weeks=weeks_back), "asked_count": asked,
            "said_yes_count": yes, "referred_count": rng.randint(0, yes)}))


# The team whose clinicians hear "yes" more often than they refer, across the year: the gap
# to follow up shows in its yearly funnel, not only in one week.
GAP_TEAM = 1


def _just_ask_year(session: Session, rng: random.Random, today: date, coordinator: Staff,
                   gap: bool) -> None:
    """The coordinator's weekly "just ask" answers from 13 weeks back to a year back (the 12
    weeks before come from `_just_ask`): most weeks answered, those who said yes matching the
    referrals they actually made that week, and in the gap team one or two more now and then
    who said yes and were not referred."""
    monday = just_ask.week_starting(today)
    made: dict[date, int] = {}
    for received in session.scalars(select(Client.referral_received_on).where(
            Client.care_coordinator_id == coordinator.id)):
        week = just_ask.week_starting(received)
        made[week] = made.get(week, 0) + 1
    for weeks_back in range(13, 53):
        week = monday - timedelta(weeks=weeks_back)
        if rng.random() < 0.15:
            continue  # did not answer that week
        referred = made.get(week, 0)
        yes = referred + (rng.choice([0, 1, 1, 2]) if gap else 0)
        just_ask.record_just_ask(session, coordinator, parse(just_ask.JustAskAnswer, {
            "week_of": week, "asked_count": yes + rng.randint(0, 4), "said_yes_count": yes,
            "referred_count": referred}))


def _calculations(session: Session, rng: random.Random, today: date, advisor: Staff,
                  team: Team) -> None:
    team_clients = list(session.scalars(select(Client.id).where(Client.team_id == team.id)))
    for n in range(20):
        # "200 better-off calculations, only one person worse off": one worse-off in the demo.
        amount = Decimal("-12.40") if (n == 7 and team.nation == Nation.ENGLAND
                                       and advisor.role == Role.BENEFITS_ADVISOR) \
            else Decimal(rng.randint(40, 420))
        client_id = rng.choice(team_clients) if rng.random() < 0.5 else None
        row = calculations.record_calculation(session, advisor, parse(
            calculations.CalculationRecord, {
                "tax_year": "2026-27",
                "inputs_digest": calculations.inputs_digest({"demo": n, "team": team.id}),
                "better_off_per_month": amount, "client_id": client_id}))
        # The service stamps "now"; spread the demo's calculations over the year so the
        # monthly better-off counts have something to show. The tax year follows the date.
        when = today - timedelta(days=rng.randint(0, 330))
        row.calculated_at = datetime.combine(when, time(11, 0), tzinfo=UTC)
        row.tax_year = f"{when.year if when.month >= 4 else when.year - 1}-" \
                       f"{(when.year + 1 if when.month >= 4 else when.year) % 100:02d}"


@contextmanager
def _clock_at(day: date) -> Iterator[None]:
    """Run the services as if today were `day`, for records that were made in the past.

    The services read `caseload.clock.today()` through the module, so swapping it is enough;
    the command line is single-threaded, and the real clock is back however the block ends.
    """
    real = clock.today
    clock.today = lambda: day
    try:
        yield
    finally:
        clock.today = real


def _fidelity(session: Session, rng: random.Random, today: date, teams: list[Team],
              people: dict[tuple[int | None, Role], list[Staff]]) -> None:
    trainer = people[(None, Role.REGIONAL_TRAINER)][0]
    # Brighton's last review took place five months ago. The scheduling service refuses past
    # dates, so it is scheduled as it would have been then: a month ahead, on that day's clock.
    # Reviews are held on working days (schedule_review refuses others).
    held = next_working_day(today - timedelta(days=150), teams[0].nation)
    with _clock_at(held - timedelta(days=30)):
        past = fidelity.schedule_review(session, people[(0, Role.TEAM_LEADER)][0], parse(
            fidelity.ScheduleReview, {"team_id": teams[0].id, "scheduled_for": held,
                                      "reviewer_id": trainer.id}))
    # The reviewer's own judgement on most items; where the records give evidence, the score it
    # suggests, so the demo's review agrees with its own records.
    evidence = {item.code: item.suggested_score
                for item in fidelity_evidence(session, teams[0].id, held)}
    scores = [{"code": code, "score": evidence.get(code) or rng.choice([3, 4, 4, 5, 5])}
              for code in fidelity.FIDELITY_ITEMS]
    fidelity.score_review(session, trainer, past.id, parse(fidelity.ReviewScores, {
        "conducted_on": held, "items": scores,
        "actions": [{"description": "Raise face-to-face employer contacts to 6 a week",
                     "owner_id": people[(0, Role.EMPLOYMENT_SPECIALIST)][0].id,
                     "due_on": held + timedelta(days=42)},
                    {"description": "Benefits advisor to offer a better-off calculation at "
                                    "every referral", "owner_id": people[(0, Role.TEAM_LEADER)][0].id,
                     "due_on": held + timedelta(days=60)}]}))
    for index in (1, 2):
        fidelity.schedule_review(session, people[(index, Role.TEAM_LEADER)][0], parse(
            fidelity.ScheduleReview, {"team_id": teams[index].id,
                                      "scheduled_for": next_working_day(
                                          today + timedelta(days=30 + 40 * index),
                                          teams[index].nation),
                                      "reviewer_id": trainer.id}))
