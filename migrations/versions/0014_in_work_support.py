"""in-work support: in-work contacts, each team's in-work rhythm, and a job end's reason from
the list (resigned, dismissed, contract ended, moved to a better job, other)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_WHOM = sa.Enum('person', 'employer', 'both', name='inworkwith', native_enum=False,
                    create_constraint=False, length=40)
END_REASON = sa.Enum('resigned', 'dismissed', 'contract_ended', 'better_job', 'other',
                     name='jobendreason', native_enum=False, create_constraint=False, length=40)


def upgrade() -> None:
    # Jobs first: on SQLite its new check rebuilds the table, which nothing may reference yet.
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_reason_code', END_REASON, nullable=True))
    _reasons_for_jobs_already_ended()
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_jobs_end_has_reason'),
                                         '(ended_on IS NULL) = (end_reason_code IS NULL)')
        batch_op.create_index('ix_jobs_ended', ['ended_on'])
    # Plain ALTER TABLE ADD COLUMN, never batch: rebuilding teams or clients on SQLite would
    # break the foreign keys that point at them. The ranges are the setting's own rules
    # (caseload/teams.py).
    op.add_column('teams', sa.Column('in_work_first_weeks', sa.Integer(), nullable=False,
                                     server_default=sa.text('4')))
    op.add_column('teams', sa.Column('in_work_first_every_days', sa.Integer(), nullable=False,
                                     server_default=sa.text('7')))
    op.add_column('teams', sa.Column('in_work_then_every_days', sa.Integer(), nullable=False,
                                     server_default=sa.text('30')))
    op.add_column('clients', sa.Column('last_in_work_contact_on', sa.Date(), nullable=True))
    op.create_table(
        'in_work_contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.Column('contacted_on', sa.Date(), nullable=False),
        sa.Column('with_whom', WITH_WHOM, nullable=False),
        sa.Column('face_to_face', sa.Boolean(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'],
                                name=op.f('fk_in_work_contacts_client_id_clients')),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'],
                                name=op.f('fk_in_work_contacts_job_id_jobs')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_in_work_contacts_staff_id_staff')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'],
                                name=op.f('fk_in_work_contacts_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_in_work_contacts')),
    )
    op.create_index('ix_in_work_contacts_client_date', 'in_work_contacts',
                    ['client_id', 'contacted_on'])
    op.create_index('ix_in_work_contacts_staff_date', 'in_work_contacts',
                    ['staff_id', 'contacted_on'])
    op.create_index('ix_in_work_contacts_team_date', 'in_work_contacts',
                    ['team_id', 'contacted_on'])


def _reasons_for_jobs_already_ended() -> None:
    """Jobs ended before the list existed get the reason their words plainly say, else
    'other'; the words stay in end_reason."""
    jobs = sa.table('jobs', sa.column('ended_on'), sa.column('end_reason'),
                    sa.column('end_reason_code'))
    words = sa.func.lower(sa.func.coalesce(jobs.c.end_reason, ''))
    code = sa.case(
        (words.like('%resign%'), 'resigned'),
        (words.like('%dismiss%'), 'dismissed'),
        (words.like('%contract%'), 'contract_ended'),
        (words.like('%better job%'), 'better_job'),
        else_='other')
    op.execute(jobs.update().where(jobs.c.ended_on.is_not(None)).values(end_reason_code=code))


def downgrade() -> None:
    op.drop_index('ix_in_work_contacts_team_date', table_name='in_work_contacts')
    op.drop_index('ix_in_work_contacts_staff_date', table_name='in_work_contacts')
    op.drop_index('ix_in_work_contacts_client_date', table_name='in_work_contacts')
    op.drop_table('in_work_contacts')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('last_in_work_contact_on')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('in_work_then_every_days')
        batch_op.drop_column('in_work_first_every_days')
        batch_op.drop_column('in_work_first_weeks')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_ended')
        batch_op.drop_constraint(op.f('ck_jobs_end_has_reason'), type_='check')
        batch_op.drop_column('end_reason_code')
