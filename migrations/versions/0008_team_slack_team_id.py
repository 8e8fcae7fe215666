"""team slack workspace: which Slack workspace each team works in, so trainers and admins of
one workspace see only its teams

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 04:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: every team already stored is in the one workspace a single-token install has.
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slack_team_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_teams_slack_team_id'), ['slack_team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_slack_team_id'))
        batch_op.drop_column('slack_team_id')
