"""in work at referral and vocational profile start: the two client facts IPS Grow's quarterly
return counts that the record did not hold

Nothing stored before says either, so existing clients are taken as out of work when referred
and with no vocational profile date; a specialist can record the date from the client card.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 08:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_work_at_referral', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))
        batch_op.add_column(sa.Column('vocational_profile_started_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('vocational_profile_started_on')
        batch_op.drop_column('in_work_at_referral')
