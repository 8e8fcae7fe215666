"""outbox: Slack messages that must follow a write, stored in the write's transaction and sent
once by one sender (caseload/outbox.py)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 09:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('recipient', sa.String(length=32), nullable=False),
        sa.Column('message', sa.JSON(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'cancelled', name='outboxstatus',
                                    native_enum=False, create_constraint=False, length=40),
                  nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
        sa.UniqueConstraint('key', name=op.f('uq_outbox_key')),
    )
    op.create_index('ix_outbox_status_next', 'outbox', ['status', 'next_attempt_at'])


def downgrade() -> None:
    op.drop_index('ix_outbox_status_next', table_name='outbox')
    op.drop_table('outbox')
