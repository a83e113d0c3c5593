"""The ``engage`` console script: Flask's ``run`` plus every command on ``app.cli``."""

import click
from flask.cli import FlaskGroup

from engage import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Engage: resident engagement and feedback surveys."""
