"""client status history: each client episode's status, team and specialist by date, so
reports for a past period read what was true then

Back-fill, from what is stored:
- referral, acceptance, job search, job starts and ends, and discharge come from the dates
  on the client and job rows, so those are exact;
- holds and specialist changes were never dated on the record: they are taken from the
  day the audit log says they were made. A hold recorded with a back-dated effect, or a
  change whose audit row is missing, cannot be recovered, and the client's specialist
  before any change the audit log shows is taken to be the one they have now.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 08:40:00
"""
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Lightweight tables: a migration must not depend on today's models.
clients = sa.table(
    'clients', sa.column('id', sa.Integer), sa.column('team_id', sa.Integer),
    sa.column('specialist_id', sa.Integer), sa.column('status', sa.String),
    sa.column('referral_received_on', sa.Date), sa.column('accepted_on', sa.Date),
    sa.column('job_search_started_on', sa.Date), sa.column('discharged_on', sa.Date))
jobs = sa.table('jobs', sa.column('client_id', sa.Integer), sa.column('started_on', sa.Date),
                sa.column('ended_on', sa.Date))
audit = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                 sa.column('action', sa.String), sa.column('entity_type', sa.String),
                 sa.column('entity_id', sa.Integer), sa.column('before', sa.JSON),
                 sa.column('after', sa.JSON))
history = sa.table(
    'client_status_history', sa.column('client_id', sa.Integer), sa.column('team_id', sa.Integer),
    sa.column('status', sa.String), sa.column('specialist_id', sa.Integer),
    sa.column('valid_from', sa.Date), sa.column('valid_to', sa.Date),
    sa.column('recorded_at', sa.DateTime(timezone=True)))


def upgrade() -> None:
    op.create_table(
        'client_status_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('referred', 'accepted', 'job_seeking', 'in_work', 'on_hold',
                                    'discharged', name='clientstatus', native_enum=False,
                                    create_constraint=False, length=40), nullable=False),
        sa.Column('specialist_id', sa.Integer(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('valid_to IS NULL OR valid_to > valid_from',
                           name=op.f('ck_client_status_history_to_after_from')),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'],
                                name=op.f('fk_client_status_history_client_id_clients')),
        sa.ForeignKeyConstraint(['specialist_id'], ['staff.id'],
                                name=op.f('fk_client_status_history_specialist_id_staff')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'],
                                name=op.f('fk_client_status_history_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_client_status_history')),
    )
    with op.batch_alter_table('client_status_history', schema=None) as batch_op:
        batch_op.create_index('ix_client_status_history_client_from', ['client_id', 'valid_from'],
                              unique=False)
        batch_op.create_index('ix_client_status_history_team_from',
                              ['team_id', 'valid_from', 'valid_to'], unique=False)
    _back_fill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('client_status_history', schema=None) as batch_op:
        batch_op.drop_index('ix_client_status_history_team_from')
        batch_op.drop_index('ix_client_status_history_client_from')
    op.drop_table('client_status_history')


# Within one day, events apply in this order; the day ends as the last one leaves it.
_ORDER = {'referred': 0, 'accepted': 1, 'job_seeking': 2, 'in_work': 3, 'job_ended': 4,
          'on_hold': 5, 'resumed': 6, 'specialist': 7, 'discharged': 8}


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _back_fill(bind: sa.Connection) -> None:
    by_client: dict[int, list[tuple[date, str, Any]]] = {}
    for row in bind.execute(sa.select(jobs.c.client_id, jobs.c.started_on, jobs.c.ended_on)):
        events = by_client.setdefault(row.client_id, [])
        events.append((_as_date(row.started_on), 'in_work', None))
        if row.ended_on is not None:
            events.append((_as_date(row.ended_on), 'job_ended', None))
    first_specialist: dict[int, Any] = {}
    for row in bind.execute(
            sa.select(audit.c.at, audit.c.action, audit.c.entity_id, audit.c.before, audit.c.after)
            .where(audit.c.entity_type == 'clients',
                   audit.c.action.in_(('hold', 'resume', 'assign', 'reassign')))
            .order_by(audit.c.id)):
        events = by_client.setdefault(row.entity_id, [])
        after = row.after or {}
        if row.action == 'hold':
            events.append((_as_date(row.at), 'on_hold', None))
        elif row.action == 'resume':
            events.append((_as_date(row.at), 'resumed', after.get('status')))
        else:
            first_specialist.setdefault(row.entity_id, (row.before or {}).get('specialist_id'))
            events.append((_as_date(row.at), 'specialist', after.get('specialist_id')))
    now = datetime.now(UTC)
    batch: list[dict[str, Any]] = []
    for client in bind.execute(sa.select(clients).order_by(clients.c.id)):
        batch.extend(_periods(client, by_client.get(client.id, []),
                              first_specialist.get(client.id, client.specialist_id), now))
        if len(batch) >= 5000:
            bind.execute(history.insert(), batch)
            batch = []
    if batch:
        bind.execute(history.insert(), batch)


def _periods(client: Any, extra: list[tuple[date, str, Any]], specialist: Any,
             now: datetime) -> list[dict[str, Any]]:
    """Replay one episode's dated events into (status, specialist) periods."""
    events = list(extra)
    events.append((_as_date(client.referral_received_on), 'referred', None))
    for column, kind in (('accepted_on', 'accepted'), ('job_search_started_on', 'job_seeking'),
                         ('discharged_on', 'discharged')):
        if getattr(client, column) is not None:
            events.append((_as_date(getattr(client, column)), kind, None))
    events.sort(key=lambda e: (e[0], _ORDER[e[1]]))
    status, before_hold, open_jobs = 'referred', 'referred', 0
    days: dict[date, tuple[str, Any]] = {}
    for day, kind, value in events:
        if kind == 'specialist':
            specialist = value
        elif kind == 'in_work':
            open_jobs += 1
            status = 'in_work' if status != 'discharged' else status
        elif kind == 'job_ended':
            open_jobs = max(open_jobs - 1, 0)
            if status == 'in_work' and open_jobs == 0:
                status = 'job_seeking'
        elif kind == 'on_hold':
            before_hold, status = status, 'on_hold'
        elif kind == 'resumed':
            status = value or before_hold
        elif kind == 'job_seeking':
            # A job start also sets the job search date; it only counts before any job.
            status = 'job_seeking' if status in ('referred', 'accepted') else status
        else:
            status = kind
        days[day] = (status, specialist)
    rows: list[dict[str, Any]] = []
    for day in sorted(days):
        state = days[day]
        if rows and (rows[-1]['status'], rows[-1]['specialist_id']) == state:
            continue
        if rows:
            rows[-1]['valid_to'] = day
        rows.append({'client_id': client.id, 'team_id': client.team_id, 'status': state[0],
                     'specialist_id': state[1], 'valid_from': day, 'valid_to': None,
                     'recorded_at': now})
    if rows and rows[-1]['status'] != client.status:
        # The stored dates and the audit log disagree with the client's status now (a hold
        # set and the change's audit row missing, say): today's status is the truth today.
        today = now.date()
        if rows[-1]['valid_from'] >= today:
            rows[-1]['status'] = client.status
        else:
            rows[-1]['valid_to'] = today
            rows.append({**rows[-1], 'status': client.status, 'valid_from': today,
                         'valid_to': None})
    return rows
