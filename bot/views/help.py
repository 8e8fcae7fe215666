"""`/ips help`: what the caller's role can do, in plain English."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.views import Message
from caseload.models import Role

EVERYONE = [("/ips help", "what you can do here")]
# Each client subcommand takes the client's local reference (REF).
CLIENT_CARD = ("/ips client REF", "a client's status, jobs and recent events, with buttons to "
                                  "log a contact, put on hold or discharge")
HOLD = ("/ips hold REF", "put a client on hold, with the reason (no nudges meanwhile)")
DISCHARGE = ("/ips discharge REF", "discharge a client from IPS, with the reason")
JOBS = [("/ips job", "record a job start: says whether it counts as a competitive outcome"),
        ("/ips job end", "record that a job has ended")]
BETTER_OFF = ("/ips betteroff [REF]", "would they be better off in work? The answer with the hours chart, "
                                      "saved against the client when you give their reference")
REVIEW = ("/ips review", "schedule a team's fidelity review, or score it on the 25-item scale "
                         "with the evidence from records")
# Teams and staff are an admin's to manage (bot/listeners/admin.py).
ADMIN_TOOLS = [("/ips team", "teams with their targets and reminder times; `/ips team add`, "
                             "`/ips team edit NAME` to change targets and reminder times"),
               ("/ips staff [TEAM]", "who is set up, by team; `/ips staff add`, `/ips staff change` "
                                     "(role or team), `/ips staff deactivate` or `reactivate`")]
LOG_CONTACT_SHORTCUT = ("Log employer contact", "in any message's ⋮ More actions menu: the contact "
                                                "form, with nothing copied from the message")
# Only what is built: a command listed here must work for the role it is listed under.
BY_ROLE: dict[Role, list[tuple[str, str]]] = {
    Role.CARE_COORDINATOR: [
        ("/ips refer", "refer someone who wants paid work (consent first)"),
        ("/ips justask", "this week's \"just ask\" prompt, and tell the team how it went"),
        ("/ips caseload", "your referrals and where they stand"),
        ("/ips client REF", "where one of your referrals stands: status, specialist, jobs"),
        HOLD, DISCHARGE,
    ],
    Role.EMPLOYMENT_SPECIALIST: [
        ("/ips refer", "refer someone who wants paid work"),
        ("/ips caseload", "your caseload, with who is overdue for employer contact"),
        ("/ips contact", "log an employer contact, for a client or general job development"),
        *JOBS, CLIENT_CARD, HOLD, DISCHARGE, BETTER_OFF,
        ("nudge buttons", "log a contact, snooze or put on hold from a four-week nudge"),
        LOG_CONTACT_SHORTCUT,
    ],
    Role.TEAM_LEADER: [
        ("/ips refer", "refer someone who wants paid work"),
        ("/ips caseload", "the team's caseload, with who is overdue"),
        *JOBS, CLIENT_CARD, HOLD, DISCHARGE, BETTER_OFF,
        ("Accept / Assign", "on each new referral sent to you"),
        REVIEW,
    ],
    Role.BENEFITS_ADVISOR: [BETTER_OFF],
    Role.REGIONAL_TRAINER: [*JOBS, CLIENT_CARD, HOLD, DISCHARGE, BETTER_OFF, REVIEW],
    Role.ADMIN: [*JOBS, CLIENT_CARD, HOLD, DISCHARGE, BETTER_OFF, REVIEW, *ADMIN_TOOLS],
}
HOME = "The IPS Assist Home tab shows where things stand for you."


def help_message(role: Role, name: str) -> Message:
    rows = BY_ROLE.get(role, []) + EVERYONE
    lines = "\n".join(f"• `{command}`: {what}" for command, what in rows)
    label = role.value.replace("_", " ")
    text = f"Hello {name}. As {'an' if label[0] in 'aeiou' else 'a'} {label} you can use:"
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"{text}\n{lines}")),
        ContextBlock(elements=[MarkdownTextObject(
            text="Client records show a local reference only: never a name or NHS number. "
                 + HOME)]),
    ])


def unknown_user_message() -> Message:
    text = "You are not set up in IPS Assist yet: ask your team leader to add you."
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])
