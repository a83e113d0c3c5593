"""The audit log page: administrators filter it by day, kind and account, 50 events a page."""

from __future__ import annotations

import json

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField
from wtforms.validators import Length, Optional, ValidationError

from engage import db
from engage.audit.blueprint import bp
from engage.audit.events import AuditFilter, audit_rows, count_events, kinds
from engage.auth import role_required
from surveys.models import ROLE_ADMIN

PAGE_SIZE = 50


class AuditFilterForm(FlaskForm):
    """The log's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=[], default="", validate_choice=True)
    user = EmailField(_l("Account (email)"), validators=[Optional(), Length(max=254)])

    def validate_until(self, until):
        if until.data and self.since.data and until.data < self.since.data:
            raise ValidationError(_("The last day comes before the first."))

    def chosen(self) -> AuditFilter:
        """Return the valid filters."""
        return AuditFilter(
            self.since.data, self.until.data, self.kind.data or "", self.user.data or ""
        )


def details(values: dict) -> str:
    """Return recorded values as compact JSON for the table."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str) if values else ""


@bp.get("/")
@role_required(ROLE_ADMIN)
def index():
    """List the audit events the filters cover, newest first."""
    session = db.get_session()
    form = AuditFilterForm(request.args)
    form.kind.choices = [("", _("Every kind"))] + [(kind, kind) for kind in kinds(session)]
    chosen = form.chosen() if form.validate() else AuditFilter()
    page = request.args.get("page", 1, type=int)
    total = count_events(session, chosen)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if not 1 <= page <= pages:
        abort(404)
    rows = audit_rows(session, chosen, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "audit/index.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        details=details,
        page_url=lambda number: url_for("audit.index", page=number, **query),
    )
