"""The reports blueprint, apart so that its view modules can import it (as in engage.manage)."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
