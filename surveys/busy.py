"""Whether a database error is another writer's lock: worth running the transaction again."""

from sqlalchemy.exc import OperationalError

# PostgreSQL's transient failures of a whole transaction: serialization failure, deadlock.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def is_busy(error: OperationalError) -> bool:
    """Return whether ``error`` is a lock another writer held (worth running the write again)."""
    if getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(error.orig) or "database table is locked" in str(error.orig)
