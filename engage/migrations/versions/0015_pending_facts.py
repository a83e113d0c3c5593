"""response_facts.pending_survey_id: a submission's facts wait to be folded into kept counts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("response_facts") as batch:
        batch.add_column(sa.Column("pending_survey_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_response_facts_pending",
        "response_facts",
        ["pending_survey_id"],
        sqlite_where=sa.text("pending_survey_id IS NOT NULL"),
        postgresql_where=sa.text("pending_survey_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_response_facts_pending", table_name="response_facts")
    with op.batch_alter_table("response_facts") as batch:
        batch.drop_column("pending_survey_id")
