"""`/ips caseload`: the clients the person may see, by status, with who is overdue."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from caseload.models import Client, ClientStatus
from caseload.overdue import OverdueClient
from messaging.views import MESSAGE_BLOCK_LIMIT, Message, line_sections

ORDER = [ClientStatus.REFERRED, ClientStatus.ACCEPTED, ClientStatus.JOB_SEEKING,
         ClientStatus.IN_WORK, ClientStatus.ON_HOLD]
LABELS = {ClientStatus.REFERRED: "Waiting to be accepted", ClientStatus.ACCEPTED: "Accepted",
          ClientStatus.JOB_SEEKING: "Looking for work", ClientStatus.IN_WORK: "In work",
          ClientStatus.ON_HOLD: "On hold"}


def _line(client: Client, overdue: OverdueClient | None, waiting: int | None = None) -> str:
    line = f"• *{client.reference}*"
    if overdue is not None:
        line += f": :warning: {overdue.days_without_contact} days without an employer contact"
    elif client.status == ClientStatus.REFERRED:
        line += f": referred {client.referral_received_on:%-d %b}"
        if waiting is not None:
            line += f", waiting {waiting} working day{'' if waiting == 1 else 's'}"
    elif client.status == ClientStatus.ON_HOLD and client.hold_until:
        line += f": until {client.hold_until:%-d %b}"
    return line


def _bullets(section: Block) -> int:
    """How many clients a section of the caseload lists (one bullet each)."""
    text = str(section.to_dict()["text"]["text"])
    return text.count("\n• ") + int(text.startswith("• "))


def caseload_message(title: str, clients: list[Client], overdue: dict[int, OverdueClient],
                     ages: dict[int, int] | None = None) -> Message:
    open_clients = [c for c in clients if c.status != ClientStatus.DISCHARGED]
    if not open_clients:
        text = f"{title}: nobody yet. Refer someone who would like work with /ips refer."
        return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])
    flagged = sum(1 for c in open_clients if c.id in overdue)
    text = (f"{title}: {len(open_clients)} open, {flagged} overdue for an employer contact.")
    blocks: list[Block] = [HeaderBlock(text=title[:150]), SectionBlock(text=MarkdownTextObject(text=text))]
    lines: list[str] = []
    for status in ORDER:
        group = [c for c in open_clients if c.status == status]
        if not group:
            continue
        # Overdue first, longest waiting first.
        group.sort(key=lambda c: -(overdue[c.id].days_without_contact if c.id in overdue else 0))
        lines += [f"*{LABELS[status]}* ({len(group)})"] + [
            _line(c, overdue.get(c.id), (ages or {}).get(c.id)) for c in group]
    sections = line_sections(lines)
    room = MESSAGE_BLOCK_LIMIT - len(blocks) - 2  # the legend, and a note of any not shown
    if len(sections) > room:
        # Only a whole region's caseload gets here (thousands of clients); say so, never drop
        # clients silently, and point to App Home, which pages through them all.
        shown = sections[:room]
        listed = sum(_bullets(b) for b in shown)
        sections = [*shown, SectionBlock(text=MarkdownTextObject(
            text=f"…and {len(open_clients) - listed} more not listed here: "
                 "open IPS Assist's Home tab to page through them all."))]
    blocks += sections
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text=":warning: = looking for work with no face-to-face employer contact for over 28 days.")]))
    return Message(text=text, blocks=blocks)
