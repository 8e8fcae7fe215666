"""staff slack workspace: which Slack workspace each person is in, for multi-workspace sends

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 00:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: everyone already stored is in the one workspace a single-token install has.
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slack_team_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_slack_team_id'), ['slack_team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_slack_team_id'))
        batch_op.drop_column('slack_team_id')
