"""Alembic migrations for the Engage schema (``engage init-db`` applies them)."""
