"""What every listener needs: who is asking, and errors a modal can show beside its fields."""

from __future__ import annotations

from caseload.errors import InvalidInput


def modal_errors(error: InvalidInput, blocks: dict[str, str], fallback: str) -> dict[str, str]:
    """Map caseload field errors onto the modal's input blocks (Slack shows them in place)."""
    out: dict[str, str] = {}
    for field_error in error.errors:
        block = blocks.get(field_error.field.split(".")[0], fallback)
        out.setdefault(block, field_error.message[:150])
    return out
