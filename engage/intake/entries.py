"""Keyed-in entries (paper, phone, in person): enter, list, correct and review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from engage import db
from engage.auth import role_required
from engage.i18n import interface_language
from engage.intake.blueprint import STATUS_NAMES, bp
from engage.intake.entry_forms import (
    EntryState,
    batch_defaults,
    entry_error_labels,
    new_entry_key,
    read_entry,
    remember_batch,
    state_from_form,
    state_from_response,
)
from engage.intake.history import history
from engage.intake.shared import find_survey, is_staff, sentiment_cutoffs, survey_texts, user_names
from engage.labels import SUGGESTED_LANGUAGES, language_label
from engage.respond.receipt import receipt_secret
from surveys import receipts
from surveys.corrections import apply_correction, record_review
from surveys.intake import collected_at_from_date, condition_note, paper_numbering, today
from surveys.models import (
    CHANNEL_IN_PERSON,
    CHANNEL_PHONE,
    CHANNEL_WEB,
    RESPONSE_FLAGGED,
    RESPONSE_STATUSES,
    RESPONSE_VERIFIED,
    ROLE_ADMIN,
    ROLE_BROKER,
    ROLE_STAFF,
    Response,
    Survey,
)
from surveys.recording import ENTRY_CHANNELS, Provenance, record_response

PAGE_SIZE = 50
# Entries that end with a receipt code read to the resident.
INTERVIEWS = (CHANNEL_PHONE, CHANNEL_IN_PERSON)


def render_entry(
    survey: Survey, numbering, state: EntryState, *, response: Response | None = None, **extra
):
    """Render the entry screen (new entry or correction)."""
    texts = survey_texts(survey, interface_language())
    places = (
        db.get_session()
        .exec(
            select(Response.place)
            .where(Response.survey_id == survey.id, Response.place.is_not(None))
            .distinct()
            .limit(200)
        )
        .all()
    )
    status = 400 if state.errors else 200
    return render_template(
        "intake/entry.html",
        error_labels=entry_error_labels(numbering),
        today=today().isoformat(),
        survey=survey,
        t=texts,
        numbering=numbering,
        notes={item.name: condition_note(item, numbering) for item in numbering},
        by_number={item.number: item for item in numbering if item.number},
        state=state,
        response=response,
        places=sorted(place for place in places if place),
        channels=ENTRY_CHANNELS,
        spoken_languages=[
            (tag, language_label(tag))
            for tag in dict.fromkeys([state.meta.get("spoken_language", ""), *SUGGESTED_LANGUAGES])
            if tag
        ],
        **extra,
    ), status


@bp.route("/<slug>/enter", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def new_entry(slug: str):
    """Key in one paper form or interview; "save and next form" opens a blank one."""
    survey = find_survey(slug, for_entry=True)
    numbering = paper_numbering(survey.questions)
    session = db.get_session()
    mine = session.exec(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.entered_by_id == current_user.id)
    ).one()
    if request.method == "GET":
        state = EntryState(batch_defaults(survey), {}, {}, new_entry_key())
        return render_entry(survey, numbering, state, entered_count=mine)
    state = state_from_form(numbering, request.form)
    already = session.exec(
        select(Response).where(
            Response.survey_id == survey.id, Response.idempotency_key == state.key
        )
    ).first()
    if already is not None:
        flash(_("That form was already saved."))
        return redirect(url_for("intake.new_entry", slug=slug))
    entry = read_entry(survey, numbering, state)
    if entry is None:
        return render_entry(survey, numbering, state, entered_count=mine)
    try:
        response, _created = db.write_retrying(
            lambda session: record_response(
                session,
                survey,
                entry.answers,
                Provenance(
                    channel=entry.channel,
                    language=entry.language,
                    idempotency_key=state.key,
                    entered_by_id=current_user.id,
                    collected_at=collected_at_from_date(entry.collected_on),
                    paper_id=entry.paper_id,
                    place=entry.place,
                ),
                cutoffs=sentiment_cutoffs(),
                # An interview ends with a code to read to the resident; a paper form's
                # slip carries its paper ID instead (the resident has gone by now).
                receipt_secret=receipt_secret() if entry.channel in INTERVIEWS else None,
            )
        )
    except IntegrityError:
        # Someone saved the same paper form ID a moment ago: show it as a duplicate.
        session.rollback()
        state.errors.clear()
        if read_entry(survey, numbering, state) is None:
            return render_entry(survey, numbering, state, entered_count=mine)
        raise
    remember_batch(survey, entry)
    if entry.paper_id:
        flash(_("Saved paper form %(paper_id)s.", paper_id=entry.paper_id))
    else:
        flash(_("Saved entry %(entry)s.", entry=response.public_id))
    code = receipts.receipt_code(response, receipt_secret())
    if code is not None:
        flash(
            _(
                "Give the resident their receipt code: %(code)s. With it they can withdraw "
                "their answers later.",
                code=receipts.formatted(code),
            )
        )
    if request.form.get("action") == "save_view":
        return redirect(url_for("intake.entry", slug=slug, public_id=response.public_id))
    return redirect(url_for("intake.new_entry", slug=slug))


def visible_entries(survey: Survey):
    """Return the query of entries the signed-in user may see (brokers: their own)."""
    query = select(Response).where(Response.survey_id == survey.id, Response.channel != CHANNEL_WEB)
    if not is_staff():
        query = query.where(Response.entered_by_id == current_user.id)
    return query


def find_entry(survey: Survey, public_id: str) -> Response:
    """Return an entry the signed-in user may see, or 404 (another broker's entry too)."""
    response = (
        db.get_session()
        .exec(visible_entries(survey).where(Response.public_id == public_id))
        .first()
    )
    if response is None:
        abort(404)
    return response


@bp.get("/<slug>/entries")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def entries(slug: str):
    """List entries: a broker's own, or everyone's for staff, newest first."""
    survey = find_survey(slug)
    status = request.args.get("status", "")
    query = visible_entries(survey)
    if status in RESPONSE_STATUSES:
        query = query.where(Response.status == status)
    page = request.args.get("page", 1, type=int)
    session = db.get_session()
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if not 1 <= page <= pages:
        abort(404)  # also keeps a 30-digit page number out of the query's OFFSET
    rows = session.exec(
        query.order_by(Response.submitted_at.desc(), Response.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return render_template(
        "intake/entries.html",
        survey=survey,
        title=survey_texts(survey, interface_language()).title(),
        rows=rows,
        names=user_names({row.entered_by_id for row in rows}),
        status=status,
        statuses=RESPONSE_STATUSES,
        page=page,
        pages=pages,
        total=total,
    )


@bp.route("/<slug>/entries/<public_id>", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def entry(slug: str, public_id: str):
    """Show one entry for correction; saving keeps the old and new values in the audit trail."""
    survey = find_survey(slug)
    response = find_entry(survey, public_id)
    numbering = paper_numbering(survey.questions)
    extra = {
        "trail": history("response", response.public_id, numbering),
        "entered_by": user_names({response.entered_by_id}).get(response.entered_by_id, ""),
        "reviewed_by": user_names({response.reviewed_by_id}).get(response.reviewed_by_id, ""),
        "review_errors": {},
    }
    if request.method == "GET":
        return render_entry(
            survey, numbering, state_from_response(numbering, response), response=response, **extra
        )
    state = state_from_form(numbering, request.form)
    state.key = response.idempotency_key
    entry_input = read_entry(survey, numbering, state, current=response)
    if entry_input is None:
        return render_entry(survey, numbering, state, response=response, **extra)
    session = db.get_session()
    old, new = apply_correction(
        session,
        survey,
        response,
        entry_input,
        user_id=current_user.id,
        by_staff=is_staff(),
        cutoffs=sentiment_cutoffs(),
    )
    if not new and not old:
        flash(_("Nothing was changed."))
        return redirect(url_for("intake.entry", slug=slug, public_id=public_id))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        abort(409)
    flash(_("The correction is saved. The earlier values are kept in the history below."))
    return redirect(url_for("intake.entry", slug=slug, public_id=public_id))


@bp.post("/<slug>/entries/<public_id>/review")
@role_required(ROLE_ADMIN, ROLE_STAFF)
def review_entry(slug: str, public_id: str):
    """Mark an entry verified, or flag it with a reason (staff only)."""
    survey = find_survey(slug)
    response = find_entry(survey, public_id)
    decision = request.form.get("decision", "")
    note = request.form.get("review_note", "").strip()
    review_errors: dict[str, str] = {}
    if decision not in (RESPONSE_VERIFIED, RESPONSE_FLAGGED):
        review_errors["decision"] = _("Choose verified or flagged.")
    elif decision == RESPONSE_FLAGGED and not note:
        review_errors["review_note"] = _("Say why the entry is flagged.")
    if len(note) > 2000:
        review_errors["review_note"] = _("Write 2000 characters at most.")
    if review_errors:
        numbering = paper_numbering(survey.questions)
        return render_entry(
            survey,
            numbering,
            state_from_response(numbering, response),
            response=response,
            trail=history("response", response.public_id, numbering),
            entered_by=user_names({response.entered_by_id}).get(response.entered_by_id, ""),
            reviewed_by=user_names({response.reviewed_by_id}).get(response.reviewed_by_id, ""),
            review_errors=review_errors,
            review_values={"decision": decision, "review_note": note},
        )[0], 400
    session = db.get_session()
    record_review(session, survey, response, decision, note, user_id=current_user.id)
    session.commit()
    flash(
        _(
            "Entry %(entry)s is now %(status)s.",
            entry=response.public_id,
            status=STATUS_NAMES[decision],
        )
    )
    return redirect(url_for("intake.entry", slug=slug, public_id=public_id))
