"""clients: the date of the first face-to-face employer contact, kept by the contact service like
the last one, so the outcomes report's funnel ("met an employer") reads one row per client
instead of taking the earliest of every contact

Filled in from the contacts already kept.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 18:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('clients') as batch:
        batch.add_column(sa.Column('first_face_to_face_contact_on', sa.Date(), nullable=True))
    op.execute(
        "UPDATE clients SET first_face_to_face_contact_on = ("
        "SELECT min(employer_contacts.contacted_on) FROM employer_contacts "
        "WHERE employer_contacts.client_id = clients.id AND employer_contacts.face_to_face)"
    )


def downgrade() -> None:
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('first_face_to_face_contact_on')
