"""The comments a report may quote (the quoting rule and consent applied)."""

from __future__ import annotations

from flask_babel import gettext as _

from engage.charts.figures import Cell, Row, Table
from engage.labels import SENTIMENT_NAMES


def quotes_table(report: dict) -> Table | None:
    """Return the quotes the report may show (the quoting rule and consent applied)."""
    sentiment = report["sentiment"]
    quotes = [
        *sentiment["most_positive"],
        *sentiment["most_negative"],
        *report["group_sessions"]["quotes"],
    ]
    if not quotes:
        return None
    return Table(
        caption=_("Comments that may be quoted"),
        columns=(_("Comment"), _("Sentiment"), _("Source"), _("Speaker")),
        rows=tuple(
            Row(
                quote["text"],
                (
                    Cell(
                        str(SENTIMENT_NAMES.get(quote["sentiment"], quote["sentiment"])),
                        numeric=False,
                    ),
                    Cell(
                        _("Group session")
                        if quote["source"] == "group_session"
                        else _("Respondent"),
                        numeric=False,
                    ),
                    Cell(quote["speaker"] or "", numeric=False),
                ),
                language=quote["language"],
            )
            for quote in quotes
        ),
    )
