"""Schemathesis drives every API operation from its OpenAPI document against the demo.

Each generated request (valid and invalid) must get an answer the document describes:
never a server error, a documented status, content type and headers, and a body that
matches its schema. Not checked: that every schema-valid request is accepted, since some
rules cannot be written in OpenAPI (a range's end after its start, answers that fit the
survey's questions, an address without control characters). Operations are walked by
hand: schemathesis' pytest fixture loader reads a pytest attribute pytest 9 no longer has.
"""

import pytest
import schemathesis
from api_support import token_for
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlmodel import Session, select

from surveys.models import User


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(demo_app, mode):
    with Session(demo_app.extensions["engage.engine"], expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.email == "staff@engage.demo")).one()
        # identity: the WSGI transport does not undo Flask-Compress as an HTTP client does
        headers = {
            "Authorization": "Bearer " + token_for(session, user),
            "Accept-Encoding": "identity",
        }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7

    checked = []
    for operation in operations:

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            answers_as_documented()
        except Unsatisfiable:
            # Nothing of it can be sent wrong: no body, no typed parameter (a slug is any text).
            assert mode == GenerationMode.NEGATIVE, operation.label
            continue
        checked.append(operation.label)
    # Invalid input is tried at least on the body and the typed query parameters.
    assert len(checked) >= (7 if mode == GenerationMode.POSITIVE else 3), checked
