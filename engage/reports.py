"""Staff reports: equity dashboard, downloads, open data."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = ()
