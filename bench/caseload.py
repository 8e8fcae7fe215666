"""Benchmark: the daily overdue query and the monthly outcomes report at regional scale.

Builds 50 teams, 500 specialists, 100,000 clients, 1,000,000 employer contacts and 30,000
job starts by bulk insert, then times the four-week overdue query and the monthly outcomes
report, and prints the process's peak memory.

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
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
from caseload import clock
from caseload.db import Database
from caseload.models import Base
from caseload.overdue import overdue_for_employer_contact
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
                  "last_face_to_face_contact_on", "created_at", "updated_at"]
CONTACT_COLUMNS = ["team_id", "staff_id", "client_id", "contacted_on", "employer", "face_to_face",
                   "created_at"]
JOB_COLUMNS = ["client_id", "team_id", "recorded_by_id", "employer", "job_title", "job_type",
               "hours_per_week", "hourly_wage", "age_band", "open_to_anyone", "started_on",
               "is_competitive", "created_at"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_database(kind: str) -> tuple[Database, str]:
    if kind == "postgresql":
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        admin.dispose()
        return Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={SCHEMA}"}), \
            f"PostgreSQL schema {SCHEMA}"
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


def build(db: Database, scale: float, today: date, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    teams = 50
    specialists_per_team = 10
    clients = int(100_000 * scale)
    contacts = int(1_000_000 * scale)
    job_starts = int(30_000 * scale)
    now = datetime.now(UTC)
    loader = Loader(db)

    loader.load("teams", ["id", "name", "nation", "referral_target_per_month",
                          "job_start_target_per_month", "created_at"],
                ((t, f"Team {t:02d}", "ENG", 8, 3, now) for t in range(1, teams + 1)),
                teams, "teams")
    staff_rows = []
    staff_id = 0
    specialists: dict[int, list[int]] = {}
    coordinators: dict[int, list[int]] = {}
    for t in range(1, teams + 1):
        for role, bucket, count in (("employment_specialist", specialists, specialists_per_team),
                                    ("care_coordinator", coordinators, 10),
                                    ("team_leader", None, 1)):
            for _ in range(count):
                staff_id += 1
                staff_rows.append((staff_id, f"UB{staff_id:08d}", f"Staff {staff_id}", role, t,
                                   1, True, now))
                if bucket is not None:
                    bucket.setdefault(t, []).append(staff_id)
    loader.load("staff", ["id", "slack_user_id", "display_name", "role", "team_id", "fte",
                          "active", "created_at"], iter(staff_rows), len(staff_rows), "staff")

    # Contacts per client average contacts/clients; each client's last face-to-face contact
    # is written on the client row, as the contact service keeps it.
    per_client = contacts / clients
    plan: list[tuple] = []
    contact_plan: list[int] = []
    for cid in range(1, clients + 1):
        team = (cid - 1) % teams + 1
        status = rng.choice(STATUSES)
        received = today - timedelta(days=rng.randint(1, 730))
        accepted = None if status == "referred" else received + timedelta(days=rng.randint(0, 7))
        if accepted and accepted > today:
            accepted = today
        n_contacts = 0 if accepted is None else max(0, round(rng.expovariate(1 / per_client)))
        contact_plan.append(n_contacts)
        plan.append((cid, team, status, received, accepted))
    # Scale contact counts so the total is exact.
    surplus = sum(contact_plan) - contacts
    while surplus != 0:
        i = rng.randrange(clients)
        if plan[i][4] is None:
            continue
        if surplus > 0 and contact_plan[i] > 0:
            contact_plan[i] -= 1
            surplus -= 1
        elif surplus < 0:
            contact_plan[i] += 1
            surplus += 1

    last_contact: dict[int, date] = {}

    def slot(cid: int) -> int:
        # Clients go to teams round-robin by id, so spread them over a team's ten
        # specialists by the round, not by the id itself.
        return ((cid - 1) // teams) % specialists_per_team

    def contact_rows() -> Iterator[tuple]:
        for (cid, team, _status, _received, accepted), n in zip(plan, contact_plan, strict=True):
            if not n:
                continue
            span = max(1, (today - accepted).days)
            specialist = specialists[team][slot(cid)]
            for _ in range(n):
                day = accepted + timedelta(days=rng.randint(0, span))
                f2f = rng.random() < 0.7
                if f2f and (cid not in last_contact or day > last_contact[cid]):
                    last_contact[cid] = day
                yield (team, specialist, cid, day, "Employer", f2f, now)

    # Contacts reference clients, so the clients go in first with their last contact dates:
    # generate contacts into a temporary list per batch would hold a million rows, so
    # instead compute last-contact dates in a first pass with the same random stream.
    state = rng.getstate()
    for _ in contact_rows():
        pass
    rng.setstate(state)

    def client_rows() -> Iterator[tuple]:
        for cid, team, status, received, accepted in plan:
            discharged = (today - timedelta(days=rng.randint(0, 60))
                          if status == "discharged" else None)
            if discharged is not None and discharged < received:
                discharged = received
            yield (cid, team, f"R{cid:07d}", coordinators[team][slot(cid)],
                   None if accepted is None else specialists[team][slot(cid)],
                   status, received, accepted, discharged, True, last_contact.get(cid), now, now)

    loader.load("clients", CLIENT_COLUMNS, client_rows(), clients, "clients")
    last_contact.clear()
    loader.load("employer_contacts", CONTACT_COLUMNS, contact_rows(), contacts, "contacts")

    candidates = [p for p in plan if p[2] in ("in_work", "job_seeking", "discharged")
                  and p[4] is not None]

    def job_rows() -> Iterator[tuple]:
        for _ in range(job_starts):
            cid, team, _status, _received, accepted = rng.choice(candidates)
            started = accepted + timedelta(days=rng.randint(0, max(0, (today - accepted).days)))
            wage = rng.choice(["12.71", "13.00", "14.50", "9.00"])
            yield (cid, team, specialists[team][0], "Employer", "Job", rng.choice(JOB_TYPES),
                   16, wage, "21_and_over", True, started, wage != "9.00", now)

    loader.load("jobs", JOB_COLUMNS, job_rows(), job_starts, "job starts")
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    return {"teams": teams, "specialists": teams * specialists_per_team, "clients": clients,
            "contacts": contacts, "job_starts": job_starts}


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
            outcomes_report(session, last_month)

    overdue_times = timed("overdue query (all teams)", args.runs, overdue)
    report_times = timed(f"outcomes report {last_month:%b %Y}", args.runs, report)
    print(f"  overdue clients found: {overdue_count[-1]:,}")
    print(f"  peak resident memory: {peak_rss_mb():.0f} MB")
    if args.database == "postgresql" and args.scale >= 1:
        verdicts = [("overdue ≤ 1 s", statistics.median(overdue_times) <= 1),
                    ("report ≤ 2 s", statistics.median(report_times) <= 2),
                    ("memory ≤ 300 MB", peak_rss_mb() <= 300)]
        print("  targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}"
                                        for name, ok in verdicts))
    db.dispose()


if __name__ == "__main__":
    main()
