"""The account rules the admin pages and ``engage users`` share: one definition of each.

Every change here is one transaction with one audit event (old and new values, never a
password or a token), and bumps the account's ``session_version`` when the password, the
role or whether the account is active changes, so that its other sessions end.

Passwords follow NIST SP 800-63B (section 5.1.1.2, memorized secrets): length rather than
composition rules, and a check against a list of commonly used passwords. The list is
Django's ``common-passwords.txt.gz`` (20,000 common passwords compiled by Royce Williams,
BSD licence; ``engage/data/common-passwords-LICENSE.txt``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlmodel import Session, col, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from engage import auth
from surveys.audit import write_audit
from surveys.languages import is_valid_tag, normalize_tag
from surveys.messages import N_
from surveys.models import ROLE_ADMIN, ROLE_REVIEWER, ROLES, Survey, SurveyAssignment, User, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
# A set-password link's token: 32 random bytes, URL-safe (about 43 characters).
TOKEN_BYTES = 32
WRONG_PASSWORD = N_("the current password is not right")
SSO_ONLY = N_("%(email)s signs in with single sign-on only and has no password here")


class AccountError(ValueError):
    """An account change was refused; ``message`` is an ``N_`` string with ``params``."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords, lower case."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def check_password(password: str) -> None:
    """Refuse a password that is too short, too long or common."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            N_("the password must be at least %(count)s characters"), count=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            N_("the password must be at most %(count)s characters"), count=MAX_PASSWORD_LENGTH
        )
    if password.strip().lower() in common_passwords():
        raise AccountError(
            N_("this password is on a list of common passwords; choose one that is harder to guess")
        )


def check_role(role: str) -> None:
    """Refuse a role Engage does not know."""
    if role not in ROLES:
        raise AccountError(
            N_("unknown role %(role)s; choose one of %(roles)s"),
            role=repr(role),
            roles=", ".join(ROLES),
        )


NOT_A_TAG = N_("“%(tag)s” is not a language code; use codes like oj, cr or ta")
NO_LANGUAGE = N_("a community reviewer needs at least one language they read")
# The refusals about a reviewer's languages (forms show them at the languages field).
LANGUAGE_ERRORS = (NOT_A_TAG, NO_LANGUAGE)


def review_languages(tags: str | Iterable[str]) -> list[str]:
    """Return a reviewer's language tags normalised, each once; refuse one that is not BCP 47.

    ``tags`` is a list, or text with the tags apart by spaces or commas (``"oj, cr iu"``).
    """
    if isinstance(tags, str):
        tags = re.split(r"[\s,;]+", tags)
    chosen: list[str] = []
    for tag in tags:
        if not tag.strip():
            continue
        if len(tag) > 35 or not is_valid_tag(tag):
            raise AccountError(NOT_A_TAG, tag=tag[:40])
        if normalize_tag(tag) not in chosen:
            chosen.append(normalize_tag(tag))
    return chosen


def check_reviewer_languages(role: str, languages: list[str]) -> None:
    """Refuse a community reviewer without a language: they would see no comment."""
    if role == ROLE_REVIEWER and not languages:
        raise AccountError(NO_LANGUAGE)


def normal_email(email: str) -> str:
    """Return the email as accounts store it (trimmed, lower case), or refuse it."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or any(char.isspace() for char in email):
        raise AccountError(N_("%(email)s is not an email address"), email=repr(email))
    return email


def hash_password(password: str) -> str:
    """Return the stored form of a password (the sign-in module's slow hash)."""
    return generate_password_hash(password, method=auth.PASSWORD_METHOD)


def token_digest(token: str) -> str:
    """Return the SHA-256 of a set-password token: only this is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_by_email(session: Session, email: str) -> User:
    """Return the account with this email, or refuse."""
    user = auth.find_user(session, email)
    if user is None:
        raise AccountError(N_("there is no account with email %(email)s"), email=email.strip())
    return user


def _new_user(
    session: Session,
    email: str,
    role: str,
    name: str,
    languages: str | Iterable[str] = (),
    *,
    languages_required: bool = True,
) -> User:
    check_role(role)
    email = normal_email(email)
    chosen = review_languages(languages)
    if languages_required:
        check_reviewer_languages(role, chosen)
    if auth.find_user(session, email):
        raise AccountError(N_("a user with email %(email)s already exists"), email=email)
    # No password until one is set: an empty hash matches nothing.
    return User(
        email=email, name=name.strip()[:200], role=role, password_hash="", review_languages=chosen
    )


def _created(user: User) -> dict:
    """Return what the audit trail records of a new account."""
    new = {"email": user.email, "role": user.role}
    if user.review_languages:
        new["review_languages"] = list(user.review_languages)
    return new


def _audit(
    session: Session, actor_id: int | None, action: str, user: User, old, new, reason=None
) -> None:
    write_audit(session, actor_id, action, "user", str(user.id), None, old, new, reason=reason)


def _refuse_sso_only(user: User) -> None:
    if user.sso_only:
        raise AccountError(SSO_ONLY, email=user.email)


def create_user(
    session: Session,
    email: str,
    role: str,
    password: str,
    name: str = "",
    *,
    actor_id: int | None = None,
    audited: bool = True,
    languages: str | Iterable[str] = (),
) -> User:
    """Create an account with a password (``engage create-user``, the demo).

    ``audited=False`` only for accounts seeded around the app (``engage.auth.create_user``).
    """
    user = _new_user(session, email, role, name, languages)
    check_password(password)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    if audited:
        _audit(session, actor_id, "user.create", user, {}, _created(user))
    session.commit()
    return user


def create_account(
    session: Session,
    email: str,
    role: str,
    name: str,
    *,
    actor_id: int | None,
    hours: int,
    languages: str | Iterable[str] = (),
) -> tuple[User, str]:
    """Create an account without a password; return it and its one-time set-password token.

    ``languages``: a community reviewer's (BCP 47 tags), at least one.
    """
    user = _new_user(session, email, role, name, languages)
    session.add(user)
    session.flush()
    token = _issue_token(user, hours)
    _audit(session, actor_id, "user.create", user, {}, _created(user))
    session.commit()
    return user, token


def create_sso_account(
    session: Session,
    email: str,
    role: str,
    name: str,
    *,
    actor_id: int | None,
    subject: str | None = None,
    reason: str | None = None,
    languages: str | Iterable[str] = (),
) -> User:
    """Create an account that signs in only with single sign-on: no password, no link.

    An admin creates one ahead of time (it is linked by its verified email at its first
    sign-in); a first sign-in creates one with its ``subject`` when the settings allow it
    (a community reviewer made so has no language, and sees no comment, until an admin
    gives it some).
    """
    user = _new_user(session, email, role, name, languages, languages_required=subject is None)
    user.sso_only = True
    user.sso_subject = subject
    session.add(user)
    session.flush()
    new = {**_created(user), "sso_only": True}
    _audit(session, actor_id, "user.create", user, {}, new, reason)
    session.commit()
    return user


def link_sso_subject(session: Session, user: User, subject: str, *, reason: str) -> None:
    """Tie the account to a single sign-on subject (committed with the sign-in)."""
    old = {"sso_subject": user.sso_subject}
    user.sso_subject = subject
    session.add(user)
    _audit(session, None, "user.link_sso", user, old, {"sso_subject": subject}, reason)


def set_sso_only(session: Session, user: User, sso_only: bool, *, actor_id: int | None) -> None:
    """Let the account sign in only with single sign-on, or with a password again.

    Turning it on stops the password and any set-password link and ends the account's
    sessions; turning it off leaves no password until a reset makes a link.
    """
    if sso_only == user.sso_only:
        return
    user.sso_only = sso_only
    if sso_only:
        user.password_hash = ""
        user.password_token_hash = None
        user.password_token_expires = None
        user.session_version += 1
    session.add(user)
    _audit(
        session,
        actor_id,
        "user.set_sso_only",
        user,
        {"sso_only": not sso_only},
        {"sso_only": sso_only},
    )
    session.commit()


def _issue_token(user: User, hours: int) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.password_token_hash = token_digest(token)
    user.password_token_expires = utcnow() + timedelta(hours=hours)
    return token


def reset_password(session: Session, user: User, *, actor_id: int | None, hours: int) -> str:
    """Clear the password, end the account's sessions and return a new set-password token."""
    _refuse_sso_only(user)
    token = _issue_token(user, hours)
    user.password_hash = ""
    user.session_version += 1
    session.add(user)
    _audit(session, actor_id, "user.reset_password", user, {}, {"expires_in_hours": hours})
    session.commit()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """Return the active account whose unexpired set-password link this is, or None."""
    if not token or len(token) > 100:
        return None
    user = session.exec(select(User).where(User.password_token_hash == token_digest(token))).first()
    if user is None or not user.active or user.sso_only or user.password_token_expires is None:
        return None
    expires = user.password_token_expires
    if expires.tzinfo is None:  # SQLite gives naive datetimes back
        expires = expires.replace(tzinfo=utcnow().tzinfo)
    return user if expires > utcnow() else None


def set_password_with_token(session: Session, token: str, password: str) -> User:
    """Set the password of the link's account once; the link stops working."""
    user = user_for_token(session, token)
    if user is None:
        raise AccountError(N_("this link has expired or was already used; ask for a new one"))
    check_password(password)
    user.password_hash = hash_password(password)
    user.password_token_hash = None
    user.password_token_expires = None
    user.session_version += 1
    session.add(user)
    _audit(session, user.id, "user.set_password", user, {}, {})
    session.commit()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Change one's own password, after checking the current one."""
    _refuse_sso_only(user)
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise AccountError(WRONG_PASSWORD)
    check_password(new)
    user.password_hash = hash_password(new)
    user.session_version += 1
    session.add(user)
    _audit(session, user.id, "user.change_password", user, {}, {})
    session.commit()


def active_admins(session: Session) -> int:
    """Return how many active administrator accounts there are."""
    statement = select(func.count()).where(User.role == ROLE_ADMIN, User.active == True)  # noqa: E712
    return session.exec(statement).one()


def _keep_an_admin(session: Session, user: User, role: str, active: bool) -> None:
    leaves = user.role == ROLE_ADMIN and user.active and (role != ROLE_ADMIN or not active)
    if leaves and active_admins(session) <= 1:
        raise AccountError(
            N_(
                "%(email)s is the last active administrator; make another account an "
                "administrator first"
            ),
            email=user.email,
        )


def set_role(
    session: Session, user: User, role: str, *, actor_id: int | None, reason: str | None = None
) -> None:
    """Give the account another role (never leaving no active administrator)."""
    check_role(role)
    if role == user.role:
        return
    _keep_an_admin(session, user, role, user.active)
    old = user.role
    user.role = role
    user.session_version += 1
    session.add(user)
    _audit(session, actor_id, "user.set_role", user, {"role": old}, {"role": role}, reason)
    session.commit()


def set_active(session: Session, user: User, active: bool, *, actor_id: int | None) -> None:
    """Deactivate or reactivate the account (never the last active administrator)."""
    if active == user.active:
        return
    _keep_an_admin(session, user, user.role, active)
    user.active = active
    user.session_version += 1
    session.add(user)
    action = "user.reactivate" if active else "user.deactivate"
    _audit(session, actor_id, action, user, {"active": not active}, {"active": active})
    session.commit()


def set_restricted(session: Session, user: User, restricted: bool, *, actor_id: int | None) -> None:
    """Limit a staff account to its assigned surveys, or lift the limit."""
    if restricted == user.restricted:
        return
    user.restricted = restricted
    session.add(user)
    _audit(
        session,
        actor_id,
        "user.set_restricted",
        user,
        {"restricted": not restricted},
        {"restricted": restricted},
    )
    session.commit()


def set_review_languages(
    session: Session, user: User, languages: str | Iterable[str], *, actor_id: int | None
) -> None:
    """Set the languages a community reviewer labels comments in (audited)."""
    chosen = review_languages(languages)
    check_reviewer_languages(user.role, chosen)
    old = list(user.review_languages or [])
    if chosen == old:
        return
    user.review_languages = chosen
    session.add(user)
    _audit(
        session,
        actor_id,
        "user.set_review_languages",
        user,
        {"review_languages": old},
        {"review_languages": chosen},
    )
    session.commit()


def assigned_survey_ids(session: Session, user_id: int) -> set[int]:
    """Return the ids of the surveys assigned to an account."""
    statement = select(SurveyAssignment.survey_id).where(SurveyAssignment.user_id == user_id)
    return set(session.exec(statement).all())


def set_assignments(
    session: Session, user: User, survey_ids: set[int], *, actor_id: int | None
) -> None:
    """Assign exactly these surveys to the account; audited with the slugs added and removed."""
    known = set(session.exec(select(Survey.id).where(col(Survey.id).in_(survey_ids))).all())
    if known != survey_ids:
        raise AccountError(N_("a chosen survey no longer exists; reload the page"))
    current = assigned_survey_ids(session, user.id)
    added, removed = survey_ids - current, current - survey_ids
    if not added and not removed:
        return
    for survey_id in added:
        session.add(SurveyAssignment(survey_id=survey_id, user_id=user.id, assigned_by_id=actor_id))
    for assignment in session.exec(
        select(SurveyAssignment).where(
            SurveyAssignment.user_id == user.id, col(SurveyAssignment.survey_id).in_(removed)
        )
    ):
        session.delete(assignment)
    named = select(Survey.id, Survey.slug).where(col(Survey.id).in_(current | added))
    slugs = dict(session.exec(named).all())
    _audit(
        session,
        actor_id,
        "user.assign_surveys",
        user,
        {"surveys": sorted(slugs[i] for i in current)},
        {"surveys": sorted(slugs[i] for i in survey_ids)},
    )
    session.commit()
