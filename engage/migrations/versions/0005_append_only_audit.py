"""audit log append-only: on PostgreSQL a trigger refuses UPDATE and DELETE on audit_events

The app never changes or removes an audit event (engage/audit); this makes the database
refuse it too, for anyone with the app's credentials. TRUNCATE is refused as well. SQLite
has no such guard: deployments that need one run PostgreSQL. The schema is unchanged, so
models and migrations still agree.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 05:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        """
        CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER audit_events_no_update_or_delete
        BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
        """
    )
    op.execute(
        """
        CREATE TRIGGER audit_events_no_truncate
        BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP TRIGGER audit_events_no_truncate ON audit_events')
    op.execute('DROP TRIGGER audit_events_no_update_or_delete ON audit_events')
    op.execute('DROP FUNCTION audit_events_append_only()')
