"""accounts: session version, last sign-in, restriction, set-password token, SSO subject;
survey assignments

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('last_sign_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('restricted', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('password_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column('password_token_expires', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('sso_subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch.create_unique_constraint('uq_users_sso_subject', ['sso_subject'])
    op.create_table('survey_assignments',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'user_id')
    )


def downgrade() -> None:
    op.drop_table('survey_assignments')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_sso_subject', type_='unique')
        for column in ('sso_subject', 'password_token_expires', 'password_token_hash',
                       'restricted', 'last_sign_in_at', 'session_version'):
            batch.drop_column(column)
