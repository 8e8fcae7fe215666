"""first reports: figures a report gained after a closed period was first reported are kept from
the first report that carried them, with its day, so a later correction of them is listed with
the right "first reported" date

Rows kept before this revision have none: a figure they lack is kept the next time the period
is reported.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 15:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('first_reports') as batch:
        batch.add_column(sa.Column('figures_added_on', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('first_reports') as batch:
        batch.drop_column('figures_added_on')
