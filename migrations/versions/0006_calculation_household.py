"""calculation household: the form's answers kept with a calculation saved against a client

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 00:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, so every calculation already stored stays as it was: without a household.
    with op.batch_alter_table('better_off_calculations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('better_off_calculations', schema=None) as batch_op:
        batch_op.drop_column('household')
