"""`/ips team` and `/ips staff`: the lists an admin sees, the modals they fill in, the answers.

Pure functions from teams and staff to Block Kit. Names are what an admin typed, so they are
escaped before they go into mrkdwn.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from caseload.in_work import InWorkRhythm
from caseload.models import Nation, Role, Staff, Team
from caseload.referral_waits import DEFAULT_WAIT_WORKING_DAYS, wait_allowed
from messaging.views import MESSAGE_BLOCK_LIMIT, Message, line_sections

TEAM_ADD = "admin_team_add_modal"
TEAM_EDIT = "admin_team_edit_modal"
STAFF_ADD = "admin_staff_add_modal"
STAFF_CHANGE = "admin_staff_change_modal"
STAFF_ACCESS = "admin_staff_access_modal"
# Buttons on the team list.
OPEN_TEAM_ADD = "admin_open_team_add"
OPEN_TEAM_EDIT = "admin_open_team_edit"
OPEN_STAFF_ADD = "admin_open_staff_add"

# A team without its own times gets the clock's (set by the operator; 09:00 and 10:00 unless
# changed), and the "just ask" prompt on Monday.
DEFAULT_TIME = "the usual time"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
NATIONS = {Nation.ENGLAND: "England", Nation.SCOTLAND: "Scotland", Nation.WALES: "Wales",
           Nation.NORTHERN_IRELAND: "Northern Ireland"}
ROLES = {Role.CARE_COORDINATOR: "Care coordinator",
         Role.EMPLOYMENT_SPECIALIST: "Employment specialist",
         Role.TEAM_LEADER: "Team leader",
         Role.BENEFITS_ADVISOR: "Benefits advisor",
         Role.REGIONAL_TRAINER: "Regional trainer",
         Role.ADMIN: "Admin"}
# Slack's limits: 100 options in a static select, 75 characters of option text.
SELECT_LIMIT = 100
_OPTION_TEXT = 75
# Room left in a message for the header and the buttons under the team list.
_TEAM_ROWS_WITH_BUTTONS = MESSAGE_BLOCK_LIMIT - 3

TEAM_USAGE = ("`/ips team` lists teams · `/ips team add` adds one · `/ips team edit NAME` changes "
              "a team's targets, reminder times, referral wait and in-work rhythm")
STAFF_USAGE = ("`/ips staff [TEAM]` lists staff · `/ips staff add` · `/ips staff change` (role or "
               "team) · `/ips staff deactivate` · `/ips staff reactivate`")


def escape(text: str) -> str:
    """Text as mrkdwn shows it literally (Slack's three control characters)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def role_label(role: Role) -> str:
    return ROLES[role].lower()


def _a(label: str) -> str:
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def _hhmm(value: time) -> str:
    return f"{value:%H:%M}"


def schedule_text(team: Team) -> str:
    nudges = _hhmm(team.nudges_at) if team.nudges_at else DEFAULT_TIME
    day = WEEKDAY_NAMES[team.just_ask_weekday or 0]
    just_ask = _hhmm(team.just_ask_at) if team.just_ask_at else DEFAULT_TIME
    return f"four-week nudges at {nudges}; \"just ask\" on {day} at {just_ask}"


def targets_text(team: Team) -> str:
    return (f"{team.referral_target_per_month} referrals and {team.job_start_target_per_month} "
            "job starts a month")


def _team_line(team: Team, active_staff: int) -> str:
    channel = f"<#{team.slack_channel_id}>" if team.slack_channel_id else "no channel"
    return (f"*{escape(team.name)}* ({NATIONS[team.nation]}, {channel}, {active_staff} active "
            f"staff)\nTargets: {targets_text(team)}. Reminders: {schedule_text(team)}.")


def team_list(teams: list[Team], active_staff: dict[int, int]) -> Message:
    """Every team with its targets and reminder times; a Change button on each, room allowing."""
    text = f"{len(teams)} team{'' if len(teams) == 1 else 's'} in IPS Assist"
    blocks: list[Block] = [HeaderBlock(text=text)]
    if not teams:
        blocks.append(SectionBlock(text="No teams yet: add the first one."))
    elif len(teams) <= _TEAM_ROWS_WITH_BUTTONS:
        blocks += [SectionBlock(
            block_id=f"team_{team.id}", text=MarkdownTextObject(
                text=_team_line(team, active_staff.get(team.id, 0))),
            accessory=ButtonElement(text="Change", action_id=OPEN_TEAM_EDIT, value=str(team.id)))
            for team in teams]
    else:
        blocks += line_sections([_team_line(t, active_staff.get(t.id, 0)).replace("\n", " · ")
                                 for t in teams])[:_TEAM_ROWS_WITH_BUTTONS]
    blocks.append(ActionsBlock(block_id="team_list_actions", elements=[
        ButtonElement(text="Add a team", action_id=OPEN_TEAM_ADD, value="add"),
        ButtonElement(text="Add a person", action_id=OPEN_STAFF_ADD, value="add")]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=TEAM_USAGE)]))
    return Message(text=text, blocks=blocks)


def _person_line(person: Staff) -> str:
    state = "" if person.active else " · *switched off*"
    return (f"• {escape(person.display_name)} (`{person.slack_user_id}`): "
            f"{role_label(person.role)}, {person.fte:.2f} FTE{state}")


def staff_list(groups: Iterable[tuple[str, list[Staff]]]) -> Message:
    """Staff under a heading per team (and one for trainers and admins, who have no team)."""
    lines: list[str] = []
    shown = 0
    for heading, people in groups:
        lines.append(f"*{escape(heading)}*")
        lines += [_person_line(p) for p in people] or ["• nobody yet"]
        shown += len(people)
    text = f"{shown} {'person' if shown == 1 else 'people'} in IPS Assist"
    blocks: list[Block] = [HeaderBlock(text=text),
                           *line_sections(lines)[:MESSAGE_BLOCK_LIMIT - 2],
                           ContextBlock(elements=[MarkdownTextObject(text=STAFF_USAGE)])]
    return Message(text=text, blocks=blocks)


def _options(labels: dict[str, str]) -> list[Option]:
    return [Option(value=str(value), label=label[:_OPTION_TEXT]) for value, label in labels.items()]


def _number(block_id: str, label: str, initial: int | str | None, *, decimal: bool = False,
            low: str = "0", high: str = "1000", hint: str | None = None,
            optional: bool = False) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, hint=hint, optional=optional,
                      element=NumberInputElement(
        action_id="value", is_decimal_allowed=decimal, min_value=low, max_value=high,
        initial_value=str(initial) if initial is not None else None))


def team_add_modal() -> View:
    nations = _options({n.value: label for n, label in NATIONS.items()})
    return View(type="modal", callback_id=TEAM_ADD, title="Add a team", submit="Add team",
                close="Cancel", blocks=[
        InputBlock(block_id="name", label="Team name",
                   element=PlainTextInputElement(action_id="value", max_length=100,
                                                 placeholder="e.g. Brighton and Hove CMHT")),
        InputBlock(block_id="nation", label="Nation", hint="For the bank holidays reminders skip.",
                   element=StaticSelectElement(action_id="value", options=nations,
                                               initial_option=nations[0])),
        InputBlock(block_id="channel", label="Team channel", optional=True,
                   hint="Where the monthly report goes. Invite IPS Assist to it.",
                   element=ConversationSelectElement(
                       action_id="value", placeholder="Choose a channel",
                       filter=ConversationFilter(include=["public", "private"],
                                                 exclude_bot_users=True))),
        _number("referral_target", "Referral target a month", 0),
        _number("job_start_target", "Job start target a month", 0),
        InputBlock(block_id="service_started_on", label="Service started on", optional=True,
                   element=DatePickerElement(action_id="value")),
    ])


def team_edit_modal(team: Team) -> View:
    """A team's targets, reminder times, how long a referral may wait and its in-work support
    rhythm, filled in with what it has now.

    A reminder time (or the wait) left empty is the usual one, so only a team's own are shown.
    """
    days = _options({str(i): name for i, name in enumerate(WEEKDAY_NAMES)})
    day = days[team.just_ask_weekday] if team.just_ask_weekday is not None else None
    return View(type="modal", callback_id=TEAM_EDIT, title="Change a team", submit="Save",
                close="Cancel", private_metadata=str(team.id), blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"*{escape(team.name)}*")),
        _number("referral_target", "Referral target a month", team.referral_target_per_month),
        _number("job_start_target", "Job start target a month", team.job_start_target_per_month),
        _time("nudges_at", "Four-week nudges at", team.nudges_at),
        InputBlock(block_id="just_ask_day", label="\"Just ask\" prompt on", optional=True,
                   hint="Leave empty for Monday.",
                   element=StaticSelectElement(action_id="value", options=days,
                                               placeholder="Monday", initial_option=day)),
        _time("just_ask_at", "\"Just ask\" prompt at", team.just_ask_at),
        _number("referral_wait", "Referrals may wait unaccepted for (working days)",
                team.referral_wait_working_days, low="1", high="30", optional=True,
                hint=f"1 to 30; leave empty for {DEFAULT_WAIT_WORKING_DAYS}. Past this the team "
                     "leaders hear of a referral in their digest, then again each week."),
        SectionBlock(text=MarkdownTextObject(
            text="*In-work support:* how often someone in work should hear from their "
                 "specialist. The clock nudges the specialist when it is due.")),
        _number("in_work_first_weeks", "Weeks at the early pace, from the start of a job",
                team.in_work_first_weeks, high="52", hint="0 to 52; 0 for none."),
        _number("in_work_first_every", "Early pace: a contact every (days)",
                team.in_work_first_every_days, low="1", high="31", hint="1 to 31."),
        _number("in_work_then_every", "Then a contact every (days)",
                team.in_work_then_every_days, low="1", high="92", hint="1 to 92."),
    ])


def _time(block_id: str, label: str, value: time | None) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, optional=True,
                      hint="London time, 07:00 to 18:00. Leave empty for the usual time.",
                      element=TimePickerElement(action_id="value", initial_time=(
                          _hhmm(value) if value else None)))


def _team_select(teams: list[tuple[int, str]], label: str, hint: str) -> InputBlock:
    options = [Option(value=str(team_id), label=name[:_OPTION_TEXT])
               for team_id, name in teams[:SELECT_LIMIT]]
    return InputBlock(block_id="team", label=label, optional=True, hint=hint,
                      element=StaticSelectElement(action_id="value", placeholder="Choose a team",
                                                  options=options))


def _role_select(label: str) -> InputBlock:
    return InputBlock(block_id="role", label=label, element=StaticSelectElement(
        action_id="value", placeholder="Choose a role",
        options=_options({role.value: label for role, label in ROLES.items()})))


def staff_add_modal(teams: list[tuple[int, str]]) -> View:
    blocks: list[Block] = [
        InputBlock(block_id="user", label="Person", element=UserSelectElement(
            action_id="value", placeholder="Choose them in Slack")),
        InputBlock(block_id="display_name", label="Name as IPS Assist shows it",
                   element=PlainTextInputElement(action_id="value", max_length=100)),
        _role_select("Role"),
    ]
    if teams:
        blocks.append(_team_select(teams, "Team", "Everyone but regional trainers and admins "
                                                  "belongs to a team."))
    blocks.append(_number("fte", "Full-time equivalent", "1.0", decimal=True, low="0.01",
                          high="1.5", hint="1.0 is full time; 0.6 is three days a week."))
    return View(type="modal", callback_id=STAFF_ADD, title="Add a person", submit="Add",
                close="Cancel", blocks=blocks)


def staff_change_modal(teams: list[tuple[int, str]]) -> View:
    blocks: list[Block] = [
        InputBlock(block_id="user", label="Person", element=UserSelectElement(
            action_id="value", placeholder="Choose them in Slack")),
        _role_select("New role"),
    ]
    if teams:
        blocks.append(_team_select(teams, "Move to team", "Leave empty to keep their team."))
    return View(type="modal", callback_id=STAFF_CHANGE, title="Change role or team",
                submit="Save", close="Cancel", blocks=blocks)


def staff_access_modal(active: bool) -> View:
    """Switch someone's access off (`active` False) or back on."""
    if active:
        title, submit = "Switch access on", "Switch on"
        say = "They can use IPS Assist again, in the role and team they had."
    else:
        title, submit = "Switch access off", "Switch off"
        say = ("They can no longer use IPS Assist. Their referrals, contacts and history are "
               "kept; hand their clients to someone else with the client card.")
    return View(type="modal", callback_id=STAFF_ACCESS, title=title, submit=submit,
                close="Cancel", private_metadata="on" if active else "off", blocks=[
        InputBlock(block_id="user", label="Person", element=UserSelectElement(
            action_id="value", placeholder="Choose them in Slack")),
        ContextBlock(elements=[MarkdownTextObject(text=say)]),
    ])


def team_added(team: Team) -> str:
    return f"Added team {team.name} ({NATIONS[team.nation]}): {targets_text(team)}."


def team_changed(team: Team) -> str:
    return (f"{team.name}: {targets_text(team)}; {schedule_text(team)}; referrals may wait "
            f"{wait_allowed(team)} working days; in-work support "
            f"{InWorkRhythm.of(team).describe()}.")


def staff_added(person: Staff, team_name: str | None) -> str:
    where = f" in {team_name}" if team_name else ""
    return (f"Added {person.display_name} as {_a(role_label(person.role))}{where} "
            f"({person.fte:.2f} FTE).")


def role_changed(person: Staff, team_name: str | None) -> str:
    where = f" in {team_name}" if team_name else ""
    return f"{person.display_name} is now {_a(role_label(person.role))}{where}."


def access_changed(person: Staff) -> str:
    if person.active:
        return f"{person.display_name} can use IPS Assist again."
    return (f"{person.display_name}'s access to IPS Assist is switched off; their records are "
            "kept.")
