"""Benchmark: working out the day's reminders at regional scale, then sending them.

Builds the same regional caseload as bench/caseload.py (100,000 clients, 1,000,000 employer
contacts), then gives it in-work support as a region would have it: every client in work has a
job under way (some in its first month, most further on) and in-work contacts on their team's
rhythm, mostly on time; jobs of clients no longer in work have ended, about 1,000 of them in
the last four weeks, about half of those followed up. It times the day's planning (the daily
nudges: the four-week overdue query, snoozes, who was nudged this week, in-work clients due a
contact under their team's rhythm and job ends awaiting their follow-up; the referral
digests: referrals waiting past their team's working days) and its peak memory, runs the
real daily-nudges job against the local fake Slack, then sends 2,000 DMs (four to each of
500 specialists, round-robin) with the fake refusing more than one message a second per
channel, as Slack does. Progress is logged every 100 recipients.

    .venv/bin/python bench/reminders.py --database postgresql
    .venv/bin/python bench/reminders.py --database postgresql --scale 0.1   # a quick look
    .venv/bin/python bench/reminders.py --database postgresql --plan-only   # no sending
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from bench.caseload import Loader, build, open_database, peak_rss_mb
from caseload import clock
from caseload.db import Database
from caseload.in_work import FOLLOW_UP_LOOKBACK_DAYS, InWorkRhythm, in_work_contact_due_on
from caseload.models import Base, Client, ClientStatus, Job, JobEndReason
from caseload.working_days import next_working_day
from messaging.slack_client import make_slack_client
from messaging.views.nudges import four_week_nudge
from reminders import jobs
from reminders.sender import Outbox
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

SCHEMA = "ips_bench_reminders"
# Job ends in the last four weeks across the region at scale 1: about one in-work client in
# twenty a month, for the 20,000 or so in work.
RECENT_JOB_ENDS = 1_000
FOLLOWED_UP = 0.6  # chance a recent job end (over before today) is already followed up
FIRST_MONTH_STARTS = 0.12  # of in-work clients with no job on record, started in the last 28 days
LATE = 0.15  # in-work contacts that come late, so some clients are due or overdue
REASONS = [r.value for r in JobEndReason]
IN_WORK_CONTACT_COLUMNS = ["team_id", "staff_id", "client_id", "job_id", "contacted_on",
                           "with_whom", "face_to_face", "created_at"]
NEW_JOB_COLUMNS = ["client_id", "team_id", "recorded_by_id", "employer", "job_title", "job_type",
                   "hours_per_week", "hourly_wage", "age_band", "open_to_anyone", "started_on",
                   "is_competitive", "created_at"]


@dataclass
class InWorkSizes:
    jobs_added: int = 0
    first_month: int = 0
    later: int = 0
    contacts: int = 0
    ended: int = 0
    recent_ends: int = 0
    followed_up: int = 0


def _scratch(db: Database, name: str, columns: list[tuple[str, sa.types.TypeEngine[Any]]]
             ) -> sa.Table:
    table = sa.Table(name, sa.MetaData(), *(sa.Column(n, t) for n, t in columns))
    table.drop(db.engine, checkfirst=True)
    table.create(db.engine)
    return table


def add_in_work(db: Database, today: date, scale: float, seed: int = 2) -> InWorkSizes:
    """In-work support on top of `build`'s caseload (see the module's docstring)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    sizes = InWorkSizes()
    loader = Loader(db)
    with db.engine.connect() as conn:
        # Through the models, so SQLite's dates come back as dates.
        clients = {row.id: row for row in conn.execute(sa.select(
            Client.id, Client.team_id, Client.specialist_id, Client.status, Client.accepted_on))}
        jobs_by_client: dict[int, list[tuple[int, date]]] = {}
        for job_id, client_id, started in conn.execute(
                sa.select(Job.id, Job.client_id, Job.started_on).order_by(Job.started_on, Job.id)):
            jobs_by_client.setdefault(client_id, []).append((job_id, started))
    in_work = [c for c in clients.values() if c.status == ClientStatus.IN_WORK and c.specialist_id]

    # Every client in work has a job under way; those with none on record get one.
    def new_jobs() -> Iterator[tuple[Any, ...]]:
        for c in in_work:
            if c.id in jobs_by_client:
                continue
            span = max(0, (today - c.accepted_on).days)
            back = rng.randint(0, min(27, span)) if rng.random() < FIRST_MONTH_STARTS \
                else rng.randint(min(28, span), span)
            sizes.jobs_added += 1
            yield (c.id, c.team_id, c.specialist_id, "Employer", "Job", "elementary", 16,
                   "12.71", "21_and_over", True, today - timedelta(days=back), True, now)

    loader.load("jobs", NEW_JOB_COLUMNS, new_jobs(), len(in_work), "in-work jobs")
    with db.engine.connect() as conn:
        for job_id, client_id, started in conn.execute(
                sa.select(Job.id, Job.client_id, Job.started_on)
                .join(Client, Client.id == Job.client_id)
                .where(Client.status == ClientStatus.IN_WORK).order_by(Job.started_on, Job.id)):
            if (job_id, started) not in jobs_by_client.get(client_id, []):
                jobs_by_client.setdefault(client_id, []).append((job_id, started))

    # Jobs of clients no longer in work have ended: some in the last four weeks (job seekers,
    # whose follow-up the clock nudges about), the rest before.
    ends = _scratch(db, "bench_job_ends", [("id", sa.Integer()), ("started_on", sa.Date()),
                                           ("ended_on", sa.Date()), ("reason", sa.String(40))])
    last_contact: dict[int, date] = {}
    contacts: list[tuple[Any, ...]] = []

    def contact(c: Any, job_id: int | None, day: date, with_whom: str, f2f: bool) -> None:
        contacts.append((c.team_id, c.specialist_id, c.id, job_id, day, with_whom, f2f, now))
        if day > last_contact.get(c.id, date.min):
            last_contact[c.id] = day

    last = today - timedelta(days=FOLLOW_UP_LOOKBACK_DAYS + 1)

    def moved_back(c: Any, started: date) -> date:
        """A start in the last four weeks moved before them where the client was accepted
        earlier: otherwise a quarter of the region's job ends would fall in one month."""
        accepted: date = c.accepted_on
        if started <= last or accepted > last:
            return started
        return accepted + timedelta(days=rng.randint(0, (last - accepted).days))

    # Recent ends: clients accepted in the last four weeks whose first job is already over,
    # and job seekers' latest jobs, RECENT_JOB_ENDS in all at scale 1.
    natural = sum(1 for cid, held in jobs_by_client.items()
                  if clients[cid].status != ClientStatus.IN_WORK
                  and clients[cid].accepted_on > last for _ in held)
    seekers = [cid for cid, c in clients.items() if c.status == ClientStatus.JOB_SEEKING
               and c.specialist_id and cid in jobs_by_client and c.accepted_on <= last]
    recent = set(rng.sample(seekers, max(0, min(len(seekers),
                                                int(RECENT_JOB_ENDS * scale) - natural))))
    end_rows = []
    for cid, held in jobs_by_client.items():
        c = clients[cid]
        if c.status == ClientStatus.IN_WORK:
            continue
        for job_id, started in held:
            if c.accepted_on > last or ((job_id, started) == held[-1] and cid in recent):
                ended = max(started, today - timedelta(
                    days=rng.randint(0, FOLLOW_UP_LOOKBACK_DAYS - 1)))
                sizes.recent_ends += 1
                if rng.random() < FOLLOWED_UP and ended < today and c.specialist_id:
                    day = min(today, ended + timedelta(days=rng.randint(1, 4)))
                    contact(c, job_id, day, rng.choice(["person", "both"]), rng.random() < 0.5)
                    sizes.followed_up += 1
            else:
                started = moved_back(c, started)
                ended = started + timedelta(days=rng.randint(0, (last - started).days))
            end_rows.append((job_id, started, ended, rng.choice(REASONS)))
    sizes.ended = len(end_rows)
    loader.load(ends.name, ["id", "started_on", "ended_on", "reason"], iter(end_rows), len(end_rows),
                "job ends")

    # In-work contacts on the team's rhythm (the default), now and then late.
    rhythm = InWorkRhythm()
    for c in in_work:
        job_id, started = jobs_by_client[c.id][-1]
        if (today - started).days < 28:
            sizes.first_month += 1
        else:
            sizes.later += 1
        day = in_work_contact_due_on(started, None, rhythm) + timedelta(days=rng.randint(-3, 0))
        while day <= today:
            contact(c, job_id, day, rng.choice(["person", "person", "both", "employer"]),
                    rng.random() < 0.6)
            late = rng.randint(1, 20) if rng.random() < LATE else rng.randint(-3, 0)
            day = in_work_contact_due_on(started, day, rhythm) + timedelta(days=late)
    sizes.contacts = len(contacts)
    loader.load("in_work_contacts", IN_WORK_CONTACT_COLUMNS, iter(contacts), len(contacts),
                "in-work contacts")
    latest_table = _scratch(db, "bench_last_in_work", [("client_id", sa.Integer()),
                                                       ("last_on", sa.Date())])
    loader.load(latest_table.name, ["client_id", "last_on"], iter(last_contact.items()),
                len(last_contact), "last in-work contacts")
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE jobs SET started_on = e.started_on, ended_on = e.ended_on, "
                             "end_reason_code = e.reason, "
                             "end_reason = CASE WHEN e.reason = 'other' THEN 'moved away' END "
                             "FROM bench_job_ends e WHERE jobs.id = e.id"))
        conn.execute(sa.text("UPDATE clients SET last_in_work_contact_on = l.last_on "
                             "FROM bench_last_in_work l WHERE clients.id = l.client_id"))
        ends.drop(conn)
        latest_table.drop(conn)
        conn.execute(sa.text("ANALYZE"))
    return sizes


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
    support = add_in_work(db, clock.today(), args.scale)
    print(f"\nIPS Assist reminders benchmark — {args.database}")
    print("  " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sizes.items()))
    print(f"  in work: {support.first_month:,} clients in the first month of a job and "
          f"{support.later:,} further on ({support.jobs_added:,} jobs added for them), "
          f"{support.contacts:,} in-work contacts; {support.ended:,} jobs ended, "
          f"{support.recent_ends:,} in the last {FOLLOW_UP_LOOKBACK_DAYS} days "
          f"({support.followed_up:,} followed up)")

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
          f"{sum(len(v) for v in plan.job_ends.values()):,} job ends to follow up "
          f"({sum(len(v) for v in plan.job_end_digests.values()):,} past their 3 working days); "
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
