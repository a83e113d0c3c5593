"""How long a survey keeps personal information after it closes: the form and its rules.

The organisation's defaults are settings (``RETENTION_*_DAYS``, ``ENGAGE_`` in the
environment); a survey may set its own periods, stored in ``Survey.settings``
(``surveys.retention.SETTING_KEYS``). ``engage purge`` removes what is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from engage.manage.forms import add_error
from surveys.models import Survey
from surveys.retention import (
    CONTACTS,
    KINDS,
    NOTES,
    SETTING_KEYS,
    TEXTS,
    RetentionPeriods,
    days_error,
    parse_days,
    removal_dates,
    survey_periods,
)

CONFIG_KEYS = {
    CONTACTS: "RETENTION_CONTACTS_DAYS",
    TEXTS: "RETENTION_TEXTS_DAYS",
    NOTES: "RETENTION_NOTES_DAYS",
}
KIND_NAMES = {
    CONTACTS: _l("Contact details"),
    TEXTS: _l("Free-text answers"),
    NOTES: _l("Group-session notes"),
}


def _strip(value):
    """Strip surrounding blanks from submitted text."""
    return value.strip() if isinstance(value, str) else value


class RetentionForm(FlaskForm):
    """Days after closing each kind of personal information is kept (empty: the default)."""

    contacts = StringField(_l("Keep contact details for (days)"), filters=[_strip])
    texts = StringField(_l("Keep free-text answers for (days)"), filters=[_strip])
    notes = StringField(_l("Keep group-session notes for (days)"), filters=[_strip])


class RetentionSettingError(ValueError):
    """A default period in the configuration is not a whole number of days."""


def default_periods() -> RetentionPeriods:
    """Return the organisation's default periods from the app's settings (None keeps)."""
    chosen = {}
    for kind, key in CONFIG_KEYS.items():
        value = current_app.config.get(key)
        try:
            chosen[kind] = None if value in (None, "") else parse_days(value)
        except ValueError:
            message, params = days_error()
            raise RetentionSettingError(f"ENGAGE_{key}: {_(message, **params)}") from None
    return RetentionPeriods(**chosen)


@dataclass(frozen=True)
class RetentionRow:
    """One kind of personal information on the settings page."""

    kind: str
    name: str
    days: int | None
    default_days: int | None
    own: bool
    removed_on: datetime | None


def retention_rows(survey: Survey) -> list[RetentionRow]:
    """Return each kind's period (the survey's own or the default) and its removal date."""
    defaults = default_periods()
    periods = survey_periods(survey, defaults)
    dates = removal_dates(survey, periods)
    settings = survey.settings or {}
    return [
        RetentionRow(
            kind,
            str(KIND_NAMES[kind]),
            periods.days(kind),
            defaults.days(kind),
            settings.get(SETTING_KEYS[kind]) is not None,
            dates[kind],
        )
        for kind in KINDS
    ]


def retention_form(survey: Survey, formdata=None) -> RetentionForm:
    """Return the retention form with the survey's own periods (empty where it has none)."""
    settings = survey.settings or {}
    stored = {kind: settings.get(SETTING_KEYS[kind]) for kind in KINDS}
    data = {kind: "" if days is None else str(days) for kind, days in stored.items()}
    return RetentionForm(prefix="retention", formdata=formdata, data=data)


def retention_settings(form: RetentionForm) -> dict:
    """Return the periods to store (None: the default); attach an error to a bad one."""
    changes = {}
    for kind in KINDS:
        field = form[kind]
        changes[SETTING_KEYS[kind]] = None
        if not field.data:
            continue
        try:
            changes[SETTING_KEYS[kind]] = parse_days(field.data)
        except ValueError:
            message, params = days_error()
            add_error(field, _(message, **params))
    return changes
