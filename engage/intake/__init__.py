"""Broker data entry: printable paper forms, keyed-in entries, group sessions, CSV import.

Paper form and entry screen number questions and code options with the same
function (``surveys.intake.paper_numbering``). Entries are validated exactly as a
resident's answers are (``validate_submission``) and stored through
``surveys.recording.record_response``; corrections, reviews and group sessions
are written by ``surveys.corrections`` and ``surveys.group_sessions``, each
change with its ``AuditEvent``. Brokers see and correct only what they entered.

The blueprint is defined in ``blueprint`` so that the view modules can import it
without importing this package first; importing them here registers their routes.
"""

from engage.intake import (  # noqa: F401  (their routes register on bp)
    entries,
    paper,
    sessions,
    withdrawals,
)
from engage.intake.blueprint import bp

__all__ = ["bp"]
