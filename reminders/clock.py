"""The APScheduler clock: fixed job ids, London time, generous misfire grace, coalescing.

Each job runs at its time on weekdays, and a catch-up sweep every 30 minutes re-runs
whatever is due today. Because every job is idempotent (reminders.jobs), the sweep only
sends what failed or was missed, a clock that was down catches up once, and an accidental
second clock sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from caseload.db import Database
from messaging.slack_client import make_slack_client
from messaging.workspaces import Workspaces
from reminders import jobs
from reminders.sender import Outbox
from reminders.settings import ClockSettings

log = logging.getLogger("reminders.clock")

MISFIRE_GRACE_SECONDS = 6 * 60 * 60
Job = Callable[[Outbox, date], object]


def schedule(settings: ClockSettings) -> list[tuple[str, time, Job]]:
    """(job id, London time, function), in the order they run each day."""
    return [
        ("expire_holds", settings.holds_at, jobs.expire_holds),
        ("monthly_reports", settings.monthly_report_at, jobs.monthly_reports),
        ("fidelity_reminders", settings.fidelity_at, jobs.fidelity_reminders),
        ("four_week_nudges", settings.four_week_at, jobs.four_week_nudges),
        ("referral_digests", settings.four_week_at, jobs.referral_digests),
        ("just_ask", settings.just_ask_at, jobs.just_ask),
    ]


# Jobs whose time each team may set: they run at every sweep and check each team's time.
PER_TEAM_TIMES = {"four_week_nudges": "four_week_at", "referral_digests": "four_week_at",
                  "just_ask": "just_ask_at"}


def run_due(box: Outbox, settings: ClockSettings, now: datetime) -> list[str]:
    """Run every job whose time has come today (London). Returns the ids that ran."""
    local = now.astimezone(ZoneInfo(settings.timezone))
    ran = []
    for job_id, at, function in schedule(settings):
        if job_id in PER_TEAM_TIMES or local.time() >= at:
            run_job(job_id, _timed(job_id, function, settings, local.time()), box, local.date())
            ran.append(job_id)
    run_job("outbox", send_queued, box, local.date())
    return ran


def send_queued(box: Outbox, today: date) -> None:
    """The sweep's share of the outbox: every pending message whose time has come."""
    done = box.send_queued()
    if done.sent or done.retrying or done.failed:
        log.info("outbox: %d sent, %d to retry, %d given up", done.sent, done.retrying, done.failed)


def _timed(job_id: str, function: Job, settings: ClockSettings, now: time) -> Job:
    """The job as it runs at `now`: one with per-team times is told the time and default,
    so whether the sweep or the job's own 09:00/10:00 trigger runs it, a team whose time
    has not come yet is left for later."""
    if job_id not in PER_TEAM_TIMES:
        return function
    return partial(_at_team_times, function, now, getattr(settings, PER_TEAM_TIMES[job_id]))


def _at_team_times(function: Callable[..., object], now: time, default: time, box: Outbox,
                   today: date) -> None:
    """A job that sends at each team's own time: told the time now and the clock's default."""
    function(box, today, now, default)


def run_job(job_id: str, function: Job, box: Outbox, today: date) -> None:
    box.start_run()
    try:
        function(box, today)
    except Exception:
        # One failing job must not stop the others or the clock.
        log.exception("job %s failed for %s", job_id, today)
    finally:
        box.report_skipped(job_id)


def build_scheduler(settings: ClockSettings, box: Outbox,
                    scheduler: BaseScheduler | None = None) -> BaseScheduler:
    zone = ZoneInfo(settings.timezone)
    scheduler = scheduler or BlockingScheduler(timezone=zone)
    defaults = {"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True,
                "max_instances": 1, "replace_existing": True}
    for job_id, at, function in schedule(settings):
        scheduler.add_job(
            _today_in(zone, function, box, job_id, settings), CronTrigger(
                day_of_week="mon-fri", hour=at.hour, minute=at.minute, timezone=zone),
            id=job_id, name=job_id, **defaults)
    scheduler.add_job(lambda: run_due(box, settings, datetime.now(zone)),
                      IntervalTrigger(minutes=30, timezone=zone), id="catch_up",
                      name="catch_up", **defaults)
    return scheduler


def _today_in(zone: ZoneInfo, function: Job, box: Outbox, job_id: str,
              settings: ClockSettings) -> Callable[[], None]:
    def run() -> None:
        now = datetime.now(zone)
        run_job(job_id, _timed(job_id, function, settings, now.time()), box, now.date())

    return run


def _outbox(database: Database, settings: ClockSettings) -> Outbox:
    interval = settings.seconds_between_messages_per_channel
    if settings.slack_bot_token:
        # One workspace: everyone's messages go with its token, whatever staff.slack_team_id says.
        return Outbox(database, make_slack_client(settings.slack_bot_token, settings.slack_api_url),
                      min_interval=interval)
    if settings.slack_client_id and settings.slack_client_secret:
        # Several workspaces (OAuth install): each person's with their workspace's bot token.
        log.info("clock sends with each workspace's installed bot token")
        return Outbox(database, None, min_interval=interval,
                      workspaces=Workspaces(database, settings.slack_api_url))
    raise MissingToken("The clock needs SLACK_BOT_TOKEN (or, for several workspaces, "
                       "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) to send anything; set it in .env.")


class MissingToken(RuntimeError):
    pass


def main(database: Database, settings: ClockSettings | None = None) -> None:
    """Run the clock in the foreground (the Procfile's `clock` process)."""
    settings = settings or ClockSettings()
    try:
        box = _outbox(database, settings)
    except MissingToken as exc:
        raise SystemExit(str(exc)) from None
    scheduler = build_scheduler(settings, box)
    log.info("clock started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()


def start(database: Database, settings: ClockSettings | None = None) -> BaseScheduler:
    """Start the clock in the background of another process (`ips serve` on one machine)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    settings = settings or ClockSettings()
    scheduler = build_scheduler(settings, _outbox(database, settings),
                                BackgroundScheduler(timezone=ZoneInfo(settings.timezone)))
    scheduler.start()
    return scheduler
