"""What every listener needs: who is asking, and errors a modal can show beside its fields."""

from __future__ import annotations

from slack_bolt import Ack

from caseload.errors import CaseloadError, InvalidInput


def modal_errors(error: InvalidInput, blocks: dict[str, str], fallback: str) -> dict[str, str]:
    """Map caseload field errors onto the modal's input blocks (Slack shows them in place)."""
    out: dict[str, str] = {}
    for field_error in error.errors:
        block = blocks.get(field_error.field.split(".")[0], fallback)
        out.setdefault(block, field_error.message[:150])
    return out


def refuse_in_modal(ack: Ack, error: CaseloadError, blocks: dict[str, str], fallback: str) -> None:
    """Answer a modal submission with the error shown beside the field it is about."""
    if isinstance(error, InvalidInput):
        ack(response_action="errors", errors=modal_errors(error, blocks, fallback))
    else:
        ack(response_action="errors", errors={fallback: str(error)[:150]})
