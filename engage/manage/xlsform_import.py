"""Create a draft survey from an XLSForm: shared by the builder's upload and the CLI."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from engage.manage.forms import SLUG_PATTERN
from surveys import store
from surveys.audit import write_audit
from surveys.messages import N_
from surveys.models import Survey
from surveys.xlsform import WorkbookLimits, XLSFormError, read_xlsform


class ImportRefusedError(Exception):
    """An XLSForm import that creates nothing; ``message`` is an ``N_`` string with params."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params)


def check_import_slug(slug: str) -> None:
    """Refuse a slug that cannot be part of a survey's address."""
    if not re.fullmatch(SLUG_PATTERN, slug or "") or len(slug) > 100:
        raise ImportRefusedError(
            N_(
                "“%(slug)s” cannot be a web address name: use lower-case letters a to z, "
                "digits and single hyphens."
            ),
            slug=slug,
        )


def check_upload_size(source) -> None:
    """Refuse a workbook larger than ``XLSFORM_MAX_BYTES`` before opening it."""
    limit = current_app.config["XLSFORM_MAX_BYTES"]
    if isinstance(source, io.BytesIO):
        size = len(source.getbuffer())
    elif isinstance(source, str | Path) and Path(source).is_file():
        size = Path(source).stat().st_size
    else:
        return
    if size > limit:
        raise ImportRefusedError(
            N_("The file is %(size)s KB; at most %(limit)s KB is accepted."),
            size=-(-size // 1024),
            limit=limit // 1024,
        )


def workbook_limits() -> WorkbookLimits:
    """Return the configured most sheets and rows of an uploaded workbook."""
    config = current_app.config
    return WorkbookLimits(config["XLSFORM_MAX_SHEETS"], config["XLSFORM_MAX_ROWS"])


def import_xlsform(
    session: Session, source, slug: str | None = None, user_id: int | None = None
) -> tuple[Survey, tuple]:
    """Create a draft survey from an XLSForm and commit; return it with the import's warnings.

    Raises ``ImportRefusedError`` (nothing created) for an unreadable file, a bad or
    taken slug, or a file beyond the configured limits (bytes, sheets, rows,
    questions). Shared by ``engage import-xlsform`` and the builder's upload.
    """
    if slug:
        check_import_slug(slug)
    check_upload_size(source)
    try:
        result = read_xlsform(source, slug=slug or None, limits=workbook_limits())
    except XLSFormError as error:
        if error.params:
            raise ImportRefusedError(error.message, **error.params) from None
        raise ImportRefusedError(
            N_("The file could not be imported: %(reason)s"), reason=str(error)
        ) from None
    definition = result.definition
    most = current_app.config["XLSFORM_MAX_QUESTIONS"]
    if len(definition.questions) > most:
        raise ImportRefusedError(
            N_("The form has %(count)s questions; at most %(limit)s are accepted."),
            count=len(definition.questions),
            limit=most,
        )
    check_import_slug(definition.slug)
    if store.survey_by_slug(session, definition.slug):
        raise ImportRefusedError(
            N_("A survey called “%(slug)s” already exists; choose another web address name."),
            slug=definition.slug,
        )
    try:
        survey = store.save_definition(session, definition)
        survey.created_by_id = user_id
        new = {"slug": survey.slug, "questions": len(definition.questions)}
        write_audit(session, user_id, "survey.import", "survey", str(survey.id), survey.id, {}, new)
        session.commit()
    except IntegrityError:
        # Another import or request took the slug between the check and the write.
        session.rollback()
        raise ImportRefusedError(
            N_("A survey called “%(slug)s” already exists; choose another web address name."),
            slug=definition.slug,
        ) from None
    return survey, result.warnings
