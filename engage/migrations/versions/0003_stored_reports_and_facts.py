"""stored reports (the report cache, in the database) and response facts (counting)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stored_reports',
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('built_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_index(op.f('ix_stored_reports_survey_id'), 'stored_reports', ['survey_id'], unique=False)
    op.create_table('response_facts',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('structure', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('profile', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('answers', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('day', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id')
    )


def downgrade() -> None:
    op.drop_table('response_facts')
    op.drop_index(op.f('ix_stored_reports_survey_id'), table_name='stored_reports')
    op.drop_table('stored_reports')
