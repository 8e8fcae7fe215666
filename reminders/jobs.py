"""What the clock does each day. `caseload` decides who is due, `messaging.views` what it looks
like, and the outbox (reminders/sender.py) makes sure each message goes out once.

Every job takes today's London date and can run any number of times that day: it queues
what is not queued yet and then sends what is due, so what was sent is not sent again and
what failed is tried again (the outbox's backoff). That is how a clock that was down, a
second clock, or a retried job stays harmless.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import partial

from caseload import clients as client_service
from caseload import nudges
from caseload.db import Session
from caseload.fidelity import action_items_due_near, preparation_dates, scheduled_reviews
from caseload.in_work import (
    InWorkDue,
    JobEndFollowUp,
    in_work_contacts_due,
    job_end_follow_ups_awaiting,
)
from caseload.just_ask import week_starting, who_answered
from caseload.models import FidelityActionItem, Nation, Role, Staff, Team
from caseload.overdue import OverdueClient, overdue_for_employer_contact
from caseload.periods import month, twelve_months_ending
from caseload.recipients import care_coordinators, regional_trainers, staff_by_id, team_leaders
from caseload.referral_waits import WaitingReferral, wait_allowed, waiting_too_long
from caseload.reports import (
    last_twelve_months,
    outcomes_report_for,
    published_report,
    reports_by_month_for,
)
from caseload.snoozes import snoozed_client_ids
from caseload.teams import every_team
from caseload.working_days import (
    first_working_day_of_month,
    is_working_day,
    next_working_day,
    working_day_on_or_before,
)
from messaging.views import Message
from messaging.views import fidelity as fidelity_views
from messaging.views import just_ask as just_ask_views
from messaging.views import nudges as nudge_views
from messaging.views.reports import outcomes_message
from reminders.sender import Outbox
from rendering.charts import job_starts_chart
from rendering.workbooks import outcomes_workbook, workbook_name

log = logging.getLogger("reminders.jobs")

ESCALATION_DAYS = 42
# In-work support this long past its due date goes into the team leaders' digest too, as a
# four-week client does two weeks after their nudge; a job end's follow-up once overdue.
IN_WORK_ESCALATION_DAYS = 14
# How far back the record of in-work and job-end reminders is read (the longest a due date
# can lie behind today and still be nudged about: the job-end lookback, or a long rhythm).
IN_WORK_LOOKBACK_DAYS = 400
# The clock's defaults (reminders/settings.py) when a team has not set its own times.
DEFAULT_NUDGES_AT = time(9, 0)
DEFAULT_JUST_ASK_AT = time(10, 0)
PROGRESS_EVERY = 100
# A clock that was down catches up on the monthly report for a week; after that the report
# is stale news, and a clock first started mid-month does not send last month's.
MONTHLY_CATCH_UP_DAYS = 7


def expire_holds(box: Outbox, today: date) -> int:
    with box.db.transaction() as session:
        expired = client_service.expire_holds(session, today)
    if expired:
        log.info("took %d clients off hold: %s", len(expired),
                 ", ".join(c.reference for c in expired))
    return len(expired)


@dataclass
class NudgePlan:
    """Who gets which nudges about their clients today (four-week, in-work support, job-end
    follow-up: one DM each), and which leaders get an escalation digest."""

    by_recipient: dict[str, list[OverdueClient]] = field(default_factory=dict)
    digests: dict[int, list[OverdueClient]] = field(default_factory=dict)
    leaders: dict[int, list[Staff]] = field(default_factory=dict)
    team_names: dict[int, str] = field(default_factory=dict)
    staff_names: dict[int | None, str] = field(default_factory=dict)
    in_work: dict[str, list[InWorkDue]] = field(default_factory=dict)
    job_ends: dict[str, list[JobEndFollowUp]] = field(default_factory=dict)
    in_work_digests: dict[int, list[InWorkDue]] = field(default_factory=dict)
    job_end_digests: dict[int, list[JobEndFollowUp]] = field(default_factory=dict)

    def recipients(self) -> list[str]:
        return list(dict.fromkeys([*self.by_recipient, *self.in_work, *self.job_ends]))

    def escalated_teams(self) -> list[int]:
        return list(dict.fromkeys([*self.digests, *self.in_work_digests, *self.job_end_digests]))


def plan_four_week_nudges(session: Session, today: date, at: time | None = None,
                          default_at: time = DEFAULT_NUDGES_AT) -> NudgePlan:
    """Work out today's nudges: the database does the four-week arithmetic in one pass, and
    the in-work rhythm and job ends come from caseload/in_work.py.

    With `at` (the London time now), only teams whose nudge time has come are included.
    """
    teams = every_team(session)
    snoozed = snoozed_client_ids(session, today)
    staff = staff_by_id(session)
    plan = NudgePlan(leaders={t.id: [] for t in teams}, team_names={t.id: t.name for t in teams},
                     staff_names={s.id: s.display_name for s in staff.values()})
    for person in staff.values():
        if person.role == Role.TEAM_LEADER and person.active and person.team_id in plan.leaders:
            plan.leaders[person.team_id].append(person)
    working = {t.id for t in teams if is_working_day(today, t.nation)
               and (at is None or at >= (t.nudges_at or default_at))}

    def recipients(team_id: int, specialist_id: int | None) -> list[str]:
        """The specialist, or the team leaders when there is none (or they have left)."""
        specialist = staff.get(specialist_id) if specialist_id else None
        people = ([specialist] if specialist and specialist.active
                  else plan.leaders.get(team_id, []))
        return [person.slack_user_id for person in people]

    def wanted(team_id: int, client_id: int) -> bool:
        return team_id in working and client_id not in snoozed

    _plan_four_week(session, today, plan, wanted, recipients)
    _plan_in_work(session, today, plan, wanted, recipients)
    dm_today = nudges.dm_today(session, plan.recipients(), today)
    plan.by_recipient = {u: i for u, i in plan.by_recipient.items() if u not in dm_today}
    plan.in_work = {u: i for u, i in plan.in_work.items() if u not in dm_today}
    plan.job_ends = {u: i for u, i in plan.job_ends.items() if u not in dm_today}
    return plan


Wanted = Callable[[int, int], bool]
Recipients = Callable[[int, int | None], list[str]]


def _plan_four_week(session: Session, today: date, plan: NudgePlan, wanted: Wanted,
                    recipients: Recipients) -> None:
    nudged_this_week = nudges.recently_nudged(session, "four_week", today)
    by_recipient: dict[str, list[OverdueClient]] = defaultdict(list)
    digests: dict[int, list[OverdueClient]] = defaultdict(list)
    for item in overdue_for_employer_contact(session, today):
        if not wanted(item.team_id, item.client_id):
            continue
        if item.days_without_contact > ESCALATION_DAYS:
            digests[item.team_id].append(item)
        if item.client_id in nudged_this_week:
            continue
        for user in recipients(item.team_id, item.specialist_id):
            by_recipient[user].append(item)
    plan.by_recipient, plan.digests = dict(by_recipient), dict(digests)


def _plan_in_work(session: Session, today: date, plan: NudgePlan, wanted: Wanted,
                  recipients: Recipients) -> None:
    """In-work support due under the team's rhythm and job ends awaiting their follow-up:
    each once per client (or job end) and due date; escalated as the four-week rule is."""
    told = nudges.recorded(session, ("in_work", "job_end"),
                           since=today - timedelta(days=IN_WORK_LOOKBACK_DAYS))
    in_work: dict[str, list[InWorkDue]] = defaultdict(list)
    job_ends: dict[str, list[JobEndFollowUp]] = defaultdict(list)
    in_work_digests: dict[int, list[InWorkDue]] = defaultdict(list)
    job_end_digests: dict[int, list[JobEndFollowUp]] = defaultdict(list)
    for due in in_work_contacts_due(session, today):
        if not wanted(due.team_id, due.client_id):
            continue
        if due.days_overdue(today) > IN_WORK_ESCALATION_DAYS:
            in_work_digests[due.team_id].append(due)
        if in_work_key(due) not in told:
            for user in recipients(due.team_id, due.specialist_id):
                in_work[user].append(due)
    for end in job_end_follow_ups_awaiting(session, today):
        if not wanted(end.team_id, end.client_id):
            continue
        if end.overdue_on(today):
            job_end_digests[end.team_id].append(end)
        if job_end_key(end) not in told:
            for user in recipients(end.team_id, end.specialist_id):
                job_ends[user].append(end)
    plan.in_work, plan.job_ends = dict(in_work), dict(job_ends)
    plan.in_work_digests, plan.job_end_digests = dict(in_work_digests), dict(job_end_digests)


def in_work_key(due: InWorkDue) -> nudges.Key:
    """Once per client and in-work due date: a contact moves the due date, and so the key."""
    return ("in_work", f"client:{due.client_id}", due.due_on.isoformat())


def job_end_key(end: JobEndFollowUp) -> nudges.Key:
    return ("job_end", f"job:{end.job_id}", end.due_on.isoformat())


def four_week_nudges(box: Outbox, today: date, at: time | None = None,
                     default_at: time = DEFAULT_NUDGES_AT) -> int:
    """Each working day: one DM per specialist about their clients due a nudge (four-week
    rule, in-work support, job-end follow-up), and the escalation digest to team leaders;
    queued once each, then sent. Returns the reminders queued now."""
    with box.db.reading() as session:
        plan = plan_four_week_nudges(session, today, at, default_at)
    queued = 0
    everyone = plan.recipients()
    for done, user_id in enumerate(everyone, start=1):
        items = _DailyItems(plan.by_recipient.get(user_id, []), plan.in_work.get(user_id, []),
                            plan.job_ends.get(user_id, []))
        queued += len(box.queue_about_clients(
            items.keys(today), user_id, nudges.daily_dm_key(user_id, today),
            partial(items.message, today=today)))
        if done % PROGRESS_EVERY == 0 or done == len(everyone):
            log.info("daily nudges: %d of %d specialists queued", done, len(everyone))
    for team_id in plan.escalated_teams():
        message = nudge_views.escalation_digest(
            plan.team_names[team_id], plan.digests.get(team_id, []), plan.staff_names,
            plan.in_work_digests.get(team_id, []), plan.job_end_digests.get(team_id, []), today)
        for leader in plan.leaders.get(team_id, []):
            key = ("escalation", f"team:{team_id}:to:{leader.id}", today.isoformat())
            box.message_user(key, leader.slack_user_id, message)
    box.send_queued()
    return queued


@dataclass
class _DailyItems:
    """One person's DM of the day: its reminders' keys in order, and the message about those
    of them recorded now (`record_and_queue` gives their indexes)."""

    four_week: list[OverdueClient]
    in_work: list[InWorkDue]
    job_ends: list[JobEndFollowUp]

    def keys(self, today: date) -> list[nudges.Key]:
        return ([nudges.four_week_key(item.client_id, today) for item in self.four_week]
                + [in_work_key(item) for item in self.in_work]
                + [job_end_key(item) for item in self.job_ends])

    def message(self, indexes: list[int], today: date) -> Message:
        chosen = set(indexes)
        first, second = len(self.four_week), len(self.four_week) + len(self.in_work)
        return nudge_views.daily_nudge(
            [x for n, x in enumerate(self.four_week) if n in chosen],
            [x for n, x in enumerate(self.in_work) if first + n in chosen],
            [x for n, x in enumerate(self.job_ends) if second + n in chosen], today)


@dataclass
class ReferralPlan:
    """Which referrals wait too long, by team, and the leaders who hear of them."""

    teams: dict[int, Team] = field(default_factory=dict)
    by_team: dict[int, list[WaitingReferral]] = field(default_factory=dict)
    leaders: dict[int, list[Staff]] = field(default_factory=dict)


def plan_referral_digests(session: Session, today: date, at: time | None = None,
                          default_at: time = DEFAULT_NUDGES_AT) -> ReferralPlan:
    """Today's referral digests for the teams whose nudge time has come (all, without `at`)."""
    teams = {t.id: t for t in every_team(session) if is_working_day(today, t.nation)
             and (at is None or at >= (t.nudges_at or default_at))}
    by_team: dict[int, list[WaitingReferral]] = defaultdict(list)
    for item in waiting_too_long(session, today, list(teams.values())):
        by_team[item.team_id].append(item)
    return ReferralPlan(teams, dict(by_team),
                        {team_id: team_leaders(session, team_id) for team_id in by_team})


def referral_digests(box: Outbox, today: date, at: time | None = None,
                     default_at: time = DEFAULT_NUDGES_AT) -> int:
    """Each working day at the team's nudge time: each team leader's digest of referrals not
    accepted within the team's working days, each referral once a week while it waits
    (caseload/referral_waits.py). Returns the referrals queued now."""
    with box.db.reading() as session:
        plan = plan_referral_digests(session, today, at, default_at)
    queued = 0
    for team_id, items in plan.by_team.items():
        team = plan.teams[team_id]

        def about(indexes: list[int], items: list[WaitingReferral] = items,
                  team: Team = team) -> Message:
            return nudge_views.referral_digest(team.name, [items[i] for i in indexes],
                                               wait_allowed(team))

        for leader in plan.leaders[team_id]:
            keys = [("referral_wait", f"client:{item.client_id}:to:{leader.id}",
                     f"w{item.weeks_overdue}") for item in items]
            digest = nudges.message_key(("referral_digest", leader.slack_user_id,
                                         today.isoformat()))
            queued += len(box.queue_about_clients(keys, leader.slack_user_id, digest, about))
    box.send_queued()
    return queued


def fidelity_reminders(box: Outbox, today: date) -> None:
    """Preparation reminders, overdue reviews and action items, on working days."""
    with box.db.reading() as session:
        teams = {t.id: t for t in every_team(session)}
        reviews = scheduled_reviews(session)
        actions = action_items_due_near(session, today)
        leaders = {t: team_leaders(session, t) for t in teams}
        staff = staff_by_id(session)
    for review in reviews:
        team = teams[review.team_id]
        if not is_working_day(today, team.nation):
            continue
        people = list(leaders[team.id])
        reviewer = staff.get(review.reviewer_id) if review.reviewer_id else None
        if reviewer is not None and reviewer.active and reviewer not in people:
            people.append(reviewer)
        if review.scheduled_for < today:
            weeks = (today - review.scheduled_for).days // 7
            message = fidelity_views.review_overdue(team.name, review.scheduled_for, today)
            for person in people:
                box.message_user(("fidelity_overdue", f"review:{review.id}:to:{person.id}",
                                  f"w{weeks}"), person.slack_user_id, message)
            continue
        due = [(label, day) for label, day in preparation_dates(review.scheduled_for, team.nation)
               if day <= today]
        # On the review day itself, preparation is over.
        if not due or review.scheduled_for <= today:
            continue
        # After a gap, only the latest step is worth sending.
        label, _day = due[-1]
        message = fidelity_views.review_preparation(team.name, review.scheduled_for, label, today)
        for person in people:
            box.message_user(("fidelity_prep", f"review:{review.id}:to:{person.id}", label),
                             person.slack_user_id, message)
    _action_item_reminders(box, today, teams, actions, leaders, staff)
    box.send_queued()


def _action_item_reminders(box: Outbox, today: date, teams: dict[int, Team],
                           actions: list[tuple[FidelityActionItem, int]],
                           leaders: dict[int, list[Staff]], staff: dict[int, Staff]) -> None:
    """A week before and on the due day, to the owner (or the team leaders); then each week
    it stays overdue, to the team leaders, until it is marked done. A due day that is not a
    working day is reminded on the working day before."""
    for action, team_id in actions:
        team = teams[team_id]
        if not is_working_day(today, team.nation):
            continue
        weeks_overdue = (today - action.due_on).days // 7
        if weeks_overdue >= 1:
            overdue = fidelity_views.action_item_overdue(team.name, action.description,
                                                         action.due_on, today, action.id)
            for leader in leaders[team_id]:
                box.message_user(("fidelity_action_overdue", f"action:{action.id}:to:{leader.id}",
                                  f"w{weeks_overdue}"), leader.slack_user_id, overdue)
            continue
        due = today >= working_day_on_or_before(action.due_on, team.nation)
        owner = staff.get(action.owner_id) if action.owner_id else None
        people = [owner] if owner is not None and owner.active else leaders[team_id]
        message = fidelity_views.action_item_due(team.name, action.description, action.due_on,
                                                 action.id)
        for person in people:
            box.message_user(("fidelity_action", f"action:{action.id}:to:{person.id}",
                              "due" if due else "week_before"), person.slack_user_id, message)


def just_ask(box: Outbox, today: date, at: time | None = None,
             default_at: time = DEFAULT_JUST_ASK_AT) -> None:
    """The weekly prompt on the team's day (Monday unless set, or the next working day);
    a follow-up three days later to those who have not answered."""
    monday = week_starting(today)
    with box.db.reading() as session:
        teams = {t.id: t for t in every_team(session)}
        coordinators = care_coordinators(session)
        answered = who_answered(session, monday)
    for person in coordinators:
        team = teams.get(person.team_id) if person.team_id else None
        nation = team.nation if team else Nation.ENGLAND
        if not is_working_day(today, nation):
            continue
        if at is not None and at < ((team.just_ask_at if team else None) or default_at):
            continue
        week = monday.isoformat()
        weekday = (team.just_ask_weekday if team else None) or 0
        first_day = next_working_day(monday + timedelta(days=weekday), nation)
        if first_day <= today and first_day < monday + timedelta(days=5):
            box.message_user(("just_ask", f"staff:{person.id}", week), person.slack_user_id,
                             just_ask_views.just_ask_prompt(monday))
        follow_up_day = next_working_day(monday + timedelta(days=weekday + 3), nation)
        if (person.id not in answered and follow_up_day <= today
                and follow_up_day < monday + timedelta(days=5)):
            box.message_user(("just_ask_follow_up", f"staff:{person.id}", week),
                             person.slack_user_id, just_ask_views.just_ask_follow_up(monday))
    box.send_queued()


def _report_due(today: date, nation: Nation) -> bool:
    first = first_working_day_of_month(today.year, today.month, nation)
    return first <= today < first + timedelta(days=MONTHLY_CATCH_UP_DAYS)


def _monthly_keys(teams: list[Team], leaders: dict[int, list[Staff]], trainers: list[Staff],
                  month_key: str) -> list[tuple[str, str, str]]:
    keys = []
    for team in teams:
        subjects = ([f"team:{team.id}"] if team.slack_channel_id
                    else [f"team:{team.id}:to:{leader.id}" for leader in leaders[team.id]])
        for subject in subjects:
            keys += [("monthly_report", subject, month_key), ("monthly_chart", subject, month_key)]
    keys += [("monthly_xlsx", f"staff:{trainer.id}", month_key) for trainer in trainers]
    return keys


def monthly_reports(box: Outbox, today: date) -> None:
    """From the first working day of a month: last month's outcomes to each team."""
    _queue_monthly_reports(box, today)
    box.send_queued()


def _queue_monthly_reports(box: Outbox, today: date) -> None:
    last_month = today.replace(day=1) - timedelta(days=1)
    month_key = f"{last_month:%Y-%m}"
    with box.db.reading() as session:
        teams = [t for t in every_team(session) if _report_due(today, t.nation)]
        leaders = {t.id: team_leaders(session, t.id) for t in teams}
        trainers = regional_trainers(session) if _report_due(
            today, Nation.ENGLAND) else []
    # The report, chart and spreadsheet cost real work: build them only if something is unsent.
    if nudges.all_queued(box.db, _monthly_keys(teams, leaders, trainers, month_key)):
        return
    # Made as every surface makes it: the first report of the month is kept, and a corrected
    # past shows as changed since.
    report = published_report(box.db, month(last_month), today=today)
    with box.db.reading() as session:
        history = {t.id: last_twelve_months(session, last_month, t.id) for t in teams}
    due_teams = {t.id: t for t in teams}
    for team_outcomes in report.teams:
        team = due_teams.get(team_outcomes.team_id)
        if team is None:
            continue
        message = outcomes_message(report, team_outcomes, chart_file_id=None)

        def chart(team: Team = team) -> bytes:
            return job_starts_chart(team.name, history[team.id])

        chart_name = f"job-starts-{month_key}.png"
        title = f"{team.name}: job starts against target, 12 months to {last_month:%B %Y}"
        if team.slack_channel_id:
            subject = f"team:{team.id}"
            box.message_channel(("monthly_report", subject, month_key), team.slack_channel_id,
                                message)
            box.upload(("monthly_chart", subject, month_key), team.slack_channel_id,
                       chart, chart_name, title)
            continue
        # No channel set: the team leaders get it directly.
        for leader in leaders[team.id]:
            subject = f"team:{team.id}:to:{leader.id}"
            box.message_user(("monthly_report", subject, month_key), leader.slack_user_id,
                             message)
            box.upload(("monthly_chart", subject, month_key), leader.slack_user_id,
                       chart, chart_name, title)
    if _report_due(today, Nation.ENGLAND):
        for trainer in trainers:
            def workbook(trainer: Staff = trainer) -> bytes:
                # Each trainer's workbook holds only their own Slack workspace's teams.
                with box.db.reading() as session:
                    scoped = outcomes_report_for(session, trainer, month(last_month))
                    months = reports_by_month_for(session, trainer, twelve_months_ending(last_month))
                return outcomes_workbook(scoped, months)

            box.upload(("monthly_xlsx", f"staff:{trainer.id}", month_key),
                       trainer.slack_user_id, workbook,
                       workbook_name(report.period),
                       f"IPS outcomes across teams, {report.period.label()}")
