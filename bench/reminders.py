"""Benchmark: working out the day's reminders at regional scale, then sending them.

Builds the same regional caseload as bench/caseload.py (100,000 clients, 1,000,000 employer
contacts), times the day's planning (the daily nudges: the four-week overdue query, snoozes,
who was nudged this week, in-work clients due a contact under their team's rhythm and job
ends awaiting their follow-up; the referral digests: referrals waiting past their team's
working days) and its peak memory, runs the real daily-nudges job against the local fake
Slack, then sends 2,000 DMs (four to each of 500 specialists, round-robin) with the fake
refusing more than one message a second per channel, as Slack does. Progress is logged every 100 recipients.

    .venv/bin/python bench/reminders.py --database postgresql
    .venv/bin/python bench/reminders.py --database postgresql --scale 0.1   # a quick look
    .venv/bin/python bench/reminders.py --database postgresql --plan-only   # no sending
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from bench.caseload import build, open_database, peak_rss_mb
from caseload import clock
from caseload.models import Base
from caseload.working_days import next_working_day
from messaging.slack_client import make_slack_client
from messaging.views.nudges import four_week_nudge
from reminders import jobs
from reminders.sender import Outbox
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

SCHEMA = "ips_bench_reminders"


def send_many(box: Outbox, by_recipient: dict[str, list[Any]], messages: int, today: date
              ) -> tuple[int, float]:
    """Queue `messages` DMs round the specialists, then send them through the outbox; how many
    and how long it took."""
    recipients = list(by_recipient.items())
    rounds = -(-messages // max(1, len(recipients)))
    started = time.perf_counter()
    box.sent = box.failed = 0
    count = 0
    for round_number in range(rounds):
        for user_id, items in recipients:
            if count == messages:
                break
            key = ("bench", f"{user_id}:{round_number}", today.isoformat())
            box.message_user(key, user_id, four_week_nudge(items))
            count += 1
            if count % 100 == 0:
                logging.getLogger("bench").info("queued %d of %d", count, messages)
    box.send_queued()
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--plan-only", action="store_true",
                        help="time the day's planning and stop (no sending)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    today = next_working_day(clock.today())
    # Its own schema, so it can run beside the caseload benchmark.
    db, where = open_database(args.database, SCHEMA)
    Base.metadata.create_all(db.engine)
    print(f"Building on {where} (scale {args.scale})…", file=sys.stderr)
    sizes = build(db, args.scale, clock.today())
    print(f"\nIPS Assist reminders benchmark — {args.database}")
    print("  " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sizes.items()))

    times: dict[str, list[float]] = {"daily nudges": [], "referral digests": [],
                                     "the whole day's planning": []}
    plan = referrals = None
    for _ in range(args.runs):
        with db.reading() as session:
            started = time.perf_counter()
            plan = jobs.plan_four_week_nudges(session, today)
            middle = time.perf_counter()
            referrals = jobs.plan_referral_digests(session, today)
            ended = time.perf_counter()
        times["daily nudges"].append(middle - started)
        times["referral digests"].append(ended - middle)
        times["the whole day's planning"].append(ended - started)
    assert plan is not None and referrals is not None
    for what, runs in times.items():
        print(f"  working out {what:<26} median {statistics.median(runs) * 1000:7.1f} ms"
              f"   max {max(runs) * 1000:7.1f} ms ({args.runs} runs)")
    clients = sum(len(items) for items in plan.by_recipient.values())
    print(f"    {clients:,} overdue clients for {len(plan.by_recipient):,} specialists; "
          f"{sum(len(v) for v in plan.digests.values()):,} past 42 days; "
          f"{sum(len(v) for v in plan.in_work.values()):,} in-work contacts due and "
          f"{sum(len(v) for v in plan.job_ends.values()):,} job ends to follow up; "
          f"{sum(len(v) for v in referrals.by_team.values()):,} referrals waiting too long "
          f"in {len(referrals.by_team)} teams")
    print(f"  peak resident memory so far: {peak_rss_mb():.0f} MB")
    if args.plan_only:
        db.dispose()
        return

    fake = FakeSlack(per_channel_interval=1.0).start()
    try:
        box = Outbox(db, make_slack_client(BOT_TOKEN, fake.url), min_interval=1.0)
        started = time.perf_counter()
        jobs.four_week_nudges(box, today)
        job_seconds = time.perf_counter() - started
        print(f"  real four-week job: {box.sent:,} messages sent in {job_seconds:.1f} s, "
              f"{box.failed} failed")

        count, send_seconds = send_many(box, plan.by_recipient, args.messages, today)
        limited = sum(1 for c in fake.calls if c.error == "ratelimited")
        print(f"  {count:,} DMs in {send_seconds:.1f} s ({count / send_seconds:.0f} a second); "
              f"{box.failed} failed; {limited} refused by the one-a-second-per-channel limit")
    finally:
        fake.stop()
    print(f"  peak resident memory: {peak_rss_mb():.0f} MB")
    db.dispose()


if __name__ == "__main__":
    main()
