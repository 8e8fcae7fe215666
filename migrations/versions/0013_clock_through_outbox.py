"""the clock's messages go through the outbox: nudge_log keeps only what was decided about
each client, and the outbox carries every message

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 11:10:00

Data: a message already sent under nudge_log's own claims is moved into the outbox as sent
(key "kind:subject:period"), so a review step, digest or monthly report already delivered is
not queued again after the upgrade. Four-week rows that were sent stay as the record of which
clients were nudged when (no outbox message: `outbox_key` is empty). Rows claimed or failed
but never sent are dropped: the next run of the clock decides them again and queues them,
which is what their retry would have done. The downgrade puts the columns back with every
remaining row marked sent; messages moved into the outbox stay there.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Reminders about clients: their rows stay (the record the weekly rhythm is counted from).
ABOUT_CLIENTS = ('four_week',)

nudge_log = sa.table(
    'nudge_log', sa.column('id', sa.Integer()), sa.column('kind', sa.String()),
    sa.column('subject', sa.String()), sa.column('period', sa.String()),
    sa.column('recipient', sa.String()), sa.column('status', sa.String()),
    sa.column('attempts', sa.Integer()), sa.column('claimed_at', sa.DateTime(timezone=True)),
    sa.column('sent_at', sa.DateTime(timezone=True)))
outbox = sa.table(
    'outbox', sa.column('key', sa.String()), sa.column('recipient', sa.String()),
    sa.column('message', sa.JSON()), sa.column('status', sa.String()),
    sa.column('attempts', sa.Integer()), sa.column('next_attempt_at', sa.DateTime(timezone=True)),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('sent_at', sa.DateTime(timezone=True)))


def upgrade() -> None:
    connection = op.get_bind()
    sent = connection.execute(sa.select(nudge_log).where(
        nudge_log.c.status == 'sent', nudge_log.c.kind.not_in(ABOUT_CLIENTS))).all()
    existing = set(connection.scalars(sa.select(outbox.c.key)))
    moved = [{'key': f"{r.kind}:{r.subject}:{r.period}", 'recipient': r.recipient or '',
              'message': {}, 'status': 'sent', 'attempts': r.attempts,
              'next_attempt_at': r.claimed_at, 'created_at': r.claimed_at,
              'sent_at': r.sent_at or r.claimed_at} for r in sent]
    moved = [m for m in moved if m['key'] not in existing]
    if moved:
        op.bulk_insert(outbox, moved)
    connection.execute(sa.delete(nudge_log).where(sa.or_(
        nudge_log.c.status != 'sent', nudge_log.c.kind.not_in(ABOUT_CLIENTS))))
    with op.batch_alter_table('nudge_log') as batch:
        batch.add_column(sa.Column('outbox_key', sa.String(length=200), nullable=True))
        batch.alter_column('claimed_at', new_column_name='created_at',
                           existing_type=sa.DateTime(timezone=True), existing_nullable=False)
        batch.drop_column('status')
        batch.drop_column('attempts')
        batch.drop_column('last_error')
        batch.drop_column('sent_at')
        batch.create_index('ix_nudge_log_kind_period', ['kind', 'period'])


def downgrade() -> None:
    with op.batch_alter_table('nudge_log') as batch:
        batch.drop_index('ix_nudge_log_kind_period')
        batch.add_column(sa.Column('status', sa.Enum(
            'claimed', 'sent', 'failed', name='nudgestatus', native_enum=False, length=40),
            nullable=False, server_default='sent'))
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='1'))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch.alter_column('created_at', new_column_name='claimed_at',
                           existing_type=sa.DateTime(timezone=True), existing_nullable=False)
        batch.drop_column('outbox_key')
