"""Once-only actions: claim a key in the caller's transaction before writing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseload.models import IdempotencyKey


def claim(session: Session, key: str) -> bool:
    """True if this is the first time `key` is seen; False if it was acted on already.

    The claim commits or rolls back with the caller's work, so a failed write frees the key
    for the retry, and two processes racing on the same key cannot both win.
    """
    if len(key) > 255:
        raise ValueError("idempotency key longer than 255 characters")
    if session.scalar(select(IdempotencyKey.id).where(IdempotencyKey.key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(IdempotencyKey(key=key))
            session.flush()
    except IntegrityError:
        return False
    return True
