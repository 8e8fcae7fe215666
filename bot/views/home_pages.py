"""App Home's caseload a page at a time, each page within Slack's 100 blocks.

Every client is a row of its own; for the people who work the caseload the row carries
"Log contact" and "Put on hold" buttons, the client card's own actions, so the same handlers
open the same modals. "Previous page" and "Next page" carry the page they lead to in their
value: the Home is published afresh for it, nothing is kept between presses.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.views.caseload import LABELS, ORDER
from bot.views.caseload import _line as client_line
from bot.views.clients import CARD_HOLD, CARD_LOG_CONTACT
from bot.views.home import HOME_BLOCK_LIMIT
from caseload.contacts import CONTACT_ROLES
from caseload.models import Client, ClientStatus, Role
from caseload.overdue import OverdueClient

HOME_PREVIOUS = "home_page_previous"
HOME_NEXT = "home_page_next"
PAGING_BLOCK = "home_paging"
CLIENTS_PER_PAGE = 40
# Row buttons are for those who log employer contacts: specialists, team leaders, and the
# regional roles. Care coordinators follow their referrals from the client card instead.
ROW_ACTION_ROLES: tuple[Role, ...] = CONTACT_ROLES
LEGEND = ":warning: = looking for work with no face-to-face employer contact for over 28 days."


@dataclass(frozen=True)
class HomePage:
    blocks: list[Block]
    page: int
    pages: int


def row_block_id(client_id: int) -> str:
    return f"home_client_{client_id}"


def _ordered(clients: list[Client], overdue: dict[int, OverdueClient]) -> list[Client]:
    """Open clients by status as `/ips caseload` lists them: overdue first, longest waiting first."""
    ordered: list[Client] = []
    for status in ORDER:
        group = [c for c in clients if c.status == status]
        group.sort(key=lambda c: -(overdue[c.id].days_without_contact if c.id in overdue else 0))
        ordered += group
    return ordered


def clients_per_page(before: int, row_actions: bool) -> int:
    """As many rows as fit with everything else a page may hold: the blocks before the
    caseload, its header and summary, a heading per status, the legend and the paging."""
    fixed = before + 2 + len(ORDER) + 2
    per_row = 2 if row_actions else 1
    return max(1, min(CLIENTS_PER_PAGE, (HOME_BLOCK_LIMIT - fixed) // per_row))


def _row(client: Client, overdue: OverdueClient | None, row_actions: bool,
         waiting: int | None = None) -> list[Block]:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(
        text=client_line(client, overdue, waiting)))]
    if row_actions:
        value = str(client.id)
        buttons = [ButtonElement(text="Log contact", action_id=CARD_LOG_CONTACT, value=value,
                                 style="primary")]
        if client.status != ClientStatus.ON_HOLD:
            buttons.append(ButtonElement(text="Put on hold", action_id=CARD_HOLD, value=value))
        blocks.append(ActionsBlock(block_id=row_block_id(client.id), elements=buttons))
    return blocks


def _paging(page: int, pages: int) -> list[Block]:
    if pages <= 1:
        return []
    buttons = []
    if page > 1:
        buttons.append(ButtonElement(text="Previous page", action_id=HOME_PREVIOUS,
                                     value=str(page - 1)))
    if page < pages:
        buttons.append(ButtonElement(text="Next page", action_id=HOME_NEXT, value=str(page + 1),
                                     style="primary"))
    return [ActionsBlock(block_id=PAGING_BLOCK, elements=buttons)]


def caseload_page(title: str, clients: list[Client], overdue: dict[int, OverdueClient],
                  page: int = 1, *, row_actions: bool = False,
                  before: list[Block] | None = None,
                  ages: dict[int, int] | None = None) -> HomePage:
    """Page `page` (from 1; out of range shows the nearest page) of the caseload, after `before`."""
    before = list(before or [])
    open_clients = _ordered([c for c in clients if c.status != ClientStatus.DISCHARGED], overdue)
    if not open_clients:
        text = f"{title}: nobody yet. Refer someone who would like work with /ips refer."
        return HomePage([*before, SectionBlock(text=MarkdownTextObject(text=text))], 1, 1)
    size = clients_per_page(len(before), row_actions)
    pages = -(-len(open_clients) // size)
    page = min(max(page, 1), pages)
    first = (page - 1) * size
    shown = open_clients[first:first + size]
    flagged = sum(1 for c in open_clients if c.id in overdue)
    summary = f"{title}: {len(open_clients)} open, {flagged} overdue for an employer contact."
    if pages > 1:
        summary += f" Page {page} of {pages}: clients {first + 1}–{first + len(shown)}."
    totals = {status: sum(1 for c in open_clients if c.status == status) for status in ORDER}
    blocks: list[Block] = [*before, HeaderBlock(text=title[:150]),
                           SectionBlock(text=MarkdownTextObject(text=summary))]
    status = None
    for index, client in enumerate(shown):
        if client.status != status:
            status = client.status
            started_earlier = first + index > 0 and open_clients[first + index - 1].status == status
            heading = f"*{LABELS[status]}* ({totals[status]})" + (", continued" if started_earlier else "")
            blocks.append(SectionBlock(text=MarkdownTextObject(text=heading)))
        blocks += _row(client, overdue.get(client.id), row_actions, (ages or {}).get(client.id))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=LEGEND)]))
    blocks += _paging(page, pages)
    return HomePage(blocks, page, pages)
