"""Themes of a free-text question's comments (``surveys.themes``), for staff.

Staff compute a question's themes, then name, merge and split them and move a
comment from one theme to another; those edits are kept when the themes are
computed again. Examples follow the survey's quoting rule, like the report's quotes.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage import db, report_cache
from engage.auth import role_required
from engage.charts.dashboard import report_values
from engage.charts.themes import theme_tables
from engage.labels import language_name, short_label
from engage.loading import survey_or_404
from engage.reports.blueprint import bp
from engage.reports.comments import comment_questions
from engage.reports.dashboard import STAFF_ROLES, build_page_report, interface_tag
from surveys.aggregates import Filters, dimension_infos, question_infos
from surveys.aggregates import labels as survey_labels
from surveys.models import CommentTheme, Question, Survey
from surveys.themes import (
    ThemeError,
    compute_themes,
    merge_themes,
    move_comment,
    rename_theme,
    split_theme,
    stored_themes,
    theme_of,
    theme_views,
)

ACTIONS = ("rename", "merge", "split")
# Row ids are 32-bit in PostgreSQL: a larger number names no row, and asking the database
# for one fails (SQLite refuses more than 64 bits), so it is refused before any query.
LARGEST_ID = 2**31 - 1


def form_id(name: str) -> int | None:
    """Return the form's row id of that name, or None unless it is one (ASCII digits, in range)."""
    value = request.form.get(name, "")
    if not re.fullmatch(r"[0-9]{1,10}", value) or int(value) > LARGEST_ID:
        return None
    return int(value)


def chosen_question(survey: Survey, name: str | None) -> Question | None:
    """Return the comment question of that name, else the survey's first one."""
    questions = comment_questions(survey)
    named = [question for question in questions if question.name == name]
    return (named or questions or [None])[0]


@bp.get("/<slug>/comments/themes")
@role_required(*STAFF_ROLES)
def themes(slug: str):
    """Show a comment question's themes with the forms that edit them."""
    survey = survey_or_404(slug)
    return render_themes(survey, chosen_question(survey, request.args.get("question")))


def render_themes(survey: Survey, question: Question | None, error: str = "", status: int = 200):
    """Render the themes page (with a refused edit's error, if any)."""
    session = db.get_session()
    labels = survey_labels(
        session, survey, interface_tag(), question_infos(survey), dimension_infos(survey)
    )
    views = theme_views(session, survey, question) if question else []
    dimensions = [
        (key, short_label(labels.get(f"d.{key}") or key, 80)) for key in dimension_infos(survey)
    ]
    dimension = request.values.get("dimension")  # a refused edit's form keeps it too
    if dimension not in dict(dimensions):
        dimension = dimensions[0][0] if dimensions else None
    tables = []
    if question and views:
        question_label = short_label(labels.get(f"q.{question.name}.label") or question.name, 80)
        chosen = [(key, label) for key, label in dimensions if key == dimension]
        tables = theme_tables(unfiltered_report(survey), question.name, question_label, chosen)
    return render_template(
        "reports/themes.html",
        survey=survey,
        labels=labels,
        question=question,
        question_choices=[
            (q.name, short_label(labels.get(f"q.{q.name}.label") or q.name, 80))
            for q in comment_questions(survey)
        ],
        themes=views,
        language_name=language_name,
        error=error,
        dimensions=dimensions,
        dimension=dimension,
        theme_tables=tables,
    ), status


def unfiltered_report(survey: Survey) -> dict:
    """Return the unfiltered report the dashboard shows (kept, so both show the same figures)."""
    keys = list(dimension_infos(survey))
    pair = (keys[0], keys[1]) if len(keys) > 1 else None
    kept = report_cache.kept_report(
        db.get_session(),
        survey,
        {
            "kind": "dashboard",
            "filters": Filters().to_dict(),
            "pair": pair,
            "language": interface_tag(),
        },
        lambda: build_page_report(survey, Filters(), pair),
    )
    return report_values(kept.report)


def back(survey: Survey, question: Question, theme_id: int | None = None):
    """Redirect to the question's themes, at the theme just edited, by the same groups.

    The page holds every comment of every theme, so without the anchor an edit would
    send staff back to its top, far from the theme they were working on.
    """
    dimension = request.form.get("dimension")
    return redirect(
        url_for(
            "reports.themes",
            slug=survey.slug,
            question=question.name,
            dimension=dimension if dimension in dimension_infos(survey) else None,
            _anchor=f"theme-{theme_id}" if theme_id else None,
        )
    )


@bp.post("/<slug>/comments/themes")
@role_required(*STAFF_ROLES)
def compute(slug: str):
    """Compute (or recompute) one question's themes, keeping staff's edits."""
    survey = survey_or_404(slug)
    name = request.form.get("question", "")
    question = next((q for q in comment_questions(survey) if q.name == name), None)
    if question is None:
        return render_themes(
            survey, chosen_question(survey, None), _("Choose a comment question."), 400
        )
    session = db.get_session()
    again = bool(stored_themes(session, question))
    compute_themes(session, survey, question, current_user.id)
    session.commit()
    report_cache.forget_survey(session, survey.id)  # kept reports hold the old themes
    if again:
        flash(_("The themes were computed again; your names and moved comments were kept."))
    else:
        flash(_("The themes were computed."))
    return back(survey, question)


def survey_theme(survey: Survey, theme_id: int) -> tuple[Question, CommentTheme]:
    """Return the theme and its question, or 404 if it is not one of the survey's."""
    session = db.get_session()
    theme = session.get(CommentTheme, theme_id) if theme_id <= LARGEST_ID else None
    question = session.get(Question, theme.question_id) if theme else None
    if question is None or question.survey_id != survey.id:
        abort(404)
    return question, theme


@bp.post("/<slug>/comments/themes/<int:theme>")
@role_required(*STAFF_ROLES)
def edit_theme(slug: str, theme: int):
    """Rename, merge or split one theme."""
    survey = survey_or_404(slug)
    question, row = survey_theme(survey, theme)
    session = db.get_session()
    action = request.form.get("action", "")
    shown = row.id  # the theme the page goes back to
    try:
        if action == "rename":
            rename_theme(session, row, request.form.get("label", ""), current_user.id)
            flash(_("The theme was renamed."))
        elif action == "merge":
            into = form_id("into")
            target = theme_of(session, question, into) if into else None
            if target is None:
                raise ThemeError(_("Choose another theme of the same question to merge into."))
            merge_themes(session, row, target, current_user.id)
            shown = target.id
            flash(_("The themes were merged."))
        elif action == "split":
            split_theme(session, survey, row, current_user.id)
            flash(_("The theme was split in two."))
        else:
            raise ThemeError(_("Choose rename, merge or split."))
    except ThemeError as error:
        session.rollback()
        return render_themes(survey, question, _(error.message), 400)
    session.commit()
    report_cache.forget_survey(session, survey.id)
    return back(survey, question, shown)


@bp.post("/<slug>/comments/themes/move")
@role_required(*STAFF_ROLES)
def move_to_theme(slug: str):
    """Move one comment to another theme of its question (kept on recomputation)."""
    survey = survey_or_404(slug)
    session = db.get_session()
    question = chosen_question(survey, request.form.get("question"))
    answer, target = form_id("answer"), form_id("theme")
    theme = theme_of(session, question, target) if question and target else None
    try:
        if theme is None or answer is None:
            raise ThemeError(_("Choose a comment and a theme of this question."))
        move_comment(session, question, answer, theme, current_user.id)
    except ThemeError as error:
        session.rollback()
        return render_themes(survey, question, _(error.message), 400)
    source = form_id("from")
    came_from = theme_of(session, question, source) if source else None
    session.commit()
    report_cache.forget_survey(session, survey.id)
    flash(_("The comment was moved."))
    return back(survey, question, (came_from or theme).id)
