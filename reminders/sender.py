"""Sending through Slack once and only once: claim the key, send, then mark it.

Rate limits: slack_sdk's retry handler waits out a 429's Retry-After and tries again; a
channel gets at most one message a second from us. Any send that still fails is marked
failed, and the next run sends it (caseload.nudges).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.views import Message
from caseload import nudges
from caseload.db import Database

log = logging.getLogger("reminders.sender")


@dataclass
class Outbox:
    """Delivers messages and files for the clock, once each."""

    db: Database
    slack: WebClient
    min_interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    _dm_channels: dict[str, str] = field(default_factory=dict)
    _last_sent: dict[str, float] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0

    def dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            response = self.slack.conversations_open(users=user_id)
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
            self.slack.chat_postMessage(channel=channel, **message.as_kwargs())
        finally:
            self._sent_to(channel)

    def message_user(self, key: tuple[str, str, str], user_id: str, message: Message) -> bool:
        return self.deliver(key, lambda: self.post_dm(user_id, message), recipient=user_id)

    def message_channel(self, key: tuple[str, str, str], channel: str, message: Message) -> bool:
        def send() -> None:
            self._pace(channel)
            try:
                self.slack.chat_postMessage(channel=channel, **message.as_kwargs())
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
                self.slack.files_upload_v2(channel=target, content=content(), filename=filename,
                                           title=title)
            finally:
                self._sent_to(target)

        return self.deliver(key, send, recipient=channel or user_id)
