"""indexes for reports: responses by survey and day, channel, language or area; quotes by polarity

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_responses_survey_collected", "responses", ["survey_id", "collected_at"])
    op.create_index("ix_responses_survey_channel", "responses", ["survey_id", "channel"])
    op.create_index("ix_responses_survey_language", "responses", ["survey_id", "language"])
    op.create_index("ix_responses_survey_area", "responses", ["survey_id", "area"])
    op.create_index(
        "ix_answers_question_polarity",
        "answers",
        ["question_id", "polarity", "id"],
        sqlite_where=sa.text("text IS NOT NULL"),
        postgresql_where=sa.text("text IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_answers_question_polarity", table_name="answers")
    op.drop_index("ix_responses_survey_area", table_name="responses")
    op.drop_index("ix_responses_survey_language", table_name="responses")
    op.drop_index("ix_responses_survey_channel", table_name="responses")
    op.drop_index("ix_responses_survey_collected", table_name="responses")
