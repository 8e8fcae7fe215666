"""Block Kit views: pure functions from caseload results to (fallback text, blocks).

The bot's listeners and the reminders clock render the same messages through these.
Blocks are built with slack_sdk's models, which refuse many of Slack's limits before Slack
does. Messages name clients by their local reference only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

MESSAGE_BLOCK_LIMIT = 50
# Slack refuses section text over 3,000 characters; leave room for formatting.
SECTION_TEXT_LIMIT = 2900


def line_sections(lines: list[str]) -> list[Block]:
    """Lines as as few sections as fit Slack's limit: a long list is split, never cut."""
    sections: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > SECTION_TEXT_LIMIT:
            sections.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
            chunk = []
        chunk.append(line[:SECTION_TEXT_LIMIT])
    if chunk:
        sections.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
    return sections


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        """Arguments for chat.postMessage."""
        return {"text": self.text, "blocks": [b.to_dict() for b in self.blocks]}
