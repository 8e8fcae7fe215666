"""Once-only actions: claim a key in the caller's transaction before writing."""

from __future__ import annotations

from caseload.db import Session, insert_if_new
from caseload.models import IdempotencyKey, utcnow


def claim(session: Session, key: str) -> bool:
    """True if this is the first time `key` is seen; False if it was acted on already.

    The claim commits or rolls back with the caller's work, so a failed write frees the key
    for the retry, and two processes racing on the same key cannot both win: the second
    insert waits on the first's unique key and then inserts nothing.
    """
    if len(key) > 255:
        raise ValueError("idempotency key longer than 255 characters")
    # One statement (no look-up first, no savepoint): a modal submission makes this claim on
    # every request.
    return insert_if_new(session, IdempotencyKey, {"key": key, "created_at": utcnow()},
                         unique=["key"]) is not None
