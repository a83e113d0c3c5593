"""Which surveys an account may see and act on: the one rule, and its query filter.

Administrators and unrestricted staff use every survey. Brokers, and staff an
administrator restricts, use only the surveys assigned to them (deny by default).
``engage.loading.survey_or_404`` applies ``can_use_survey`` to every page that reaches a
survey by its address; lists of surveys pass their query through ``usable_surveys``.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from surveys.models import ROLE_ADMIN, ROLE_STAFF, Survey, SurveyAssignment


class Account(Protocol):
    """What the rule reads of an account (a ``User`` row or the signed-in ``LoginUser``)."""

    id: Any
    role: str
    restricted: bool


def sees_every_survey(user: Account) -> bool:
    """Return whether the account is not limited to assigned surveys."""
    return user.role == ROLE_ADMIN or (user.role == ROLE_STAFF and not user.restricted)


def can_use_survey(session: Session, user: Account, survey: Survey) -> bool:
    """Return whether the account may see and act on this survey."""
    if sees_every_survey(user):
        return True
    assignment = session.get(SurveyAssignment, (survey.id, user.id))
    return assignment is not None


def usable_surveys(statement: Select, user: Account) -> Select:
    """Limit a query of surveys to those the account may use."""
    if sees_every_survey(user):
        return statement
    assigned = select(SurveyAssignment.survey_id).where(SurveyAssignment.user_id == user.id)
    return statement.where(col(Survey.id).in_(assigned))
