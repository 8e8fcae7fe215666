"""One-time links from Slack to the calculator's result page.

`/ips betteroff` answers in Slack and offers the full result on the web pages. The link carries
only an opaque random id: the answers stay here, the row is bound to the Slack user it was made
for, lasts minutes, and is used once (a second use changes nothing and says so). Only the id's
SHA-256 digest is stored, so a copy of the table opens nothing.

Whoever is not the owner gets the same sentence whether or not the link exists, so a link
tells a stranger nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from caseload.errors import CaseloadError
from caseload.models import CalculatorLink, utcnow

LIFETIME = timedelta(minutes=15)
# Long enough that guessing one is hopeless (192 bits), short enough for a Slack button URL.
ID_BYTES = 24
NOT_YOURS = ("This link is not one of yours, or it does not exist. Open the calculation again "
             "from Slack with /ips betteroff.")


class LinkRefused(CaseloadError):
    """The link cannot be opened; `str()` says why, and `used` whether it was used before."""

    def __init__(self, message: str, *, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


def _digest(link_id: str) -> str:
    return hashlib.sha256(link_id.encode()).hexdigest()


def issue_link(session: Session, slack_user_id: str, answers: dict[str, str],
               now: datetime | None = None) -> str:
    """Keep `answers` for `slack_user_id` and return the opaque id the link carries."""
    now = now or utcnow()
    link_id = secrets.token_urlsafe(ID_BYTES)
    session.add(CalculatorLink(digest=_digest(link_id), slack_user_id=slack_user_id,
                               answers=dict(answers), created_at=now, expires_at=now + LIFETIME))
    # Expired links are worth nothing; clearing them as new ones are made keeps the table small.
    session.execute(delete(CalculatorLink).where(CalculatorLink.expires_at < now - LIFETIME))
    session.flush()
    return link_id


def _refusal(row: CalculatorLink | None, slack_user_id: str, now: datetime) -> LinkRefused | None:
    if row is None or row.slack_user_id != slack_user_id:
        return LinkRefused(NOT_YOURS)
    if row.used_at is not None:
        return LinkRefused(f"This link was already used at {row.used_at:%H:%M} (UTC); using it again "
                           "changes nothing. Open the calculation again from Slack with /ips betteroff.",
                           gone=True)
    if row.expires_at <= now:
        minutes = int(LIFETIME.total_seconds() // 60)
        return LinkRefused(f"This link has expired: links from Slack last {minutes} minutes. Open the "
                           "calculation again from Slack with /ips betteroff.", gone=True)
    return None


def peek_link(session: Session, link_id: str, slack_user_id: str,
              now: datetime | None = None) -> dict[str, str]:
    """The answers behind a link that `slack_user_id` may still use, without using it."""
    now = now or utcnow()
    row = session.scalar(select(CalculatorLink).where(CalculatorLink.digest == _digest(link_id)))
    refusal = _refusal(row, slack_user_id, now)
    if refusal is not None:
        raise refusal
    assert row is not None
    return dict(row.answers)


def use_link(session: Session, link_id: str, slack_user_id: str,
             now: datetime | None = None) -> dict[str, str]:
    """Use the link once: its answers, or LinkRefused. One conditional UPDATE marks it used, so
    two requests racing for it cannot both succeed."""
    now = now or utcnow()
    digest = _digest(link_id)
    claimed = session.execute(
        update(CalculatorLink)
        .where(CalculatorLink.digest == digest, CalculatorLink.slack_user_id == slack_user_id,
               CalculatorLink.used_at.is_(None), CalculatorLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    row = session.scalar(select(CalculatorLink).where(CalculatorLink.digest == digest))
    if getattr(claimed, "rowcount", 0) != 1:
        raise _refusal(row, slack_user_id, now) or LinkRefused(NOT_YOURS)
    assert row is not None
    return dict(row.answers)
