"""A user of each role trying every action, allowed or refused as the rules say.

Every request goes to the bot's real HTTP endpoint, signed, shaped as Slack sends it (slash
commands, block actions, view submissions, events); Slack's Web API is the fake. The table
below is written out from the rules as documented (caseload/access.py, the "Access" table in
docs/architecture.md, the services' docstrings), never computed from the code under test, so
a rule broken in the code fails here.

Allowed: the record is written, or the expected view or message comes back. Refused:
nothing is written, and the person is told privately (the slash command's ephemeral
answer, chat.postEphemeral, errors in the modal) in a sentence saying what is not allowed,
naming no client but the one they asked about and nothing about it beyond its reference.

Two Slack workspaces share the install: a trainer and an admin of one are refused the other's
teams for that reason alone (and told so), and nothing they are shown, allowed or refused,
holds anything of the other's: its teams, clients or people.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

import messaging.models  # noqa: F401  (the Slack install tables share Base.metadata)
from bot.http import create_flask_app
from bot.settings import BotSettings
from bot.views.admin import OPEN_TEAM_EDIT
from bot.views.review import PAGES
from caseload import clients, clock
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database
from caseload.fidelity import ScheduleReview, schedule_review
from caseload.jobs import NewJobStart, record_job_start
from caseload.models import (
    Base,
    BetterOffCalculation,
    Client,
    ClientSnooze,
    ClientStatus,
    EmployerContact,
    FidelityReview,
    Job,
    JustAskResponse,
    ReviewStatus,
    Role,
    Staff,
    Team,
)
from caseload.staff import set_active
from caseload.validation import parse
from caseload.working_days import next_working_day
from messaging.views.just_ask import just_ask_prompt
from tests.bot.driver import SECRET, event, interaction, press, slash, submit
from tests.conftest import BACKENDS
from tests.factories import make_staff, make_team, refer
from tests.fakes.slack_api import BOT_TOKEN, Call, FakeSlack

TODAY = clock.today()

# -- the rules, written out -------------------------------------------------------------
#
# People (all of team Seaford unless said): cc a care coordinator, es an employment
# specialist, tl the team leader, rt a regional trainer and admin an admin (no team and no
# Slack workspace: they see every team), ba a benefits advisor, off a team leader whose access
# has been switched off (switched on, they could do most of this), new a Slack user nobody has
# set up. rt_b and admin_b are a regional trainer and an admin of the other Slack workspace.
#
# Workspaces: Seaford works in Slack workspace T0AAAA, Brighton in T0BBBB, and Newhaven has
# none recorded (as teams stored before a second workspace installed). Each team's staff are
# in its workspace; rt and admin are in none; rt_b and admin_b are in T0BBBB, Brighton's.
# Every request carries the workspace it came from, as Slack's do (T0AAAA for those in none).
#
# Clients: SF-1 is cc's referral on es's caseload, looking for work; SF-2 the same, in work;
# SF-3 the same, referred to es and not yet accepted. SF-9 is another coordinator's referral
# on another specialist's caseload, in Seaford. BR-1, BR-2 and BR-3 are the same as SF-1..3
# in team Brighton (BR-3 has no specialist yet): nobody of Seaford may touch them. NH-1 is
# Newhaven's, accepted and waiting for a specialist.
#
# From caseload/access.py: a care coordinator sees and changes their own referrals, a
# specialist their caseload, a team leader their team, a regional trainer or admin every
# team of their Slack workspace; a benefits advisor no client records, but saves a better-off
# calculation against a client of their team; switched-off staff can do nothing. From the
# services: referrals are made by coordinators, specialists, team leaders (and those who see
# every team); a referral is accepted by the team leader or the specialist it was sent to, a
# specialist assigned by the team leader; employer contacts and job starts and ends are logged
# by specialists, team leaders, trainers and admins; a fidelity review is scheduled by the team
# leader (or a trainer or admin) and scored by its named reviewer (here rt), a trainer or an
# admin; teams and staff are an admin's. Nothing restricts the weekly "just ask" answer by
# role. A benefits advisor's caseload and Home are theirs to open, and show no client.
#
# From docs/architecture.md, "Access": a trainer or admin acts only on teams of their own
# workspace, and an admin manages only their own workspace's teams and people; no workspace on
# either side means the one workspace. So rt and admin (in none) reach all three teams; rt_b
# and admin_b reach Brighton and Newhaven (in none), and nothing of Seaford: not its clients,
# its staff, its reviews, nor referring into it or moving anyone there.
EXPECTED = """
action              cc   es   tl   rt   admin ba   off  new  rt_b admin_b  # as done in Slack
refer               yes  yes  yes  yes  yes   no   no   no   no   no    # /ips refer, submit (Seaford)
refer_other_team    no   no   no   yes  yes   no   no   no   yes  yes   # /ips refer, submit (Brighton)
accept              no   yes  yes  yes  yes   no   no   no   no   no    # Accept on SF-3's referral
assign              no   no   yes  yes  yes   no   no   no   no   no    # Assign to… SF-3: es2
contact             no   yes  yes  yes  yes   no   no   no   no   no    # /ips contact, SF-1
job_development     no   yes  yes  yes  yes   no   no   no   no   no    # /ips contact, no client
job_start           no   yes  yes  yes  yes   no   no   no   no   no    # /ips job SF-1, submit
job_end             no   yes  yes  yes  yes   no   no   no   no   no    # /ips job end SF-2, submit
card                yes  yes  yes  yes  yes   no   no   no   no   no    # /ips client SF-1
hold                yes  yes  yes  yes  yes   no   no   no   no   no    # /ips hold SF-1, submit
discharge           yes  yes  yes  yes  yes   no   no   no   no   no    # /ips discharge SF-1, submit
snooze              yes  yes  yes  yes  yes   no   no   no   no   no    # nudge's Snooze 7 days, SF-1
just_ask            yes  yes  yes  yes  yes   yes  no   no   yes  yes   # prompt's They'd like work
caseload            yes  yes  yes  yes  yes   yes  no   no   yes  yes   # /ips caseload
betteroff           no   yes  yes  yes  yes   yes  no   no   no   no    # /ips betteroff SF-1, saved
review_schedule     no   no   yes  yes  yes   no   no   no   no   no    # /ips review, Schedule
review_score        no   no   no   yes  yes   no   no   no   no   no    # /ips review, Score, 25 items
team                no   no   no   no   yes   no   no   no   no   yes   # /ips team
staff               no   no   no   no   yes   no   no   no   no   yes   # /ips staff
home                yes  yes  yes  yes  yes   yes  no   no   yes  yes   # App Home opened
card_colleague      no   no   yes  yes  yes   no   no   no   no   no    # /ips client SF-9
hold_colleague      no   no   yes  yes  yes   no   no   no   no   no    # /ips hold SF-9, submit
accept_other_team   no   no   no   yes  yes   no   no   no   yes  yes   # Accept on BR-3's referral
assign_other_team   no   no   no   yes  yes   no   no   no   yes  yes   # Assign to… BR-3: es_b
contact_other_team  no   no   no   yes  yes   no   no   no   yes  yes   # /ips contact, BR-1
job_start_other     no   no   no   yes  yes   no   no   no   yes  yes   # /ips job BR-1, submit
job_end_other       no   no   no   yes  yes   no   no   no   yes  yes   # /ips job end BR-2, submit
card_other_team     no   no   no   yes  yes   no   no   no   yes  yes   # /ips client BR-1
hold_other_team     no   no   no   yes  yes   no   no   no   yes  yes   # /ips hold BR-1, submit
snooze_other_team   no   no   no   yes  yes   no   no   no   yes  yes   # nudge's Snooze 7 days, BR-1
betteroff_other     no   no   no   yes  yes   no   no   no   yes  yes   # /ips betteroff BR-1, saved
card_unplaced       no   no   no   yes  yes   no   no   no   yes  yes   # /ips client NH-1
hold_unplaced       no   no   no   yes  yes   no   no   no   yes  yes   # /ips hold NH-1, submit
team_edit           no   no   no   no   yes   no   no   no   no   no    # /ips team edit Seaford, save
team_edit_button    no   no   no   no   yes   no   no   no   no   no    # Change on Seaford (replayed)
team_edit_other     no   no   no   no   yes   no   no   no   no   yes   # /ips team edit Brighton, save
staff_add           no   no   no   no   yes   no   no   no   no   no    # /ips staff add, into Seaford
staff_change        no   no   no   no   yes   no   no   no   no   no    # /ips staff change es2
staff_move_across   no   no   no   no   yes   no   no   no   no   no    # /ips staff change es_b: Seaford
staff_off           no   no   no   no   yes   no   no   no   no   no    # /ips staff deactivate es2
"""

# Who is in which Slack workspace (None: none recorded), and what each request says.
WORKSPACES: dict[str, str | None] = {"Seaford": "T0AAAA", "Brighton": "T0BBBB", "Newhaven": None}
SENT_FROM = "T0AAAA"  # the workspace someone in none (or nobody set up) uses Slack from
# For each trainer or admin kept to a workspace, their twin in none: what the twin may do and
# they may not is refused for the workspace alone, and the refusal says so.
UNPLACED_TWIN = {"rt_b": "rt", "admin_b": "admin"}

# What `/ips caseload` lists and App Home shows each person who may look (open clients).
SEAFORD_MINE = {"SF-1", "SF-2", "SF-3"}
SEAFORD = SEAFORD_MINE | {"SF-9"}
BRIGHTON_AND_NEWHAVEN = {"BR-1", "BR-2", "BR-3", "NH-1"}
EVERYONE = SEAFORD | BRIGHTON_AND_NEWHAVEN
CASELOAD = {"cc": SEAFORD_MINE, "es": SEAFORD_MINE, "tl": SEAFORD, "rt": EVERYONE,
            "admin": EVERYONE, "ba": set(), "rt_b": BRIGHTON_AND_NEWHAVEN,
            "admin_b": BRIGHTON_AND_NEWHAVEN}
# App Home: the caseload a page at a time; those who see every team get the teams overview.
HOME = {"cc": SEAFORD_MINE, "es": SEAFORD_MINE, "tl": SEAFORD, "rt": set(), "admin": set(),
        "ba": set(), "rt_b": set(), "admin_b": set()}
# The teams each may choose from (in a modal's team picker, or by name) and sees listed.
EVERY_TEAM = {"Seaford", "Brighton", "Newhaven"}
TEAMS_SEEN = {"cc": {"Seaford"}, "es": {"Seaford"}, "tl": {"Seaford"}, "ba": {"Seaford"},
              "rt": EVERY_TEAM, "admin": EVERY_TEAM, "rt_b": {"Brighton", "Newhaven"},
              "admin_b": {"Brighton", "Newhaven"}}
# Who `/ips staff` lists to each admin: the people of their workspace's teams, and those in
# no team who are in their workspace or in none.
STAFF_SEEN = {"admin": {"cc", "cc2", "es", "es2", "tl", "ba", "off", "rt", "admin", "cc_b",
                        "es_b", "tl_b", "tl_n", "rt_a", "rt_b", "admin_b"},
              "admin_b": {"rt", "admin", "cc_b", "es_b", "tl_b", "tl_n", "rt_b", "admin_b"}}


def _table(text: str) -> tuple[tuple[str, ...], dict[str, dict[str, bool]]]:
    header, *rows = [line.partition("#")[0].split() for line in text.strip().splitlines()]
    roles = tuple(header[1:])
    table = {}
    for action, *cells in rows:
        assert len(cells) == len(roles) and set(cells) <= {"yes", "no"}, action
        table[action] = dict(zip(roles, [cell == "yes" for cell in cells], strict=True))
    return roles, table


ROLES, TABLE = _table(EXPECTED)
CASES = [pytest.param(action, role, allowed, id=f"{action}-{role}-{'yes' if allowed else 'no'}")
         for action, row in TABLE.items() for role, allowed in row.items()]

# -- the world --------------------------------------------------------------------------

STRANGER = "U0STRANGER"
# Everyone set up: role, team and Slack workspace. A team's staff are in its workspace.
PEOPLE: dict[str, tuple[Role, str | None, str | None]] = {
    "cc": (Role.CARE_COORDINATOR, "Seaford", "T0AAAA"),
    "cc2": (Role.CARE_COORDINATOR, "Seaford", "T0AAAA"),
    "es": (Role.EMPLOYMENT_SPECIALIST, "Seaford", "T0AAAA"),
    "es2": (Role.EMPLOYMENT_SPECIALIST, "Seaford", "T0AAAA"),
    "tl": (Role.TEAM_LEADER, "Seaford", "T0AAAA"),
    "ba": (Role.BENEFITS_ADVISOR, "Seaford", "T0AAAA"),
    "off": (Role.TEAM_LEADER, "Seaford", "T0AAAA"),
    "rt": (Role.REGIONAL_TRAINER, None, None), "admin": (Role.ADMIN, None, None),
    "cc_b": (Role.CARE_COORDINATOR, "Brighton", "T0BBBB"),
    "es_b": (Role.EMPLOYMENT_SPECIALIST, "Brighton", "T0BBBB"),
    "tl_b": (Role.TEAM_LEADER, "Brighton", "T0BBBB"),
    "tl_n": (Role.TEAM_LEADER, "Newhaven", None),
    # A trainer of Seaford's workspace: acts in none of these cases, listed only to its admins.
    "rt_a": (Role.REGIONAL_TRAINER, None, "T0AAAA"),
    "rt_b": (Role.REGIONAL_TRAINER, None, "T0BBBB"), "admin_b": (Role.ADMIN, None, "T0BBBB"),
}
NAMES = {"cc": "Cara Coordinator", "cc2": "Colin Coordinator", "es": "Esme Specialist",
         "es2": "Evan Specialist", "tl": "Tara Leader", "ba": "Bea Advisor",
         "off": "Otto Leader", "rt": "Rhian Trainer", "admin": "Ada Admin",
         "cc_b": "Bill Coordinator", "es_b": "Beth Specialist", "tl_b": "Brian Leader",
         "tl_n": "Nora Leader", "rt_a": "Alma Trainer", "rt_b": "Rory Trainer",
         "admin_b": "Alys Admin"}
WORK_PREFERENCES = {"SF-1": "Gardening", "SF-2": "Barista work", "SF-3": "Retail",
                    "SF-9": "Bookkeeping", "BR-1": "Carpentry", "BR-2": "Warehouse",
                    "BR-3": "Driving", "NH-1": "Cooking"}
EMPLOYERS = ("Waitrose Seaford", "Costa Seaford", "Tesco Brighton", "Boots Brighton")
# What a refusal must never carry: anything about a client beyond the reference asked about.
DETAILS = (*NAMES.values(), *WORK_PREFERENCES.values(), *EMPLOYERS, *EVERY_TEAM)
# What those kept to workspace T0BBBB must never be shown, in anything sent to them: Seaford's
# name, clients, their work preferences and employers, and the people of its workspace.
SEAFORD_WORDS = ("Seaford", *(NAMES[key] for key, (_, _, ws) in PEOPLE.items() if ws == "T0AAAA"),
                 *(WORK_PREFERENCES[ref] for ref in SEAFORD))


@dataclass
class Seeded:
    """The world as seeded: who and what is who, and every row just after seeding."""

    users: dict[str, str]  # person -> Slack user id
    staff_ids: dict[str, int]
    client_ids: dict[str, int]  # reference -> id
    job_ids: dict[str, int]  # reference -> its open job's id
    teams: dict[str, int]
    rows: dict[str, list[tuple]]
    # Known to hold exactly `rows` (the last case was refused and changed nothing).
    clean: bool = True


@dataclass
class World:
    db: Database
    url: str
    fake: FakeSlack
    seeded: Seeded

    def user(self, role: str) -> str:
        return STRANGER if role == "new" else self.seeded.users[role]

    @property
    def users(self) -> dict[str, str]:
        return self.seeded.users

    @property
    def staff_ids(self) -> dict[str, int]:
        return self.seeded.staff_ids

    @property
    def client_ids(self) -> dict[str, int]:
        return self.seeded.client_ids

    @property
    def job_ids(self) -> dict[str, int]:
        return self.seeded.job_ids

    @property
    def teams(self) -> dict[str, int]:
        return self.seeded.teams

    def sent_from(self, user: str) -> str:
        """The Slack workspace `user`'s requests come from: their own, else SENT_FROM."""
        for key, (_, _, workspace) in PEOPLE.items():
            if self.users[key] == user:
                return workspace or SENT_FROM
        return SENT_FROM


def _snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every record table (idempotency keys are not records, and every
    submission here has a view id of its own)."""
    with db.reading() as s:
        return {table.name: sorted(map(tuple, s.execute(sa.select(table)).all()), key=repr)
                for table in Base.metadata.sorted_tables if table.name != "idempotency_keys"}


def _empty(db: Database) -> None:
    # DELETE, not TRUNCATE: on tables this small it is many times quicker on PostgreSQL.
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def _restore(db: Database, rows: dict[str, list[tuple]]) -> None:
    """Put back the seeded rows, ids and all: many times quicker than seeding again through
    the services (the sequences have moved past these ids, so new rows cannot clash)."""
    _empty(db)
    with db.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), [dict(zip(table.c.keys(), row, strict=True))
                                              for row in rows[table.name]])


def _seed(db: Database) -> Seeded:
    _empty(db)
    with db.transaction() as s:
        teams = {name: make_team(s, name, slack_team_id=workspace)
                 for name, workspace in WORKSPACES.items()}
        people = {key: make_staff(s, role, teams[team] if team else None, name=NAMES[key],
                                  workspace=workspace)
                  for key, (role, team, workspace) in PEOPLE.items()}
        leaders = {"Seaford": people["tl"], "Brighton": people["tl_b"], "Newhaven": people["tl_n"]}
        made: dict[str, Client] = {}
        jobs: dict[str, int] = {}

        def client(reference: str, team: str, by: str, es: str | None, status: ClientStatus,
                   employer: str | None = None) -> None:
            row = refer(s, people[by], teams[team], reference,
                        received_on=TODAY - timedelta(days=20),
                        specialist_id=people[es].id if es else None,
                        work_preferences=WORK_PREFERENCES[reference])
            made[reference] = row
            if status == ClientStatus.REFERRED:
                return
            clients.accept(s, leaders[team], row, on=TODAY - timedelta(days=19))
            if status == ClientStatus.ACCEPTED:
                return
            if status == ClientStatus.JOB_SEEKING:
                record_employer_contact(s, people[es], parse(NewEmployerContact, {
                    "employer": employer, "contacted_on": TODAY - timedelta(days=10),
                    "face_to_face": True, "client_id": row.id}))
                return
            job = record_job_start(s, people[es], parse(NewJobStart, {
                "client_id": row.id, "employer": employer, "job_title": "Barista",
                "job_type": "sales_customer_service", "hours_per_week": "16",
                "hourly_wage": "13.00", "started_on": TODAY - timedelta(days=12)}))
            s.flush()
            jobs[reference] = job.id

        client("SF-1", "Seaford", "cc", "es", ClientStatus.JOB_SEEKING, "Waitrose Seaford")
        client("SF-2", "Seaford", "cc", "es", ClientStatus.IN_WORK, "Costa Seaford")
        client("SF-3", "Seaford", "cc", "es", ClientStatus.REFERRED)
        client("SF-9", "Seaford", "cc2", "es2", ClientStatus.JOB_SEEKING, "Waitrose Seaford")
        client("BR-1", "Brighton", "cc_b", "es_b", ClientStatus.JOB_SEEKING, "Tesco Brighton")
        client("BR-2", "Brighton", "cc_b", "es_b", ClientStatus.IN_WORK, "Boots Brighton")
        client("BR-3", "Brighton", "cc_b", None, ClientStatus.REFERRED)
        client("NH-1", "Newhaven", "tl_n", None, ClientStatus.ACCEPTED)
        set_active(s, people["off"], False, actor=None)
        s.flush()
        ids = ({k: p.slack_user_id for k, p in people.items()}, {k: p.id for k, p in people.items()},
               {ref: c.id for ref, c in made.items()}, jobs,
               {name: team.id for name, team in teams.items()})
    return Seeded(*ids, rows=_snapshot(db))


@dataclass
class Bot:
    db: Database
    url: str
    fake: FakeSlack
    seeded: Seeded | None = None


@pytest.fixture(scope="module", params=BACKENDS)
def bot(request: pytest.FixtureRequest, _databases: dict[str, Database]) -> Iterator[Bot]:
    """One bot and one fake Slack per database for the module: starting and stopping them
    for each case would cost more than the case itself."""
    database = _databases[request.param]
    fake = FakeSlack().start()
    settings = BotSettings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                           slack_api_url=fake.url)
    server = make_server("127.0.0.1", 0, create_flask_app(database, settings), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    yield Bot(database, f"http://127.0.0.1:{server.server_port}/slack/events", fake)
    server.shutdown()
    fake.stop()
    _empty(database)


@pytest.fixture
def world(bot: Bot) -> World:
    """The world, seeded once for the bot and put back as seeded before any case that
    follows one that may have changed it."""
    bot.fake.calls.clear()
    if bot.seeded is None:
        bot.seeded = _seed(bot.db)
    elif not bot.seeded.clean:
        _restore(bot.db, bot.seeded.rows)
    bot.seeded.clean = False  # until the case shows it changed nothing
    return World(bot.db, bot.url, bot.fake, bot.seeded)


# -- what came back -----------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    """The last thing the person was shown: how (which Slack surface) and its words."""

    how: str
    text: str


# Where a refusal may be told: surfaces only the person acting sees.
PRIVATE = {"ephemeral", "postEphemeral", "modal_errors"}


def _words(payload: Any) -> str:
    """Every piece of text in a message, view or blocks, for searching."""
    return json.dumps(payload, ensure_ascii=False)


def _for(call: Call, user: str) -> bool:
    """Whether a Web API call was made for `user` (a modal opens for whoever triggered it)."""
    args = call.args
    return (call.method == "views.open"
            or args.get("user") == user or args.get("user_id") == user
            or user in (args.get("channel"), args.get("channel_id")))


def _first(fake: FakeSlack, user: str, *methods: str) -> Call:
    """Bolt acknowledges first and works after: wait for the first of these calls for `user`."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [c for c in list(fake.calls) if c.ok and c.method in methods and _for(c, user)]
        if found:
            return found[0]
        time.sleep(0.01)
    raise AssertionError(f"none of {methods} for {user}; calls: {[c.method for c in fake.calls]}")


def _answer(response: Any) -> Reply | None:
    """A slash command's or a view submission's HTTP answer; None when it was an empty ack."""
    assert response.status_code == 200, response.text
    if not response.text:
        return None
    body = response.json()
    if body.get("response_action") == "errors":
        return Reply("modal_errors", " ".join(body["errors"].values()))
    if body.get("response_action") == "update":
        return Reply("update", _words(body["view"]))
    how = "ephemeral" if body.get("response_type") == "ephemeral" else "public"
    return Reply(how, body.get("text", "") + _words(body.get("blocks", [])))


def _slash(w: World, user: str, text: str) -> Any:
    """`/ips <text>` from `user`, from their Slack workspace."""
    return slash(w.url, user, text, team_id=w.sent_from(user))


def _press(w: World, user: str, action_id: str, value: int) -> Any:
    """A button carrying `value` (a client's or team's id) pressed by `user` in their workspace."""
    return press(w.url, user, action_id, value, team_id=w.sent_from(user))


def _after_press(w: World, user: str) -> Reply | dict:
    """A button's outcome: the modal it opened, or what the person was told."""
    call = _first(w.fake, user, "views.open", "chat.postEphemeral", "chat.postMessage")
    if call.method == "views.open":
        return call.args["view"]
    if call.method == "chat.postEphemeral":
        return Reply("postEphemeral", call.args["text"])
    return Reply("message", call.args.get("text", ""))


def _open(w: World, user: str, text: str) -> Reply | dict:
    """`/ips <text>` expected to open a modal: the modal, or the private answer instead."""
    reply = _answer(_slash(w, user, text))
    if reply is not None:
        return reply
    return _first(w.fake, user, "views.open").args["view"]


def _confirmed(w: World, user: str) -> Reply:
    """The confirmation a modal's work sends once it is saved: a direct message."""
    return Reply("message", _first(w.fake, user, "chat.postMessage").args.get("text", ""))


def _told(w: World, user: str, starting: str) -> None:
    """Wait for a direct message to `user` that starts so."""
    deadline = time.monotonic() + 5
    while not any(c.args.get("text", "").startswith(starting) for c in w.fake.messages_to(user)):
        assert time.monotonic() < deadline, f"{user} was not told {starting!r}"
        time.sleep(0.01)


def _has_block(view: dict, block_id: str) -> bool:
    return any(b.get("block_id") == block_id for b in view["blocks"])


# Each submission a view id of its own, as each modal Slack opens has: the bot writes once
# per view id, and the world is kept between cases.
VIEW_IDS = (f"VRM{n:06d}" for n in itertools.count(1))


def _submit(w: World, user: str, view: dict, values: dict) -> Reply | None:
    return _answer(submit(w.url, user, view, values, view_id=next(VIEW_IDS),
                          team_id=w.sent_from(user)))


# -- Slack's view state ---------------------------------------------------------------

def _text(value: str | None) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def _option(kind: str, value: str) -> dict:
    return {"value": {"type": kind, "selected_option": {"value": value}}}


def _day(day: date) -> dict:
    return {"value": {"type": "datepicker", "selected_date": day.isoformat()}}


def _person(user: str | None) -> dict:
    return {"value": {"type": "users_select", "selected_user": user}}


def _number(value: str) -> dict:
    return {"value": {"type": "number_input", "value": value}}


def _pick(view: dict, block_id: str, value: str) -> dict:
    """Choose `value` in a modal's select, as a person can only choose what it offers."""
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    [option] = [o for o in block["element"]["options"] if o["value"] == value]
    return {"value": {"type": block["element"]["type"], "selected_option": option}}


def _teams_offered(w: World, role: str, view: dict) -> dict[str, dict]:
    """A modal's team picker's options, by value: exactly the teams `role` may act on."""
    [block] = [b for b in view["blocks"] if b.get("block_id") == "team"]
    offered = {o["value"]: o for o in block["element"]["options"]}
    assert set(offered) == {str(w.teams[t]) for t in TEAMS_SEEN[role]}, (role, offered)
    return offered


def _team_pick(w: World, role: str, view: dict, team: str) -> dict:
    """Choose `team` in a modal's team picker. A team not offered is sent anyway, as a modal
    opened before the team moved to another workspace (or a forged submission) would send it:
    the bot must refuse it all the same."""
    option = _teams_offered(w, role, view).get(
        str(w.teams[team]), {"value": str(w.teams[team]),
                             "text": {"type": "plain_text", "text": team}})
    return {"value": {"type": "static_select", "selected_option": option}}


# -- the actions, as a person does them in Slack ----------------------------------------------
#
# Each drives the requests and returns what the person was last shown; `check` says what an
# allowed action leaves behind; `target` is the one client (or team) it names, which a refusal
# may repeat (None: none).

@dataclass(frozen=True)
class Action:
    drive: Callable[[World, str, str], Reply]
    check: Callable[[World, str, Reply], None]
    target: str | None = None
    prepare: Callable[[World], None] | None = None
    # Where this action's refusal may be told, besides PRIVATE.
    told: frozenset[str] = frozenset()


def _modal_flow(w: World, user: str, command: str, values: Callable[[dict], dict]) -> Reply:
    opened = _open(w, user, command)
    if isinstance(opened, Reply):
        return opened
    refused = _submit(w, user, opened, values(opened))
    return refused or _confirmed(w, user)


def _press_flow(w: World, user: str, action_id: str, client_id: int,
                values: Callable[[dict], dict]) -> Reply:
    _press(w, user, action_id, client_id)
    opened = _after_press(w, user)
    if isinstance(opened, Reply):
        return opened
    refused = _submit(w, user, opened, values(opened))
    return refused or _confirmed(w, user)


def _client(w: World, reference: str) -> Client:
    with w.db.reading() as s:
        return s.get(Client, w.client_ids[reference])


def _rows(w: World, model: type, *where: Any) -> list:
    with w.db.reading() as s:
        return list(s.scalars(sa.select(model).where(*where)))


# refer

LEADER = {"Seaford": "tl", "Brighton": "tl_b"}
COORDINATOR = {"Seaford": "cc", "Brighton": "cc_b"}


def _refer(team: str, reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, "refer", lambda view: {
            "reference": _text(reference), "team": _team_pick(w, role, view, team),
            "care_coordinator": _person(w.users[COORDINATOR[team]]), "specialist": _person(None),
            "work_preferences": _text(None),
            "consent": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}}})

    return drive


def _referred(team: str, reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, Client, Client.reference == reference)
        assert (row.team_id, row.status, row.referred_by_id) == (
            w.teams[team], ClientStatus.REFERRED, w.staff_ids[role])
        assert reply.text == f"Referred {reference}. You'll hear when it is accepted."
        # Sent to no specialist in particular, so to the team's (active) team leader to accept.
        _told(w, w.users[LEADER[team]], f"New IPS referral for {team}: {reference}")

    return check


# accept and assign, from the referral message's button and menu

def _accept(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        _press(w, user, "accept_referral", w.client_ids[reference])
        reply = _after_press(w, user)
        assert isinstance(reply, Reply)
        return reply

    return drive


def _accepted(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        assert _client(w, reference).status == ClientStatus.ACCEPTED
        assert reply == Reply("message", f"Accepted {reference} onto the caseload.")
        referrer = w.users["cc" if reference.startswith("SF") else "cc_b"]
        _told(w, referrer, f"Your referral {reference} has been accepted.")

    return check


ASSIGNEE = {"SF-3": "es2", "BR-3": "es_b"}


def _assign(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        interaction(w.url, {
            "type": "block_actions", "user": {"id": user, "team_id": w.sent_from(user)},
            "team": {"id": w.sent_from(user), "domain": "nhs-ips"}, "api_app_id": "A0001",
            "token": "legacy", "trigger_id": "1.2.x", "channel": {"id": "D0001"},
            "container": {"type": "message", "channel_id": "D0001", "message_ts": "1.2"},
            "message": {"ts": "1.2", "text": "New IPS referral"},
            "actions": [{"action_id": "assign_referral",
                         "block_id": f"referral_{w.client_ids[reference]}",
                         "type": "users_select",
                         "selected_user": w.users[ASSIGNEE[reference]], "action_ts": "1.3"}]})
        reply = _after_press(w, user)
        assert isinstance(reply, Reply)
        return reply

    return drive


def _assigned(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        assert _client(w, reference).specialist_id == w.staff_ids[ASSIGNEE[reference]]
        assert reply == Reply("message",
                              f"{reference} is assigned to {NAMES[ASSIGNEE[reference]]}.")

    return check


# employer contacts: `/ips contact`, for a client or general job development

def _contact(reference: str) -> Callable[[World, str, str], Reply]:
    def values(w: World, role: str, view: dict) -> dict:
        given = {"reference": _text(reference or None), "employer": _text("Sainsburys Lewes"),
                 "contacted_on": _day(TODAY), "face_to_face": _option("radio_buttons", "yes")}
        if not reference and _has_block(view, "team"):  # those in no team say which
            given["team"] = _team_pick(w, role, view, "Seaford")
        return given

    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, "contact", lambda view: values(w, role, view))

    return drive


def _contacted(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, EmployerContact, EmployerContact.employer == "Sainsburys Lewes")
        assert (row.client_id, row.staff_id) == (w.client_ids.get(reference), w.staff_ids[role])
        if reference:
            assert reply.text == (f"Logged a face-to-face employer contact for {reference} with "
                                  "Sainsburys Lewes.")
        else:
            assert row.team_id == w.teams["Seaford"]
            assert reply.text == "Logged job development with Sainsburys Lewes."

    return check


# job starts and ends: `/ips job REF`, `/ips job end REF`

def _job_start(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, f"job {reference}", lambda view: {
            "client": _pick(view, "client", str(w.client_ids[reference])),
            "employer": _text("Sainsburys Lewes"), "job_title": _text("Shelf stacker"),
            "job_type": _option("static_select", "elementary"), "started_on": _day(TODAY),
            "hours_per_week": _number("16"), "hourly_wage": _number("13.50"),
            "age_band": _option("radio_buttons", "21_and_over"),
            "open_to_anyone": _option("radio_buttons", "yes")})

    return drive


def _job_started(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [job] = _rows(w, Job, Job.employer == "Sainsburys Lewes")
        assert (job.client_id, job.recorded_by_id) == (w.client_ids[reference], w.staff_ids[role])
        assert _client(w, reference).status == ClientStatus.IN_WORK
        assert reply.text.startswith(f"Job start recorded for {reference}.")

    return check


def _job_end(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, f"job end {reference}", lambda view: {
            "job": _pick(view, "job", str(w.job_ids[reference])),
            "ended_on": _day(TODAY), "reason": _option("radio_buttons", "contract_ended"),
            "details": _text("Temporary contract ended")})

    return drive


def _job_ended(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [job] = _rows(w, Job, Job.id == w.job_ids[reference])
        assert (job.ended_on, job.end_reason_code.value, job.end_reason) == (
            TODAY, "contract_ended", "Temporary contract ended")
        assert _client(w, reference).status == ClientStatus.JOB_SEEKING
        assert reference in reply.text

    return check


# the client card: `/ips client REF`

def _card(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        reply = _answer(_slash(w, user, f"client {reference}"))
        assert reply is not None
        return reply

    return drive


def _card_shown(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        assert reply.how == "ephemeral"
        assert f"Client {reference}" in reply.text and "Only you can see this" in reply.text

    return check


# hold and discharge: `/ips hold REF`, `/ips discharge REF`

def _hold(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, f"hold {reference}", lambda view: {
            "reason": _text("Back in hospital for a while"),
            "until": {"value": {"type": "datepicker", "selected_date": None}}})

    return drive


def _held(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        record = _client(w, reference)
        assert (record.status, record.hold_reason) == (ClientStatus.ON_HOLD,
                                                       "Back in hospital for a while")
        assert reply.text == f"{reference} is on hold; no nudges meanwhile."

    return check


def _discharge(w: World, role: str, user: str) -> Reply:
    return _modal_flow(w, user, "discharge SF-1", lambda view: {
        "reason": _text("Moved out of the area"), "on": _day(TODAY)})


def _discharged(w: World, role: str, reply: Reply) -> None:
    record = _client(w, "SF-1")
    assert (record.status, record.discharged_on) == (ClientStatus.DISCHARGED, TODAY)
    assert reply.text.startswith("SF-1 is discharged from IPS")


# snooze: the four-week nudge's "Snooze 7 days" button, then its modal

def _snooze(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _press_flow(w, user, "nudge_snooze", w.client_ids[reference],
                           lambda view: {"reason": _text("Interview next week")})

    return drive


def _snoozed(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, ClientSnooze)
        assert (row.client_id, row.staff_id, row.until) == (
            w.client_ids[reference], w.staff_ids[role], TODAY + timedelta(days=7))
        assert reply.text == f"Nudges about {reference} are snoozed for 7 days."

    return check


# "just ask": the weekly prompt the clock sends each coordinator, its "They'd like work"
# button, then the modal. (`/ips justask` shows the same prompt.)

def _just_ask(w: World, role: str, user: str) -> Reply:
    prompt = just_ask_prompt(TODAY - timedelta(days=TODAY.weekday())).as_kwargs()
    [button] = [e for b in prompt["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "just_ask_wants_work"]
    interaction(w.url, {
        "type": "block_actions", "user": {"id": user, "team_id": w.sent_from(user)},
        "team": {"id": w.sent_from(user), "domain": "nhs-ips"}, "api_app_id": "A0001", "token": "legacy",
        "trigger_id": "1.2.j", "channel": {"id": "D0001", "name": "directmessage"},
        "container": {"type": "message", "channel_id": "D0001", "message_ts": "1.2"},
        "message": {"ts": "1.2", "text": prompt["text"]},
        "actions": [{"action_id": button["action_id"], "block_id": "just_ask",
                     "value": button["value"], "type": "button", "action_ts": "1.3"}]})
    opened = _after_press(w, user)
    if isinstance(opened, Reply):
        return opened
    refused = _submit(w, user, opened, {"asked_count": _number("3"),
                                        "said_yes_count": _number("2"),
                                        "referred_count": _number("1")})
    return refused or _confirmed(w, user)


def _answered(w: World, role: str, reply: Reply) -> None:
    [row] = _rows(w, JustAskResponse)
    assert (row.staff_id, row.asked_count, row.said_yes_count, row.referred_count) == (
        w.staff_ids[role], 3, 2, 1)
    assert row.week_starting == TODAY - timedelta(days=TODAY.weekday())
    assert reply.text == "Thanks: saved. 1 person said yes and is not referred yet."


# `/ips caseload`, and App Home

REFERENCE = re.compile(r"\b(?:SF|BR|NH)-[0-9]+\b")


def _caseload(w: World, role: str, user: str) -> Reply:
    reply = _answer(_slash(w, user, "caseload"))
    assert reply is not None
    return reply


def _caseload_shown(w: World, role: str, reply: Reply) -> None:
    assert reply.how == "ephemeral"
    assert set(REFERENCE.findall(reply.text)) == CASELOAD[role]
    if role == "ba":  # advisors keep no caseload, and are told what they can do instead
        assert "Benefits advisors have no caseload" in reply.text
    elif not CASELOAD[role]:
        assert "nobody yet" in reply.text


def _home(w: World, role: str, user: str) -> Reply:
    event(w.url, {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home",
                  "event_ts": "1.2"}, team_id=w.sent_from(user))
    published = _first(w.fake, user, "views.publish")
    assert published.args["user_id"] == user
    return Reply("home", _words(published.args["view"]["blocks"]))


def _teams_named(text: str) -> set[str]:
    return {team for team in EVERY_TEAM if team in text}


def _home_shown(w: World, role: str, reply: Reply) -> None:
    assert set(REFERENCE.findall(reply.text)) == HOME[role]
    if role in ("rt", "admin", "rt_b", "admin_b"):  # the overview: a line for each team seen
        assert {t for t in EVERY_TEAM if f"*{t}*" in reply.text} == TEAMS_SEEN[role]
        assert _teams_named(reply.text) == TEAMS_SEEN[role]
    if role == "tl":
        assert "Next fidelity review" in reply.text
        assert _teams_named(reply.text) <= {"Seaford"}
    if role == "ba":
        assert "Better-off calculations" in reply.text
        assert _teams_named(reply.text) <= {"Seaford"}


# better-off calculation saved against a client: `/ips betteroff REF`, the modal, the answer

ANSWERS = {"age": "34", "nation": "england", "capability": "lcwra_protected",
           "pip_daily_living": "none", "esa": "none", "couple": "no", "tenure": "social_rent",
           "rent_monthly": "450", "hours_per_week": "16", "hourly_wage": "12.71",
           "pay_frequency": "weekly"}
SELECTS = {"nation", "capability", "pip_daily_living", "esa", "couple", "tenure", "pay_frequency"}


def _betteroff(reference: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        opened = _open(w, user, f"betteroff {reference}")
        if isinstance(opened, Reply):
            return opened
        state: dict = {"client_reference": _text(reference)}
        for block, answer in ANSWERS.items():
            state[block] = (_option("static_select", answer) if block in SELECTS
                            else _number(answer))
        refused = _submit(w, user, opened, state)
        if refused:
            return refused
        # The answer comes as a direct message, then any note about saving, then the chart.
        dm = "D" + user.lstrip("UW")  # the direct message conversations.open gives the fake
        _first(w.fake, dm, "files.completeUploadExternal")
        messages = [c.args.get("text", "") for c in w.fake.successful("chat.postMessage")
                    if c.args["channel"] == dm]
        return Reply("dm", messages[-1])

    return drive


def _betteroff_saved(reference: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, BetterOffCalculation)
        assert (row.client_id, row.staff_id) == (w.client_ids[reference], w.staff_ids[role])
        assert reply.text.startswith("About £") and reference in reply.text

    return check


# fidelity reviews: `/ips review`, the first page, then scheduling or the scoring pages

def _review_start(w: World, role: str, user: str, choice: str) -> Reply | dict:
    opened = _open(w, user, f"review {choice}")
    if isinstance(opened, Reply):
        return opened
    values = {"action": _option("radio_buttons", choice)}
    if _has_block(opened, "team"):
        values["team"] = _team_pick(w, role, opened, "Seaford")
    reply = _submit(w, user, opened, values)
    assert reply is not None
    if reply.how != "update":
        return reply
    return json.loads(reply.text)


def _review_schedule(w: World, role: str, user: str) -> Reply:
    form = _review_start(w, role, user, "schedule")
    if isinstance(form, Reply):
        return form
    refused = _submit(w, user, form, {"scheduled_for": _day(next_working_day(TODAY + timedelta(days=70))),
                                      "reviewer": _person(None)})
    return refused or _confirmed(w, user)


def _review_scheduled(w: World, role: str, reply: Reply) -> None:
    [review] = _rows(w, FidelityReview)
    assert (review.team_id, review.scheduled_for, review.status) == (
        w.teams["Seaford"], next_working_day(TODAY + timedelta(days=70)), ReviewStatus.SCHEDULED)
    assert "Seaford" in reply.text


def _schedule_for_scoring(w: World) -> None:
    with w.db.transaction() as s:
        schedule_review(s, s.get(Staff, w.staff_ids["admin"]), ScheduleReview(
            team_id=w.teams["Seaford"], scheduled_for=next_working_day(TODAY),
            reviewer_id=w.staff_ids["rt"]))


def _review_score(w: World, role: str, user: str) -> Reply:
    page = _review_start(w, role, user, "score")
    for codes in PAGES:
        if isinstance(page, Reply):
            return page
        reply = _submit(w, user, page, {code: _option("static_select", "4") for code in codes})
        assert reply is not None
        page = json.loads(reply.text) if reply.how == "update" else reply
    if isinstance(page, Reply):
        return page
    refused = _submit(w, user, page, {"conducted_on": _day(TODAY)})
    return refused or _confirmed(w, user)


def _review_scored(w: World, role: str, reply: Reply) -> None:
    done = _rows(w, FidelityReview, FidelityReview.status == ReviewStatus.COMPLETED)
    assert [(r.team_id, r.total, r.conducted_on) for r in done] == [
        (w.teams["Seaford"], 100, TODAY)]
    assert reply.text == "Seaford's fidelity review is saved: 100 of 125, good fidelity."


# `/ips team` and `/ips staff`: the admin's lists

def _listing(command: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        reply = _answer(_slash(w, user, command))
        assert reply is not None
        return reply

    return drive


def _teams_listed(w: World, role: str, reply: Reply) -> None:
    assert reply.how == "ephemeral"
    assert _teams_named(reply.text) == TEAMS_SEEN[role]
    assert reply.text.startswith(f"{len(TEAMS_SEEN[role])} teams in IPS Assist")


def _staff_listed(w: World, role: str, reply: Reply) -> None:
    assert reply.how == "ephemeral"
    assert {key for key, name in NAMES.items() if name in reply.text} == STAFF_SEEN[role]
    assert reply.text.startswith(f"{len(STAFF_SEEN[role])} people in IPS Assist")


# teams and staff changed by an admin: `/ips team edit NAME` or a team's Change button, then
# the modal; `/ips staff add|change|deactivate`, then the modal

def _new_targets(view: dict) -> dict:
    """Seven referrals and three job starts a month; reminder times left to the clock."""
    return {"referral_target": _number("7"), "job_start_target": _number("3"),
            "nudges_at": {"value": {"type": "timepicker", "selected_time": None}},
            "just_ask_day": {"value": {"type": "static_select", "selected_option": None}},
            "just_ask_at": {"value": {"type": "timepicker", "selected_time": None}}}


def _team_edit(team: str) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, f"team edit {team}", _new_targets)

    return drive


def _team_edit_button(team: str) -> Callable[[World, str, str], Reply]:
    """The Change button of `team`'s line in `/ips team`; pressed by anyone, as a message
    forwarded, kept from before the team moved workspace, or replayed would let them."""
    def drive(w: World, role: str, user: str) -> Reply:
        return _press_flow(w, user, OPEN_TEAM_EDIT, w.teams[team], _new_targets)

    return drive


def _team_changed(team: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, Team, Team.id == w.teams[team])
        assert (row.referral_target_per_month, row.job_start_target_per_month) == (7, 3)
        assert reply.text.startswith(f"{team}: 7 referrals and 3 job starts a month")

    return check


def _staff(command: str, values: Callable[[World, str, dict], dict]
           ) -> Callable[[World, str, str], Reply]:
    def drive(w: World, role: str, user: str) -> Reply:
        return _modal_flow(w, user, f"staff {command}", lambda view: values(w, role, view))

    return drive


NEWCOMER = "U0NEWCOMER"


def _newcomer(w: World, role: str, view: dict) -> dict:
    return {"user": _person(NEWCOMER), "display_name": _text("Nia Newcomer"),
            "role": _option("static_select", Role.EMPLOYMENT_SPECIALIST.value),
            "team": _team_pick(w, role, view, "Seaford"), "fte": _number("1.0")}


def _added(w: World, role: str, reply: Reply) -> None:
    [row] = _rows(w, Staff, Staff.slack_user_id == NEWCOMER)
    # Added in the workspace the admin ran `/ips staff add` in.
    assert (row.display_name, row.role, row.team_id, row.slack_team_id) == (
        "Nia Newcomer", Role.EMPLOYMENT_SPECIALIST, w.teams["Seaford"],
        w.sent_from(w.user(role)))
    assert reply.text.startswith("Added Nia Newcomer as an employment specialist in Seaford")


def _role_change(person: str, new_role: Role, team: str | None
                 ) -> Callable[[World, str, dict], dict]:
    """`person` given `new_role`, moved to `team` (None: left in theirs)."""
    def values(w: World, role: str, view: dict) -> dict:
        _teams_offered(w, role, view)
        picked = (_team_pick(w, role, view, team) if team else
                  {"value": {"type": "static_select", "selected_option": None}})
        return {"user": _person(w.users[person]),
                "role": _option("static_select", new_role.value), "team": picked}

    return values


def _role_changed(person: str, new_role: Role, team: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, Staff, Staff.id == w.staff_ids[person])
        assert (row.role, row.team_id) == (new_role, w.teams[team])
        assert reply.text.startswith(f"{NAMES[person]} is now a") and reply.text.endswith(
            f" in {team}.")

    return check


def _switch_off(person: str) -> Callable[[World, str, dict], dict]:
    return lambda w, role, view: {"user": _person(w.users[person])}


def _switched_off(person: str) -> Callable[[World, str, Reply], None]:
    def check(w: World, role: str, reply: Reply) -> None:
        [row] = _rows(w, Staff, Staff.id == w.staff_ids[person])
        assert not row.active
        assert reply.text.startswith(f"{NAMES[person]}'s access to IPS Assist is switched off")

    return check


# The better-off answer comes as a direct message (with a chart, which an ephemeral message
# cannot carry), so a refusal to save it against the client comes with it.
IN_THE_ANSWER = frozenset({"dm"})

ACTIONS: dict[str, Action] = {
    "refer": Action(_refer("Seaford", "SF-50"), _referred("Seaford", "SF-50"), "SF-50"),
    "refer_other_team": Action(_refer("Brighton", "BR-50"), _referred("Brighton", "BR-50"),
                               "BR-50"),
    "accept": Action(_accept("SF-3"), _accepted("SF-3"), "SF-3"),
    "assign": Action(_assign("SF-3"), _assigned("SF-3"), "SF-3"),
    "contact": Action(_contact("SF-1"), _contacted("SF-1"), "SF-1"),
    "job_development": Action(_contact(""), _contacted("")),
    "job_start": Action(_job_start("SF-1"), _job_started("SF-1"), "SF-1"),
    "job_end": Action(_job_end("SF-2"), _job_ended("SF-2"), "SF-2"),
    "card": Action(_card("SF-1"), _card_shown("SF-1"), "SF-1"),
    "hold": Action(_hold("SF-1"), _held("SF-1"), "SF-1"),
    "discharge": Action(_discharge, _discharged, "SF-1"),
    "snooze": Action(_snooze("SF-1"), _snoozed("SF-1"), "SF-1"),
    "just_ask": Action(_just_ask, _answered),
    "caseload": Action(_caseload, _caseload_shown),
    "betteroff": Action(_betteroff("SF-1"), _betteroff_saved("SF-1"), "SF-1", told=IN_THE_ANSWER),
    "review_schedule": Action(_review_schedule, _review_scheduled),
    "review_score": Action(_review_score, _review_scored, prepare=_schedule_for_scoring),
    "team": Action(_listing("team"), _teams_listed),
    "staff": Action(_listing("staff"), _staff_listed),
    "home": Action(_home, _home_shown, told=frozenset({"home"})),
    "card_colleague": Action(_card("SF-9"), _card_shown("SF-9"), "SF-9"),
    "hold_colleague": Action(_hold("SF-9"), _held("SF-9"), "SF-9"),
    "accept_other_team": Action(_accept("BR-3"), _accepted("BR-3"), "BR-3"),
    "assign_other_team": Action(_assign("BR-3"), _assigned("BR-3"), "BR-3"),
    "contact_other_team": Action(_contact("BR-1"), _contacted("BR-1"), "BR-1"),
    "job_start_other": Action(_job_start("BR-1"), _job_started("BR-1"), "BR-1"),
    "job_end_other": Action(_job_end("BR-2"), _job_ended("BR-2"), "BR-2"),
    "card_other_team": Action(_card("BR-1"), _card_shown("BR-1"), "BR-1"),
    "hold_other_team": Action(_hold("BR-1"), _held("BR-1"), "BR-1"),
    "snooze_other_team": Action(_snooze("BR-1"), _snoozed("BR-1"), "BR-1"),
    "betteroff_other": Action(_betteroff("BR-1"), _betteroff_saved("BR-1"), "BR-1",
                              told=IN_THE_ANSWER),
    "card_unplaced": Action(_card("NH-1"), _card_shown("NH-1"), "NH-1"),
    "hold_unplaced": Action(_hold("NH-1"), _held("NH-1"), "NH-1"),
    "team_edit": Action(_team_edit("Seaford"), _team_changed("Seaford"), "Seaford"),
    "team_edit_button": Action(_team_edit_button("Seaford"), _team_changed("Seaford")),
    "team_edit_other": Action(_team_edit("Brighton"), _team_changed("Brighton"), "Brighton"),
    "staff_add": Action(_staff("add", _newcomer), _added),
    "staff_change": Action(
        _staff("change", _role_change("es2", Role.CARE_COORDINATOR, None)),
        _role_changed("es2", Role.CARE_COORDINATOR, "Seaford")),
    "staff_move_across": Action(
        _staff("change", _role_change("es_b", Role.EMPLOYMENT_SPECIALIST, "Seaford")),
        _role_changed("es_b", Role.EMPLOYMENT_SPECIALIST, "Seaford")),
    "staff_off": Action(_staff("deactivate", _switch_off("es2")), _switched_off("es2")),
}


def test_every_action_in_the_table_is_driven() -> None:
    assert set(ACTIONS) == set(TABLE)
    assert ROLES == ("cc", "es", "tl", "rt", "admin", "ba", "off", "new", "rt_b", "admin_b")
    assert set(ROLES) - {"new"} <= set(PEOPLE)
    for kept, twin in UNPLACED_TWIN.items():  # the same role, in a workspace and in none
        assert PEOPLE[kept][0] == PEOPLE[twin][0] and PEOPLE[kept][1:] == (None, "T0BBBB")
        assert PEOPLE[twin][1:] == (None, None)


# -- the matrix ----------------------------------------------------------------------------

# A sentence saying what is not allowed (or, for another team's client, that there is none
# such in yours: it does not say the client exists elsewhere).
REFUSAL = re.compile(r"\b(only|not allowed|cannot|switched off|are made by|are for|no client|"
                     r"no team)\b", re.IGNORECASE)
# Refused only for being kept to their own workspace, a trainer or admin is told that (or,
# asking after another's client or team by name, that there is none such in theirs).
OWN_WORKSPACE = re.compile(r"own Slack workspace|No client \S+ in your Slack workspace|"
                           r"no client \S+ in your Slack workspace|no team called", re.IGNORECASE)


def _assert_refused(reply: Reply, role: str, act: Action, action: str) -> None:
    assert reply.how in PRIVATE | act.told, reply
    if role == "new":
        assert "ask your team leader to add you" in reply.text, reply
    elif role == "off":
        assert "switched off" in reply.text, reply
    elif role in UNPLACED_TWIN and TABLE[action][UNPLACED_TWIN[role]]:
        assert OWN_WORKSPACE.search(reply.text), reply
    else:
        assert REFUSAL.search(reply.text), reply
    assert set(REFERENCE.findall(reply.text)) <= {act.target}, reply
    assert not [d for d in DETAILS if d in reply.text and d != act.target], reply


def _everything_shown(w: World, user: str, reply: Reply) -> str:
    """What `user` was shown in this case: the last reply, and every Web API call for them
    (modals opened, messages, Home), their direct messages included."""
    dm = "D" + user.lstrip("UW")
    return reply.text + _words([c.args for c in list(w.fake.calls)
                                if _for(c, user) or c.args.get("channel") == dm])


def _assert_nothing_of_seaford(w: World, user: str, reply: Reply, act: Action) -> None:
    """Those kept to Brighton's workspace are shown nothing of Seaford, whatever they do; a
    refusal may repeat what they asked about, no more."""
    shown = _everything_shown(w, user, reply)
    leaked = [word for word in SEAFORD_WORDS if word in shown and word != act.target]
    leaked += [ref for ref in REFERENCE.findall(shown) if ref in SEAFORD and ref != act.target]
    assert not leaked, (leaked, shown)


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_role_tries_action(world: World, action: str, role: str, allowed: bool) -> None:
    act = ACTIONS[action]
    if act.prepare is not None:
        act.prepare(world)
    before = _snapshot(world.db) if act.prepare is not None else world.seeded.rows
    reply = act.drive(world, role, world.user(role))
    if allowed:
        act.check(world, role, reply)
    else:
        _assert_refused(reply, role, act, action)
        assert _snapshot(world.db) == before
        world.seeded.clean = act.prepare is None
    if role in UNPLACED_TWIN:
        _assert_nothing_of_seaford(world, world.user(role), reply, act)
