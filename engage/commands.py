"""Commands registered on ``app.cli``: init-db, create-user, demo (``engage.cli`` runs them)."""

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from engage import catalogs, db
from engage.accounts import rules


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or upgrade it to the newest schema (safe to run twice)."""
    db.upgrade(db.engine())
    click.echo(f"Database ready at schema {db.current_revision(db.engine())}.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help="admin, staff or broker")
@click.option("--name", default="", help="Name shown in the audit trail.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account with a password (asked for unless --password-stdin is given).

    For a first administrator; ``engage users create`` makes a one-time set-password link.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with db.Session(db.engine()) as session:
        try:
            user = rules.create_user(session, email, role, password, name=name)
        except rules.AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Created {user.role} {user.email}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo survey, responses, benchmarks and one account per role (idempotent)."""
    from engage import demo

    db.upgrade(db.engine())
    logins = demo.load_demo(current_app)
    click.echo("Demo loaded. Sign in at /auth/login with:")
    for role, email, password in logins:
        click.echo(f"  {role:7} {email}  password: {password}")


def init_app(app: Flask) -> None:
    """Register these commands and those the blueprint modules declare on ``app.cli``."""
    from engage import data_commands
    from engage.accounts import commands as accounts
    from engage.intake import commands as intake
    from engage.manage import commands as manage
    from engage.reports import commands as reports
    from engage.respond import drafts, notices

    own = (init_db_command, create_user_command, demo_command, catalogs.translations)
    own += data_commands.commands
    blueprints = manage.commands + intake.commands + reports.commands + accounts.commands
    blueprints += notices.commands + drafts.commands
    for command in own + blueprints:
        app.cli.add_command(command)
