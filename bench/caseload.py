"""Benchmark: the daily overdue query and the monthly outcomes report at regional scale.

Builds 50 teams, 500 specialists, 100,000 clients with their dated status history, 1,000,000
employer contacts and 30,000 job starts by bulk insert, then times the four-week overdue query
(today, and as of last month's end), the monthly and quarterly outcomes reports, and prints
the process's peak memory.

    .venv/bin/python bench/caseload.py --database postgresql
    .venv/bin/python bench/caseload.py --database sqlite
    .venv/bin/python bench/caseload.py --database postgresql --scale 0.1   # a quick look

PostgreSQL uses schema `ips_bench` in the `test` database on 127.0.0.1:5432 (dropped and
rebuilt each run); SQLite uses a temporary file.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from caseload import clock
from caseload.db import Database
from caseload.models import Base
from caseload.overdue import overdue_counts_as_of, overdue_for_employer_contact
from caseload.periods import month, parse_period
from caseload.reports import outcomes_report

POSTGRES_URL = os.environ.get("IPS_BENCH_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SCHEMA = "ips_bench"
BATCH = 20_000
STATUSES = (["referred"] * 10 + ["accepted"] * 10 + ["job_seeking"] * 40 + ["in_work"] * 20
            + ["on_hold"] * 5 + ["discharged"] * 15)
JOB_TYPES = ["elementary", "sales_customer_service", "administrative_secretarial",
             "caring_leisure_other_service", "skilled_trades", "process_plant_machine_operatives"]

CLIENT_COLUMNS = ["id", "team_id", "reference", "care_coordinator_id", "specialist_id", "status",
                  "referral_received_on", "accepted_on", "discharged_on", "consent_recorded",
                  "last_face_to_face_contact_on", "first_face_to_face_contact_on", "created_at",
                  "updated_at"]
CONTACT_COLUMNS = ["team_id", "staff_id", "client_id", "contacted_on", "employer", "face_to_face",
                   "created_at"]
HISTORY_COLUMNS = ["client_id", "team_id", "status", "specialist_id", "valid_from", "valid_to",
                   "recorded_at"]
JOB_COLUMNS = ["client_id", "team_id", "recorded_by_id", "employer", "job_title", "job_type",
               "hours_per_week", "hourly_wage", "age_band", "open_to_anyone", "started_on",
               "is_competitive", "created_at"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_database(kind: str, schema: str = SCHEMA) -> tuple[Database, str]:
    """A new, empty benchmark database: PostgreSQL `schema` (dropped first) or a SQLite file."""
    if kind == "postgresql":
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        return Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}), \
            f"PostgreSQL schema {schema}"
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    return Database(f"sqlite:///{path}"), f"SQLite {path}"


class Loader:
    """Bulk rows into a table: COPY on PostgreSQL, executemany in batches on SQLite."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self, table: str, columns: list[str], rows: Iterator[tuple], total: int,
             label: str) -> None:
        bar = tqdm(total=total, desc=label, unit=" rows", unit_scale=True, file=sys.stderr)
        if self.db.dialect == "postgresql":
            raw = self.db.engine.raw_connection()
            try:
                with raw.driver_connection.cursor() as cur, cur.copy(
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        bar.update()
                raw.commit()
            finally:
                raw.close()
        else:
            statement = sa.text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                f"({', '.join(':' + c for c in columns)})")
            batch: list[dict] = []
            with self.db.engine.begin() as conn:
                for row in rows:
                    batch.append(dict(zip(columns, row, strict=True)))
                    if len(batch) == BATCH:
                        conn.execute(statement, batch)
                        bar.update(len(batch))
                        batch = []
                if batch:
                    conn.execute(statement, batch)
                    bar.update(len(batch))
        bar.close()


@dataclass(frozen=True)
class PlannedClient:
    id: int
    team: int
    status: str
    received: date
    accepted: date | None
    discharged: date | None
    contacts: int


def _load_staff(loader: Loader, teams: int, per_team: int, now: datetime
                ) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Teams, then per team its specialists, ten care coordinators and a team leader."""
    loader.load("teams", ["id", "name", "nation", "referral_target_per_month",
                          "job_start_target_per_month", "created_at"],
                ((t, f"Team {t:02d}", "ENG", 8, 3, now) for t in range(1, teams + 1)),
                teams, "teams")
    staff_rows = []
    specialists: dict[int, list[int]] = {}
    coordinators: dict[int, list[int]] = {}
    for t in range(1, teams + 1):
        for role, bucket, count in (("employment_specialist", specialists, per_team),
                                    ("care_coordinator", coordinators, 10),
                                    ("team_leader", None, 1)):
            for _ in range(count):
                staff_id = len(staff_rows) + 1
                staff_rows.append((staff_id, f"UB{staff_id:08d}", f"Staff {staff_id}", role, t,
                                   1, True, now - timedelta(days=800)))
                if bucket is not None:
                    bucket.setdefault(t, []).append(staff_id)
    loader.load("staff", ["id", "slack_user_id", "display_name", "role", "team_id", "fte",
                          "active", "created_at"], iter(staff_rows), len(staff_rows), "staff")
    return specialists, coordinators


def _plan_clients(rng: random.Random, clients: int, contacts: int, teams: int, today: date
                  ) -> list[PlannedClient]:
    """Each client's status and dates, and how many contacts it gets (exactly `contacts` in all)."""
    per_client = contacts / clients
    plan = []
    for cid in range(1, clients + 1):
        status = rng.choice(STATUSES)
        received = today - timedelta(days=rng.randint(1, 730))
        accepted = None if status == "referred" else min(received + timedelta(days=rng.randint(0, 7)),
                                                         today)
        discharged = (max(today - timedelta(days=rng.randint(0, 60)), received)
                      if status == "discharged" else None)
        n = 0 if accepted is None else max(0, round(rng.expovariate(1 / per_client)))
        plan.append(PlannedClient(cid, (cid - 1) % teams + 1, status, received, accepted,
                                  discharged, n))
    counts = [p.contacts for p in plan]
    surplus = sum(counts) - contacts
    while surplus != 0:
        i = rng.randrange(clients)
        if plan[i].accepted is None:
            continue
        if surplus > 0 and counts[i] > 0:
            counts[i] -= 1
            surplus -= 1
        elif surplus < 0:
            counts[i] += 1
            surplus += 1
    return [replace(p, contacts=n) for p, n in zip(plan, counts, strict=True)]


def _history_rows(plan: list[PlannedClient], specialist_of: Callable[[PlannedClient], int],
                  today: date, now: datetime) -> Iterator[tuple]:
    """The dated history the services would have written for each planned client."""
    for c in plan:
        steps: list[tuple[str, date, int | None]] = [("referred", c.received, None)]
        if c.accepted is not None:
            who = specialist_of(c)
            working = {"in_work": "in_work", "accepted": "accepted"}.get(c.status, "job_seeking")
            steps.append((working, c.accepted, who))
            if c.status == "on_hold":
                steps.append(("on_hold", max(c.accepted, today - timedelta(days=20)), who))
            if c.discharged is not None:
                steps.append(("discharged", c.discharged, who))
        kept: list[tuple[str, date, int | None]] = []
        for step in steps:  # a later step on the same day replaces the earlier one
            if kept and step[1] <= kept[-1][1]:
                kept[-1] = (step[0], kept[-1][1], step[2])
            else:
                kept.append(step)
        for i, (status, valid_from, who) in enumerate(kept):
            valid_to = kept[i + 1][1] if i + 1 < len(kept) else None
            yield (c.id, c.team, status, who, valid_from, valid_to, now)


def _job_rows(rng: random.Random, plan: list[PlannedClient], specialists: dict[int, list[int]],
              job_starts: int, today: date, now: datetime) -> Iterator[tuple]:
    """Job starts for clients who have been on a caseload; one in four below the minimum wage."""
    candidates = [c for c in plan if c.status in ("in_work", "job_seeking", "discharged")
                  and c.accepted is not None]
    for _ in range(job_starts):
        c = rng.choice(candidates)
        assert c.accepted is not None
        started = c.accepted + timedelta(days=rng.randint(0, max(0, (today - c.accepted).days)))
        wage = rng.choice(["12.71", "13.00", "14.50", "9.00"])
        yield (c.id, c.team, specialists[c.team][0], "Employer", "Job", rng.choice(JOB_TYPES),
               16, wage, "21_and_over", True, started, wage != "9.00", now)


def build(db: Database, scale: float, today: date, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    teams, specialists_per_team = 50, 10
    clients = int(100_000 * scale)
    contacts = int(1_000_000 * scale)
    job_starts = int(30_000 * scale)
    now = datetime.now(UTC)
    loader = Loader(db)
    specialists, coordinators = _load_staff(loader, teams, specialists_per_team, now)
    plan = _plan_clients(rng, clients, contacts, teams, today)

    def specialist_of(c: PlannedClient) -> int:
        # Clients go to teams round-robin by id, so spread them over a team's ten
        # specialists by the round, not by the id itself.
        return specialists[c.team][((c.id - 1) // teams) % specialists_per_team]

    last_contact: dict[int, date] = {}
    first_contact: dict[int, date] = {}

    def contact_rows() -> Iterator[tuple]:
        for c in plan:
            if not c.contacts or c.accepted is None:
                continue
            span = max(1, (today - c.accepted).days)
            for _ in range(c.contacts):
                day = c.accepted + timedelta(days=rng.randint(0, span))
                f2f = rng.random() < 0.7
                if f2f and (c.id not in last_contact or day > last_contact[c.id]):
                    last_contact[c.id] = day
                if f2f and (c.id not in first_contact or day < first_contact[c.id]):
                    first_contact[c.id] = day
                yield (c.team, specialist_of(c), c.id, day, "Employer", f2f, now)

    # Contacts reference clients, so the clients go in first with their first and last contact dates,
    # worked out in a first pass over the same random stream (rather than holding a million
    # contact rows in memory).
    state = rng.getstate()
    for _ in contact_rows():
        pass
    rng.setstate(state)
    loader.load("clients", CLIENT_COLUMNS, (
        (c.id, c.team, f"R{c.id:07d}", coordinators[c.team][((c.id - 1) // teams) % 10],
         None if c.accepted is None else specialist_of(c), c.status, c.received, c.accepted,
         c.discharged, True, last_contact.get(c.id), first_contact.get(c.id), now, now)
        for c in plan), clients, "clients")
    last_contact.clear()
    first_contact.clear()
    loader.load("employer_contacts", CONTACT_COLUMNS, contact_rows(), contacts, "contacts")
    history = list(_history_rows(plan, specialist_of, today, now))
    loader.load("client_status_history", HISTORY_COLUMNS, iter(history), len(history), "history")
    loader.load("jobs", JOB_COLUMNS, _job_rows(rng, plan, specialists, job_starts, today, now),
                job_starts, "job starts")
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    return {"teams": teams, "specialists": teams * specialists_per_team, "clients": clients,
            "contacts": contacts, "status history rows": len(history), "job_starts": job_starts}


def timed(label: str, runs: int, work) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    print(f"  {label:32} median {statistics.median(times) * 1000:8.1f} ms   "
          f"max {max(times) * 1000:8.1f} ms   ({runs} runs)")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 clients")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    today = clock.today()
    db, where = open_database(args.database)
    Base.metadata.create_all(db.engine)
    print(f"Building on {where} (scale {args.scale})…", file=sys.stderr)
    started = time.perf_counter()
    sizes = build(db, args.scale, today)
    build_seconds = time.perf_counter() - started
    print(f"\nIPS Assist caseload benchmark — {args.database}, {os.cpu_count()} cores")
    print("  " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sizes.items()))
    print(f"  bulk load took {build_seconds:.0f} s")

    overdue_count = []

    def overdue() -> None:
        with db.reading() as session:
            overdue_count.append(len(overdue_for_employer_contact(session, today)))

    last_month = today.replace(day=1) - timedelta(days=1)

    def report() -> None:
        with db.reading() as session:
            outcomes_report(session, month(last_month))

    def overdue_then() -> None:
        with db.reading() as session:
            overdue_counts_as_of(session, last_month)

    last_quarter = parse_period("quarter", today)

    def quarterly() -> None:
        with db.reading() as session:
            outcomes_report(session, last_quarter)

    overdue_times = timed("overdue query (all teams)", args.runs, overdue)
    then_times = timed(f"overdue as of {last_month:%-d %b %Y}", args.runs, overdue_then)
    report_times = timed(f"outcomes report {last_month:%b %Y}", args.runs, report)
    quarter_times = timed(f"outcomes report {last_quarter.label()[:20]}", args.runs, quarterly)
    print(f"  overdue clients found: {overdue_count[-1]:,}")
    print(f"  peak resident memory: {peak_rss_mb():.0f} MB")
    if args.database == "postgresql" and args.scale >= 1:
        verdicts = [("overdue ≤ 1 s", statistics.median(overdue_times) <= 1),
                    ("as-of overdue ≤ 2 s", statistics.median(then_times) <= 2),
                    ("report ≤ 2 s", statistics.median(report_times) <= 2),
                    ("quarterly report ≤ 2 s", statistics.median(quarter_times) <= 2),
                    ("memory ≤ 300 MB", peak_rss_mb() <= 300)]
        print("  targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}"
                                        for name, ok in verdicts))
    db.dispose()


if __name__ == "__main__":
    main()
