"""Block Kit views: pure functions from caseload results to (fallback text, blocks).

The bot's listeners and the reminders clock render the same messages through these.
Blocks are built with slack_sdk's models, which refuse many of Slack's limits before Slack
does. Messages name clients by their local reference only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block

MESSAGE_BLOCK_LIMIT = 50


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        """Arguments for chat.postMessage."""
        return {"text": self.text, "blocks": [b.to_dict() for b in self.blocks]}
