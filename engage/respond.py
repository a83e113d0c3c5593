"""Resident pages: open surveys, a survey split into pages by section, thanks, closed.

Decisions (issue 4), so that nobody has to rediscover them:

- Answers travel between pages in hidden form fields, not in the session cookie: one
  long comment in Arabic would overflow the cookie's 4 KB, and hidden fields keep the
  server stateless and store nothing before the resident sends. Every page posts every
  answer given so far, so "Back" and switching language keep them all. (The browser's
  own back button on a posted page offers to send that form again, with its answers.)
- A form token, random and signed with a nonce kept in the session, is minted when the
  survey opens and posted with every page; it becomes ``Response.idempotency_key``, so
  a double tap, a refresh or going back and sending again stores one response. Being
  bound to the session, it also does CSRF's job on these forms (they are exempt from
  Flask-WTF's check): a token that does not match shows the page again with the
  answers kept and a fresh token, where the CSRF error page would lose them.
- Sending redirects (303) to the thank-you page, so a refresh lands there.
- Unknown and draft surveys get a 404 page, closed ones a 410 page, in the resident's
  language. Signed-in staff and administrators can add ``?preview=1`` to walk through
  a survey in any state; nothing is stored.
- The survey's content language is the survey language closest to the one asked for
  (``?lang=``, remembered, then the browser's); ``g.page_language`` follows it. The
  interface falls back to a catalog language, marked with its own ``lang``.
- ``Survey.settings["ask_contact"]`` (default true) offers the optional "contact me
  about this" fields on the last page; they are stored in ``ResponseContact``.
- Only "Send" counts against ``SUBMISSION_RATE_LIMIT`` per address; over the limit the
  page comes back (429) with the answers kept and a polite message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass, field

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.auth import csrf
from engage.errors import render_error
from engage.i18n import interface_lang_attrs, interface_language, requested_language
from engage.limits import limiter
from surveys.definition import (
    DATE,
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SECTION,
)
from surveys.languages import (
    ResolvedText,
    base_language,
    display_name,
    normalize_tag,
    resolve_text,
    text_direction,
)
from surveys.logic import condition_of, is_relevant, visible_questions
from surveys.models import (
    CHANNEL_WEB,
    ROLE_ADMIN,
    ROLE_STAFF,
    SURVEY_CLOSED,
    SURVEY_DRAFT,
    SURVEY_OPEN,
    Question,
    Survey,
    SurveyText,
)
from surveys.questions import LIKERT_LABELS, PREFER_NOT_LABELS, question_type
from surveys.recording import Provenance, record_response
from surveys.responses import FieldError, validate_submission
from surveys.store import choice_key, hint_key, label_key, load_texts

bp = Blueprint("respond", __name__)
log = logging.getLogger(__name__)

# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = ()

# Form fields. Answers are posted as "q.<question name>" so that no question name can
# collide with the form's own fields.
ANSWER_PREFIX = "q."
TOKEN_FIELD = "token"
PAGE_FIELD = "page"
ACTION_FIELD = "action"
# Bots fill every field; people never see this one (CSS hides it).
HONEYPOT_FIELD = "homepage"
CONTACT_EMAIL = "contact_email"
CONTACT_PHONE = "contact_phone"
CONTACT_FIELDS = (CONTACT_EMAIL, CONTACT_PHONE)

ACTION_BACK = "back"
ACTION_NEXT = "next"
ACTION_SEND = "send"
ACTION_LANGUAGE = "language"

NONCE_KEY = "respond_nonce"
SIGNATURE_BYTES = 16
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 40
PHONE_MIN_DIGITS = 7
# Question kinds answered by ticking options, and the input each uses.
OPTION_INPUTS = {MULTIPLE_CHOICE: "checkbox"}
TEXT_WIDGETS = {LONG_TEXT: "textarea", NUMBER: "number", DATE: "date"}


# --- Form tokens ------------------------------------------------------------------


def _signature(nonce: str, slug: str, random_part: str) -> str:
    """Return the token's signature: HMAC-SHA256 of nonce, survey and random part."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{nonce}|{slug}|{random_part}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode().rstrip("=")


def new_form_token(slug: str) -> str:
    """Mint a token for one walk through survey ``slug``, bound to this browser session."""
    nonce = session.setdefault(NONCE_KEY, secrets.token_urlsafe(16))
    random_part = secrets.token_urlsafe(18)
    return f"{random_part}.{_signature(nonce, slug, random_part)}"


def form_token_is_valid(token: str, slug: str) -> bool:
    """Return whether ``token`` was minted for ``slug`` in this browser session."""
    nonce = session.get(NONCE_KEY)
    random_part, _dot, signature = token.partition(".")
    if not nonce or not random_part or not signature:
        return False
    return hmac.compare_digest(signature, _signature(nonce, slug, random_part))


# --- Languages and survey content ---------------------------------------------------


def offered_languages(survey: Survey) -> list[str]:
    """Return the survey's languages, default first when it is missing from the list."""
    languages = [normalize_tag(tag) for tag in survey.languages or ()]
    default = normalize_tag(survey.default_language)
    return languages if default in languages else [default, *languages]


def closest_language(wanted: str, offered: list[str], default: str) -> str:
    """Return the offered tag closest to ``wanted``: exact, base language, regional form."""
    wanted = normalize_tag(wanted)
    base = base_language(wanted)
    for candidate in (wanted, base):
        if candidate in offered:
            return candidate
    for tag in offered:
        if base_language(tag) == base:
            return tag
    return normalize_tag(default)


def survey_language(survey: Survey) -> str:
    """Return the language to show ``survey`` in: asked for, remembered, else the browser's.

    Survey languages may have no interface catalog (Inuktitut, Cree), so the browser's
    preferences are matched against the survey's own languages here.
    """
    offered = offered_languages(survey)
    asked = requested_language()
    if "lang" not in session:
        browser = request.accept_languages.best_match(offered)
        if browser:
            asked = browser
    return closest_language(asked, offered, survey.default_language)


@dataclass(frozen=True)
class Shown:
    """Survey content as shown, with the ``lang``/``dir`` it needs when not in the page's."""

    text: str
    attrs: Markup = field(default_factory=Markup)

    @property
    def paragraphs(self) -> list[str]:
        """Return the text split at blank lines."""
        return [part.strip() for part in re.split(r"\n\s*\n", self.text) if part.strip()]


class SurveyContent:
    """A survey's texts in one language, falling back to the default language.

    ``page_language`` is the page's ``<html lang>``: text in any other language is
    marked with its own ``lang`` and ``dir`` so that screen readers pronounce it right.
    """

    def __init__(
        self, texts: dict, language: str, default_language: str, page_language: str | None = None
    ):
        self.texts = texts
        self.language = language
        self.default_language = default_language
        self.page_language = normalize_tag(page_language or language)

    def shown(self, resolved: ResolvedText) -> Shown:
        """Mark text shown in another language than the page's, for screen readers."""
        if resolved.language == self.page_language:
            return Shown(resolved.text)
        attrs = Markup(' lang="%s" dir="%s"') % (
            resolved.language,
            text_direction(resolved.language),
        )
        return Shown(resolved.text, attrs)

    def get(self, key: str, built_in: dict[str, str] | None = None) -> Shown | None:
        """Return the text under ``key`` (the survey's own before ``built_in``), or None."""
        candidates = {**(built_in or {}), **self.texts.get(key, {})}
        resolved = resolve_text(candidates, self.language, self.default_language)
        return self.shown(resolved) if resolved.text else None


# --- Pages and visibility -------------------------------------------------------------


def split_pages(questions: list[Question]) -> list[list[Question]]:
    """Split the questions into pages: each section heading starts a new page."""
    pages: list[list[Question]] = [[]]
    for question in questions:
        if question.kind == SECTION and pages[-1]:
            pages.append([])
        pages[-1].append(question)
    return [page for page in pages if page]


def page_is_shown(page: list[Question], visible: set[str]) -> bool:
    """A page is shown when any question or note on it is visible (headings do not count)."""
    return any(q.name in visible for q in page if q.kind != SECTION)


def questions_to_render(
    questions: list[Question], raw: dict[str, list[str]], page: list[Question]
) -> list[Question]:
    """Return the page's questions to put in the HTML.

    A question hidden by answers on *other* pages is left out. One whose visibility
    hangs on an answer on this same page is rendered: the script hides it as the
    resident answers, without script the resident sees it, and the server drops its
    answer if it turns out hidden. Same rules as ``surveys.logic`` otherwise.
    """
    on_page = {question.name for question in page}
    undecided: set[str] = set()
    seen: dict[str, list[str]] = {}
    rendered = []
    for question in questions:
        condition = condition_of(question)
        if condition is not None and (
            condition.question in on_page or condition.question in undecided
        ):
            undecided.add(question.name)
            shown = True
        else:
            shown = is_relevant(question, seen)
            if shown and question.name in raw:
                seen[question.name] = raw[question.name]
        if shown and question.name in on_page:
            rendered.append(question)
    return rendered


# --- What the template shows --------------------------------------------------------


@dataclass(frozen=True)
class OptionView:
    """One radio button or checkbox."""

    id: str
    value: str
    label: Shown
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    """A question as the template renders it."""

    name: str
    kind: str
    widget: str
    label: Shown
    hint: Shown | None
    required: bool
    options: list[OptionView]
    value: str
    error: str | None
    relevant: dict | None

    @property
    def field(self) -> str:
        """Return the form field name."""
        return ANSWER_PREFIX + self.name

    @property
    def input_id(self) -> str:
        """Return the id of the first control, which the error summary links to."""
        return self.options[0].id if self.options else f"a-{self.name}"

    @property
    def described_by(self) -> str:
        """Return the ids of the hint and error, for ``aria-describedby``."""
        ids = [f"h-{self.name}"] if self.hint else []
        if self.error:
            ids.append(f"e-{self.name}")
        return " ".join(ids)


def question_view(
    question: Question, content: SurveyContent, raw: dict[str, list[str]], error: str | None
) -> QuestionView:
    """Build the template's view of one question: texts in the page language, answers kept."""
    kind = question_type(question.kind)
    values = raw.get(question.name, [])
    label = content.get(label_key(question.name)) or Shown(question.name)
    options: list[OptionView] = []
    if kind.is_closed:
        names = list(kind.choice_names(question))
        if kind.accepts_prefer_not(question):
            names.append(PREFER_NOT_TO_ANSWER)
        for index, name in enumerate(names):
            if question.kind == RATING:
                option_label = Shown(name)
            else:
                option_label = content.get(
                    choice_key(question.name, name), built_in_choice_label(question.kind, name)
                ) or Shown(name)
            options.append(
                OptionView(f"a-{question.name}-{index}", name, option_label, name in values)
            )
        widget = OPTION_INPUTS.get(question.kind, "radio")
    elif question.kind in (NOTE, SECTION):
        widget = question.kind
    else:
        widget = TEXT_WIDGETS.get(question.kind, "text")
    return QuestionView(
        name=question.name,
        kind=question.kind,
        widget=widget,
        label=label,
        hint=content.get(hint_key(question.name)),
        required=question.required,
        options=options,
        value=values[0] if values and not options else "",
        error=error,
        relevant=question.relevant if question.relevant else None,
    )


def built_in_choice_label(kind: str, name: str) -> dict[str, str]:
    """Return the standard labels of Likert points and "Prefer not to answer"."""
    if name == PREFER_NOT_TO_ANSWER:
        return PREFER_NOT_LABELS
    if kind == LIKERT:
        return {language: labels[name] for language, labels in LIKERT_LABELS.items()}
    return {}


def error_text(error: FieldError) -> str:
    """Translate a domain error into the interface language."""
    return _(error.message, **error.params)


# --- One walk through a survey ------------------------------------------------------


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
    ):
        self.survey = survey
        self.language = language
        self.preview = preview
        self.raw = raw
        self.contact = contact
        self.token = token
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
        return errors

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
        texts = load_texts(db.get_session(), self.survey.id)
        content = SurveyContent(texts, self.language, self.survey.default_language)
        page = self.pages[self.page_index] if self.pages else []
        rendered = questions_to_render(self.questions, self.raw, page)
        rendered_names = {q.name for q in rendered}
        heading = page[0] if page and page[0].kind == SECTION else None
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
        contact_labels = {CONTACT_EMAIL: _("Email address"), CONTACT_PHONE: _("Phone number")}
        summary += [
            (name, Shown(contact_labels[name], ui), errors[name])
            for name in CONTACT_FIELDS
            if name in errors
        ]
        logic = [[q.name, q.relevant or None] for q in self.questions]
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
                page_index=self.page_index,
                page_number=position,
                page_count=max(len(shown), position),
                is_first=position == 1,
                is_last=is_last,
                with_contact=with_contact,
                contact=self.contact,
                contact_errors={name: errors[name] for name in CONTACT_FIELDS if name in errors},
                error_summary=summary,
                problem=problem,
                logic=logic if any(q.relevant for q in self.questions) else None,
                survey_languages=survey_language_choices(self.survey),
                content_language=self.language,
                preview=self.preview,
                action_url=self.url(),
                switch_url=lambda tag: self.url(lang=tag),
            ),
            status,
        )
        # Never in a shared cache (answers are in the page), but kept by the browser so
        # that its back button shows the page again instead of asking to resend the form.
        response.headers["Cache-Control"] = "private, no-cache"
        return response


def notice_texts(content: SurveyContent) -> list[tuple[str, Shown]]:
    """Return the notice of collection's parts that the survey has: (heading, text)."""
    parts = (
        ("notice.purpose", _("Why we collect this information")),
        ("notice.authority", _("Legal authority")),
        ("notice.contact", _("Questions about this collection")),
    )
    return [(heading, text) for key, heading in parts if (text := content.get(key))]


def survey_language_choices(survey: Survey) -> list[tuple[str, str]]:
    """Return (tag, name in that language) for the survey's languages."""
    return [(tag, display_name(tag)) for tag in offered_languages(survey)]


# --- Loading a survey for a resident --------------------------------------------------


def load_survey(slug: str) -> Survey | None:
    """Return the survey with its questions and choices loaded in three queries."""
    statement = (
        select(Survey)
        .where(Survey.slug == slug)
        .options(selectinload(Survey.questions).selectinload(Question.choices))
    )
    return db.get_session().exec(statement).first()


def wants_preview() -> bool:
    """Return whether a signed-in staff member asked to preview (nothing is stored)."""
    return (
        request.args.get("preview") == "1"
        and current_user.is_authenticated
        and current_user.has_role(ROLE_ADMIN, ROLE_STAFF)
    )


def survey_for_resident(slug: str) -> tuple[Survey, bool]:
    """Return (survey, preview), or stop with the unknown (404) or closed (410) page."""
    survey = load_survey(slug)
    preview = wants_preview()
    if survey is None or (survey.status == SURVEY_DRAFT and not preview):
        abort(
            make_response(
                render_error(
                    404,
                    _(
                        "We could not find that survey. The address may be mistyped, "
                        "or the survey may not be published yet."
                    ),
                )
            )
        )
    language = survey_language(survey)
    g.page_language = language
    if survey.status == SURVEY_CLOSED and not preview:
        content = SurveyContent(
            load_texts(db.get_session(), survey.id), language, survey.default_language
        )
        page = render_template(
            "respond/closed.html",
            survey=survey,
            title=content.get("title") or Shown(survey.slug),
        )
        abort(make_response(page, 410))
    return survey, preview


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
    return SurveyVisit(
        survey,
        g.page_language,
        preview=preview,
        raw=raw,
        contact={name: value for name, value in contact.items() if value},
        token=token if len(token) <= 100 else "",
        page_index=int(page) if page.isdigit() else 0,
    )


def is_not_sending() -> bool:
    """Only "Send" counts against the submission rate limit."""
    return request.form.get(ACTION_FIELD) != ACTION_SEND


def submission_rate_limit() -> str:
    """Return the configured per-address submission limit."""
    return current_app.config["SUBMISSION_RATE_LIMIT"]


# --- Views ------------------------------------------------------------------------------


@bp.get("/")
def home():
    """List the open surveys, titled in the chosen language."""
    session_ = db.get_session()
    surveys = session_.exec(
        select(Survey).where(Survey.status == SURVEY_OPEN).order_by(Survey.id)
    ).all()
    titles: dict[int, dict[str, str]] = {}
    if surveys:
        rows = session_.exec(
            select(SurveyText).where(
                SurveyText.key == "title", SurveyText.survey_id.in_([s.id for s in surveys])
            )
        )
        for row in rows:
            titles.setdefault(row.survey_id, {})[row.language] = row.text
    language = requested_language()
    listed = []
    for survey in surveys:
        content = SurveyContent(
            {"title": titles.get(survey.id, {})},
            language,
            survey.default_language,
            page_language=interface_language(language),
        )
        listed.append((survey, content.get("title") or Shown(survey.slug)))
    return render_template("respond/home.html", surveys=listed)


@bp.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(submission_rate_limit, methods=["POST"], exempt_when=is_not_sending)
def survey(slug: str):
    """Show a survey page; on "Send", validate every answer and store one response."""
    if request.method == "GET":
        survey, preview = survey_for_resident(slug)
        visit = SurveyVisit(
            survey,
            g.page_language,
            preview=preview,
            raw={},
            contact={},
            token=new_form_token(slug),
            page_index=0,
        )
        return visit.render()

    visit = posted_visit(slug)
    if not visit.token:
        visit.token = new_form_token(slug)
    action = request.form.get(ACTION_FIELD, ACTION_NEXT)
    if action == ACTION_BACK:
        visit.page_index = visit.previous_page()
        return visit.render()
    if action not in (ACTION_NEXT, ACTION_SEND):
        return visit.render()  # a language switch: same page, same answers
    if action == ACTION_SEND and request.form.get(HONEYPOT_FIELD):
        log.info("Honeypot filled on survey %s; nothing stored.", slug)
        return redirect(url_for("respond.thanks", slug=slug), 303)

    validated = validate_submission(visit.questions, visit.raw)
    errors = {error.question: error_text(error) for error in validated.errors}
    next_page = visit.next_page()
    if next_page is None and visit.ask_contact:
        errors.update(visit.contact_errors())  # the contact fields are on the last page
    on_page = visit.page_names() | set(CONTACT_FIELDS)
    page_errors = {name: message for name, message in errors.items() if name in on_page}
    if page_errors:
        return visit.render(page_errors)
    if next_page is not None:
        visit.page_index = next_page
        return visit.render()
    if action != ACTION_SEND:
        return visit.render()  # "Next" on what turned out to be the last page: show "Send"
    if errors:
        # Only a hand-made post gets here (conditions look back, never forward): show
        # the first page that needs correcting.
        visit.page_index = next(
            i for i, page in enumerate(visit.pages) if {q.name for q in page} & errors.keys()
        )
        on_page = visit.page_names()
        return visit.render({name: errors[name] for name in errors if name in on_page})
    if not form_token_is_valid(visit.token, slug):
        visit.token = new_form_token(slug)
        return visit.render(
            problem=_(
                "Your answers are not sent yet: this page was open for a long time or "
                "cookies are blocked. Check your answers and send them again."
            )
        )
    if visit.preview:
        return redirect(url_for("respond.thanks", slug=slug, preview=1), 303)
    config = current_app.config
    record_response(
        db.get_session(),
        visit.survey,
        validated.answers,
        Provenance(channel=CHANNEL_WEB, language=visit.language, idempotency_key=visit.token),
        cutoffs=SentimentCutoffs(
            negative_below=config["SENTIMENT_NEGATIVE_BELOW"],
            positive_above=config["SENTIMENT_POSITIVE_ABOVE"],
        ),
        contact=visit.contact_text() if visit.ask_contact else None,
    )
    return redirect(url_for("respond.thanks", slug=slug), 303)


csrf.exempt(survey)


@bp.errorhandler(RateLimitExceeded)
def too_many_submissions(_error):
    """Show the survey page again with the answers kept, asking the resident to wait."""
    if request.endpoint != "respond.survey":
        return render_error(429)
    visit = posted_visit(request.view_args["slug"])
    return visit.render(
        problem=_(
            "We received many answers from your connection in a short time, so yours are "
            "not sent yet. Please wait a minute, then send them again. Nothing is lost."
        ),
        status=429,
    )


@bp.get("/s/<slug>/thanks")
def thanks(slug: str):
    """Thank the resident and say what happens next."""
    survey, preview = survey_for_resident(slug)
    content = SurveyContent(
        load_texts(db.get_session(), survey.id), g.page_language, survey.default_language
    )
    return render_template(
        "respond/thanks.html",
        survey=survey,
        title=content.get("title") or Shown(survey.slug),
        thanks=content.get("thanks"),
        preview=preview,
    )
