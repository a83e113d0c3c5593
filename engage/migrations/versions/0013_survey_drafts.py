"""survey_drafts: answers saved to continue later, encrypted (surveys.drafts)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    op.create_index("ix_survey_drafts_survey_id", "survey_drafts", ["survey_id"])
    op.create_index("ix_survey_drafts_expires_at", "survey_drafts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_survey_drafts_expires_at", table_name="survey_drafts")
    op.drop_index("ix_survey_drafts_survey_id", table_name="survey_drafts")
    op.drop_table("survey_drafts")
