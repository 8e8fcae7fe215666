"""The clock's side of the outbox: it queues each message once, then the one sender sends.

A job decides what to say and queues it under a key made of (kind, subject, period): a
second run, a second clock or a restart finds the key queued and queues nothing again. The
outbox's sender (messaging/outbox.py) then delivers, with the same claim, lease, retries,
backoff and permanent errors as every other message: a clock killed between claiming and
sending has its claims taken over after the lease, whatever their kind (caseload/outbox.py).

Rate limits: slack_sdk waits out a 429's Retry-After and tries again; the sender gives a
channel at most one message a second; anything still failing waits and goes again.

Several workspaces (no single bot token): each recipient's messages go with their own
workspace's bot token (messaging.workspaces). A recipient whose workspace has not installed
the app, or is not known, is skipped before anything is queued, so a later run queues it
once the workspace installs; each job logs how many it skipped per workspace, never who.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient

from caseload import nudges, outbox
from caseload.db import Database
from messaging.outbox import Drained, Sender
from messaging.views import Message
from messaging.workspaces import Workspaces

log = logging.getLogger("reminders.sender")

# How many messages one pass of the sender claims; it keeps going while there are more.
BATCH = 500


@dataclass
class Outbox:
    """Queues the clock's messages and files, once each, and sends what is due."""

    db: Database
    # The one workspace's client; None when `workspaces` gives each recipient's.
    slack: WebClient | None
    min_interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    workspaces: Workspaces | None = None
    sent: int = 0
    failed: int = 0
    # Workspace id (None: not known) → recipients skipped for it since the last report.
    skipped: dict[str | None, set[str]] = field(default_factory=lambda: defaultdict(set))
    _sender: Sender | None = None

    @property
    def sender(self) -> Sender:
        if self._sender is None:
            # One sender for the clock's life, so what it sent but could not mark is marked first.
            self._sender = Sender(self.db, self.client_for, min_interval=self.min_interval,
                                  sleep=self.sleep)
        return self._sender

    def send_queued(self) -> Drained:
        """Send everything due in the outbox: this clock's messages, another's whose claim
        ran out, and the bot's whose first try failed or whose web process died."""
        total = Drained()
        while True:
            done = self.sender.drain(limit=BATCH)
            total.sent += done.sent
            total.retrying += done.retrying
            total.failed += done.failed
            if done.sent + done.retrying + done.failed < BATCH:
                break
        self.sent += total.sent
        self.failed += total.retrying + total.failed
        return total

    def client_for(self, recipient: str | None) -> WebClient | None:
        """Who sends to `recipient` (a user or channel id): None if nobody can."""
        if self.workspaces is None:
            return self.slack
        return self.workspaces.client_for(recipient)

    def can_send(self, recipient: str | None) -> bool:
        """False (and counted for the job's log) when nobody can send to `recipient` yet."""
        if self.client_for(recipient) is not None:
            return True
        workspace = self.workspaces.workspace_of(recipient) if self.workspaces else None
        self.skipped[workspace].add(recipient or "")
        return False

    def start_run(self) -> None:
        """Before each job: read installs and workspaces afresh (one may have come or gone)."""
        if self.workspaces is not None:
            self.workspaces.refresh()

    def report_skipped(self, job_id: str) -> None:
        """One line per workspace with the number skipped: ids only, no names."""
        for workspace, recipients in sorted(self.skipped.items(), key=lambda kv: kv[0] or ""):
            if workspace is None:
                log.warning("%s: skipped %d recipients with no Slack workspace known (set it "
                            "with ips staff set-workspace)", job_id, len(recipients))
            else:
                log.warning("%s: skipped %d recipients in workspace %s: the app is not installed "
                            "there", job_id, len(recipients), workspace)
        self.skipped.clear()

    def queue(self, key: nudges.Key, recipient: str, message: dict[str, Any]) -> bool:
        """Queue one message under `key`; True if it was queued now."""
        if not self.can_send(recipient):
            return False
        with self.db.transaction() as session:
            return outbox.enqueue(session, nudges.message_key(key), recipient, message)

    def queue_about_clients(self, keys: list[nudges.Key], recipient: str, dm_key: str,
                            message_for: Callable[[list[int]], Message]) -> list[int]:
        """Record reminders about several clients and queue one DM about those recorded now
        (caseload/nudges.py); the indexes of `keys` it covers."""
        if not self.can_send(recipient):
            return []
        return nudges.record_and_queue(self.db, keys, recipient, dm_key,
                                       lambda won: message_for(won).as_kwargs())

    def message_user(self, key: nudges.Key, user_id: str, message: Message) -> bool:
        return self.queue(key, user_id, message.as_kwargs())

    def message_channel(self, key: nudges.Key, channel: str, message: Message) -> bool:
        return self.queue(key, channel, message.as_kwargs())

    def upload(self, key: nudges.Key, recipient: str, content: Callable[[], bytes],
               filename: str, title: str) -> bool:
        """Queue a file made by `content` for a channel or a person's DM; `content` is only
        called when the key is not queued yet."""
        if nudges.all_queued(self.db, [key]) or not self.can_send(recipient):
            return False
        return self.queue(key, recipient, outbox.file_message(content(), filename, title))
