"""Templates translate with the request's locale, kept once per request and locale."""

from flask import render_template_string
from flask_babel import force_locale, refresh

TEMPLATE = "{{ _('Choose one.') }}"


def test_a_template_follows_a_locale_forced_and_refreshed_within_one_request(app):
    with app.test_request_context("/?lang=en"):
        assert render_template_string(TEMPLATE) == "Choose one."
        with force_locale("fr"):  # an e-mail in the resident's language
            assert render_template_string(TEMPLATE) == "Choisissez une réponse."
        assert render_template_string(TEMPLATE) == "Choose one."
        refresh()
        assert render_template_string(TEMPLATE) == "Choose one."


def test_each_request_translates_in_its_own_language(client):
    french = client.get("/?lang=fr").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert french != english
