"""Benchmark: the Slack bot's acknowledgement latency under 20 concurrent users, and App Home.

Serves the bot in HTTP mode as production does: gunicorn with the Procfile's 2 sync workers
running `ips.web:create_app()`, its Web API calls going to the local fake Slack
(tests/fakes/slack_api.py) in this process. 20 simulated specialists (one thread each, no
pause between requests) each submit a referral modal and then an employer contact modal for
that client, over and over, as signed requests built as tests/bot/driver.py builds them. A
request's time is from sending it to the HTTP answer, which is Slack's acknowledgement
(Slack gives up after 3 seconds); the work after the acknowledgement (confirmation DMs,
the note to the specialist) goes on in the worker and is checked to arrive at the fake.

Then App Home for a specialist with a 40-client caseload: rendered in this process (the
queries, the blocks and their JSON), and end to end (an app_home_opened event to the
views.publish the fake receives).

    .venv/bin/python bench/bot.py
    .venv/bin/python bench/bot.py --users 20 --rounds 25 --workers 2
    .venv/bin/python bench/bot.py --server werkzeug     # the tests' threaded server instead

PostgreSQL uses schema `ips_bench_bot` in the `test` database on 127.0.0.1:5432 (dropped
and rebuilt each run). Targets (issue #5): acknowledgement p99 <= 300 ms; App Home for a
40-client caseload rendered in <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path is set above so the script runs from a checkout without installing.
from bench.calculator_http import free_port, wait_until_up
from bench.caseload import POSTGRES_URL, peak_rss_mb
from bot.listeners.home_tab import home_blocks
from bot.views.home import home_view
from caseload import clients, clock
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.migrate import alembic_config
from caseload.models import Client, EmployerContact, Role, Staff, Team
from caseload.validation import parse
from tests.bot.driver import SECRET, event, submit
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "ips_bench_bot"
HOME_CLIENTS = 40
TEAMS = 2


def open_database() -> tuple[Database, str]:
    """A fresh, migrated schema; and the URL that puts a separate process in it."""
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    db = Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={SCHEMA}"})
    from alembic import command

    with db.engine.begin() as conn:
        config = alembic_config(db.url)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    # The application name lets the run find the server's own database backends to count
    # their CPU (`cpu_seconds`).
    return db, (f"{POSTGRES_URL}?options={quote(f'-csearch_path={SCHEMA}')}"
                f"&application_name={SCHEMA}")


def seed(db: Database, users: int) -> dict:
    """Two teams; `users` specialists to drive the load; one more with 40 clients for Home."""
    today = clock.today()
    with db.transaction() as s:
        teams = [make_team(s, f"Bench team {n + 1}") for n in range(TEAMS)]
        leaders = [make_staff(s, Role.TEAM_LEADER, t) for t in teams]
        coordinators = [make_staff(s, Role.CARE_COORDINATOR, t) for t in teams]
        specialists = [make_staff(s, Role.EMPLOYMENT_SPECIALIST, teams[n % TEAMS])
                       for n in range(users)]
        home = make_staff(s, Role.EMPLOYMENT_SPECIALIST, teams[0], name="Home")
        # A caseload like a real one: referrals waiting, job seekers (some overdue), people in
        # work and on hold, with employer contacts behind them.
        for n in range(HOME_CLIENTS):
            c = refer(s, coordinators[0], teams[0], f"HM-{n:04d}",
                      received_on=today - timedelta(days=90 - n), specialist_id=home.id)
            if n % 8 == 0:
                continue
            clients.accept(s, leaders[0], c, on=today - timedelta(days=80 - n), confirm_over=True)
            if n % 8 == 1:
                clients.put_on_hold(s, leaders[0], c, clients.Hold(reason="Unwell"))
            elif n % 3 == 0:
                record_employer_contact(s, home, parse(NewEmployerContact, {
                    "client_id": c.id, "employer": "Tesco",
                    "contacted_on": today - timedelta(days=n % 20), "face_to_face": True}))
        return {"teams": [(t.id, c.slack_user_id) for t, c in zip(teams, coordinators, strict=True)],
                "specialists": [(s_.slack_user_id, s_.team_id) for s_ in specialists],
                "home": home.slack_user_id}


def referral_values(reference: str, team_id: int, coordinator: str, specialist: str) -> dict:
    return {
        "reference": {"value": {"type": "plain_text_input", "value": reference}},
        "team": {"value": {"type": "static_select", "selected_option": {"value": str(team_id)}}},
        "care_coordinator": {"value": {"type": "users_select", "selected_user": coordinator}},
        "specialist": {"value": {"type": "users_select", "selected_user": specialist}},
        "work_preferences": {"value": {"type": "plain_text_input", "value": "Outdoors"}},
        "consent": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
    }


def contact_values(reference: str) -> dict:
    return {"reference": {"value": {"type": "plain_text_input", "value": reference}},
            "employer": {"value": {"type": "plain_text_input", "value": "Sainsbury's"}},
            "contacted_on": {"value": {"type": "datepicker",
                                       "selected_date": clock.today().isoformat()}},
            "face_to_face": {"value": {"type": "radio_buttons",
                                       "selected_option": {"value": "yes"}}}}


REFER_VIEW = {"type": "modal", "callback_id": "refer_modal", "private_metadata": ""}
CONTACT_VIEW = {"type": "modal", "callback_id": "log_any_contact_modal", "private_metadata": ""}


class Load:
    """Simulated specialists, one thread each, referring and logging contacts back to back."""

    def __init__(self, url: str, plan: dict, rounds: int) -> None:
        self.url, self.plan, self.rounds = url, plan, rounds
        self.times: dict[str, list[float]] = {"referral": [], "contact": []}
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self._start = threading.Barrier(len(plan["specialists"]))

    def _one(self, kind: str, user: str, view: dict, values: dict, view_id: str) -> None:
        started = time.perf_counter()
        try:
            answer = submit(self.url, user, view, values, view_id=view_id)
            ok, why = answer.status_code == 200 and answer.text == "", answer.text[:200]
        except requests.RequestException as exc:
            ok, why = False, str(exc)
        took = time.perf_counter() - started
        with self._lock:
            self.times[kind].append(took)
            if not ok:
                self.failures.append(f"{kind} {view_id}: {why}")

    def user(self, index: int, warm_up: bool) -> None:
        user, team_id = self.plan["specialists"][index]
        coordinator = dict(self.plan["teams"])[team_id]
        self._start.wait()
        rounds = 2 if warm_up else self.rounds
        for n in range(rounds):
            reference = f"{'W' if warm_up else 'B'}{index:02d}-{n:05d}"
            self._one("referral", user, REFER_VIEW,
                      referral_values(reference, team_id, coordinator, user), f"VR{reference}")
            self._one("contact", user, CONTACT_VIEW, contact_values(reference), f"VC{reference}")

    def run(self, warm_up: bool = False) -> float:
        threads = [threading.Thread(target=self.user, args=(i, warm_up))
                   for i in range(len(self.plan["specialists"]))]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time each process has used so far (Linux /proc)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended
        # utime and stime, fields 14 and 15 of stat
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def cpu_since(before: dict[int, float], now: dict[int, float]) -> float:
    """CPU used since `before`; a process that started since counts whole."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def server_pids(db: Database, master: int | None) -> tuple[list[int], list[int]]:
    """The gunicorn workers under `master`, and the database backends serving them."""
    workers = []
    if master is not None:
        children = Path(f"/proc/{master}/task/{master}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    with db.engine.connect() as conn:
        backends = list(conn.scalars(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE application_name = :name"), {"name": SCHEMA}))
    return workers, backends


def start_server(args: argparse.Namespace, db: Database, db_url: str, fake: FakeSlack):  # type: ignore[no-untyped-def]
    """The bot's HTTP endpoint; returns (url, stop, gunicorn's pid or None)."""
    if args.server == "werkzeug":
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request

        from bot.http import create_flask_app
        from bot.settings import BotSettings

        settings = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                               slack_api_url=fake.url)
        server = make_server("127.0.0.1", 0, create_flask_app(db, settings), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_port}/slack/events", server.shutdown, None
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url, "LOG_LEVEL": "WARNING"}
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    # The gunicorn beside this interpreter (a worktree may share another checkout's venv), and
    # this checkout's code first on the path.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "ips.web:create_app()"]
    if args.threads > 1:
        command[1:1] = ["--threads", str(args.threads)]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_until_up(f"http://127.0.0.1:{port}/healthz")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=30)

    return f"http://127.0.0.1:{port}/slack/events", stop, process.pid


def home_times(db: Database, url: str, fake: FakeSlack, user: str, runs: int) -> tuple[list, list, int]:
    rendered = []
    for _ in range(runs):
        started = time.perf_counter()
        with db.reading() as session:
            json.dumps(home_view(home_blocks(session, user)).to_dict())
        rendered.append(time.perf_counter() - started)
    end_to_end, blocks = [], 0
    for n in range(runs):
        before = len(fake.successful("views.publish"))
        sent = time.time()
        event(url, {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home",
                    "event_ts": f"{n}.1"})
        deadline = time.monotonic() + 10
        while len(fake.successful("views.publish")) <= before and time.monotonic() < deadline:
            time.sleep(0.001)
        published = fake.successful("views.publish")[before]
        end_to_end.append(published.at - sent)
        blocks = len(published.args["view"]["blocks"])
    return rendered, end_to_end, blocks


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated specialists")
    parser.add_argument("--rounds", type=int, default=25,
                        help="referral + contact pairs each user submits")
    parser.add_argument("--server", choices=["gunicorn", "werkzeug"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (Procfile: 2)")
    parser.add_argument("--threads", type=int, default=1,
                        help="gunicorn threads per worker (1 = sync workers, as the Procfile)")
    parser.add_argument("--home-runs", type=int, default=20)
    parser.add_argument("--slack-latency", type=float, default=0.0, metavar="MS",
                        help="milliseconds each fake Web API call takes to answer (0: at once)")
    return parser.parse_args()


def written_rows(db: Database) -> tuple[tuple[int, int], int, int]:
    """Referrals and contacts the load wrote, and how many teams and staff there are."""
    with db.reading() as s:
        written = (s.scalar(sa.select(sa.func.count()).select_from(Client)
                            .where(Client.reference.like("B%"))) or 0,
                   s.scalar(sa.select(sa.func.count()).select_from(EmployerContact)
                            .join(Client, EmployerContact.client_id == Client.id)
                            .where(Client.reference.like("B%"))) or 0)
        teams = s.scalar(sa.select(sa.func.count()).select_from(Team)) or 0
        staff = s.scalar(sa.select(sa.func.count()).select_from(Staff)) or 0
    return written, teams, staff


def main() -> None:
    args = arguments()

    db, db_url = open_database()
    plan = seed(db, args.users)
    fake = FakeSlack(latency=args.slack_latency / 1000).start()
    url, stop, master = start_server(args, db, db_url, fake)
    shape = (f"gunicorn, {args.workers} workers x {args.threads} threads"
             if args.server == "gunicorn" else "werkzeug threaded server in this process")
    try:
        load = Load(url, plan, args.rounds)
        load.run(warm_up=True)  # connections, imports and caches in every worker
        load.times = {"referral": [], "contact": []}
        warm_failures, load.failures = load.failures, []
        workers, backends = server_pids(db, master)
        before = (cpu_seconds(workers), cpu_seconds(backends))
        own_before = time.process_time()
        seconds = load.run()
        own = time.process_time() - own_before
        every = load.times["referral"] + load.times["contact"]
        # Each referral tells the referrer and the specialist; each contact confirms: all DMs.
        expected = 3 * args.users * (args.rounds + 2)
        deadline = time.monotonic() + 30
        while len(fake.successful("chat.postMessage")) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        delivered = len(fake.successful("chat.postMessage"))
        # CPU the server spent on the timed requests and the messages after them: a figure that
        # load from other programs on the machine barely moves, unlike the latency.
        workers, backends = server_pids(db, master)
        cpu = (cpu_since(before[0], cpu_seconds(workers)),
               cpu_since(before[1], cpu_seconds(backends)))
        written, teams, staff = written_rows(db)

        rendered, end_to_end, blocks = home_times(db, url, fake, plan["home"], args.home_runs)
    finally:
        stop()
        fake.stop()

    print(f"\nIPS Assist Slack bot benchmark — PostgreSQL schema {SCHEMA}, {shape}, "
          f"{os.cpu_count()} cores")
    print(f"  {args.users} concurrent specialists, {teams} teams, {staff} staff; each user "
          f"{args.rounds} referrals + {args.rounds} employer contacts, no pause between requests")
    print(f"  the fake Slack answers each Web API call after {args.slack_latency:.0f} ms")
    print(f"  {len(every):,} requests in {seconds:.1f} s ({len(every) / seconds:.0f} a second); "
          f"{len(load.failures)} failed ({len(warm_failures)} in the warm-up)")
    for failure in load.failures[:5]:
        print(f"    {failure}")
    print(f"  written: {written[0]:,} referrals, {written[1]:,} contacts; "
          f"{delivered:,} of {expected:,} DMs after acknowledgement reached the fake Slack")
    if master is not None:
        print(f"  CPU a request, its messages included: gunicorn workers "
              f"{cpu[0] / len(every) * 1000:.1f} ms, PostgreSQL {cpu[1] / len(every) * 1000:.1f} ms "
              f"({len(backends)} connections); this process (the simulated users and the fake "
              f"Slack) {own / len(every) * 1000:.1f} ms")
    print("  acknowledgement latency           p50        p90        p99        max")
    for label, values in (("referral (refer_modal)", load.times["referral"]),
                          ("employer contact", load.times["contact"]), ("all", every)):
        print(f"    {label:30} {ms(percentile(values, 50))} {ms(percentile(values, 90))} "
              f"{ms(percentile(values, 99))} {ms(max(values))}")
    print(f"  App Home, {HOME_CLIENTS}-client caseload ({blocks} blocks), {args.home_runs} runs:")
    print(f"    rendered in process          median {ms(statistics.median(rendered))}   "
          f"max {ms(max(rendered))}   (first, cold: {ms(rendered[0]).strip()})")
    print(f"    event to views.publish       median {ms(statistics.median(end_to_end))}   "
          f"max {ms(max(end_to_end))}")
    print(f"  peak resident memory of this process (load, fake Slack): {peak_rss_mb():.0f} MB")
    verdicts = [("acknowledgement p99 ≤ 300 ms", percentile(every, 99) <= 0.3),
                ("App Home render ≤ 100 ms", statistics.median(rendered) <= 0.1)]
    print("  targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdicts))
    db.dispose()


if __name__ == "__main__":
    main()
