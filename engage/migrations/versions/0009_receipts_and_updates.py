"""receipts and updates: responses.receipt_hash (unique per survey); survey_updates

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: no copy of the responses table on SQLite.
    op.add_column(
        "responses",
        sa.Column("receipt_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.create_index(
        "ux_responses_survey_receipt", "responses", ["survey_id", "receipt_hash"], unique=True
    )
    op.create_table(
        "survey_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survey_updates_survey_id", "survey_updates", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_survey_updates_survey_id", table_name="survey_updates")
    op.drop_table("survey_updates")
    op.drop_index("ux_responses_survey_receipt", table_name="responses")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("receipt_hash")
