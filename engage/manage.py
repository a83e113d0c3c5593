"""Staff survey builder."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = ()
