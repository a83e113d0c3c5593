"""The audit log, read only: admins filter it in the browser (/audit/) and with ``engage audit``.

Every event is written by ``surveys.audit.write_audit`` in the transaction of what it
records: edits, corrections, reviews, settings, sign-ins (and failed ones), sign-outs,
downloads and exports. Nothing in the app updates or deletes an event; on PostgreSQL a
trigger (migration 0005) refuses UPDATE and DELETE on ``audit_events`` as well.
"""

from engage.audit import commands, views  # noqa: F401  (each module registers its part)
from engage.audit.blueprint import bp

__all__ = ["bp"]
