"""The audit blueprint; its command (``engage audit``) sits at the top level of the CLI."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit", cli_group=None)
