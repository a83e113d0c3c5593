"""Resident pages: the list of open surveys (survey pages are added by the resident issue)."""

from flask import Blueprint, render_template
from sqlmodel import select

from engage import db
from surveys.models import SURVEY_OPEN, Survey

bp = Blueprint("respond", __name__)

# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = ()


@bp.get("/")
def home():
    """List the open surveys in the chosen language."""
    surveys = db.get_session().exec(select(Survey).where(Survey.status == SURVEY_OPEN)).all()
    return render_template("respond/home.html", surveys=surveys)
