"""Broker data entry: paper forms, interviews, group sessions."""

from flask import Blueprint

bp = Blueprint("intake", __name__, url_prefix="/intake")

# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = ()
