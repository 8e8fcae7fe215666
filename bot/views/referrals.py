"""The referral modal, and the message that asks a team leader to accept a referral."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from messaging.views import Message

REFER = "refer_modal"
ACCEPT = "accept_referral"
ASSIGN = "assign_referral"


def referral_modal(teams: list[tuple[int, str]], my_team: int | None,
                   me_if_coordinator: str | None) -> View:
    options = [Option(value=str(team_id), label=name[:75]) for team_id, name in teams[:100]]
    initial = next((o for o in options if o.value == str(my_team)), None)
    coordinator = UserSelectElement(action_id="value", initial_user=me_if_coordinator) \
        if me_if_coordinator else UserSelectElement(action_id="value")
    return View(type="modal", callback_id=REFER, title="Refer to IPS", submit="Refer",
                close="Cancel", blocks=[
        SectionBlock(text="Refer anyone who says they would like paid work. No judgement about "
                          "readiness: IPS takes everyone who wants to work."),
        InputBlock(block_id="reference", label="Client reference",
                   hint="Your team's local reference, never a name or NHS number.",
                   element=PlainTextInputElement(action_id="value", max_length=20)),
        InputBlock(block_id="team", label="Team", element=StaticSelectElement(
            action_id="value", options=options, initial_option=initial)),
        InputBlock(block_id="care_coordinator", label="Care coordinator", element=coordinator),
        InputBlock(block_id="specialist", label="Employment specialist (if you know)",
                   optional=True, element=UserSelectElement(action_id="value")),
        InputBlock(block_id="work_preferences", label="What work would they like?",
                   optional=True, element=PlainTextInputElement(
                       action_id="value", multiline=True, max_length=2000)),
        InputBlock(block_id="consent", label="Consent", element=CheckboxesElement(
            action_id="value", options=[Option(
                value="yes", label="The client agrees to this referral")])),
    ])


def referral_for_acceptance(reference: str, team_name: str, client_id: int,
                            referrer_name: str) -> Message:
    text = f"New IPS referral for {team_name}: {reference}, from {referrer_name}."
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"*{text}*\nAccept it onto the caseload, "
                                                  "or pick the specialist who will take it.")),
        ActionsBlock(block_id=f"referral_{client_id}", elements=[
            ButtonElement(text="Accept", action_id=ACCEPT, value=str(client_id), style="primary"),
            UserSelectElement(action_id=ASSIGN, placeholder="Assign to…"),
        ]),
        ContextBlock(elements=[MarkdownTextObject(
            text="IPS aims to meet an employer on the client's behalf within four weeks.")]),
    ])
