"""Group sessions: record, list, show and correct elder circles, focus groups and meetings."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from engage import db
from engage.auth import role_required
from engage.i18n import interface_language
from engage.intake.blueprint import bp
from engage.intake.history import history
from engage.intake.session_forms import (
    NEW_FEEDBACK_ROWS,
    SESSION_FIELDS,
    SessionState,
    blank_feedback,
    dimension_items,
    group_options,
    read_session,
    session_error_labels,
    session_state_from_form,
    session_state_from_row,
    tally_items,
)
from engage.intake.shared import (
    answerable,
    find_survey,
    is_staff,
    sentiment_cutoffs,
    survey_texts,
    user_names,
)
from engage.labels import SUGGESTED_LANGUAGES, language_label
from surveys.group_sessions import add_session, correct_session
from surveys.intake import NumberedQuestion, paper_numbering, today
from surveys.models import (
    ATTRIBUTIONS,
    CONSENT_KINDS,
    FEEDBACK_KINDS,
    ROLE_ADMIN,
    ROLE_BROKER,
    ROLE_STAFF,
    SESSION_KINDS,
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    Survey,
)


def visible_sessions(survey: Survey):
    """Return the query of group sessions the signed-in user may see."""
    query = select(GroupSession).where(GroupSession.survey_id == survey.id)
    if not is_staff():
        query = query.where(GroupSession.entered_by_id == current_user.id)
    return query


def find_session(survey: Survey, public_id: str) -> GroupSession:
    """Return a session the signed-in user may see, or 404."""
    group = (
        db.get_session()
        .exec(visible_sessions(survey).where(GroupSession.public_id == public_id))
        .first()
    )
    if group is None:
        abort(404)
    return group


def render_session_form(
    survey: Survey, numbering, state: SessionState, group: GroupSession | None = None
):
    """Render the group session form."""
    return render_template(
        "intake/session_form.html",
        error_labels=session_error_labels(numbering, len(state.feedback)),
        today=today().isoformat(),
        survey=survey,
        t=survey_texts(survey, interface_language()),
        numbering=numbering,
        dimensions=dimension_items(numbering),
        tallies=tally_items(numbering),
        group_options=group_options,
        questions=answerable(numbering),
        state=state,
        group=group,
        session_kinds=SESSION_KINDS,
        consent_kinds=CONSENT_KINDS,
        attributions=ATTRIBUTIONS,
        feedback_kinds=FEEDBACK_KINDS,
        feedback_languages=[
            (tag, language_label(tag))
            for tag in dict.fromkeys([*survey.languages, *state.languages, *SUGGESTED_LANGUAGES])
        ],
    ), 400 if state.errors else 200


@bp.get("/<slug>/sessions")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def sessions(slug: str):
    """List group sessions: a broker's own, or every session for staff."""
    survey = find_survey(slug)
    rows = (
        db.get_session()
        .exec(
            visible_sessions(survey).order_by(GroupSession.held_on.desc(), GroupSession.id.desc())
        )
        .all()
    )
    return render_template(
        "intake/sessions.html",
        survey=survey,
        title=survey_texts(survey, interface_language()).title(),
        rows=rows,
    )


@bp.route("/<slug>/sessions/new", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def new_session(slug: str):
    """Record an elder circle, focus group or community meeting."""
    survey = find_survey(slug, for_entry=True)
    numbering = paper_numbering(survey.questions)
    if request.method == "GET":
        state = SessionState(
            {key: "" for key in SESSION_FIELDS}
            | {"facilitator": current_user.name or "", "held_on": today().isoformat()},
            [survey.default_language],
            {},
            [blank_feedback(survey.default_language) for _ in range(NEW_FEEDBACK_ROWS)],
        )
        return render_session_form(survey, numbering, state)
    state = session_state_from_form(request.form, survey)
    if request.form.get("action") == "more_rows":
        state.feedback += [
            blank_feedback(survey.default_language) for _ in range(NEW_FEEDBACK_ROWS)
        ]
        return render_session_form(survey, numbering, state)
    data = read_session(survey, numbering, state)
    if data is None:
        return render_session_form(survey, numbering, state)
    session = db.get_session()
    group = add_session(
        session, survey, data, entered_by_id=current_user.id, cutoffs=sentiment_cutoffs()
    )
    session.commit()
    flash(_("The session is saved."))
    return redirect(url_for("intake.session_detail", slug=slug, public_id=group.public_id))


@bp.route("/<slug>/sessions/<public_id>/edit", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def edit_session(slug: str, public_id: str):
    """Correct a group session; the old and new values go to the audit trail."""
    survey = find_survey(slug)
    group = find_session(survey, public_id)
    numbering = paper_numbering(survey.questions)
    if request.method == "GET":
        return render_session_form(
            survey, numbering, session_state_from_row(group, survey, numbering), group
        )
    state = session_state_from_form(request.form, survey)
    if request.form.get("action") == "more_rows":
        state.feedback += [
            blank_feedback(survey.default_language) for _ in range(NEW_FEEDBACK_ROWS)
        ]
        return render_session_form(survey, numbering, state, group)
    data = read_session(survey, numbering, state)
    if data is None:
        return render_session_form(survey, numbering, state, group)
    stored_ids = {
        str(row.id)
        for row in db.get_session().exec(
            select(GroupFeedback).where(GroupFeedback.session_id == group.id)
        )
    }
    if any(item.id and item.id not in stored_ids for item in data.feedback):
        abort(400)
    session = db.get_session()
    old, new = correct_session(
        session, survey, group, data, user_id=current_user.id, cutoffs=sentiment_cutoffs()
    )
    if not old and not new:
        session.rollback()
        flash(_("Nothing was changed."))
    else:
        session.commit()
        flash(_("The correction is saved. The earlier values are kept in the history below."))
    return redirect(url_for("intake.session_detail", slug=slug, public_id=public_id))


@bp.get("/<slug>/sessions/<public_id>")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def session_detail(slug: str, public_id: str):
    """Show a group session: counts, tallies and feedback as recorded."""
    survey = find_survey(slug)
    group = find_session(survey, public_id)
    numbering = paper_numbering(survey.questions)
    session = db.get_session()
    items = {item.question.id: item for item in answerable(numbering)}

    def blocks(model) -> list[tuple[NumberedQuestion, dict]]:
        found: dict[int, dict] = defaultdict(dict)
        for row in session.exec(select(model).where(model.session_id == group.id)):
            found[row.question_id][row.choice] = row.count
        return [
            (items[qid], counts)
            for qid, counts in sorted(
                found.items(), key=lambda kv: items[kv[0]].number if kv[0] in items else 0
            )
            if qid in items
        ]

    feedback = session.exec(
        select(GroupFeedback).where(GroupFeedback.session_id == group.id).order_by(GroupFeedback.id)
    ).all()
    return render_template(
        "intake/session.html",
        survey=survey,
        t=survey_texts(survey, interface_language()),
        group=group,
        demographics=blocks(GroupDemographic),
        tallies=blocks(GroupTally),
        group_options=group_options,
        feedback=feedback,
        items=items,
        entered_by=user_names({group.entered_by_id}).get(group.entered_by_id, ""),
        trail=history("group_session", group.public_id, numbering),
    )
