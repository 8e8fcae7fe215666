"""`/ips help`: what the caller's role can do, in plain English."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.views import Message
from caseload.models import Role

EVERYONE = [("/ips help", "what you can do here")]
BY_ROLE: dict[Role, list[tuple[str, str]]] = {
    Role.CARE_COORDINATOR: [
        ("/ips refer", "refer someone who wants paid work (consent first)"),
        ("/ips caseload", "your referrals and where they stand"),
        ("/ips justask", "tell the team how this week's \"just ask\" went"),
    ],
    Role.EMPLOYMENT_SPECIALIST: [
        ("/ips caseload", "your caseload, with who is overdue for employer contact"),
        ("/ips contact", "log an employer contact"),
        ("/ips job", "record a job start or end"),
        ("/ips client REF", "one client's card"),
    ],
    Role.TEAM_LEADER: [
        ("/ips caseload", "the team's caseloads and overdue clients"),
        ("/ips review", "schedule a fidelity review"),
        ("/ips client REF", "any client of your team"),
    ],
    Role.BENEFITS_ADVISOR: [("/ips betteroff", "an in-work better-off calculation")],
    Role.REGIONAL_TRAINER: [("/ips review", "schedule and score fidelity reviews")],
    Role.ADMIN: [("/ips team", "teams"), ("/ips staff", "who is who")],
}


def help_message(role: Role, name: str) -> Message:
    rows = BY_ROLE.get(role, []) + EVERYONE
    lines = "\n".join(f"• `{command}`: {what}" for command, what in rows)
    label = role.value.replace("_", " ")
    text = f"Hello {name}. As {'an' if label[0] in 'aeiou' else 'a'} {label} you can use:"
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"{text}\n{lines}")),
        ContextBlock(elements=[MarkdownTextObject(
            text="Client records show a local reference only: never a name or NHS number.")]),
    ])


def unknown_user_message() -> Message:
    text = "You are not set up in IPS Assist yet: ask your team leader to add you."
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])
