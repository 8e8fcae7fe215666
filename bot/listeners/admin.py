"""`/ips team` and `/ips staff`: admins list, add and change teams and staff from Slack.

Anyone else is told privately what they may not do, and nothing opens. The caseload services
check the role again on every change and audit it with the admin as the actor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.listeners.common import open_for_presser, sentence, tell_privately
from bot.listeners.dispatch import Invocation, open_modal, reply
from bot.listeners.submissions import save_and_confirm
from bot.modal_input import Values, given, submitted, values_of
from bot.views import admin as views
from caseload import staff as staff_service
from caseload import teams as team_service
from caseload.access import require_admin, shares_workspace
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput, NotFound, UnknownUser
from caseload.in_work import InWorkRhythm
from caseload.models import Role, Staff, Team
from caseload.validation import parse
from messaging.views import Message

log = logging.getLogger("bot.admin")

MANAGE_TEAMS = "list, add or change teams"
MANAGE_STAFF = "list, add or change staff"
# What was typed after `/ips team` or `/ips staff` is echoed back only this far.
_ECHO = 100


def _person(session: Session, values: Values) -> Staff:
    slack_user_id = submitted(values, "user")
    if not slack_user_id:
        raise InvalidInput.one("user", "choose the person")
    try:
        return staff_service.staff_by_slack_id(session, slack_user_id)
    except UnknownUser:
        raise InvalidInput.one("user", "that person is not set up in IPS Assist yet: add them "
                                       "with /ips staff add") from None


def _team(session: Session, actor: Staff, team_id: int) -> Team:
    """A team the admin may manage: one of their own workspace's."""
    team = team_service.get_team(session, team_id)
    require_admin(actor, MANAGE_TEAMS, of=team)
    return team


def _team_name(session: Session, team_id: int | None) -> str | None:
    return team_service.get_team(session, team_id).name if team_id is not None else None


# -- modal submissions ---------------------------------------------------------------------

TEAM_ADD_BLOCKS = {"name": "name", "nation": "nation", "slack_channel_id": "channel",
                   "referral_target_per_month": "referral_target",
                   "job_start_target_per_month": "job_start_target",
                   "service_started_on": "service_started_on"}
TEAM_EDIT_BLOCKS = {"referral_target_per_month": "referral_target",
                    "job_start_target_per_month": "job_start_target",
                    "nudges_at": "nudges_at", "just_ask_weekday": "just_ask_day",
                    "just_ask_at": "just_ask_at", "working_days": "referral_wait",
                    "first_weeks": "in_work_first_weeks",
                    "first_every_days": "in_work_first_every",
                    "then_every_days": "in_work_then_every"}
RHYTHM_FIELDS = ("first_weeks", "first_every_days", "then_every_days")
STAFF_ADD_FIELDS = {"slack_user_id": "user", "display_name": "display_name", "role": "role",
                    "team_id": "team", "fte": "fte"}
# A rule about the whole person ("a team leader must belong to a team") is shown at the team.
STAFF_ADD_BLOCKS = {**STAFF_ADD_FIELDS, "input": "team"}
STAFF_CHANGE_BLOCKS = {"user": "user", "role": "role", "team": "team"}
ACCESS_BLOCKS = {"user": "user"}


def _team_add_in(workspace: str | None) -> Callable[[Session, Staff, dict[str, Any]], str]:
    """Add the team in the admin's workspace, whose trainers and admins are the ones to see it."""
    def add(session: Session, actor: Staff, view: dict[str, Any]) -> str:
        new = parse(team_service.NewTeam, {**given(values_of(view), TEAM_ADD_BLOCKS),
                                           "slack_team_id": workspace})
        return views.team_added(team_service.add_team(session, new, actor=actor))

    return add


def _team_edit(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    values = values_of(view)
    given = {field: submitted(values, block) for field, block in TEAM_EDIT_BLOCKS.items()}
    given = {field: None if value == "" else value for field, value in given.items()}
    team = _team(session, actor, int(view["private_metadata"]))
    # Every part is checked before any is saved, so every mistake shows at once.
    errors = []
    try:
        targets = parse(team_service.TeamTargets, {
            "referral_target_per_month": given["referral_target_per_month"],
            "job_start_target_per_month": given["job_start_target_per_month"]})
    except InvalidInput as exc:
        errors += exc.errors
    try:
        # Left empty, a reminder time is the clock's usual one (TeamSchedule's None).
        schedule = parse(team_service.TeamSchedule, {
            "nudges_at": given["nudges_at"], "just_ask_weekday": given["just_ask_weekday"],
            "just_ask_at": given["just_ask_at"]})
    except InvalidInput as exc:
        errors += exc.errors
    # A modal opened before the wait and the rhythm were in it keeps the team's own as they are.
    for field, now in _current(team).items():
        if TEAM_EDIT_BLOCKS[field] not in values:
            given[field] = now
    try:
        # Left empty, the wait is the usual 5 working days (ReferralWait's None).
        wait = parse(team_service.ReferralWait, {"working_days": given["working_days"]})
    except InvalidInput as exc:
        errors += exc.errors
    try:
        rhythm = parse(team_service.InWorkRhythmSetting,
                       {field: given[field] for field in RHYTHM_FIELDS})
    except InvalidInput as exc:
        errors += exc.errors
    if errors:
        raise InvalidInput(errors)
    team_service.set_targets(session, team, targets, actor=actor)
    team_service.set_schedule(session, team, schedule, actor=actor)
    team_service.set_referral_wait(session, team, wait, actor=actor)
    team_service.set_in_work_rhythm(session, team, rhythm, actor=actor)
    return views.team_changed(team)


def _current(team: Team) -> dict[str, int | None]:
    rhythm = InWorkRhythm.of(team)
    return {"working_days": team.referral_wait_working_days, "first_weeks": rhythm.first_weeks,
            "first_every_days": rhythm.first_every_days,
            "then_every_days": rhythm.then_every_days}


def request_workspace(body: dict[str, Any]) -> str | None:
    """The Slack workspace (team id) a request came from: `team.id`, else the user's own."""
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")


def _staff_add_in(workspace: str | None) -> Callable[[Session, Staff, dict[str, Any]], str]:
    """Add the person in the admin's workspace: the users picker only offers people there, and
    with several workspaces installed the clock needs it to send with that workspace's token."""
    def add(session: Session, actor: Staff, view: dict[str, Any]) -> str:
        new = parse(staff_service.NewStaff, {**given(values_of(view), STAFF_ADD_FIELDS),
                                             "slack_team_id": workspace})
        added = staff_service.add_staff(session, new, actor=actor)
        return views.staff_added(added, _team_name(session, added.team_id))

    return add


def _staff_change(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    values = values_of(view)
    person = _person(session, values)
    role = submitted(values, "role")
    if role not in {r.value for r in Role}:
        raise InvalidInput.one("role", "choose the new role")
    team = submitted(values, "team")
    staff_service.set_role(session, person, Role(role), int(team) if team else None, actor=actor)
    return views.role_changed(person, _team_name(session, person.team_id))


def _staff_access(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    person = _person(session, values_of(view))
    staff_service.set_active(session, person, view["private_metadata"] == "on", actor=actor)
    return views.access_changed(person)


# -- what the subcommands answer -----------------------------------------------------------

def _refused(inv: Invocation, what: str) -> bool:
    """Answer anyone but an active admin privately, saying what they may not do."""
    try:
        require_admin(inv.person, what)
    except CaseloadError as exc:
        log.info("/ips %s refused for staff %s (%s)", inv.name, inv.person.id, inv.person.role.value)
        inv.ack(response_type="ephemeral", text=sentence(exc))
        return True
    return False


def _team_called(session: Session, actor: Staff, name: str) -> Team:
    wanted = name.strip().casefold()
    found = [t for t in team_service.teams_in_workspace(session, actor) if t.name.casefold() == wanted]
    if not found:
        raise NotFound(f"There is no team called {name.strip()[:_ECHO]!r}: `/ips team` lists them.")
    return found[0]


def _team_choices(session: Session, actor: Staff) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in team_service.teams_in_workspace(session, actor)]


def _team_list(database: Database, actor: Staff) -> Message:
    with database.reading() as session:
        teams = team_service.teams_in_workspace(session, actor)
        active: dict[int, int] = {}
        for person in staff_service.list_staff(session):
            if person.active and person.team_id is not None:
                active[person.team_id] = active.get(person.team_id, 0) + 1
    return views.team_list(teams, active)


def _staff_list(database: Database, actor: Staff, team_name: str) -> Message:
    with database.reading() as session:
        if team_name:
            team = _team_called(session, actor, team_name)
            return views.staff_list([(team.name, staff_service.list_staff(session, team.id))])
        everyone = staff_service.list_staff(session)
        groups = [(t.name, [p for p in everyone if p.team_id == t.id])
                  for t in team_service.teams_in_workspace(session, actor)]
        teamless = [p for p in everyone if p.team_id is None and shares_workspace(actor, p)]
    return views.staff_list([*groups, ("Regional trainers and admins (no team)", teamless)])


def team_command(inv: Invocation) -> None:
    """`/ips team [list]`, `/ips team add`, `/ips team edit NAME`."""
    if _refused(inv, MANAGE_TEAMS):
        return
    action = inv.words[0].lower() if inv.words else "list"
    rest = " ".join(inv.words[1:])
    if action == "list":
        reply(inv, lambda: _team_list(inv.database, inv.person))
    elif action == "add":
        open_modal(inv, lambda session, actor: views.team_add_modal())
    elif action in ("edit", "change", "schedule", "targets"):
        if not rest:
            inv.ack(response_type="ephemeral", text="Which team? Use `/ips team edit NAME`, or "
                    "press Change beside it in `/ips team`.")
            return
        open_modal(inv, lambda session, actor: views.team_edit_modal(
            _team_called(session, actor, rest)))
    else:
        inv.ack(response_type="ephemeral", text=f"That is not a team command. {views.TEAM_USAGE}.")


STAFF_MODALS: dict[str, Callable[[Session, Staff], View]] = {
    "add": lambda session, actor: views.staff_add_modal(_team_choices(session, actor)),
    "change": lambda session, actor: views.staff_change_modal(_team_choices(session, actor)),
    "deactivate": lambda session, actor: views.staff_access_modal(active=False),
    "reactivate": lambda session, actor: views.staff_access_modal(active=True),
}
STAFF_ALIASES = {"role": "change", "move": "change", "off": "deactivate", "on": "reactivate"}


def staff_command(inv: Invocation) -> None:
    """`/ips staff [list] [TEAM]`, `/ips staff add|change|deactivate|reactivate`."""
    if _refused(inv, MANAGE_STAFF):
        return
    action = inv.words[0].lower() if inv.words else "list"
    action = STAFF_ALIASES.get(action, action)
    if action in STAFF_MODALS:
        open_modal(inv, STAFF_MODALS[action])
        return
    # `/ips staff list TEAM`, or just `/ips staff TEAM`.
    team_name = " ".join(inv.words[1:] if action == "list" else inv.words)
    reply(inv, lambda: _staff_list(inv.database, inv.person, team_name))


# -- buttons on the team list --------------------------------------------------------------

def _open_from_button(database: Database, what: str, make: Callable[[Session, Staff, str], View],
                      ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """A button's modal, for an admin: the button's value says which team, if any."""
    def admin_view(session: Session, actor: Staff) -> View:
        require_admin(actor, what)
        return make(session, actor, body["actions"][0].get("value") or "")

    refusal = open_for_presser(database, ack, body, client, admin_view)
    if refusal is not None:
        tell_privately(client, body, sentence(refusal) if isinstance(refusal, CaseloadError)
                       else "That team is not known.")


def _team_add_view(session: Session, actor: Staff, value: str) -> View:
    return views.team_add_modal()


def _team_edit_view(session: Session, actor: Staff, value: str) -> View:
    return views.team_edit_modal(_team(session, actor, int(value)))


def _staff_add_view(session: Session, actor: Staff, value: str) -> View:
    return views.staff_add_modal(_team_choices(session, actor))


def team_add_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _team_add_in(request_workspace(body)),
                     TEAM_ADD_BLOCKS, "name")


def team_edit_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _team_edit, TEAM_EDIT_BLOCKS, "referral_target")


def staff_add_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _staff_add_in(request_workspace(body)),
                     STAFF_ADD_BLOCKS, "user")


def staff_change_submitted(database: Database, ack: Ack, body: dict[str, Any],
                           client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _staff_change, STAFF_CHANGE_BLOCKS, "user")


def staff_access_submitted(database: Database, ack: Ack, body: dict[str, Any],
                           client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _staff_access, ACCESS_BLOCKS, "user")


def register(app: App, database: Database) -> None:
    app.action(views.OPEN_TEAM_ADD)(partial(_open_from_button, database, MANAGE_TEAMS, _team_add_view))
    app.action(views.OPEN_TEAM_EDIT)(partial(_open_from_button, database, MANAGE_TEAMS, _team_edit_view))
    app.action(views.OPEN_STAFF_ADD)(partial(_open_from_button, database, MANAGE_STAFF, _staff_add_view))
    app.view(views.TEAM_ADD)(partial(team_add_submitted, database))
    app.view(views.TEAM_EDIT)(partial(team_edit_submitted, database))
    app.view(views.STAFF_ADD)(partial(staff_add_submitted, database))
    app.view(views.STAFF_CHANGE)(partial(staff_change_submitted, database))
    app.view(views.STAFF_ACCESS)(partial(staff_access_submitted, database))
