"""calculator_links and web_sessions: one-time links from Slack to the calculator (the answers
kept here, the link carrying an opaque id) and the web pages' server-side sessions

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 11:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'calculator_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('slack_user_id', sa.String(length=32), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calculator_links')),
        sa.UniqueConstraint('digest', name=op.f('uq_calculator_links_digest')),
    )
    op.create_index('ix_calculator_links_expires_at', 'calculator_links', ['expires_at'])
    op.create_table(
        'web_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    )
    op.create_index('ix_web_sessions_expires_at', 'web_sessions', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_web_sessions_expires_at', table_name='web_sessions')
    op.drop_table('web_sessions')
    op.drop_index('ix_calculator_links_expires_at', table_name='calculator_links')
    op.drop_table('calculator_links')
