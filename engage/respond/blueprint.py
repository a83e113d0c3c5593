"""The resident pages' blueprint (no address prefix: /, /s/<slug>)."""

from __future__ import annotations

from flask import Blueprint

from engage.respond.content import interface_html

bp = Blueprint("respond", __name__)
bp.add_app_template_filter(interface_html)
