"""Benchmark: draining 2,000 queued outbox messages within Slack's rate limits.

Queues 2,000 messages (four to each of 500 people, in the order a busy morning would queue
them) through caseload.outbox, then drains them with the one sender (messaging/outbox.py)
against the local fake Slack, which answers 429 to a second message within a second to one
channel, as Slack does. Reports the time, messages a second, and how many Slack refused.

    .venv/bin/python bench/outbox.py --database postgresql
    .venv/bin/python bench/outbox.py --database sqlite
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from bench.caseload import open_database as open_bench_database
from caseload import outbox
from caseload.db import Database
from caseload.models import Base, OutboxMessage, OutboxStatus
from messaging.outbox import Sender
from messaging.slack_client import make_slack_client
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

SCHEMA = "bench_outbox"


def open_database(kind: str) -> Database:
    return open_bench_database(kind, SCHEMA)[0]


def queue(db: Database, messages: int, people: int) -> float:
    """Queue the messages, each in its own transaction as each write would; seconds taken."""
    started = time.perf_counter()
    for n in range(messages):
        with db.transaction() as session:
            outbox.enqueue(session, f"bench:{n}", f"U{n % people:08d}",
                           {"text": f"Referral BEN-{n:04d} needs accepting."})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--people", type=int, default=500)
    args = parser.parse_args()
    db = open_database(args.database)
    Base.metadata.create_all(db.engine)
    fake = FakeSlack(per_channel_interval=1.0).start()
    try:
        queued = queue(db, args.messages, args.people)
        client = make_slack_client(BOT_TOKEN, fake.url)
        sender = Sender(db, lambda _recipient: client, min_interval=1.0)
        started = time.perf_counter()
        while sender.drain(limit=500).sent:
            pass
        elapsed = time.perf_counter() - started
        with db.reading() as session:
            sent = session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                                  .where(OutboxMessage.status == OutboxStatus.SENT))
        refused = sum(1 for c in fake.calls if c.error == "ratelimited")
        print(f"{args.database}: queued {args.messages} in {queued:.1f} s; drained {sent} in "
              f"{elapsed:.1f} s ({(sent or 0) / elapsed:.0f} a second), "
              f"{refused} refused by the per-channel limit, "
              f"{args.messages - (sent or 0)} not sent")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
