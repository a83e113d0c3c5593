"""The account pages' forms; the rules they feed live in ``engage.accounts.rules``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from engage.accounts.rules import MAX_PASSWORD_LENGTH
from engage.accounts.tokens import MAX_DAYS, MAX_NAME_LENGTH
from engage.auth import ROLE_NAMES
from surveys.models import API_SCOPE_EXPORT, API_SCOPE_READ, API_SCOPE_SUBMIT, ROLES

# What each API token scope lets a token do, for the person choosing.
SCOPE_NAMES = {
    API_SCOPE_READ: _l("read: list and fetch responses"),
    API_SCOPE_SUBMIT: _l("submit: send responses"),
    API_SCOPE_EXPORT: _l("export: the report and the open-data bundle"),
}


def role_choices() -> list[tuple[str, str]]:
    """Return the roles as (value, name in the reader's language)."""
    return [(role, str(ROLE_NAMES[role]).capitalize()) for role in ROLES]


class CreateAccountForm(FlaskForm):
    """A new account: email, name and role; the password is set through a one-time link."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    languages = StringField(_l("Languages reviewed"), validators=[Length(max=500)])
    sso_only = BooleanField(_l("Signs in only with single sign-on (no password)"))
    submit = SubmitField(_l("Create the account"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class RoleForm(FlaskForm):
    """Another role for an account."""

    role = SelectField(_l("Role"), validators=[DataRequired()])
    submit = SubmitField(_l("Change the role"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class ReviewLanguagesForm(FlaskForm):
    """The languages a community reviewer labels comments in (BCP 47 tags)."""

    languages = StringField(_l("Languages reviewed"), validators=[Length(max=500)])
    submit = SubmitField(_l("Save the languages"))


class ActiveForm(FlaskForm):
    """Deactivate (active=0) or reactivate (active=1) an account."""

    active = HiddenField(validators=[DataRequired()])


class RestrictedForm(FlaskForm):
    """Limit a staff account to its assigned surveys."""

    restricted = BooleanField(_l("Only the surveys assigned below"))
    submit = SubmitField(_l("Save the limit"))


class SsoOnlyForm(FlaskForm):
    """Whether an account signs in only with single sign-on."""

    sso_only = BooleanField(_l("Signs in only with single sign-on (no password)"))
    submit = SubmitField(_l("Save the sign-in method"))


class AssignmentsForm(FlaskForm):
    """The surveys assigned to an account, one checkbox each."""

    surveys = SelectMultipleField(
        _l("Assigned surveys"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save the assigned surveys"))


class ResetForm(FlaskForm):
    """A button: clear the password and make a new set-password link."""

    submit = SubmitField(_l("Reset the password"))


def new_password_field() -> PasswordField:
    """Return the new-password field (the rules check length and the common list)."""
    return PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(FlaskForm):
    """A password chosen through a one-time link."""

    password = new_password_field()
    confirm = PasswordField(
        _l("The new password again"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set the password"))


class ChangePasswordForm(SetPasswordForm):
    """One's own password: the current one first."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Change the password"))


class ApiTokenForm(FlaskForm):
    """A new API token: a name to recognise it, its scopes, and how many days it lasts."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    scopes = SelectMultipleField(
        _l("Scopes"),
        choices=[SelectChoice(scope, name) for scope, name in SCOPE_NAMES.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one scope."))],
        validate_choice=True,
    )
    days = IntegerField(
        _l("Days it lasts"),
        validators=[Optional(), NumberRange(min=1, max=MAX_DAYS)],
        default=90,
    )
    submit = SubmitField(_l("Create the token"))


class RevokeTokenForm(FlaskForm):
    """A button: stop a token at once."""

    submit = SubmitField(_l("Revoke"))
