"""The resident pages' blueprint (no address prefix: /, /s/<slug>)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respond", __name__)
