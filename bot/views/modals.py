"""Modals about one client: snooze with a reason, put on hold, discharge, log a contact.

Opened from nudge buttons, the client card's buttons and `/ips hold|discharge REF`.
"""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

SNOOZE = "nudge_snooze_modal"
HOLD = "nudge_hold_modal"
DISCHARGE = "discharge_modal"
CONTACT = "log_contact_modal"


def _modal(callback_id: str, title: str, submit: str, client_id: int, blocks: list[Block]) -> View:
    return View(type="modal", callback_id=callback_id, title=title, submit=submit,
                close="Cancel", private_metadata=str(client_id), blocks=blocks)


def snooze_modal(client_id: int, reference: str) -> View:
    return _modal(SNOOZE, "Snooze nudges", "Snooze 7 days", client_id, [
        SectionBlock(text=f"No four-week nudge about *{reference}* for 7 days."),
        InputBlock(block_id="reason", label="Why not now?",
                   element=PlainTextInputElement(action_id="value", max_length=500,
                                                 placeholder="e.g. interview next week")),
    ])


def hold_modal(client_id: int, reference: str) -> View:
    return _modal(HOLD, "Put on hold", "Put on hold", client_id, [
        SectionBlock(text=f"*{reference}* will not be nudged while on hold."),
        InputBlock(block_id="reason", label="Reason",
                   element=PlainTextInputElement(action_id="value", max_length=500)),
        InputBlock(block_id="until", label="Until (optional)", optional=True,
                   element=DatePickerElement(action_id="value")),
    ])


def discharge_modal(client_id: int, reference: str, today: date) -> View:
    return _modal(DISCHARGE, "Discharge from IPS", "Discharge", client_id, [
        SectionBlock(text=f"*{reference}* leaves the IPS caseload. The record is kept; to work "
                          "with them again later, refer them with /ips refer."),
        InputBlock(block_id="reason", label="Reason",
                   element=PlainTextInputElement(action_id="value", max_length=500,
                                                 placeholder="e.g. moved out of area")),
        InputBlock(block_id="on", label="Discharge date",
                   element=DatePickerElement(action_id="value", initial_date=today.isoformat())),
    ])


def _contact_inputs(today: date) -> list[Block]:
    return [
        InputBlock(block_id="employer", label="Employer",
                   element=PlainTextInputElement(action_id="value", max_length=200)),
        InputBlock(block_id="contacted_on", label="Date",
                   element=DatePickerElement(action_id="value", initial_date=today.isoformat())),
        InputBlock(block_id="face_to_face", label="Face to face?", element=RadioButtonsElement(
            action_id="value", initial_option=Option(value="yes", label="Yes"),
            options=[Option(value="yes", label="Yes"), Option(value="no", label="No")])),
    ]


def contact_modal(client_id: int, reference: str, today: date) -> View:
    return _modal(CONTACT, "Log employer contact", "Log contact", client_id, [
        SectionBlock(text=f"An employer contact on behalf of *{reference}*."),
        *_contact_inputs(today)])


ANY_CONTACT = "log_any_contact_modal"


def any_contact_modal(today: date, teams: list[tuple[int, str]] | None = None) -> View:
    """`/ips contact`: for a client by reference, or general job development.

    `teams` is for people in no team (regional trainers, admins): general job development is
    for a team, so they say which; anyone in a team logs it for their own.
    """
    team_choice = [] if not teams else [
        InputBlock(block_id="team", label="Team (for general job development)", optional=True,
                   element=StaticSelectElement(action_id="value", options=[
                       Option(value=str(team_id), label=name[:75])
                       for team_id, name in teams[:100]]))]
    return View(type="modal", callback_id=ANY_CONTACT, title="Log employer contact",
                submit="Log contact", close="Cancel", blocks=[
        InputBlock(block_id="reference", label="Client reference", optional=True,
                   hint="Leave empty for general job development.",
                   element=PlainTextInputElement(action_id="value", max_length=20)),
        *team_choice,
        *_contact_inputs(today)])


IN_WORK_CONTACT = "log_in_work_contact_modal"
WITH_WHOM_OPTIONS = {"person": "The person", "employer": "Their employer",
                     "both": "Both together"}


def in_work_contact_modal(today: date, client_id: int | None = None,
                          reference: str | None = None) -> View:
    """In-work support for one client (from their card), or for a client by reference (from
    `/ips contact in-work` and the message shortcut)."""
    about: list[Block] = [
        SectionBlock(text=f"In-work support for *{reference}*: with them, their employer or both.")
    ] if client_id is not None else [
        InputBlock(block_id="reference", label="Client reference",
                   element=PlainTextInputElement(action_id="value", max_length=20,
                                                 initial_value=reference or None))]
    options = [Option(value=value, label=label) for value, label in WITH_WHOM_OPTIONS.items()]
    yes_no = [Option(value="yes", label="Yes"), Option(value="no", label="No")]
    return View(type="modal", callback_id=IN_WORK_CONTACT, title="Log in-work support",
                submit="Log support", close="Cancel",
                private_metadata=str(client_id) if client_id is not None else None, blocks=[
        *about,
        InputBlock(block_id="with_whom", label="Who was it with?", element=RadioButtonsElement(
            action_id="value", options=options, initial_option=options[0])),
        InputBlock(block_id="contacted_on", label="Date",
                   element=DatePickerElement(action_id="value", initial_date=today.isoformat())),
        InputBlock(block_id="face_to_face", label="Face to face?", element=RadioButtonsElement(
            action_id="value", initial_option=yes_no[0], options=yes_no)),
        InputBlock(block_id="notes", label="Notes", optional=True,
                   hint="Reaches Slack: no names or NHS numbers.",
                   element=PlainTextInputElement(action_id="value", max_length=2000,
                                                 multiline=True)),
    ])


REASSIGN = "reassign_modal"
CONFIRM_OVER = "confirm_over_caseload_modal"
GO_AHEAD = "go_ahead"


def reassign_modal(client_id: int, reference: str, current: str | None,
                   choices: list[tuple[int, str, int, int, bool]]) -> View:
    """Reassign the client to one of the team's specialists, each shown with their active
    caseload against 20 (`choices`: id, name, active, in work when referred, over)."""
    options = [Option(value=str(sid), label=f"{name}: {active} active, {retention} retention"
                      f"{' (over)' if over else ''}"[:75])
               for sid, name, active, retention, over in choices[:100]]
    now = f"now with *{current}*" if current else "with no specialist yet"
    return _modal(REASSIGN, "Reassign", "Reassign", client_id, [
        SectionBlock(text=f"*{reference}* is {now}. Both specialists are told."),
        InputBlock(block_id="specialist", label="New specialist", element=StaticSelectElement(
            action_id="value", placeholder="Choose a specialist", options=options)),
        InputBlock(block_id=GO_AHEAD, label="Over 20?", optional=True,
                   element=CheckboxesElement(action_id="value", options=[Option(
                       value="yes", label="Go ahead even if their caseload is 20 or more "
                                          "(or over 15% job retention)")])),
    ])


def confirm_over_modal(metadata: str, sentence: str, what: str) -> View:
    """Asks to confirm taking a client onto a full caseload; `metadata` says what to do."""
    return View(type="modal", callback_id=CONFIRM_OVER, title="Caseload over 20",
                submit=what[:24], close="Cancel", private_metadata=metadata, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f":warning: {sentence}")),
        SectionBlock(text="IPS works when each specialist has time for every client. Go ahead "
                          "only if there is no better choice."),
    ])


JUST_ASK = "just_ask_modal"


def _count(block_id: str, label: str, initial: int) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, element=NumberInputElement(
        action_id="value", is_decimal_allowed=False, min_value="0", max_value="500",
        initial_value=str(initial)))


def just_ask_modal(week_starting: date, wants_work: bool) -> View:
    """How this week's asking went; `wants_work` when someone said yes."""
    blocks: list[Block] = [_count("asked_count", "How many clients did you ask about work?", 1)]
    if wants_work:
        blocks += [_count("said_yes_count", "How many said they would like work?", 1),
                   _count("referred_count", "How many have you referred?", 0),
                   SectionBlock(text="Refer everyone who said yes, whatever you think of their "
                                     "chances: IPS takes anyone who wants to work.")]
    return View(type="modal", callback_id=JUST_ASK, title="Just ask", submit="Save",
                close="Cancel", private_metadata=week_starting.isoformat(), blocks=blocks)
