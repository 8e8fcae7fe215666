"""The one way this project makes a Slack Web API client, with Slack's retry rules built in.

Slack answers 429 with Retry-After when a method's rate limit is reached, and asks apps to
wait that long and try again; slack_sdk's handlers do exactly that. The bot and the clock
share this, so a burst of confirmations or nudges is slowed down rather than lost. Bolt
copies these handlers into the per-request client it makes for each workspace's token.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)


def make_slack_client(token: str | None, base_url: str) -> WebClient:
    """A client for `token` (None: Bolt supplies each workspace's token per request)."""
    client = WebClient(token=token, base_url=base_url)
    client.retry_handlers.extend([
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=1),
        ConnectionErrorRetryHandler(max_retry_count=1),
    ])
    return client
