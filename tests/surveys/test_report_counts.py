"""Kept report counts: always equal to the answers grouped afresh."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from report_support import (
    add_responses,
    choice_question,
    comment,
    grouped_rows_afresh,
    kept_counts,
    likert,
    make_survey,
    rating,
)
from sqlalchemy import delete, func, insert, update
from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from surveys import aggregates, counting, kept_rebuild, report_counts
from surveys.aggregates import Filters, Options, collect
from surveys.definition import PREFER_NOT_TO_ANSWER, SurveyDefinition
from surveys.demographics import WASHINGTON_GROUP_QUESTIONS
from surveys.models import (
    Answer,
    AuditEvent,
    Question,
    ReportCount,
    Response,
    ResponseFacts,
    Survey,
)
from surveys.questions import question_type
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission
from surveys.store import save_definition

COMMENTS = ["The bus is terrible.", "Great drivers, thank you.", "Le service est mauvais.", ""]


@pytest.fixture
def survey(session):
    """Every kind of dimension (one question, select all, two questions, derived) and outcome."""
    return make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("race", ["black", "white", "asian"], dimension="race", multiple=True),
            choice_question("home", ["english", "punjabi"], dimension="language"),
            choice_question("second_home", ["english", "tamil"], dimension="language"),
            *WASHINGTON_GROUP_QUESTIONS[:2],
            likert("safe"),
            rating("overall"),
            choice_question("modes", ["bus", "train", "walk"], multiple=True),
            comment("why"),
        ],
        settings={"quote_comments": True},
    )


def random_answers(rng: random.Random, survey: Survey) -> dict[str, list[str]]:
    """Return a plausible form: some questions skipped, some prefer-not, several choices."""
    raw: dict[str, list[str]] = {}
    for question in survey.questions:
        roll = rng.random()
        if roll < 0.15:
            continue
        if question.kind == "long_text":
            raw[question.name] = [rng.choice(COMMENTS)]
        elif question.kind == "rating":
            raw[question.name] = [str(rng.randint(1, 5))]
        else:
            names = list(question_type(question.kind).choice_names(question))
            if roll < 0.2 and PREFER_NOT_TO_ANSWER in names:
                raw[question.name] = [PREFER_NOT_TO_ANSWER]
            elif question.kind == "multiple_choice":
                options = [name for name in names if name != PREFER_NOT_TO_ANSWER]
                raw[question.name] = rng.sample(options, rng.randint(1, 2))
            else:
                raw[question.name] = [rng.choice(names)]
    return raw


def submit(session: Session, survey: Survey, raw, *, seed: int, commit: bool = True) -> Response:
    """Store one validated response as the resident pages do."""
    validated = validate_submission(survey.questions, raw)
    assert validated.is_valid, validated.errors
    response, created = record_response(
        session,
        survey,
        validated.answers,
        Provenance(
            channel=random.Random(seed).choice(["web", "paper", "phone"]),
            language=random.Random(seed).choice(["en", "fr"]),
            idempotency_key=f"counts-{seed}",
            collected_at=datetime(2025, 6, 1, 23, 30, tzinfo=UTC) + timedelta(hours=seed),
        ),
        cutoffs=SentimentCutoffs(),
        commit=commit,
    )
    assert created
    return response


def test_kept_counts_equal_the_grouped_answers_after_many_submissions(session, survey):
    rng = random.Random(7)
    report_counts.kept_rows(session, survey, Filters())  # counting starts on an empty survey
    for seed in range(120):
        submit(session, survey, random_answers(rng, survey), seed=seed)

    expected = grouped_rows_afresh(session, survey)
    assert kept_counts(session, survey) == expected
    # The survey exercises every kind of row, so the comparison above covers them.
    assert {name[0] for name, rows in expected.items() if rows} == report_counts.KEPT_STATEMENTS
    assert expected[("representation", "disability")]
    assert len(expected[("representation", "race")]) >= 3


def kept_age_rows(session, survey) -> list[int]:
    """Return the kept (folded) counts of the outcomes-by-age-band rows."""
    return session.exec(
        select(ReportCount.count).where(
            ReportCount.survey_id == survey.id, ReportCount.query == '["outcomes","age_band"]'
        )
    ).all()


def pending_ids(session, survey) -> list[int]:
    """Return the responses whose facts wait to be folded into the kept counts."""
    return session.exec(
        select(ResponseFacts.response_id).where(ResponseFacts.pending_survey_id == survey.id)
    ).all()


def test_a_submission_waits_as_facts_and_the_next_reader_folds_it_in_once(session, survey):
    report_counts.kept_rows(session, survey, Filters())
    response = submit(session, survey, {"age": ["young"], "safe": ["agree"]}, seed=1)

    # The submission stored its facts, marked pending, and wrote no kept row.
    assert kept_age_rows(session, survey) == []
    assert pending_ids(session, survey) == [response.id]
    safe = next(question.id for question in survey.questions if question.name == "safe")

    rows = report_counts.kept_rows(session, survey, Filters())
    assert (safe, "young", "agree", None, 1) in rows[("outcomes", "age_band")]
    session.expire_all()
    assert kept_age_rows(session, survey) == [1]
    assert pending_ids(session, survey) == []

    # Read again: folded once, not counted a second time.
    again = report_counts.kept_rows(session, survey, Filters())
    assert again == rows
    assert kept_age_rows(session, survey) == [1]


def test_a_reader_counts_pending_responses_a_fold_could_not_take(session, survey, monkeypatch):
    report_counts.kept_rows(session, survey, Filters())
    for seed in range(3):
        submit(session, survey, {"age": ["old"], "safe": ["agree"]}, seed=seed)
    monkeypatch.setattr(report_counts, "fold", lambda *args: 0)  # another writer held the lock

    assert kept_counts(session, survey)[("respondents",)] == {(): 3}
    assert len(pending_ids(session, survey)) == 3
    assert report_counts.trusted(session, survey)
    assert report_counts.differences(session, survey) == []


def test_correcting_a_pending_response_replaces_its_facts_and_keeps_it_pending(session, survey):
    report_counts.kept_rows(session, survey, Filters())
    folded = submit(session, survey, {"age": ["young"], "safe": ["agree"]}, seed=1)
    report_counts.kept_rows(session, survey, Filters())
    waiting = submit(session, survey, {"age": ["young"], "safe": ["agree"]}, seed=2)

    for response in (folded, waiting):
        with report_counts.recounting(session, survey, [response.id]):
            session.execute(
                update(Answer)
                .where(Answer.response_id == response.id, Answer.choice == "young")
                .values(choice="old")
            )
    session.commit()

    assert pending_ids(session, survey) == [waiting.id]
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)
    assert pending_ids(session, survey) == []
    assert report_counts.differences(session, survey) == []


def test_a_report_from_kept_counts_is_the_report_from_the_answers(session, survey):
    rng = random.Random(11)
    for seed in range(60):
        submit(session, survey, random_answers(rng, survey), seed=seed)

    from_answers = collect(session, survey, Filters(), Options())
    from_counts = collect(
        session, survey, Filters(), Options(), report_counts.kept_rows(session, survey, Filters())
    )

    assert from_counts == from_answers


def test_a_filtered_report_groups_the_answers(session, survey):
    assert report_counts.kept_rows(session, survey, Filters(channels=("web",))) is None


def test_a_new_dimension_question_makes_the_counts_rebuild(session, survey):
    rng = random.Random(3)
    for seed in range(30):
        submit(session, survey, random_answers(rng, survey), seed=seed)
    report_counts.kept_rows(session, survey, Filters())

    question = session.exec(
        select(Question).where(Question.survey_id == survey.id, Question.name == "modes")
    ).one()
    question.dimension = "travel"
    session.commit()
    session.refresh(survey)

    counted = kept_counts(session, survey)
    assert ("representation", "travel") in counted
    assert counted == grouped_rows_afresh(session, survey)


def test_responses_written_around_the_app_make_the_counts_rebuild(session, survey):
    submit(session, survey, {"age": ["old"], "safe": ["agree"]}, seed=1)
    report_counts.kept_rows(session, survey, Filters())
    # A bulk load (like the benchmark's) inserts rows directly.
    response_id = session.execute(
        insert(Response)
        .values(
            survey_id=survey.id,
            public_id="bulk-1",
            channel="paper",
            language="en",
            idempotency_key="bulk-1",
            status="submitted",
            submitted_at=datetime(2025, 6, 3, tzinfo=UTC),
            collected_at=datetime(2025, 6, 3, tzinfo=UTC),
        )
        .returning(Response.id)
    ).scalar()
    age = next(q for q in survey.questions if q.name == "age")
    session.execute(
        insert(Answer).values(response_id=response_id, question_id=age.id, choice="young")
    )
    session.commit()

    counted = kept_counts(session, survey)
    assert counted[("respondents",)] == {(): 2}
    assert counted == grouped_rows_afresh(session, survey)


def test_a_failed_submission_leaves_the_counts_as_they_were(session, survey):
    submit(session, survey, {"age": ["old"]}, seed=1)
    before = kept_counts(session, survey)
    submit(session, survey, {"age": ["young"]}, seed=2, commit=False)
    session.rollback()

    assert kept_counts(session, survey) == before


def test_concurrent_submissions_and_a_rebuild_lose_no_count(app, session, survey):
    engine = app.extensions["engage.engine"]
    rng = random.Random(5)
    forms = [random_answers(rng, survey) for _ in range(40)]
    errors: list[BaseException] = []

    def writer(first: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                mine = own.get(Survey, survey.id)
                for seed in range(first, len(forms), 4):
                    submit(own, mine, forms[seed], seed=seed)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    def rebuilder() -> None:
        try:
            with Session(engine) as own:
                mine = own.get(Survey, survey.id)
                report_counts.forget(own, survey.id)
                own.commit()
                report_counts.kept_rows(own, mine, Filters())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(first,)) for first in range(4)]
    threads.append(threading.Thread(target=rebuilder))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    count = session.execute(select(func.count()).where(Response.survey_id == survey.id)).scalar()
    assert count == 40
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)


def test_readers_folding_while_residents_submit_and_a_broker_corrects_lose_no_count(
    app, session, survey
):
    """Folds, submissions and corrections interleave; every response is counted once."""
    engine = app.extensions["engage.engine"]
    rng = random.Random(23)
    early = [submit(session, survey, random_answers(rng, survey), seed=s) for s in range(8)]
    report_counts.kept_rows(session, survey, Filters())
    forms = [random_answers(rng, survey) for _ in range(40)]
    errors: list[BaseException] = []
    done = threading.Event()
    folded = []

    def writer(first: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                mine = own.get(Survey, survey.id)
                for seed in range(100 + first, 100 + len(forms), 2):
                    submit(own, mine, forms[seed - 100], seed=seed)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    def corrector() -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                mine = own.get(Survey, survey.id)
                for response in early:
                    with report_counts.recounting(own, mine, [response.id]):
                        own.execute(
                            delete(Answer).where(
                                Answer.response_id == response.id,
                                Answer.question_id == mine.questions[0].id,
                            )
                        )
                    own.commit()
        except BaseException as error:
            errors.append(error)

    def reader() -> None:
        try:
            while not done.is_set():
                with Session(engine) as own:
                    rows = report_counts.kept_rows(own, own.get(Survey, survey.id), Filters())
                    folded.append(rows[("respondents",)])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(first,)) for first in range(2)]
    threads.append(threading.Thread(target=corrector))
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads + readers:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()

    assert not errors
    assert len(folded) > 1
    # Every read saw whole responses: between the 8 before and the 48 after.
    assert all(8 <= rows[0][-1] <= 48 for rows in folded)
    assert report_counts.trusted(session, survey)
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)
    assert pending_ids(session, survey) == []
    assert report_counts.differences(session, survey) == []


def test_each_survey_keeps_its_own_counts(session, survey):
    other = save_definition(
        session,
        SurveyDefinition(
            slug="other",
            default_language="en",
            languages=("en",),
            title={"en": "Other"},
            questions=(choice_question("age", ["young", "old"], dimension="age_band"),),
        ),
        status="open",
    )
    session.commit()
    submit(session, survey, {"age": ["old"]}, seed=1)
    submit(session, other, {"age": ["young"]}, seed=2)

    assert kept_counts(session, survey)[("representation", "age_band")] == {("old",): 1}
    assert kept_counts(session, other)[("representation", "age_band")] == {("young",): 1}


def test_kept_filtered_and_rebuilt_counts_are_one_counting(session, survey):
    rng = random.Random(13)
    report_counts.kept_rows(session, survey, Filters())
    for seed in range(80):
        submit(session, survey, random_answers(rng, survey), seed=seed)
    label_some_comments(session, survey, rng)
    weighted = Options(weighting_dimensions=("age_band", "race"))
    kept = aggregates.counted_rows(
        session, survey, Filters(), weighted, report_counts.kept_rows(session, survey, Filters())
    )
    # A filter that leaves every response in: the same rows, counted in one pass now.
    everyone = Filters(start=datetime(2000, 1, 1).date())
    shape = counting.survey_shape(survey, weighted.weighting_dimensions)
    filtered = counting.rows_by_statement(
        counting.count(session, survey, shape, everyone), counting.statement_names(shape)
    )
    report_counts.forget(session, survey.id)
    session.commit()
    rebuilt = aggregates.counted_rows(
        session, survey, Filters(), weighted, report_counts.kept_rows(session, survey, Filters())
    )

    def as_sets(rows):
        return {name: sorted(values, key=repr) for name, values in rows.items()}

    assert as_sets(kept) == as_sets(filtered) == as_sets(rebuilt)
    assert kept[("intersection", "age_band", "disability")]
    assert kept[("weighting", "cells")]
    assert {row[2] for row in kept[("sentiment", "labelled_by")]} == {"person", "method"}


def label_some_comments(session: Session, survey: Survey, rng: random.Random) -> None:
    """Staff label a third of the comments (a correction or a confirmation), as overrides do."""
    comments = session.exec(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey.id, Answer.text.is_not(None))
        .order_by(Answer.id)
    ).all()
    for answer in rng.sample(comments, len(comments) // 3):
        with report_counts.recounting(session, survey, [answer.response_id]):
            answer.sentiment_override = rng.choice(
                [answer.sentiment_label or "neutral", "negative", "positive"]
            )
            session.add(answer)
        session.commit()


def test_a_wide_filter_is_the_kept_counts_less_the_responses_it_leaves_out(
    session, survey, monkeypatch
):
    """A filter covering most responses counts the rest and subtracts: the same rows."""
    rng = random.Random(29)
    report_counts.kept_rows(session, survey, Filters())
    for seed in range(90):
        response = submit(session, survey, random_answers(rng, survey), seed=seed)
        # A third without an area: unknown against an area filter, so left out by it.
        response.area = f"ward_{seed % 4}" if seed % 3 else None
        session.add(response)
    session.commit()
    report_counts.forget(session, survey.id)  # areas were set around the app
    session.commit()
    report_counts.kept_rows(session, survey, Filters())
    direct = counting.count
    passes: list[bool] = []

    def counted(*args, **kwargs):
        passes.append(kwargs.get("outside", False))
        return direct(*args, **kwargs)

    monkeypatch.setattr(report_counts, "count", counted)
    june = datetime(2025, 6, 1).date()
    taken: set[bool] = set()
    for weighting in ((), report_counts.kept_shape(survey).weighting):
        shape = counting.survey_shape(survey, weighting)
        for filters in (
            Filters(channels=("web", "paper")),
            Filters(channels=("phone",)),
            Filters(languages=("en",), channels=("web", "paper", "phone")),
            Filters(areas=("ward_0", "ward_1", "ward_2", "ward_3")),
            Filters(areas=("ward_1",)),
            Filters(start=june, end=june + timedelta(days=3)),
            Filters(start=june + timedelta(days=1)),
        ):
            passes.clear()
            found = report_counts.filtered_count(session, survey, shape, filters)
            assert found == direct(session, survey, shape, filters), filters
            assert all(value > 0 for value in found.values())
            covered = direct(session, survey, shape, filters)[(("respondents",), ())]
            assert passes == [2 * covered > 90], (filters, passes)
            taken.update(passes)
    assert taken == {True, False}  # the rest subtracted, and the covered responses counted


def test_residents_submit_while_a_rebuild_counts(app, session, survey, monkeypatch):
    """The rebuild reads a snapshot without the write lock; what arrives meanwhile is counted."""
    rng = random.Random(17)
    for seed in range(30):
        submit(session, survey, random_answers(rng, survey), seed=seed)
    report_counts.forget(session, survey.id)
    session.commit()
    engine = app.extensions["engage.engine"]
    counting_started, submitted = threading.Event(), threading.Event()
    read = report_counts.stored_responses

    def slow_read(connection, survey_id, shape, *args, **kwargs):
        for position, item in enumerate(read(connection, survey_id, shape, *args, **kwargs)):
            if position == 5 and not kwargs.get("response_ids"):
                counting_started.set()
                assert submitted.wait(30), "a submission waited for the rebuild"
            yield item

    monkeypatch.setattr(kept_rebuild, "stored_responses", slow_read)
    errors: list[BaseException] = []

    def rebuilder() -> None:
        try:
            with Session(engine) as own:
                assert report_counts.rebuild(own, own.get(Survey, survey.id))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    thread = threading.Thread(target=rebuilder)
    thread.start()
    assert counting_started.wait(30)
    with Session(engine, expire_on_commit=False) as own:
        for seed in range(100, 105):
            submit(own, own.get(Survey, survey.id), random_answers(rng, survey), seed=seed)
    submitted.set()
    thread.join(60)

    assert not errors
    assert report_counts.trusted(session, survey)
    counted = kept_counts(session, survey)
    assert counted[("respondents",)] == {(): 35}
    assert counted == grouped_rows_afresh(session, survey)


def test_a_correction_while_a_rebuild_counts_is_not_lost(app, session, survey, monkeypatch):
    rng = random.Random(19)
    stored = [submit(session, survey, random_answers(rng, survey), seed=seed) for seed in range(20)]
    report_counts.forget(session, survey.id)
    session.commit()
    engine = app.extensions["engage.engine"]
    paused, corrected = threading.Event(), threading.Event()
    read = report_counts.stored_responses

    def slow_read(connection, survey_id, shape, *args, **kwargs):
        for position, item in enumerate(read(connection, survey_id, shape, *args, **kwargs)):
            if position == 3 and not kwargs.get("response_ids") and not paused.is_set():
                paused.set()
                assert corrected.wait(30)
            yield item

    monkeypatch.setattr(kept_rebuild, "stored_responses", slow_read)
    thread = threading.Thread(
        target=lambda: report_counts.rebuild(session, session.get(Survey, survey.id))
    )
    with Session(engine) as own:
        thread.start()
        assert paused.wait(30)
        mine = own.get(Survey, survey.id)
        age = next(q for q in mine.questions if q.name == "age")
        # A broker's correction: the answer changes and the change is audited.
        with report_counts.recounting(own, mine, [stored[0].id]):
            own.exec(
                delete(Answer).where(
                    Answer.response_id == stored[0].id, Answer.question_id == age.id
                )
            )
            own.add(Answer(response_id=stored[0].id, question_id=age.id, choice="old"))
        own.add(AuditEvent(action="correct", entity="response", entity_id="1", survey_id=mine.id))
        own.commit()
    corrected.set()
    thread.join(60)

    assert report_counts.trusted(session, survey)
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)


def test_a_filtered_count_reads_each_responses_facts_or_else_its_answers(session, survey):
    rng = random.Random(23)
    for seed in range(40):
        submit(session, survey, random_answers(rng, survey), seed=seed)
    everyone = Filters(start=datetime(2000, 1, 1).date())
    shape = report_counts.kept_shape(survey)
    assert session.exec(select(func.count()).select_from(ResponseFacts)).one() == 40
    from_facts = counting.count(session, survey, shape, everyone)

    half = select(Response.id).where(Response.id % 2 == 0)
    session.exec(delete(ResponseFacts).where(ResponseFacts.response_id.in_(half)))
    session.commit()

    assert counting.count(session, survey, shape, everyone) == from_facts
    assert counting.count(session, survey, shape, everyone, use_facts=False) == from_facts


def test_counts_check_finds_facts_changed_around_the_app_and_a_rebuild_mends_them(session, survey):
    for seed in range(12):
        submit(session, survey, {"age": ["old"], "why": ["The bus is terrible."]}, seed=seed)
    report_counts.kept_rows(session, survey, Filters())
    assert report_counts.differences(session, survey) == []
    # A label changed without report_counts.recounting: kept rows and facts both miss it.
    session.exec(
        update(Answer).where(Answer.text.is_not(None)).values(sentiment_override="positive")
    )
    session.commit()

    assert ("sentiment", "question") in report_counts.differences(session, survey)
    report_counts.forget(session, survey.id)
    session.commit()
    assert report_counts.rebuild(session, survey)
    assert report_counts.differences(session, survey) == []


def test_choice_names_that_look_like_the_facts_encoding_are_counted_exactly(session):
    """Facts are read by splitting their JSON text; a name that the split would cut is not."""
    odd = ["a],[b", 'say "hi"', "back\\slash", "plain"]
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("pick", odd),
            choice_question("many", odd, multiple=True),
        ],
    )
    forms = [
        {"age": ["young"], "pick": ["a],[b"], "many": ["a],[b", 'say "hi"']},
        {"age": ["young"], "pick": ['say "hi"'], "many": ["back\\slash"]},
        {"age": ["old"], "pick": ["a],[b"], "many": ["a],[b"]},
        {"age": ["old"], "pick": ["plain"]},
    ]
    for seed, form in enumerate(forms):
        submit(session, survey, form, seed=seed)

    rows = counting.count(session, survey, report_counts.kept_shape(survey), Filters())
    ids = {question.name: question.id for question in survey.questions}
    pick, many = ids["pick"], ids["many"]
    assert rows[(("distribution",), (pick, "a],[b", None))] == 2
    assert rows[(("distribution",), (pick, 'say "hi"', None))] == 1
    assert rows[(("distribution",), (many, "a],[b", None))] == 2
    assert rows[(("distribution",), (many, "back\\slash", None))] == 1
    assert rows[(("outcomes", "age_band"), (pick, "young", "a],[b", None))] == 1
    assert rows[(("answered",), (many,))] == 3


def test_comments_labelled_by_a_person_count_apart_from_the_methods_labels(session):
    survey = make_survey(session, [comment("why")], slug="labels")
    add_responses(session, survey, {"why": "The bus is terrible."}, 2)
    add_responses(session, survey, {"why": "ਬੱਸ ਬਹੁਤ ਮਾੜੀ ਹੈ।"}, 2, language="pa")
    report_counts.kept_rows(session, survey, Filters())
    confirmed, scored, labelled, unscored = session.exec(select(Answer).order_by(Answer.id)).all()
    assert (confirmed.sentiment_label, labelled.sentiment_label) == ("negative", None)
    for answer, label in ((confirmed, "negative"), (labelled, "negative")):
        with report_counts.recounting(session, survey, [answer.response_id]):
            answer.sentiment_override = label
            session.add(answer)
        session.commit()

    question = survey.questions[0].id
    kept = kept_counts(session, survey)
    # The confirmed label (equal to the method's) is a person's; the unscored one is no one's.
    assert kept[("sentiment", "labelled_by")] == {
        (question, "en", "person"): 1,
        (question, "en", "method"): 1,
        (question, "pa", "person"): 1,
    }
    assert kept[("sentiment", "language")][(question, "pa", None)] == 1
    assert kept == grouped_rows_afresh(session, survey)
