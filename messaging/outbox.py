"""The one sender of the outbox (caseload/outbox.py): the web process runs it for a request's
own messages just after the response, and the clock runs it after each job and at each sweep
for everything pending, its own nudges, digests, review steps and reports included.

What Slack answers decides what happens to a message:
- accepted: marked sent;
- 429 (after slack_sdk's own wait), 5xx, a network failure, a workspace not installed yet, or
  an error not known to be permanent: tried again later, backing off (Retry-After when given);
- a permanent error (`PERMANENT`: the channel or person is gone, the token revoked, the
  message refused): given up at once, the reason logged and shown by `ips outbox`.

Nothing twice: the claim is committed before the send (a web request's own messages are
stored claimed, in the write's transaction). If the database is briefly unavailable when
marking a message sent, the sender keeps it as sent in memory (`Unmarked`, shared by a web
process's request senders) and marks it before it claims or sends anything else, so its lease
never runs out on a message Slack already has. (Only a process killed between Slack's answer
and that mark can send one message twice.)
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from caseload import outbox
from caseload.db import Database

log = logging.getLogger("messaging.outbox")

# Slack errors that no retry will cure (api.slack.com/methods/chat.postMessage#errors).
PERMANENT = frozenset({
    "channel_not_found", "account_inactive", "user_not_found", "user_disabled", "is_archived",
    "not_in_channel", "cannot_dm_bot", "invalid_auth", "not_authed", "token_revoked",
    "token_expired", "no_permission", "missing_scope", "restricted_action", "invalid_blocks",
    "invalid_arguments", "msg_too_long", "no_text", "team_access_not_granted",
})


@dataclass
class Drained:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class Unmarked:
    """Messages Slack has accepted that are not marked sent yet. A web worker makes a sender
    for each request, so they share one of these: a message the database could not mark is
    marked by the next send in the process instead of being forgotten (and sent again by the
    sweep once its lease ran out)."""

    def __init__(self) -> None:
        self._items: list[outbox.Delivery] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def add(self, delivery: outbox.Delivery) -> None:
        with self._lock:
            self._items.append(delivery)

    def mark(self, db: Database) -> bool:
        """Mark them all sent; False while the database cannot be reached.

        The batch is taken out while it is marked, so two request threads never mark the same
        rows at once: overlapping UPDATEs locked rows in different orders and PostgreSQL broke
        the deadlock after a second by failing one of them."""
        with self._lock:
            batch, self._items = self._items, []
        if not batch:
            return True
        try:
            outbox.mark_sent(db, batch)
        except SQLAlchemyError as exc:
            log.warning("outbox: sent %d message(s) but cannot mark them yet (%s)",
                        len(batch), type(exc).__name__)
            with self._lock:  # back for the next send to mark
                self._items = batch + self._items
            return False
        return True


@dataclass
class Sender:
    """Sends claimed outbox messages; `client_for` gives the client for a recipient (None:
    their workspace has not installed the app, so wait)."""

    db: Database
    client_for: Callable[[str], WebClient | None]
    min_interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    unmarked: Unmarked = field(default_factory=Unmarked)
    _last_sent: dict[str, float] = field(default_factory=dict)
    _dm_channels: dict[str, str] = field(default_factory=dict)

    def drain(self, keys: list[str] | None = None, limit: int = 500) -> Drained:
        """Send what is due (only `keys`, when given), at most `limit`, and mark each."""
        done = Drained()
        if not self.unmarked.mark(self.db):
            return done  # the database is still away: claim nothing new
        try:
            deliveries = outbox.claim_due(self.db, keys=keys, limit=limit)
        except SQLAlchemyError as exc:
            log.warning("outbox: could not claim messages (%s); the next run will", type(exc).__name__)
            return done
        for delivery in deliveries:
            self._send_one(delivery, done)
        return done

    def send(self, deliveries: list[outbox.Delivery]) -> Drained:
        """Send messages the caller has claimed already (`outbox.enqueue_claimed`), and mark each."""
        done = Drained()
        if not self.unmarked.mark(self.db):
            return done  # the leases run out and the clock's sweep sends them
        # A request's few messages go out within milliseconds: marked together after.
        for delivery in deliveries:
            self._send_one(delivery, done, mark=False)
        self.unmarked.mark(self.db)
        return done

    def _send_one(self, delivery: outbox.Delivery, done: Drained, mark: bool = True) -> None:
        client = self.client_for(delivery.recipient)
        try:
            if client is None:
                raise _NotInstalled()
            self._pace(delivery.recipient)
            try:
                self._post(client, delivery)
            finally:
                self._last_sent[delivery.recipient] = time.monotonic()
        except (SlackApiError, SlackClientError, OSError, _NotInstalled) as exc:
            self._after_failure(delivery, exc, done)
            return
        done.sent += 1
        self.unmarked.add(delivery)
        if mark:
            self.unmarked.mark(self.db)

    def _post(self, client: WebClient, delivery: outbox.Delivery) -> None:
        """A message goes to a user id (their DM) or a channel as it is; a file needs a
        conversation's id, so a person's DM is opened first."""
        upload = delivery.message.get("file")
        if upload is None:
            client.chat_postMessage(channel=delivery.recipient, **delivery.message)
            return
        channel = delivery.recipient
        if channel[:1] in "UW":
            if channel not in self._dm_channels:
                opened = client.conversations_open(users=channel)
                self._dm_channels[channel] = opened["channel"]["id"]
            channel = self._dm_channels[channel]
        client.files_upload_v2(channel=channel, content=base64.b64decode(upload["content"]),
                               filename=upload["filename"], title=upload["title"])

    def _after_failure(self, delivery: outbox.Delivery, exc: Exception, done: Drained) -> None:
        code, wait = _classify(exc)
        try:
            if code in PERMANENT:
                outbox.give_up(self.db, delivery, f"Slack refused it: {code}")
                done.failed += 1
                log.warning("outbox %s: given up, Slack answered %s", delivery.key, code)
            elif outbox.retry_later(self.db, delivery, code, wait):
                done.retrying += 1
                log.info("outbox %s: attempt %d failed (%s); will retry", delivery.key,
                         delivery.attempt, code)
            else:
                done.failed += 1
                log.warning("outbox %s: given up after %d attempts (%s)", delivery.key,
                            delivery.attempt, code)
        except SQLAlchemyError:
            # Not marked: the claim's lease runs out and the next run tries again.
            log.warning("outbox %s: failed (%s) and could not be marked", delivery.key, code)

    def _pace(self, channel: str) -> None:
        """About one message a second to each channel, as Slack asks."""
        last = self._last_sent.get(channel)
        if last is not None:
            wait = self.min_interval - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)


class _NotInstalled(Exception):
    pass


def _classify(exc: Exception) -> tuple[str, timedelta | None]:
    """Slack's error code (or the kind of failure) and how long Slack asked us to wait."""
    if isinstance(exc, _NotInstalled):
        return "workspace_not_installed", None
    if isinstance(exc, SlackApiError):
        response = exc.response
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        wait = timedelta(seconds=int(retry_after)) if str(retry_after or "").isdigit() else None
        return str(response.get("error") or f"http_{response.status_code}"), wait
    return type(exc).__name__, None
