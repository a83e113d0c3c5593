"""The survey page's language-switch addresses, written without url_for, are url_for's."""

import pytest
from flask import url_for

from engage.respond.visit import language_url


@pytest.mark.parametrize("root", ["", "/engage"])
@pytest.mark.parametrize("preview", [None, 1])
def test_language_switch_address_is_the_one_url_for_writes(app, root, preview):
    with app.test_request_context("/", base_url=f"http://localhost{root}"):
        for slug in ("parks", "a-b_c"):
            page = url_for("respond.survey", slug=slug, preview=preview)
            for tag in ("en", "fr-CA", "zh-Hans", "oj-Cans", "x-private"):
                expected = url_for("respond.survey", slug=slug, preview=preview, lang=tag)
                assert language_url(page, tag) == expected
