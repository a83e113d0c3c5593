"""``engage users``: list, create, set-role, set-languages, deactivate, reset-password,
sso-only; and ``engage api-tokens``: create, list, revoke.

The same rules as the account pages (``engage.accounts.rules`` and ``tokens``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, func, select

from engage import db
from engage.accounts import rules, tokens
from engage.accounts.access import sees_every_survey
from engage.accounts.links import deliver
from surveys.models import API_SCOPES, ROLES, ApiToken, SurveyAssignment, User


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


LIST_HEADER = ("email", "role", "active", "last sign-in (UTC)", "SSO-only", "surveys")


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Return rows as lines of left-aligned columns two spaces apart."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


@users.command("list")
@with_appcontext
def list_command() -> None:
    """List the accounts: role, active, last sign-in, SSO-only, assigned surveys."""
    with db.Session(db.engine()) as session:
        counts = dict(
            session.exec(
                select(SurveyAssignment.user_id, func.count()).group_by(SurveyAssignment.user_id)
            ).all()
        )
        rows = [LIST_HEADER]
        for user in session.exec(select(User).order_by(User.email)):
            seen = user.last_sign_in_at
            rows.append(
                (
                    user.email,
                    user.role,
                    "yes" if user.active else "no",
                    seen.strftime("%Y-%m-%d %H:%M") if seen else "never",
                    "yes" if user.sso_only else "no",
                    "all" if sees_every_survey(user) else str(counts.get(user.id, 0)),
                )
            )
    for line in table(rows):
        click.echo(line)
    click.echo(f"{len(rows) - 1} accounts")


@users.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice(ROLES), help="admin, staff, broker or reviewer"
)
@click.option("--name", default="", help="Name shown in the audit trail.")
@click.option(
    "--languages",
    default="",
    help="A community reviewer's languages, BCP 47 tags apart by spaces or commas ('oj cr').",
)
@click.option(
    "--sso-only", is_flag=True, help="Signs in only with single sign-on: no password, no link."
)
@with_appcontext
def create_command(email: str, role: str, name: str, languages: str, sso_only: bool) -> None:
    """Create an account and hand over its one-time set-password link (none when SSO-only)."""
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    with db.Session(db.engine(), expire_on_commit=False) as session:
        try:
            if sso_only:
                user = rules.create_sso_account(
                    session, email, role, name, actor_id=None, languages=languages
                )
                token = ""
            else:
                user, token = rules.create_account(
                    session, email, role, name, actor_id=None, hours=hours, languages=languages
                )
        except rules.AccountError as error:
            raise refused(error) from None
    if token:
        click.echo(f"Created {user.role} {user.email}.")
        hand_over(user, token)
    else:
        click.echo(f"Created {user.role} {user.email}; it signs in only with single sign-on.")


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


@users.command("set-languages")
@click.argument("email")
@click.argument("languages")
@with_appcontext
def set_languages_command(email: str, languages: str) -> None:
    """Set the languages a community reviewer labels comments in ('oj cr')."""
    with account_of(email) as (session, user):
        rules.set_review_languages(session, user, languages, actor_id=None)
    click.echo(f"{user.email} reviews comments in: {', '.join(user.review_languages) or 'none'}.")


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


@users.command("sso-only")
@click.argument("email")
@click.option("--off", is_flag=True, help="Allow a password again (reset-password makes one).")
@with_appcontext
def sso_only_command(email: str, off: bool) -> None:
    """Let an account sign in only with single sign-on (its password and sessions end)."""
    with account_of(email) as (session, user):
        rules.set_sso_only(session, user, not off, actor_id=None)
    if off:
        click.echo(f"{user.email} may have a password again: run reset-password to make a link.")
    else:
        click.echo(
            f"{user.email} signs in only with single sign-on; its password and sessions ended."
        )


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


@click.group("api-tokens")
def api_tokens() -> None:
    """Make, list and revoke API tokens (the account page's rules)."""


@api_tokens.command("create")
@click.argument("email")
@click.option(
    "--scope",
    "scopes",
    required=True,
    help=f"comma-separated: {','.join(API_SCOPES)}",
)
@click.option("--expires", "days", type=int, default=None, help="Days it lasts (default: never).")
@click.option("--name", default="", help="What the token is for.")
@with_appcontext
def create_token_command(email: str, scopes: str, days: int | None, name: str) -> None:
    """Make a token for an account; the token alone on the last line (shown only now)."""
    with account_of(email) as (session, user):
        token, secret = tokens.create_token(
            session, user, scopes.split(","), actor_id=None, name=name, days=days
        )
    expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "no expiry"
    click.echo(
        f"Token {token.id} for {user.email}: {', '.join(token.scopes)}; {expiry}. "
        "It is shown only now:"
    )
    click.echo(secret)


TOKEN_HEADER = ("id", "email", "name", "starts with", "scopes", "expires", "last used", "state")


def _moment(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


@api_tokens.command("list")
@with_appcontext
def list_tokens_command() -> None:
    """List every token: account, scopes, expiry, last use, and whether it works."""
    with db.Session(db.engine()) as session:
        emails = dict(session.exec(select(User.id, User.email)).all())
        rows = [TOKEN_HEADER]
        for token in tokens.tokens_of(session):
            state = "revoked" if token.revoked_at else "active"
            if state == "active" and not tokens.is_usable(token):
                state = "expired"
            rows.append(
                (
                    str(token.id),
                    emails.get(token.user_id, ""),
                    token.name,
                    token.prefix + "...",
                    ",".join(token.scopes),
                    _moment(token.expires_at),
                    _moment(token.last_used_at),
                    state,
                )
            )
    for line in table(rows):
        click.echo(line)
    click.echo(f"{len(rows) - 1} tokens")


@api_tokens.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Stop a token at once."""
    with db.Session(db.engine(), expire_on_commit=False) as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise click.ClickException(f"there is no token {token_id}")
        tokens.revoke_token(session, token, actor_id=None)
    click.echo(f"Token {token_id} ({token.prefix}...) is revoked.")


commands: tuple = (users, api_tokens)
