"""A resident's walk through a survey, rebuilt from each posted page, and its rendering."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, make_response, render_template, request, url_for
from flask_babel import gettext as _

from engage.i18n import interface_lang_attrs, interface_language, requested_language
from engage.respond.cache import resident_texts
from engage.respond.content import Shown, SurveyContent, notice_texts, survey_language_choices
from engage.respond.forms import (
    ANSWER_PREFIX,
    CONTACT_EMAIL,
    CONTACT_FIELDS,
    CONTACT_NOTIFY,
    CONTACT_PHONE,
    EMAIL_MAX_LENGTH,
    EMAIL_PATTERN,
    PAGE_FIELD,
    PHONE_MAX_LENGTH,
    PHONE_MIN_DIGITS,
    RESUME_FIELD,
    TOKEN_FIELD,
)
from engage.respond.loading import survey_for_resident
from engage.respond.paging import page_is_shown, questions_to_render, split_pages
from engage.respond.question_views import ends_with_punctuation, question_view
from engage.security import keep_for_back_button
from surveys.languages import base_language
from surveys.logic import visible_questions
from surveys.models import Survey
from surveys.questions import question_type


class SurveyVisit:
    """A resident's walk through a survey: its pages, the answers so far, the form token."""

    def __init__(
        self,
        survey: Survey,
        language: str,
        *,
        preview: bool,
        raw: dict[str, list[str]],
        contact: dict[str, str],
        token: str,
        page_index: int,
        resume_code: str = "",
    ):
        self.survey = survey
        self.language = language
        self.preview = preview
        self.raw = raw
        self.contact = contact
        self.token = token
        self.resume_code = resume_code  # once saved to continue later (engage.respond.drafts)
        self.questions = list(survey.questions)
        self.pages = split_pages(self.questions)
        self.page_index = max(0, min(page_index, len(self.pages) - 1))

    def url(self, **args: str) -> str:
        """Return the survey page's address (keeping ``preview``), with ``args`` added."""
        preview = 1 if self.preview else None
        return url_for("respond.survey", slug=self.survey.slug, preview=preview, **args)

    @property
    def ask_contact(self) -> bool:
        """Return whether the survey offers the optional contact fields."""
        return bool((self.survey.settings or {}).get("ask_contact", True))

    def shown_pages(self) -> list[int]:
        """Return the indexes of the pages shown given the answers so far."""
        visible = {q.name for q in visible_questions(self.questions, self.raw)}
        return [i for i, page in enumerate(self.pages) if page_is_shown(page, visible)]

    def next_page(self) -> int | None:
        """Return the next shown page after the current one, or None at the end."""
        return next((i for i in self.shown_pages() if i > self.page_index), None)

    def previous_page(self) -> int:
        """Return the shown page before the current one (or the current one at the start)."""
        earlier = [i for i in self.shown_pages() if i < self.page_index]
        return earlier[-1] if earlier else self.page_index

    def page_names(self, index: int | None = None) -> set[str]:
        """Return the names of the questions on a page (the current one by default)."""
        if not self.pages:
            return set()
        return {q.name for q in self.pages[self.page_index if index is None else index]}

    def contact_errors(self) -> dict[str, str]:
        """Check the optional contact fields; return field -> message."""
        errors = {}
        email = self.contact.get(CONTACT_EMAIL, "")
        if email and (len(email) > EMAIL_MAX_LENGTH or not EMAIL_PATTERN.fullmatch(email)):
            errors[CONTACT_EMAIL] = _("Enter an email address like name@example.com.")
        phone = self.contact.get(CONTACT_PHONE, "")
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (len(phone) > PHONE_MAX_LENGTH or digits < PHONE_MIN_DIGITS):
            errors[CONTACT_PHONE] = _("Enter a phone number like 905-555-0100.")
        if self.wants_notice and not email and CONTACT_EMAIL not in errors:
            errors[CONTACT_EMAIL] = _(
                "Enter an email address to be told when results are published, or untick that box."
            )
        return errors

    @property
    def wants_notice(self) -> bool:
        """Return whether the resident ticked "tell me when results are published"."""
        return self.contact.get(CONTACT_NOTIFY) == "1"

    def contact_text(self) -> str | None:
        """Return the contact details as stored, one ``kind: value`` line each."""
        lines = [
            f"{kind}: {self.contact[name]}"
            for kind, name in (("email", CONTACT_EMAIL), ("phone", CONTACT_PHONE))
            if self.contact.get(name)
        ]
        return "\n".join(lines) or None

    def render(
        self,
        errors: dict[str, str] | None = None,
        problem: str | None = None,
        status: int = 200,
    ):
        """Render the current page with the answers filled in and ``errors`` beside fields."""
        errors = errors or {}
        texts = resident_texts(self.survey, self.language)
        content = SurveyContent(texts, self.language, self.survey.default_language)
        page = self.pages[self.page_index] if self.pages else []
        rendered = questions_to_render(self.questions, self.raw, page)
        rendered_names = {q.name for q in rendered}
        heading = page[0] if page and question_type(page[0].kind).starts_section else None
        views = [
            question_view(q, content, self.raw, errors.get(q.name))
            for q in rendered
            if q is not heading
        ]
        shown = self.shown_pages()
        position = shown.index(self.page_index) + 1 if self.page_index in shown else 1
        is_last = not any(i > self.page_index for i in shown)
        carried = [
            (ANSWER_PREFIX + name, value)
            for name, values in self.raw.items()
            if name not in rendered_names
            for value in values
        ]
        with_contact = is_last and self.ask_contact
        if not with_contact:
            carried += [(name, value) for name, value in self.contact.items() if value]
        summary = [(view.input_id, view.label, view.error) for view in views if view.error]
        ui = interface_lang_attrs(self.language, interface_language())
        contact_labels = {
            CONTACT_EMAIL: _("Email address"),
            CONTACT_PHONE: _("Phone number"),
            CONTACT_NOTIFY: _("Tell me when results are published"),
        }
        summary += [
            (name, Shown(contact_labels[name], ui), errors[name])
            for name in CONTACT_FIELDS
            if name in errors
        ]
        # No colon after a label that ends with its own "?" ("…past year?: This…").
        summary = [
            (target, label, not ends_with_punctuation(label.text), message)
            for target, label, message in summary
        ]
        logic = [[q.name, q.relevant or None] for q in self.questions]
        action_url = self.url()
        response = make_response(
            render_template(
                "respond/survey.html",
                survey=self.survey,
                title=content.get("title") or Shown(self.survey.slug),
                description=content.get("description") if self.page_index == 0 else None,
                notice=notice_texts(content) if self.page_index == 0 else None,
                heading=question_view(heading, content, {}, None) if heading else None,
                questions=views,
                carried=carried,
                token=self.token,
                resume_code=self.resume_code,
                page_index=self.page_index,
                page_number=position,
                page_count=max(len(shown), position),
                is_first=position == 1,
                is_last=is_last,
                with_contact=with_contact,
                contact=self.contact,
                contact_errors={name: errors[name] for name in CONTACT_FIELDS if name in errors},
                error_summary=summary,
                check_messages=check_messages(views),
                not_in_language=base_language(requested_language()) != base_language(self.language),
                problem=problem,
                logic=logic if any(q.relevant for q in self.questions) else None,
                survey_languages=survey_language_choices(self.survey),
                content_language=self.language,
                preview=self.preview,
                action_url=action_url,
                switch_url=lambda tag: language_url(action_url, tag),
            ),
            status,
        )
        # Never in a shared cache (answers are in the page), but kept by the browser so
        # that its back button shows the page again instead of asking to resend the form.
        return keep_for_back_button(response)


def check_messages(views: list) -> dict[str, str]:
    """Return the messages the page's script shows as the resident types, as it needs them.

    ``{n}`` stands for the count the script writes in.
    """
    messages = {}
    if any(view.required for view in views):
        messages["required"] = _("This question requires an answer.")
    if any("max-length" in view.limits for view in views):
        messages["left"] = _("Characters left: %(count)s", count="{n}")
        messages["over"] = _("Characters over the limit: %(count)s", count="{n}")
    return messages


def language_url(page_url: str, tag: str) -> str:
    """Return ``page_url`` with ``lang=tag`` added, as ``url_for`` writes it.

    A page offers twenty of these; ``url_for`` for each was 8 % of the page's time.
    """
    return f"{page_url}{'&' if '?' in page_url else '?'}{urlencode({'lang': tag})}"


def posted_visit(slug: str) -> SurveyVisit:
    """Rebuild the resident's walk from the posted form (answers, contact, token, page)."""
    survey, preview = survey_for_resident(slug)
    raw = {}
    for question in survey.questions:
        values = request.form.getlist(ANSWER_PREFIX + question.name)
        if values and question_type(question.kind).takes_answer:
            raw[question.name] = values
    contact = {name: request.form.get(name, "").strip() for name in CONTACT_FIELDS}
    token = request.form.get(TOKEN_FIELD, "")
    page = request.form.get(PAGE_FIELD, "0")
    resume_code = request.form.get(RESUME_FIELD, "")
    return SurveyVisit(
        survey,
        g.page_language,
        preview=preview,
        raw=raw,
        contact={name: value for name, value in contact.items() if value},
        token=token if len(token) <= 100 else "",
        page_index=int(page) if page.isdigit() else 0,
        resume_code=resume_code if len(resume_code) <= 40 else "",
    )
