"""``engage users``: list, create, set-role, deactivate, reset-password (the pages' rules)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, func, select

from engage import db
from engage.accounts import rules
from engage.accounts.access import sees_every_survey
from engage.accounts.links import deliver
from surveys.models import ROLES, SurveyAssignment, User


def refused(error: rules.AccountError) -> click.ClickException:
    """Return the one-line CLI error of a refused change."""
    return click.ClickException(str(error))


def link_for(token: str) -> str:
    """Return the set-password link's address (ENGAGE_BASE_URL, else a path to complete)."""
    base = current_app.config["BASE_URL"].rstrip("/") or "http://localhost"
    with current_app.test_request_context(base_url=base):
        from engage.accounts.links import link_url

        return link_url(token)


def hand_over(user: User, token: str) -> None:
    """E-mail the set-password link when SMTP is configured, else print it once."""
    link = link_for(token)
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    if deliver(current_app, user, link):
        click.echo(f"A set-password link was e-mailed to {user.email} (valid {hours} hours).")
        return
    click.echo(f"Give {user.email} this one-time set-password link (valid {hours} hours):")
    click.echo(f"  {link}")
    if not current_app.config["BASE_URL"]:
        click.echo("  (set ENGAGE_BASE_URL to this site's address to print it in full)")


@click.group("users")
def users() -> None:
    """Manage accounts with the same rules as the admin pages."""


@users.command("list")
@with_appcontext
def list_command() -> None:
    """List the accounts: role, active, last sign-in, assigned surveys."""
    with db.Session(db.engine()) as session:
        counts = dict(
            session.exec(
                select(SurveyAssignment.user_id, func.count()).group_by(SurveyAssignment.user_id)
            ).all()
        )
        for user in session.exec(select(User).order_by(User.email)):
            state = "active" if user.active else "deactivated"
            seen = (
                user.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if user.last_sign_in_at else "never"
            )
            surveys = "all" if sees_every_survey(user) else str(counts.get(user.id, 0))
            click.echo(
                f"{user.email}\t{user.role}\t{state}\tlast sign-in {seen}\tsurveys {surveys}"
            )


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="admin, staff or broker")
@click.option("--name", default="", help="Name shown in the audit trail.")
@with_appcontext
def create_command(email: str, role: str, name: str) -> None:
    """Create an account and hand over its one-time set-password link."""
    with db.Session(db.engine(), expire_on_commit=False) as session:
        try:
            user, token = rules.create_account(
                session,
                email,
                role,
                name,
                actor_id=None,
                hours=current_app.config["PASSWORD_LINK_HOURS"],
            )
        except rules.AccountError as error:
            raise refused(error) from None
        click.echo(f"Created {user.role} {user.email}.")
        hand_over(user, token)


@contextmanager
def account_of(email: str) -> Iterator[tuple[Session, User]]:
    """Open a session on the account of ``email``; a refused change is a one-line error."""
    with db.Session(db.engine(), expire_on_commit=False) as session:
        try:
            yield session, rules.user_by_email(session, email)
        except rules.AccountError as error:
            raise refused(error) from None


@users.command("set-role")
@click.argument("email")
@click.argument("role")
@with_appcontext
def set_role_command(email: str, role: str) -> None:
    """Give an account another role (its sessions end)."""
    with account_of(email) as (session, user):
        rules.set_role(session, user, role, actor_id=None)
    click.echo(f"{user.email} is now {user.role}.")


@users.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_command(email: str) -> None:
    """Deactivate an account: it cannot sign in and its sessions end."""
    with account_of(email) as (session, user):
        rules.set_active(session, user, False, actor_id=None)
    click.echo(f"Deactivated {user.email}.")


@users.command("reactivate")
@click.argument("email")
@with_appcontext
def reactivate_command(email: str) -> None:
    """Let a deactivated account sign in again."""
    with account_of(email) as (session, user):
        rules.set_active(session, user, True, actor_id=None)
    click.echo(f"Reactivated {user.email}.")


@users.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password_command(email: str) -> None:
    """Clear an account's password, end its sessions and hand over a set-password link."""
    with account_of(email) as (session, user):
        token = rules.reset_password(
            session, user, actor_id=None, hours=current_app.config["PASSWORD_LINK_HOURS"]
        )
    click.echo(f"The password of {user.email} is reset; its sessions have ended.")
    hand_over(user, token)


commands: tuple = (users,)
