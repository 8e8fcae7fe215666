"""first reports: each team's figures for a closed period as first reported, so a later report
of the same period can list what corrections of the past have changed since

Nothing was kept before, so periods reported before this revision start their record the next
time they are reported.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 08:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'first_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_first_reports_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_first_reports')),
        sa.UniqueConstraint('team_id', 'period_start', 'period_end',
                            name=op.f('uq_first_reports_team_id_period_start_period_end')),
    )


def downgrade() -> None:
    op.drop_table('first_reports')
