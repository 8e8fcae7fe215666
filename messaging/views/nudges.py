"""Four-week employer-contact nudges and the team leader's escalation digest."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from caseload.overdue import OverdueClient
from caseload.referral_waits import WaitingReferral
from messaging.views import MESSAGE_BLOCK_LIMIT, Message, line_sections

LOG_CONTACT = "nudge_log_contact"
SNOOZE = "nudge_snooze"
HOLD = "nudge_hold"
# Header, intro and footer, then two blocks a client; the rest are counted, not listed.
_PER_CLIENT = 2
_MAX_LISTED = (MESSAGE_BLOCK_LIMIT - 4) // _PER_CLIENT


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def four_week_nudge(items: list[OverdueClient]) -> Message:
    """One message to a specialist listing every client overdue for an employer contact."""
    count = len(items)
    text = (f"{count} client{'s' if count != 1 else ''} on your caseload "
            f"{'have' if count != 1 else 'has'} gone over four weeks without a face-to-face "
            "employer contact.")
    blocks = [
        HeaderBlock(text="Time for an employer contact"),
        SectionBlock(text=MarkdownTextObject(text=(
            f"{text} IPS job search keeps moving when someone meets an employer on the "
            "client's behalf at least every four weeks."))),
    ]
    for item in items[:_MAX_LISTED]:
        blocks.append(SectionBlock(
            block_id=f"client_{item.client_id}",
            text=MarkdownTextObject(text=(
                f"*{item.reference}*: {_days(item.days_without_contact)} since "
                f"{item.since:%-d %b} ({_days(item.days_overdue)} overdue)")),
        ))
        value = str(item.client_id)
        blocks.append(ActionsBlock(block_id=f"nudge_actions_{item.client_id}", elements=[
            ButtonElement(text="Log contact", action_id=LOG_CONTACT, value=value, style="primary"),
            ButtonElement(text="Snooze 7 days", action_id=SNOOZE, value=value),
            ButtonElement(text="Put on hold", action_id=HOLD, value=value),
        ]))
    if count > _MAX_LISTED:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"…and {count - _MAX_LISTED} more: see your caseload in the IPS Assist Home tab.")))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Snoozing asks for a reason; on-hold clients are not nudged.")]))
    return Message(text=text, blocks=blocks)


def escalation_digest(team_name: str, items: list[OverdueClient],
                      specialists: dict[int | None, str]) -> Message:
    """The team leader's daily digest of clients past six weeks without an employer contact."""
    count = len(items)
    text = (f"{team_name}: {count} client{'s' if count != 1 else ''} past six weeks without a "
            "face-to-face employer contact.")
    lines = [
        f"• *{item.reference}* ({specialists.get(item.specialist_id, 'no specialist')}): "
        f"{_days(item.days_without_contact)}"
        for item in items
    ]
    blocks = [HeaderBlock(text="Clients past six weeks without employer contact"),
              SectionBlock(text=MarkdownTextObject(text=text))]
    blocks += line_sections(lines)[: MESSAGE_BLOCK_LIMIT - len(blocks) - 1]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Specialists were nudged at four weeks; this digest starts at 42 days.")]))
    return Message(text=text, blocks=blocks)


def referral_digest(team_name: str, items: list[WaitingReferral], wait_days: int) -> Message:
    """The team leader's digest of referrals not accepted within the team's working days; each
    comes back every week it still waits, saying how long."""
    count = len(items)
    text = (f"{team_name}: {count} referral{'s' if count != 1 else ''} not accepted within "
            f"{wait_days} working days.")
    lines = [f"• *{item.reference}*: referred {item.received_on:%-d %B %Y}"
             + (f", {_weeks(item.weeks_overdue)} past the {wait_days} working days"
                if item.weeks_overdue else "")
             for item in items]
    blocks = [HeaderBlock(text="Referrals waiting to be accepted"),
              SectionBlock(text=MarkdownTextObject(text=text))]
    blocks += line_sections(lines)[: MESSAGE_BLOCK_LIMIT - len(blocks) - 1]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Open each with `/ips client REFERENCE` to accept or assign it. One still waiting "
             "comes back each week until it is accepted.")]))
    return Message(text=text, blocks=blocks)


def _weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"
