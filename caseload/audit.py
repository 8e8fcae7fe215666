"""The audit trail: who changed which record, when, and what it was before and after."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from caseload.models import AuditLog, Base, Staff


def _json_safe(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(record: Base) -> dict[str, Any]:
    """Column values of a record, as JSON."""
    mapper = inspect(record).mapper
    return {
        attr.key: _json_safe(getattr(record, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in ("created_at", "updated_at")
    }


def record_change(
    session: Session,
    *,
    actor: Staff | None,
    action: str,
    record: Base,
    before: dict[str, Any] | None,
) -> AuditLog:
    """Write one audit row for `record` in the caller's transaction (flushes to get its id)."""
    session.flush()
    after = snapshot(record)
    if before is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    row = AuditLog(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=record.__tablename__,
        entity_id=record.id,  # type: ignore[attr-defined]
        team_id=getattr(record, "team_id", None),
        before=before,
        after=after,
    )
    session.add(row)
    return row


def history(session: Session, entity_type: str, entity_id: int) -> list[AuditLog]:
    return list(
        session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
            .order_by(AuditLog.id)
        )
    )
