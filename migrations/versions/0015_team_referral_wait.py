"""teams: how many working days a referral may wait unaccepted before the team leaders are told

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 11:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('teams') as batch:
        batch.add_column(sa.Column('referral_wait_working_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teams') as batch:
        batch.drop_column('referral_wait_working_days')
