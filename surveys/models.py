"""SQLModel tables: surveys, questions, texts, responses, group sessions, users, audit.

All tables live in this one module because SQLModel relationships split across
modules are a known source of import cycles. Schema changes go through Alembic
(``engage/migrations``); a test checks that the migrations match these tables.
"""

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, text
from sqlmodel import Field, Relationship, SQLModel

# Where a response came from.
CHANNEL_WEB = "web"
CHANNEL_PAPER = "paper"
CHANNEL_PHONE = "phone"
CHANNEL_IN_PERSON = "in_person"
CHANNEL_GROUP = "group"
CHANNELS = (CHANNEL_WEB, CHANNEL_PAPER, CHANNEL_PHONE, CHANNEL_IN_PERSON, CHANNEL_GROUP)

# Survey life cycle.
SURVEY_DRAFT = "draft"
SURVEY_OPEN = "open"
SURVEY_CLOSED = "closed"
SURVEY_STATUSES = (SURVEY_DRAFT, SURVEY_OPEN, SURVEY_CLOSED)

# Response review states: brokers' entries can be verified or flagged by staff.
RESPONSE_SUBMITTED = "submitted"
RESPONSE_VERIFIED = "verified"
RESPONSE_FLAGGED = "flagged"
RESPONSE_STATUSES = (RESPONSE_SUBMITTED, RESPONSE_VERIFIED, RESPONSE_FLAGGED)

# Accounts. Residents never need one.
ROLE_ADMIN = "admin"
ROLE_STAFF = "staff"
ROLE_BROKER = "broker"
# A community reviewer: labels the comments of the languages they read, in the surveys
# assigned to them, and nothing else (``engage.reports.review``).
ROLE_REVIEWER = "reviewer"
ROLES = (ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER, ROLE_REVIEWER)

# Group sessions.
SESSION_KINDS = ("elder_circle", "focus_group", "community_meeting")
CONSENT_KINDS = ("oral", "written")
ATTRIBUTION_NAMED = "attributed"
ATTRIBUTION_ANONYMOUS = "anonymous"
ATTRIBUTION_NO_QUOTE = "no_quote"
ATTRIBUTIONS = (ATTRIBUTION_NAMED, ATTRIBUTION_ANONYMOUS, ATTRIBUTION_NO_QUOTE)
FEEDBACK_KINDS = ("note", "quote")

SENTIMENT_LABELS = ("negative", "neutral", "positive")

# Where a decision stands, in an update staff post on a survey's results page.
UPDATE_UNDER_REVIEW = "under_review"
UPDATE_DECISION_MADE = "decision_made"
UPDATE_IN_PROGRESS = "in_progress"
UPDATE_DONE = "done"
UPDATE_STATUSES = (UPDATE_UNDER_REVIEW, UPDATE_DECISION_MADE, UPDATE_IN_PROGRESS, UPDATE_DONE)

# What an API token may do (engage.api): read responses, submit them, export reports.
API_SCOPE_READ = "read"
API_SCOPE_SUBMIT = "submit"
API_SCOPE_EXPORT = "export"
API_SCOPES = (API_SCOPE_READ, API_SCOPE_SUBMIT, API_SCOPE_EXPORT)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def new_public_id() -> str:
    """Return a random, unguessable identifier safe to show in URLs."""
    return secrets.token_urlsafe(12)


def json_column() -> Column:
    """Return a JSON column (JSONB-compatible on PostgreSQL, TEXT on SQLite)."""
    return Column(JSON, nullable=False, default=dict)


class User(SQLModel, table=True):
    """A staff member, administrator or community broker."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Bumped by sign-out, a password, role or activity change: older sessions end.
    session_version: int = Field(default=0)
    last_sign_in_at: datetime | None = None
    # Staff an admin restricts see only their assigned surveys (brokers always do).
    restricted: bool = False
    # A one-time set-password link: the SHA-256 of its token and when it expires.
    password_token_hash: str | None = Field(default=None, max_length=64)
    password_token_expires: datetime | None = None
    # The OpenID Connect subject (issuer and sub) of an account that signs in with SSO.
    sso_subject: str | None = Field(default=None, max_length=500, unique=True)
    # Signs in only with single sign-on: no password, no set-password link.
    sso_only: bool = False
    # A reviewer's languages (BCP 47 tags): the comments they may label.
    review_languages: list = Field(default_factory=list, sa_column=json_column())


class SurveyAssignment(SQLModel, table=True):
    """A survey a broker (or a restricted staff member) may see and act on."""

    __tablename__ = "survey_assignments"

    survey_id: int = Field(foreign_key="surveys.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    assigned_at: datetime = Field(default_factory=utcnow)
    assigned_by_id: int | None = Field(default=None, foreign_key="users.id")


class Survey(SQLModel, table=True):
    """A survey or intake form; its texts live in ``SurveyText``."""

    __tablename__ = "surveys"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True, index=True)
    status: str = Field(default=SURVEY_DRAFT, max_length=20)
    default_language: str = Field(default="en", max_length=35)
    languages: list = Field(default_factory=list, sa_column=json_column())
    # Analysis settings staff choose: reference group per dimension, areas, etc.
    settings: dict = Field(default_factory=dict, sa_column=json_column())
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    questions: list["Question"] = Relationship(
        back_populates="survey",
        sa_relationship_kwargs={"order_by": "Question.position", "cascade": "all, delete-orphan"},
    )


class SurveyText(SQLModel, table=True):
    """One piece of survey content in one language.

    Keys name what the text belongs to: ``title``, ``description``,
    ``notice.purpose``, ``notice.authority``, ``notice.contact``,
    ``thanks``, ``q.<question>.label``, ``q.<question>.hint`` and
    ``c.<question>.<choice>``. One table keyed this way makes a survey's
    translations one query, and the translators' export a simple listing.
    """

    __tablename__ = "survey_texts"
    __table_args__ = (UniqueConstraint("survey_id", "key", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=300)
    language: str = Field(max_length=35)
    text: str = ""


class Question(SQLModel, table=True):
    """A question (or note, or section heading) at a position in a survey."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("survey_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=100)
    kind: str = Field(max_length=30)
    required: bool = False
    allow_prefer_not: bool = False
    # Equity dimension key (e.g. "race"); None when the question is not a dimension.
    dimension: str | None = Field(default=None, max_length=100)
    settings: dict = Field(default_factory=dict, sa_column=json_column())
    relevant: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))

    survey: "Survey" = Relationship(back_populates="questions")
    choices: list["Choice"] = Relationship(
        back_populates="question",
        sa_relationship_kwargs={"order_by": "Choice.position", "cascade": "all, delete-orphan"},
    )


class Choice(SQLModel, table=True):
    """An option of a closed question; ``name`` is the stored value, ``position`` + 1 its code."""

    __tablename__ = "choices"
    __table_args__ = (UniqueConstraint("question_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="questions.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=100)

    question: "Question" = Relationship(back_populates="choices")


class GroupSession(SQLModel, table=True):
    """An elder circle, focus group or community meeting held for a survey."""

    __tablename__ = "group_sessions"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(default_factory=new_public_id, max_length=32, unique=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True)
    kind: str = Field(max_length=30)
    facilitator: str = Field(max_length=200)
    held_on: date
    place: str = Field(default="", max_length=200)
    area: str | None = Field(default=None, max_length=100)
    languages: list = Field(default_factory=list, sa_column=json_column())
    participants: int
    consent: str = Field(max_length=20)
    attribution: str = Field(max_length=20)
    notes: str = ""
    entered_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class GroupDemographic(SQLModel, table=True):
    """How many participants of a session fell in one group of a dimension.

    ``choice`` is None for "unknown".
    """

    __tablename__ = "group_demographics"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="group_sessions.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="questions.id", index=True)
    choice: str | None = Field(default=None, max_length=100)
    count: int


class GroupTally(SQLModel, table=True):
    """A closed question answered by a show of hands: ``count`` participants chose ``choice``.

    ``choice`` is None for participants who did not say.
    """

    __tablename__ = "group_tallies"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="group_sessions.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="questions.id", index=True)
    choice: str | None = Field(default=None, max_length=100)
    count: int


class SentimentFields(SQLModel):
    """Stored sentiment of a comment; scored once, overridable by staff."""

    polarity: float | None = None
    subjectivity: float | None = None
    sentiment_label: str | None = Field(default=None, max_length=10)
    sentiment_override: str | None = Field(default=None, max_length=10)
    override_by_id: int | None = Field(default=None, foreign_key="users.id")
    override_at: datetime | None = None


class GroupFeedback(SentimentFields, table=True):
    """A note or quote from a group session, optionally tied to a question or theme."""

    __tablename__ = "group_feedback"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="group_sessions.id", index=True, ondelete="CASCADE")
    question_id: int | None = Field(default=None, foreign_key="questions.id")
    theme: str | None = Field(default=None, max_length=200)
    kind: str = Field(default="note", max_length=10)
    language: str = Field(default="en", max_length=35)
    text: str
    # Name to attribute a quote to, only when the session's attribution allows it.
    speaker: str | None = Field(default=None, max_length=200)


class Response(SQLModel, table=True):
    """One person's answers to a survey, with where they came from."""

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "idempotency_key"),
        UniqueConstraint("survey_id", "paper_id"),
        Index("ix_responses_survey_submitted", "survey_id", "submitted_at"),
        # Reports filter a survey's responses by day, channel, language and area (and
        # list the languages and areas they have).
        Index("ix_responses_survey_collected", "survey_id", "collected_at"),
        Index("ix_responses_survey_channel", "survey_id", "channel"),
        Index("ix_responses_survey_language", "survey_id", "language"),
        Index("ix_responses_survey_area", "survey_id", "area"),
        # A receipt code names one response of its survey (surveys.receipts).
        Index("ux_responses_survey_receipt", "survey_id", "receipt_hash", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(default_factory=new_public_id, max_length=32, unique=True)
    # Its own index too: SQLite reads a survey's responses in table order through it, where
    # the composite indexes below would visit them in their columns' order.
    survey_id: int = Field(foreign_key="surveys.id", index=True)
    channel: str = Field(max_length=20)
    language: str = Field(max_length=35)
    submitted_at: datetime = Field(default_factory=utcnow)
    collected_at: datetime = Field(default_factory=utcnow)
    entered_by_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    idempotency_key: str = Field(max_length=100)
    status: str = Field(default=RESPONSE_SUBMITTED, max_length=20)
    paper_id: str | None = Field(default=None, max_length=100)
    place: str | None = Field(default=None, max_length=200)
    area: str | None = Field(default=None, max_length=100)
    review_note: str | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: datetime | None = None
    updated_at: datetime | None = None
    # The SHA-256 of the receipt code the resident was given (surveys.receipts), if any.
    receipt_hash: str | None = Field(default=None, max_length=64)


class SurveyUpdate(SQLModel, table=True):
    """A dated update staff post on a survey's results page: what is done, and where it stands.

    Its title and text are survey texts (``SurveyText`` keys ``update.<id>.title`` and
    ``update.<id>.body``), translated like the survey's others (``surveys.updates``).
    """

    __tablename__ = "survey_updates"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    posted_on: date
    status: str = Field(max_length=20)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ResponseContact(SQLModel, table=True):
    """Optional "contact me about this" details, kept apart from the answers.

    Never joined into reports or exports.
    """

    __tablename__ = "response_contacts"

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(
        foreign_key="responses.id", unique=True, index=True, ondelete="CASCADE"
    )
    contact: str = Field(max_length=500)
    # "Tell me when results are published": e-mail the address (``surveys.notices``).
    notify_results: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class ResultNotice(SQLModel, table=True):
    """One e-mail telling a resident that results or an update were published.

    ``subject`` is ``results`` or ``update:<id>``; one row per contact and subject, so
    nobody is told twice. It goes with its contact (withdrawal, retention purge).
    """

    __tablename__ = "result_notices"
    __table_args__ = (UniqueConstraint("contact_id", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="response_contacts.id", index=True, ondelete="CASCADE")
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    subject: str = Field(max_length=40)
    attempts: int = 0
    # Kept by the process sending it, so that two senders never send it twice.
    claimed_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class SurveyDraft(SQLModel, table=True):
    """Answers saved to finish later, encrypted with a key only the resume code opens.

    See ``surveys.drafts``; no staff page shows them, and they expire.
    """

    __tablename__ = "survey_drafts"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64, unique=True)
    salt: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    expires_at: datetime = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Answer(SentimentFields, table=True):
    """One answer value: a choice (one row per choice of a multiple choice), number or text."""

    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_question_response", "question_id", "response_id"),
        Index("ix_answers_question_choice", "question_id", "choice"),
        # Quotes: a question's comments walked from the most positive (or negative) on.
        Index(
            "ix_answers_question_polarity",
            "question_id",
            "polarity",
            "id",
            sqlite_where=text("text IS NOT NULL"),
            postgresql_where=text("text IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="responses.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="questions.id")
    choice: str | None = Field(default=None, max_length=100)
    number: float | None = None
    text: str | None = None


class AuditEvent(SQLModel, table=True):
    """Who changed what and when, with the old and new values."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=50)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=50)
    survey_id: int | None = Field(default=None, foreign_key="surveys.id", index=True)
    old: dict = Field(default_factory=dict, sa_column=json_column())
    new: dict = Field(default_factory=dict, sa_column=json_column())
    reason: str | None = None


class PopulationBenchmark(SQLModel, table=True):
    """The population of one group of one dimension (e.g. Census counts), per area."""

    __tablename__ = "population_benchmarks"
    __table_args__ = (UniqueConstraint("dimension", "group", "area"),)

    id: int | None = Field(default=None, primary_key=True)
    dimension: str = Field(max_length=100)
    group: str = Field(max_length=100)
    # "" means the whole jurisdiction.
    area: str = Field(default="", max_length=100)
    population: int
    source: str | None = Field(default=None, max_length=300)
    imported_at: datetime = Field(default_factory=utcnow)


class ReportCount(SQLModel, table=True):
    """One grouped count of a survey's unfiltered report, kept as answers are written.

    ``query`` and ``key`` are JSON lists: the name of a statement of the report and
    the values of one of its rows (``surveys.counting`` defines them,
    ``surveys.report_counts`` keeps them).
    """

    __tablename__ = "report_counts"

    survey_id: int = Field(foreign_key="surveys.id", primary_key=True, ondelete="CASCADE")
    query: str = Field(primary_key=True, max_length=400)
    key: str = Field(primary_key=True, max_length=1000)
    count: int


class ReportCountState(SQLModel, table=True):
    """Which shape of the survey a survey's ``ReportCount`` rows were counted for."""

    __tablename__ = "report_count_states"

    survey_id: int = Field(foreign_key="surveys.id", primary_key=True, ondelete="CASCADE")
    structure: str = Field(max_length=64)
    built_at: datetime = Field(default_factory=utcnow)


class ResponseFacts(SQLModel, table=True):
    """What one response brings to a report (``surveys.counting.Facts``), for a survey shape.

    ``structure`` is the ``surveys.counting.facts_key`` it was worked out for; facts
    of another shape are not read (the response's answers are, until a rebuild).
    ``pending_survey_id`` is the survey's id while the response is not yet in the
    survey's kept counts (``surveys.kept_store``: a submission only stores its facts),
    None once it is.
    """

    __tablename__ = "response_facts"
    __table_args__ = (
        Index(
            "ix_response_facts_pending",
            "pending_survey_id",
            sqlite_where=text("pending_survey_id IS NOT NULL"),
            postgresql_where=text("pending_survey_id IS NOT NULL"),
        ),
    )

    response_id: int = Field(foreign_key="responses.id", primary_key=True, ondelete="CASCADE")
    structure: str = Field(max_length=64)
    profile: str
    answers: str
    day: str = Field(max_length=10)
    pending_survey_id: int | None = None


class StoredReport(SQLModel, table=True):
    """A built report kept for a while, where every app server sees it (``engage.report_cache``).

    ``key`` names the survey, filters, view, settings and code it was built with;
    ``fingerprint`` the data it was built from; ``payload`` the pickled report.
    """

    __tablename__ = "stored_reports"

    key: str = Field(primary_key=True, max_length=64)
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    fingerprint: str
    built_at: float
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ApiToken(SQLModel, table=True):
    """A personal API token: only the SHA-256 of its secret is kept (the secret is shown once).

    It acts as its account (same role and survey assignments), within its ``scopes``,
    until it expires or is revoked.
    """

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=100)
    # The token's first characters, to recognise it in a list.
    prefix: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: list = Field(default_factory=list, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiSubmission(SQLModel, table=True):
    """A response submitted through the API under an ``Idempotency-Key``, and what it answered.

    The same key again (from the same account) with the same request gets the same
    body back; with another request it is refused.
    """

    __tablename__ = "api_submissions"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    key: str = Field(max_length=100)
    request_digest: str = Field(max_length=64)
    response_id: int = Field(foreign_key="responses.id", index=True, ondelete="CASCADE")
    body: dict = Field(default_factory=dict, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow)


# What a webhook may be told about (engage.webhooks).
WEBHOOK_EVENTS = ("response.created", "response.updated", "response.withdrawn")
DELIVERY_PENDING = "pending"
DELIVERY_DELIVERED = "delivered"
DELIVERY_FAILED = "failed"


class Webhook(SQLModel, table=True):
    """An address told about a survey's responses, signed with its secret (Standard Webhooks).

    The secret is kept as it was made: signing needs it.
    """

    __tablename__ = "webhooks"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    events: list = Field(default_factory=list, sa_column=json_column())
    secret: str = Field(max_length=100)
    active: bool = True
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class WebhookDelivery(SQLModel, table=True):
    """One event for one webhook: its signed payload, and each attempt's outcome.

    ``message_id`` is the ``webhook-id`` a receiver deduplicates on; ``claimed_until``
    keeps two workers from sending it at once.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhooks.id", index=True, ondelete="CASCADE")
    message_id: str = Field(max_length=40, unique=True)
    event: str = Field(max_length=40)
    response_public_id: str = Field(max_length=32)
    payload: dict = Field(default_factory=dict, sa_column=json_column())
    status: str = Field(default=DELIVERY_PENDING, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_until: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    delivered_at: datetime | None = None


class CommentTheme(SQLModel, table=True):
    """A theme of one free-text question's comments in one language (``analysis.themes``).

    ``terms`` are the method's top terms; ``label`` is staff's name for it, kept when
    themes are recomputed (carried to the new theme sharing most terms); ``staff_made``
    marks a theme staff made by splitting one, or one kept for comments they moved.
    """

    __tablename__ = "comment_themes"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="questions.id", index=True, ondelete="CASCADE")
    language: str = Field(max_length=35)
    terms: list = Field(default_factory=list, sa_column=json_column())
    label: str | None = Field(default=None, max_length=200)
    method: str = Field(max_length=20)
    staff_made: bool = False
    computed_at: datetime = Field(default_factory=utcnow)


class CommentThemeMember(SQLModel, table=True):
    """A comment's theme: ``pinned`` when staff put it there (kept on recomputation)."""

    __tablename__ = "comment_theme_members"

    answer_id: int = Field(foreign_key="answers.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="comment_themes.id", index=True, ondelete="CASCADE")
    weight: float = 0.0
    pinned: bool = False
