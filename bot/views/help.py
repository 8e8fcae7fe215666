"""`/ips help`: what the caller's role can do, in plain English."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from caseload.models import Role
from messaging.views import Message


@dataclass(frozen=True)
class HelpLine:
    """One line of `/ips help`: a command (or button), what it does, and who is shown it."""

    command: str
    what: str
    roles: frozenset[Role]


def line(command: str, what: str, *roles: Role) -> HelpLine:
    return HelpLine(command, what, frozenset(roles))


CC, ES, TL = Role.CARE_COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER
ADVISOR, TRAINER, ADMIN = Role.BENEFITS_ADVISOR, Role.REGIONAL_TRAINER, Role.ADMIN
# Only what is built: a command listed for a role must work for that role. bot/listeners/commands.py
# registers each subcommand with its lines; help lists them in that order.
REFER = (line("/ips refer", "refer someone who wants paid work (consent first)", CC),
         line("/ips refer", "refer someone who wants paid work", ES, TL))
JUST_ASK = line("/ips justask", "this week's \"just ask\" prompt, and tell the team how it went", CC)
CASELOAD = (line("/ips caseload", "your referrals and where they stand", CC),
            line("/ips caseload", "your caseload, with who is overdue for employer contact", ES),
            line("/ips caseload", "the team's caseload, with who is overdue", TL))
CONTACT = (line("/ips contact", "log an employer contact, for a client or general job development", ES),
           line("/ips contact in-work [REF]", "log in-work support for someone in work (or whose "
                "job has just ended): with them, their employer or both", ES))
# Each client subcommand takes the client's local reference (REF).
JOBS = (line("/ips job", "record a job start: says whether it counts as a competitive outcome",
             ES, TL, TRAINER, ADMIN),
        line("/ips job end", "record that a job has ended", ES, TL, TRAINER, ADMIN))
CLIENT_CARD = (line("/ips client REF", "where one of your referrals stands: status, specialist, jobs", CC),
               line("/ips client REF", "a client's status, jobs and recent events, with buttons to "
                                       "log a contact, put on hold or discharge", ES, TL, TRAINER, ADMIN))
HOLD = line("/ips hold REF", "put a client on hold, with the reason (no nudges meanwhile)",
            CC, ES, TL, TRAINER, ADMIN)
DISCHARGE = line("/ips discharge REF", "discharge a client from IPS, with the reason",
                 CC, ES, TL, TRAINER, ADMIN)
BETTER_OFF = line("/ips betteroff [REF]", "would they be better off in work? The answer with the hours "
                                          "chart, saved against the client when you give their reference",
                  ES, TL, ADVISOR, TRAINER, ADMIN)
NUDGE_BUTTONS = line("nudge buttons", "log a contact, snooze or put on hold from a four-week nudge", ES)
LOG_CONTACT_SHORTCUT = line("Log employer contact", "in any message's ⋮ More actions menu: the contact "
                                                    "form, with nothing copied from the message", ES)
IN_WORK_SHORTCUT = line("Log in-work support", "in any message's ⋮ More actions menu: the "
                        "in-work support form, with nothing copied from the message", ES)
ACCEPT_ASSIGN = line("Accept / Assign", "on each new referral sent to you", TL)
REPORT = line("/ips report [month|quarter|year|2026-03|2026-Q1] [team|all]",
              "outcomes for any period (last month by default), with the charts and the workbook "
              "sent to you", TL, TRAINER, ADMIN)
REVIEW = line("/ips review", "schedule a team's fidelity review, or score it on the 25-item scale "
                             "with the evidence from records", TL, TRAINER, ADMIN)
# Teams and staff are an admin's to manage (bot/listeners/admin.py).
TEAM = line("/ips team", "teams with their targets and reminder times; `/ips team add`, "
                         "`/ips team edit NAME` to change targets, reminder times, the referral "
                         "wait and the in-work rhythm", ADMIN)
STAFF = line("/ips staff [TEAM]", "who is set up, by team; `/ips staff add`, `/ips staff change` "
                                  "(role or team), `/ips staff deactivate` or `reactivate`", ADMIN)
HELP = line("/ips help", "what you can do here", *Role)
HOME = "The IPS Assist Home tab shows where things stand for you."


def help_message(role: Role, name: str, rows: list[HelpLine]) -> Message:
    """What `role` can use (`rows`, already chosen for the role), introduced by name."""
    lines = "\n".join(f"• `{row.command}`: {row.what}" for row in rows)
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
