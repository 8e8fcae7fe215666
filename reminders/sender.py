"""Sending through Slack once and only once: claim the key, send, then mark it.

Rate limits: slack_sdk's retry handler waits out a 429's Retry-After and tries again; a
channel gets at most one message a second from us. Any send that still fails is marked
failed, and the next run sends it (caseload.nudges).

Several workspaces (no single bot token): each recipient's messages go with their own
workspace's bot token (messaging.workspaces). A recipient whose workspace has not installed
the app, or is not known, is skipped before anything is claimed, so a later run sends once
the workspace installs; each job logs how many it skipped per workspace, never who.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from caseload import nudges
from caseload.db import Database
from messaging.outbox import Drained, Sender
from messaging.views import Message
from messaging.workspaces import Workspaces

log = logging.getLogger("reminders.sender")


@dataclass
class Outbox:
    """Delivers messages and files for the clock, once each."""

    db: Database
    # The one workspace's client; None when `workspaces` gives each recipient's.
    slack: WebClient | None
    min_interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    workspaces: Workspaces | None = None
    _dm_channels: dict[str, str] = field(default_factory=dict)
    _last_sent: dict[str, float] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0
    # Workspace id (None: not known) → recipients skipped for it since the last report.
    skipped: dict[str | None, set[str]] = field(default_factory=lambda: defaultdict(set))
    _queued: Sender | None = None

    def send_queued(self) -> Drained:
        """Send what the bot queued (caseload/outbox.py) and is still pending: a referral's
        notices whose first try failed, or whose web process died before sending them."""
        if self._queued is None:
            # One sender for the clock's life, so what it sent but could not mark is marked first.
            self._queued = Sender(self.db, self.client_for, min_interval=self.min_interval,
                                  sleep=self.sleep)
        return self._queued.drain()

    def client_for(self, recipient: str | None) -> WebClient | None:
        """Who sends to `recipient` (a user or channel id): None if nobody can."""
        if self.workspaces is None:
            return self.slack
        return self.workspaces.client_for(recipient)

    def _client(self, recipient: str | None) -> WebClient:
        client = self.client_for(recipient)
        if client is None:
            # deliver() checks first, so only a send made outside it gets here.
            raise SlackClientError(f"no installed workspace for {recipient}")
        return client

    def _can_send(self, recipient: str | None) -> bool:
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

    def dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            response = self._client(user_id).conversations_open(users=user_id)
            self._dm_channels[user_id] = response["channel"]["id"]
        return self._dm_channels[user_id]

    def _pace(self, channel: str) -> None:
        """Wait until a second has passed since the last message to `channel` was answered."""
        last = self._last_sent.get(channel)
        if last is not None:
            wait = self.min_interval - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)

    def _sent_to(self, channel: str) -> None:
        self._last_sent[channel] = time.monotonic()

    def deliver(self, key: tuple[str, str, str], send: Callable[[], None],
                recipient: str | None = None) -> bool:
        """Claim `key`, run `send`, mark the outcome. True if it was sent now."""
        if not self._can_send(recipient):
            return False
        claim = nudges.claim(self.db, *key, recipient=recipient)
        if claim is None:
            return False
        try:
            send()
        except (SlackApiError, SlackClientError, OSError) as exc:
            nudges.mark_failed(self.db, claim, f"{type(exc).__name__}: {exc}")
            self.failed += 1
            log.warning("send failed for %s (attempt %d): %s", ":".join(key), claim.attempt, exc)
            return False
        nudges.mark_sent(self.db, claim)
        self.sent += 1
        return True

    def deliver_many(self, keys: list[tuple[str, str, str]],
                     send: Callable[[list[int]], None], recipient: str | None = None
                     ) -> list[int]:
        """Claim each key; send once for the indexes claimed; mark them all. Returns them."""
        if not self._can_send(recipient):
            return []
        claims = nudges.claim_many(self.db, keys, recipient=recipient)
        won = [(index, claim) for index, claim in enumerate(claims) if claim is not None]
        if not won:
            return []
        try:
            send([index for index, _ in won])
        except (SlackApiError, SlackClientError, OSError) as exc:
            nudges.mark_many(self.db, [c for _, c in won], f"{type(exc).__name__}: {exc}")
            self.failed += 1
            log.warning("send to %s failed: %s", recipient, exc)
            return []
        nudges.mark_many(self.db, [c for _, c in won])
        self.sent += 1
        return [index for index, _ in won]

    def post_dm(self, user_id: str, message: Message) -> None:
        channel = self.dm_channel(user_id)
        self._pace(channel)
        try:
            self._client(user_id).chat_postMessage(channel=channel, **message.as_kwargs())
        finally:
            self._sent_to(channel)

    def message_user(self, key: tuple[str, str, str], user_id: str, message: Message) -> bool:
        return self.deliver(key, lambda: self.post_dm(user_id, message), recipient=user_id)

    def message_channel(self, key: tuple[str, str, str], channel: str, message: Message) -> bool:
        def send() -> None:
            self._pace(channel)
            try:
                self._client(channel).chat_postMessage(channel=channel, **message.as_kwargs())
            finally:
                self._sent_to(channel)

        return self.deliver(key, send, recipient=channel)

    def upload(self, key: tuple[str, str, str], channel: str | None, user_id: str | None,
               content: Callable[[], bytes], filename: str, title: str) -> bool:
        """Upload a file made by `content`, which is only called once the key is claimed."""
        def send() -> None:
            target = channel or self.dm_channel(user_id or "")
            self._pace(target)
            try:
                # The DM channel is the user's, so the user (not the D... id) picks the token.
                self._client(channel or user_id).files_upload_v2(
                    channel=target, content=content(), filename=filename, title=title)
            finally:
                self._sent_to(target)

        return self.deliver(key, send, recipient=channel or user_id)
