"""The scheduler: fixed ids, London times across the clock changes, and run_due's gating."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from reminders.clock import MISFIRE_GRACE_SECONDS, build_scheduler, run_due
from reminders.sender import Outbox
from reminders.settings import ClockSettings

LONDON = ZoneInfo("Europe/London")


def _scheduler(box: Outbox) -> BackgroundScheduler:
    return build_scheduler(ClockSettings(), box, BackgroundScheduler(timezone=LONDON))


def test_jobs_have_fixed_ids_grace_and_coalescing(box: Outbox) -> None:
    scheduler = _scheduler(box)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"expire_holds", "monthly_reports", "fidelity_reminders",
                         "four_week_nudges", "referral_digests", "just_ask", "catch_up"}
    for job in jobs.values():
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS
        assert job.coalesce is True and job.max_instances == 1


def _next(box: Outbox, job_id: str, after: datetime) -> datetime:
    trigger = {job.id: job for job in _scheduler(box).get_jobs()}[job_id].trigger
    return trigger.get_next_fire_time(None, after)


def test_nudges_fire_at_nine_london_either_side_of_the_march_change(box: Outbox) -> None:
    # Clocks go forward on Sunday 29 March 2026.
    before = _next(box, "four_week_nudges", datetime(2026, 3, 27, 10, 0, tzinfo=LONDON))
    assert before.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 30, 9, 0)
    assert before.astimezone(UTC).hour == 8  # BST
    winter = _next(box, "four_week_nudges", datetime(2026, 3, 26, 10, 0, tzinfo=LONDON))
    assert winter.astimezone(UTC).hour == 9  # GMT


def test_just_ask_fires_at_ten_london_after_the_october_change(box: Outbox) -> None:
    # Clocks go back on Sunday 25 October 2026.
    fire = _next(box, "just_ask", datetime(2026, 10, 23, 12, 0, tzinfo=LONDON))
    assert fire.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 10, 26, 10, 0)
    assert fire.astimezone(UTC).hour == 10  # GMT again


def test_run_due_runs_only_the_jobs_whose_time_has_come(box: Outbox) -> None:
    settings = ClockSettings()
    # The nudges and "just ask" run at every sweep: each team's own time decides.
    early = run_due(box, settings, datetime(2026, 11, 23, 8, 0, tzinfo=LONDON))
    assert early == ["expire_holds", "monthly_reports", "four_week_nudges", "referral_digests",
                     "just_ask"]
    late = run_due(box, settings, datetime(2026, 11, 23, 10, 30, tzinfo=LONDON))
    assert late == ["expire_holds", "monthly_reports", "fidelity_reminders",
                    "four_week_nudges", "referral_digests", "just_ask"]
    # 07:30 UTC on a summer day is 08:30 in London: the fidelity reminders are due.
    summer = run_due(box, settings, datetime(2026, 6, 1, 7, 30, tzinfo=UTC))
    assert "fidelity_reminders" in summer
