"""Modal submissions, saved once each: Slack may deliver a submission again, and a double click
submits twice, but both carry the same view id, so only the first delivery does the work.

`write_once` is the whole round for a modal that saves: claim the view id, do the work as the
person submitting in one transaction, answer errors beside the fields, then acknowledge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.listeners.common import refuse_in_modal
from caseload.db import Database, Session
from caseload.errors import CaseloadError
from caseload.idempotency import claim
from caseload.models import Staff
from caseload.outbox import Delivery, enqueue_claimed
from caseload.staff import staff_by_slack_id
from messaging.outbox import Sender, Unmarked
from messaging.views import Message

T = TypeVar("T")
# What this process has sent but could not mark yet: shared by every request's sender.
_SENT_NOT_MARKED = Unmarked()
# What a modal's submission does: given the session, the person submitting and the view.
Work = Callable[[Session, Staff, dict[str, Any]], T]


def first_delivery(session: Session, view: dict[str, Any], purpose: str = "view") -> bool:
    """True the first time this submission is handled for `purpose`. Claimed in the session's
    transaction, so work that fails leaves the submission free to be tried again."""
    return claim(session, f"{purpose}:{view['id']}")


def write_once(database: Database, ack: Ack, body: dict[str, Any], work: Work[T],
               blocks: dict[str, str], fallback: str) -> T | None:
    """Do a modal's work once per view id, answering errors beside the fields (`blocks` maps a
    caseload field to its block; `fallback` takes the rest). Acknowledges the submission and
    returns what the work returned, or None when it was refused or done already."""
    view, user_id = body["view"], body["user"]["id"]
    try:
        with database.transaction() as session:
            if not first_delivery(session, view):
                ack()
                return None
            actor = staff_by_slack_id(session, user_id)
            outcome = work(session, actor, view)
    except CaseloadError as exc:
        refuse_in_modal(ack, exc, blocks, fallback)
        return None
    ack()
    return outcome


def confirm(client: WebClient, user_id: str, confirmation: str | Message) -> None:
    """Tell the person who submitted what was saved, in a direct message."""
    if isinstance(confirmation, Message):
        client.chat_postMessage(channel=user_id, **confirmation.as_kwargs())
    else:
        client.chat_postMessage(channel=user_id, text=confirmation)


def save_and_confirm(database: Database, ack: Ack, body: dict[str, Any], client: WebClient,
                     work: Work[str | Message], blocks: dict[str, str], fallback: str) -> None:
    """`write_once`, its confirmation to the person who submitted queued in the same
    transaction (keyed by the view id), then sent."""
    def work_and_queue(session: Session, actor: Staff,
                       view: dict[str, Any]) -> list[Delivery | None]:
        confirmation = work(session, actor, view)
        return [queue(session, f"view:{view['id']}:confirm", actor.slack_user_id, confirmation)]

    queued = write_once(database, ack, body, work_and_queue, blocks, fallback)
    send_queued(database, client, queued or [])


def queue(session: Session, key: str, recipient: str, message: str | Message) -> Delivery | None:
    """Store a message to follow this transaction's write (caseload/outbox.py), claimed for
    this request to send once it commits; None if a retried write stored it already."""
    kwargs = message.as_kwargs() if isinstance(message, Message) else {"text": message}
    return enqueue_claimed(session, key, recipient, kwargs)


def send_queued(database: Database, client: WebClient, queued: Iterable[Delivery | None]) -> None:
    """Send a request's queued messages now, after the response; whatever Slack does not take
    stays queued for the clock's sweep (messaging/outbox.py)."""
    deliveries = [delivery for delivery in queued if delivery is not None]
    if deliveries:
        # A request's few messages go to different people: no pacing sleep in a web worker
        # (slack_sdk still waits out a 429; the sweep paces what is left).
        Sender(database, lambda _recipient: client, min_interval=0,
               unmarked=_SENT_NOT_MARKED).send(deliveries)
