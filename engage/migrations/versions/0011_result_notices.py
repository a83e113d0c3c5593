"""Contacts that asked to be told when results are published, and the e-mails sent to them

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("response_contacts") as batch:
        batch.add_column(
            sa.Column("notify_results", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "result_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["response_contacts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "subject"),
    )
    op.create_index("ix_result_notices_contact_id", "result_notices", ["contact_id"])
    op.create_index("ix_result_notices_survey_id", "result_notices", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_result_notices_survey_id", table_name="result_notices")
    op.drop_index("ix_result_notices_contact_id", table_name="result_notices")
    op.drop_table("result_notices")
    with op.batch_alter_table("response_contacts") as batch:
        batch.drop_column("notify_results")
