"""Turn survey definitions into rows and rows back into definitions.

Functions here add to the caller's session and flush, but never commit: the
caller validates everything first and commits once, so nothing is half-written.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain

from sqlalchemy import event, func
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from surveys.definition import (
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import (
    SURVEY_DRAFT,
    Answer,
    Choice,
    GroupDemographic,
    GroupFeedback,
    GroupTally,
    Question,
    Response,
    Survey,
    SurveyText,
    SurveyUpdate,
    utcnow,
)
from surveys.publication import RESULTS_PUBLISHED

Texts = dict[str, dict[str, str]]

# Survey-level text keys, in the order a resident meets them. The notice of
# collection carries what MFIPPA s. 29(2) requires: the purpose, the legal
# authority, and whom to contact with questions.
SURVEY_TEXT_KEYS = (
    "title",
    "description",
    "notice.purpose",
    "notice.authority",
    "notice.contact",
    "thanks",
)
# Keys of the texts of the updates on a survey's results page (surveys.updates).
UPDATE_KEY_PREFIX = "update."


def mark_changed(survey: Survey) -> None:
    """Record that the survey's content or settings changed (what caches key on).

    Every builder write calls it through ``_mark_changed_surveys``: each worker keeps
    the surveys residents open keyed by id and ``updated_at`` (``engage.respond.cache``).
    """
    survey.updated_at = utcnow()


@event.listens_for(OrmSession, "before_flush")
def _mark_changed_surveys(session: OrmSession, _context, _instances) -> None:
    """Bump ``updated_at`` of every survey whose row, questions, choices or texts change."""
    survey_ids: set[int | None] = set()
    with session.no_autoflush:
        for row in chain(session.new, session.dirty, session.deleted):
            if isinstance(row, Survey):
                if row.id is not None and session.is_modified(row):
                    survey_ids.add(row.id)
                continue
            if not isinstance(row, (SurveyText, Question, Choice)):
                continue
            unchanged = row not in session.new and row not in session.deleted
            if unchanged and not session.is_modified(row):
                continue
            if isinstance(row, Choice):
                row = row.question or session.get(Question, row.question_id)
                if row is None:
                    continue
            owner = getattr(row, "survey", None)
            survey_ids.add(row.survey_id or (owner.id if owner else None))
        survey_ids.discard(None)
        for survey_id in survey_ids:
            survey = session.get(Survey, survey_id)
            if survey is not None and survey not in session.deleted:
                mark_changed(survey)


def label_key(question_name: str) -> str:
    """Return the text key of a question's label."""
    return f"q.{question_name}.label"


def hint_key(question_name: str) -> str:
    """Return the text key of a question's hint."""
    return f"q.{question_name}.hint"


def choice_key(question_name: str, choice_name: str) -> str:
    """Return the text key of a choice's label."""
    return f"c.{question_name}.{choice_name}"


def question_from_definition(definition: QuestionDefinition, position: int) -> Question:
    """Build a ``Question`` row (with its choices) from a definition, texts excluded."""
    return Question(
        position=position,
        name=definition.name,
        kind=definition.kind,
        required=definition.required,
        allow_prefer_not=definition.allow_prefer_not,
        dimension=definition.dimension,
        settings=dict(definition.settings),
        relevant=definition.relevant.to_dict() if definition.relevant else None,
        choices=[
            Choice(position=index, name=choice.name)
            for index, choice in enumerate(definition.choices)
        ],
    )


def question_texts(definition: QuestionDefinition) -> dict[str, dict[str, str]]:
    """Return the texts of one question definition keyed like ``SurveyText.key``."""
    texts: dict[str, dict[str, str]] = {label_key(definition.name): dict(definition.label)}
    if definition.hint:
        texts[hint_key(definition.name)] = dict(definition.hint)
    for choice in definition.choices:
        texts[choice_key(definition.name, choice.name)] = dict(choice.label)
    return texts


def set_texts(session: Session, survey: Survey, texts: Texts) -> None:
    """Insert or replace survey texts; an empty string removes that translation."""
    existing = {
        (row.key, row.language): row
        for row in session.exec(select(SurveyText).where(SurveyText.survey_id == survey.id))
    }
    for key, by_language in texts.items():
        for language, text in by_language.items():
            row = existing.get((key, language))
            text = (text or "").strip()
            if row and not text:
                session.delete(row)
            elif row:
                row.text = text
            elif text:
                session.add(SurveyText(survey_id=survey.id, key=key, language=language, text=text))
    session.flush()


def load_texts(session: Session, survey_id: int) -> Texts:
    """Return all texts of a survey as ``{key: {language: text}}`` in one query."""
    texts: Texts = defaultdict(dict)
    rows = session.exec(select(SurveyText).where(SurveyText.survey_id == survey_id))
    for row in rows:
        texts[row.key][row.language] = row.text
    return dict(texts)


def load_titles(session: Session, survey_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Return the titles of these surveys as ``{survey_id: {language: text}}`` in one query."""
    titles: dict[int, dict[str, str]] = defaultdict(dict)
    ids = list(survey_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(SurveyText.survey_id, SurveyText.language, SurveyText.text).where(
            SurveyText.key == "title", SurveyText.survey_id.in_(ids)
        )
    )
    for survey_id, language, text in rows:
        titles[survey_id][language] = text
    return dict(titles)


def add_question(
    session: Session, survey: Survey, definition: QuestionDefinition, position: int | None = None
) -> Question:
    """Append (or insert at ``position``) a question with its texts."""
    if position is None:
        position = len(survey.questions)
    for question in survey.questions:
        if question.position >= position:
            question.position += 1
    question = question_from_definition(definition, position)
    question.survey_id = survey.id
    survey.questions.append(question)
    session.flush()
    set_texts(session, survey, question_texts(definition))
    return question


def save_definition(
    session: Session, definition: SurveyDefinition, *, status: str = SURVEY_DRAFT
) -> Survey:
    """Create a survey, its questions, choices and texts from a definition (not committed)."""
    survey = Survey(
        slug=definition.slug,
        status=status,
        default_language=definition.default_language,
        languages=list(definition.languages),
    )
    session.add(survey)
    session.flush()
    texts: Texts = {"title": dict(definition.title)}
    if definition.description:
        texts["description"] = dict(definition.description)
    for position, question_definition in enumerate(definition.questions):
        question = question_from_definition(question_definition, position)
        question.survey_id = survey.id
        survey.questions.append(question)
        texts.update(question_texts(question_definition))
    session.flush()
    set_texts(session, survey, texts)
    return survey


def to_definition(session: Session, survey: Survey) -> SurveyDefinition:
    """Rebuild the plain definition of a stored survey (for export and duplication)."""
    texts = load_texts(session, survey.id)
    questions = []
    for question in survey.questions:
        questions.append(
            QuestionDefinition(
                name=question.name,
                kind=question.kind,
                label=texts.get(label_key(question.name), {}),
                hint=texts.get(hint_key(question.name), {}),
                required=question.required,
                choices=tuple(
                    ChoiceDefinition(
                        name=choice.name,
                        label=texts.get(choice_key(question.name, choice.name), {}),
                    )
                    for choice in question.choices
                ),
                settings=dict(question.settings or {}),
                relevant=Condition.from_dict(question.relevant),
                allow_prefer_not=question.allow_prefer_not,
                dimension=question.dimension,
            )
        )
    return SurveyDefinition(
        slug=survey.slug,
        default_language=survey.default_language,
        languages=tuple(survey.languages),
        title=texts.get("title", {}),
        description=texts.get("description", {}),
        questions=tuple(questions),
    )


def survey_by_slug(session: Session, slug: str) -> Survey | None:
    """Return the survey with this slug, or None."""
    return session.exec(select(Survey).where(Survey.slug == slug)).first()


def question_text_keys(question: Question | QuestionDefinition) -> list[str]:
    """Return a question's text keys: label, hint, then each choice in order."""
    return [label_key(question.name), hint_key(question.name)] + [
        choice_key(question.name, choice.name) for choice in question.choices
    ]


def update_title_key(update_id: int) -> str:
    """Return the text key of a results page update's title."""
    return f"{UPDATE_KEY_PREFIX}{update_id}.title"


def update_body_key(update_id: int) -> str:
    """Return the text key of a results page update's text."""
    return f"{UPDATE_KEY_PREFIX}{update_id}.body"


def text_keys(survey: Survey) -> list[str]:
    """Return every text key of a survey in reading order (survey texts, questions, updates).

    The updates' texts are listed when the survey is in a session (the builder's pages).
    """
    keys = list(SURVEY_TEXT_KEYS)
    for question in survey.questions:
        keys += question_text_keys(question)
    session = object_session(survey)
    if session is not None and survey.id is not None:
        update_ids = session.execute(
            select(SurveyUpdate.id)
            .where(SurveyUpdate.survey_id == survey.id)
            .order_by(SurveyUpdate.posted_on, SurveyUpdate.id)
        ).scalars()
        for update_id in update_ids:
            keys += [update_title_key(update_id), update_body_key(update_id)]
    return keys


def delete_texts(session: Session, survey: Survey, keys: Iterable[str]) -> None:
    """Delete the texts with these keys in every language."""
    keys = set(keys)
    if not keys:
        return
    for row in session.exec(
        select(SurveyText).where(SurveyText.survey_id == survey.id, SurveyText.key.in_(keys))
    ):
        session.delete(row)
    session.flush()


def rename_texts(session: Session, survey: Survey, renames: Mapping[str, str]) -> None:
    """Move texts from old keys to new keys (for a renamed question), every language."""
    if not renames:
        return
    rows = session.exec(
        select(SurveyText).where(
            SurveyText.survey_id == survey.id, SurveyText.key.in_(list(renames))
        )
    ).all()
    old_keys = {row.id: row.key for row in rows}
    # Two steps, so that swapping keys never trips the unique (survey, key, language).
    for row in rows:
        row.key = f"renaming.{row.id}"
    session.flush()
    for row in rows:
        row.key = renames[old_keys[row.id]]
    session.flush()


def answered_question_ids(session: Session, survey_id: int) -> set[int]:
    """Return the ids of a survey's questions that hold data: answers, tallies or group notes.

    The builder locks these questions' kind, name and choice names, and refuses to
    delete them, so that stored answers keep their meaning.
    """
    question_ids = select(Question.id).where(Question.survey_id == survey_id)
    answered: set[int] = set()
    for table in (Answer, GroupTally, GroupDemographic, GroupFeedback):
        answered.update(
            session.exec(
                select(table.question_id).where(table.question_id.in_(question_ids)).distinct()
            )
        )
    answered.discard(None)
    return answered


def response_counts(session: Session) -> dict[int, int]:
    """Return the number of responses of each survey that has any, in one query."""
    rows = session.exec(
        select(Response.survey_id, func.count(Response.id)).group_by(Response.survey_id)
    )
    return {survey_id: count for survey_id, count in rows}


def copy_survey(session: Session, survey: Survey, slug: str) -> Survey:
    """Create a draft copy of ``survey`` under ``slug``: questions, texts and settings."""
    definition = to_definition(session, survey)
    copy = save_definition(
        session,
        SurveyDefinition(
            slug=slug,
            default_language=definition.default_language,
            languages=definition.languages,
            title=definition.title,
            description=definition.description,
            questions=definition.questions,
        ),
    )
    copy.settings = dict(survey.settings or {})
    # A copy has no results yet: staff publish its results page when it has some.
    copy.settings.pop(RESULTS_PUBLISHED, None)
    # The definition carries titles and questions; notices and thanks come along here
    # (not the results page's updates: they are about the original's results).
    texts = load_texts(session, survey.id)
    set_texts(
        session,
        copy,
        {key: text for key, text in texts.items() if not key.startswith(UPDATE_KEY_PREFIX)},
    )
    return copy
