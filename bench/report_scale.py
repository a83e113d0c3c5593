"""The report at scale: 200,000 responses, about 2.4 million answers, with comments.

Generates a synthetic survey with bulk inserts (SQLite, or PostgreSQL with
COPY), then measures, each in a fresh process, the time and peak memory of

- ``raw``: the one statement a counting pass cannot do without: fetching every
  answer it reads (``surveys.counting``), nothing else;
- ``report``: the full report as ``engage report --format json`` builds it: the
  kept counts (``surveys.report_counts``, weighting cells included), the quotes,
  then suppression, statistics, weighting and JSON;
- ``raw_month`` and ``month``: the same for the report filtered to one month
  (the dashboard's most common filter), counted in one pass over its responses;
- ``rebuild``: counting the kept rows afresh from a snapshot (what a change to
  the survey's questions costs), holding no write lock;
- ``fold``: reading the kept rows when the newest ``FOLD_RESPONSES`` submissions are
  still pending (``surveys.kept_store``: a submission only stores its facts; the next
  reader folds them in). Before the clock, their part is taken out of the kept rows
  and they are marked pending, as if just submitted; the timed read folds them back,
  and the rows must come out as they were.

Usage::

    python bench/report_scale.py                      # SQLite in /tmp, 200,000 responses
    ENGAGE_BENCH_POSTGRES_URL=postgresql://engage@127.0.0.1:5440/engage_bench \\
        python bench/report_scale.py                  # and PostgreSQL as well
    python bench/report_scale.py --generate-only --database URL   # for the dashboard

The survey (slug ``report-scale``) is generated once per database and reused
by later runs; ``--fresh`` deletes and generates it again. Keep the database
out of the repository (the default SQLite file is in /tmp).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent.parent))

DEFAULT_SQLITE = "sqlite:////tmp/engage-bench/report-scale.sqlite3"
SLUG = "report-scale"
MODES = ("raw", "report", "raw_month", "month", "rebuild", "fold")
# Submissions waiting to be folded in the ``fold`` measure (a busy day of a large survey).
FOLD_RESPONSES = 5000
LIKERT_QUESTIONS = ("safe", "reliable", "affordable", "respectful", "informed")
WARDS = [f"ward_{n}" for n in range(1, 11)]
CHANNEL_WEIGHTS = {"web": 70, "paper": 15, "phone": 8, "in_person": 7}
LANGUAGE_WEIGHTS = {"en": 78, "fr": 10, "pa": 4, "ar": 3, "zh-Hans": 3, "ta": 2}

COMMENT_POOL = {
    "en": [
        "The bus service is terrible.",
        "Great buses, lovely drivers.",
        "Buses are often late and crowded in the morning.",
        "I feel safe on the new streetcars, thank you.",
        "The app is confusing and the fares are too high.",
        "Friendly staff at the community centre.",
        "Snow clearing on my street was slow and poor.",
        "Wonderful library programs for my children.",
        "Nothing to add.",
        "More benches at the stops would help older riders.",
        "The survey was easy to fill in.",
        "Awful experience at the transit office, very rude.",
    ],
    "fr": [
        "Le service est mauvais.",
        "Les chauffeurs sont très gentils.",
        "Les autobus sont souvent en retard.",
        "Excellent service à la bibliothèque.",
        "Rien à ajouter.",
    ],
    "pa": ["ਬੱਸ ਸੇਵਾ ਚੰਗੀ ਹੈ।", "ਬੱਸਾਂ ਅਕਸਰ ਦੇਰ ਨਾਲ ਆਉਂਦੀਆਂ ਹਨ।"],
    "ar": ["خدمة الحافلات جيدة.", "الحافلات مزدحمة في الصباح."],
    "zh-Hans": ["公交服务很好。", "早上公交车太挤了。"],
    "ta": ["பேருந்து சேவை நன்றாக உள்ளது."],
}


def weighted_choice(rng: random.Random, weights: dict):
    """Pick a key with probability proportional to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# ---------------------------------------------------------------------------
# Generation


def make_app(database: str):
    """Return an Engage app on ``database`` with its schema migrated."""
    from engage import create_app, db

    instance = Path("/tmp/engage-bench/instance")
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": database, "INSTANCE_PATH": str(instance)})
    db.upgrade(app.extensions["engage.engine"])
    return app


def survey_definition():
    """Return the benchmark survey: five demographic dimensions, seven outcomes, a comment."""
    from surveys.definition import (
        LIKERT,
        LONG_TEXT,
        RATING,
        SINGLE_CHOICE,
        ChoiceDefinition,
        QuestionDefinition,
        SurveyDefinition,
    )
    from surveys.demographics import AGE_BAND, GENDER, HOME_LANGUAGE, RACE, area_question

    outcomes = [
        QuestionDefinition(
            name=name,
            kind=LIKERT,
            label={"en": f"I find the service {name}.", "fr": f"Le service est {name}."},
            allow_prefer_not=True,
        )
        for name in LIKERT_QUESTIONS
    ]
    outcomes.append(
        QuestionDefinition(
            name="overall",
            kind=RATING,
            label={"en": "Overall, how would you rate the service?"},
            settings={"min": 1, "max": 5},
        )
    )
    outcomes.append(
        QuestionDefinition(
            name="main_mode",
            kind=SINGLE_CHOICE,
            label={"en": "How do you usually travel?"},
            choices=tuple(
                ChoiceDefinition(name, {"en": name.title()})
                for name in ("bus", "train", "car", "walk", "bike")
            ),
        )
    )
    comment = QuestionDefinition(
        name="comments", kind=LONG_TEXT, label={"en": "Anything else you want to tell us?"}
    )
    return SurveyDefinition(
        slug=SLUG,
        default_language="en",
        languages=("en", "fr", "pa", "ar", "zh-Hans", "ta"),
        title={"en": "Services at scale (benchmark)", "fr": "Services à grande échelle"},
        questions=(AGE_BAND, GENDER, RACE, HOME_LANGUAGE, area_question(), *outcomes, comment),
    )


def scored_pool():
    """Return the comment pool with each comment's stored sentiment (scored once here)."""
    from analysis.sentiment import SentimentCutoffs, label_with, score_comment

    pool = {}
    for language, texts in COMMENT_POOL.items():
        pool[language] = []
        for text in texts:
            sentiment = score_comment(text, language)
            if sentiment is None:
                pool[language].append((text, None, None, None))
            else:
                label = label_with(sentiment.polarity, SentimentCutoffs())
                pool[language].append((text, sentiment.polarity, sentiment.subjectivity, label))
    return pool


def generate(database: str, responses: int, fresh: bool, seed: int = 20250602) -> None:
    """Create the benchmark survey with ``responses`` responses unless it exists."""
    from sqlalchemy import func, insert, text
    from sqlmodel import Session, select

    from surveys.benchmarks import BenchmarkRow, replace_benchmarks
    from surveys.models import Response
    from surveys.store import save_definition, survey_by_slug

    app = make_app(database)
    engine = app.extensions["engage.engine"]
    with Session(engine, expire_on_commit=False) as session:
        existing = survey_by_slug(session, SLUG)
        if existing is not None and not fresh:
            count = session.exec(
                select(func.count()).select_from(Response).where(Response.survey_id == existing.id)
            ).one()
            print(f"Reusing {SLUG} ({count:,} responses) in {database}", flush=True)
            ensure_counts(engine, existing.id)
            return
        if existing is not None:
            delete_survey(session, existing.id)
        started = time.perf_counter()
        survey = save_definition(session, survey_definition(), status="open")
        survey.settings = {
            "weighting_dimensions": ["age_band", "gender", "area"],
            "reference_groups": {"race": "white"},
            "quote_comments": True,
        }
        session.commit()
        ids = {question.name: question.id for question in survey.questions}
        replace_benchmarks(session, benchmark_rows(BenchmarkRow), "synthetic, for the benchmark")
        session.commit()
        first_id = (session.exec(select(func.max(Response.id))).one() or 0) + 1
        survey_id = survey.id

    rng = random.Random(seed)
    pool = scored_pool()
    responses_table = Response.__table__
    answer_count = 0
    chunk = 10_000
    start_day = datetime(2025, 3, 1, tzinfo=UTC)
    with engine.begin() as connection:
        for offset in range(0, responses, chunk):
            response_rows, answer_rows = [], []
            for index in range(offset, min(offset + chunk, responses)):
                response_id = first_id + index
                row, answers = synthetic_response(rng, ids, pool, response_id)
                row.update(
                    id=response_id,
                    survey_id=survey_id,
                    public_id=f"bench{response_id:010d}",
                    idempotency_key=f"bench-{response_id}",
                    status="submitted",
                    collected_at=start_day
                    + timedelta(days=rng.randrange(90), seconds=rng.randrange(86400)),
                )
                row["submitted_at"] = row["collected_at"]
                response_rows.append(row)
                answer_rows.extend(answers)
            connection.execute(insert(responses_table), response_rows)
            insert_answers(connection, answer_rows)
            answer_count += len(answer_rows)
            done = min(offset + chunk, responses)
            print(f"  {done:,} responses, {answer_count:,} answers", end="\r", flush=True)
        if connection.dialect.name == "postgresql":
            sequence = "pg_get_serial_sequence('responses', 'id')"
            connection.execute(text(f"SELECT setval({sequence}, max(id)) FROM responses"))
    add_group_sessions(engine, survey_id, ids, rng)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    print(
        f"\nGenerated {responses:,} responses and {answer_count:,} answers in "
        f"{time.perf_counter() - started:.0f} s ({database})",
        flush=True,
    )
    ensure_counts(engine, survey_id)


def ensure_counts(engine, survey_id: int) -> None:
    """Count the report's kept rows (``surveys.report_counts``) unless they are current.

    The app keeps them as each response is written; the bulk load above writes
    around the app, so they are counted once from the answers, as after a
    change to the survey's questions.
    """
    from sqlmodel import Session

    from surveys import report_counts
    from surveys.models import Survey

    with Session(engine) as session:
        survey = session.get(Survey, survey_id)
        if report_counts.trusted(session, survey):
            return
        started = time.perf_counter()
        report_counts.rebuild(session, survey)
        print(
            f"Counted the report's kept rows from the answers in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )


def delete_survey(session, survey_id: int) -> None:
    """Remove the benchmark survey and everything recorded for it."""
    from sqlalchemy import text

    for statement in (
        "DELETE FROM answers WHERE response_id IN (SELECT id FROM responses WHERE survey_id = :s)",
        "DELETE FROM responses WHERE survey_id = :s",
        "DELETE FROM group_tallies WHERE session_id IN "
        "(SELECT id FROM group_sessions WHERE survey_id = :s)",
        "DELETE FROM group_demographics WHERE session_id IN "
        "(SELECT id FROM group_sessions WHERE survey_id = :s)",
        "DELETE FROM group_feedback WHERE session_id IN "
        "(SELECT id FROM group_sessions WHERE survey_id = :s)",
        "DELETE FROM group_sessions WHERE survey_id = :s",
        "DELETE FROM choices WHERE question_id IN (SELECT id FROM questions WHERE survey_id = :s)",
        "DELETE FROM questions WHERE survey_id = :s",
        "DELETE FROM survey_texts WHERE survey_id = :s",
        "DELETE FROM report_counts WHERE survey_id = :s",
        "DELETE FROM report_count_states WHERE survey_id = :s",
        "DELETE FROM surveys WHERE id = :s",
    ):
        session.exec(text(statement), params={"s": survey_id})
    session.commit()


def benchmark_rows(row_type):
    """Return synthetic population benchmarks for five dimensions."""
    figures = {
        "age_band": {
            "age_under_18": 5,
            "age_18_24": 11,
            "age_25_34": 17,
            "age_35_44": 17,
            "age_45_54": 16,
            "age_55_64": 15,
            "age_65_74": 11,
            "age_75_plus": 8,
        },
        "gender": {"man": 485, "woman": 510, "another_gender": 5},
        "race": {
            "black": 95,
            "east_asian": 80,
            "indigenous": 10,
            "latino": 25,
            "middle_eastern": 40,
            "south_asian": 320,
            "southeast_asian": 70,
            "white": 330,
            "another_race": 30,
            "total": 1000,
        },
        "area": {ward: 100 for ward in WARDS},
        "home_language": {
            "english": 60,
            "french": 3,
            "punjabi": 12,
            "urdu": 5,
            "arabic": 4,
            "chinese": 5,
            "tagalog": 3,
            "spanish": 2,
            "portuguese": 2,
            "tamil": 2,
            "indigenous_language": 1,
            "another_language": 1,
        },
    }
    rows, line = [], 1
    for dimension, groups in figures.items():
        for group, share in groups.items():
            line += 1
            rows.append(row_type(dimension, group, "", share * 1000, line))
    return rows


def synthetic_response(rng: random.Random, ids: dict, pool: dict, response_id: int):
    """Return one response row (without ids) and its answer tuples."""
    answers = []

    def choice(question: str, value: str) -> None:
        answers.append((response_id, ids[question], value, None, None, None, None, None))

    def single(question, weights, prefer_not=0.02, missing=0.03):
        roll = rng.random()
        if roll < prefer_not:
            choice(question, "prefer_not_to_answer")
            return "prefer_not_to_answer"
        if roll < prefer_not + missing:
            return None
        value = weighted_choice(rng, weights)
        choice(question, value)
        return value

    age = single(
        "age_band",
        {
            "age_under_18": 2,
            "age_18_24": 8,
            "age_25_34": 18,
            "age_35_44": 20,
            "age_45_54": 18,
            "age_55_64": 16,
            "age_65_74": 12,
            "age_75_plus": 6,
        },
    )
    single("gender", {"man": 44, "woman": 54, "another_gender": 2}, 0.01, 0.02)
    roll = rng.random()
    race_weights = {
        "black": 10,
        "east_asian": 8,
        "indigenous": 1,
        "latino": 3,
        "middle_eastern": 4,
        "south_asian": 25,
        "southeast_asian": 7,
        "white": 40,
        "another_race": 2,
    }
    races = []
    if roll < 0.03:
        choice("race", "prefer_not_to_answer")
    elif roll >= 0.07:
        races = {weighted_choice(rng, race_weights)}
        if rng.random() < 0.12:
            races.add(weighted_choice(rng, race_weights))
        for value in sorted(races):
            choice("race", value)
    single(
        "home_language",
        {
            "english": 70,
            "french": 4,
            "punjabi": 8,
            "urdu": 3,
            "arabic": 3,
            "chinese": 4,
            "tagalog": 2,
            "spanish": 2,
            "portuguese": 1,
            "tamil": 2,
            "indigenous_language": 0.2,
            "another_language": 1,
        },
        0.01,
        0.02,
    )
    ward = single("area", {ward: 10 + index for index, ward in enumerate(WARDS)}, 0.01, 0.02)
    # Experiences differ by group, so the tests have something to find.
    shift = (0.08 if "black" in races or "indigenous" in races else 0.0) + (
        0.05 if age in ("age_18_24", "age_under_18") else 0.0
    )
    for question in LIKERT_QUESTIONS:
        roll = rng.random()
        if roll < 0.01:
            choice(question, "prefer_not_to_answer")
        elif roll >= 0.04:
            choice(
                question,
                weighted_choice(
                    rng,
                    {
                        "strongly_disagree": 8 + 40 * shift,
                        "disagree": 15 + 60 * shift,
                        "neutral": 22,
                        "agree": 35 - 60 * shift,
                        "strongly_agree": 20 - 40 * shift,
                    },
                ),
            )
    if rng.random() >= 0.03:
        rating = weighted_choice(rng, {1: 6 + 30 * shift, 2: 12, 3: 25, 4: 35 - 20 * shift, 5: 22})
        answers.append((response_id, ids["overall"], None, float(rating), None, None, None, None))
    single("main_mode", {"bus": 35, "train": 15, "car": 35, "walk": 10, "bike": 5}, 0.0, 0.02)
    language = weighted_choice(rng, LANGUAGE_WEIGHTS)
    if rng.random() < 0.55:
        text, polarity, subjectivity, label = rng.choice(pool[language])
        answers.append(
            (response_id, ids["comments"], None, None, text, polarity, subjectivity, label)
        )
    row = {
        "channel": weighted_choice(rng, CHANNEL_WEIGHTS),
        "language": language,
        "area": ward if ward and ward != "prefer_not_to_answer" else None,
    }
    return row, answers


ANSWER_COLUMNS = (
    "response_id, question_id, choice, number, text, polarity, subjectivity, sentiment_label"
)


def insert_answers(connection, rows) -> None:
    """Insert answer tuples fast: COPY on PostgreSQL, executemany on SQLite."""
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY answers ({ANSWER_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    connection.exec_driver_sql(
        f"INSERT INTO answers ({ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


def add_group_sessions(engine, survey_id: int, ids: dict, rng: random.Random) -> None:
    """Add 40 group sessions with tallies, demographics and feedback."""
    from sqlmodel import Session

    from surveys.models import GroupDemographic, GroupFeedback, GroupSession, GroupTally

    with Session(engine) as session:
        for number in range(40):
            participants = rng.randint(6, 25)
            group = GroupSession(
                survey_id=survey_id,
                kind=rng.choice(("elder_circle", "focus_group", "community_meeting")),
                facilitator=f"Facilitator {number % 7}",
                held_on=date(2025, 3, 1) + timedelta(days=rng.randrange(90)),
                area=rng.choice(WARDS),
                languages=["en"],
                participants=participants,
                consent="oral",
                attribution=rng.choice(("attributed", "anonymous", "no_quote")),
            )
            session.add(group)
            session.flush()
            for question in LIKERT_QUESTIONS[:2]:
                agreed = rng.randint(0, participants)
                session.add(
                    GroupTally(
                        session_id=group.id, question_id=ids[question], choice="agree", count=agreed
                    )
                )
                session.add(
                    GroupTally(
                        session_id=group.id,
                        question_id=ids[question],
                        choice=None,
                        count=participants - agreed,
                    )
                )
            session.add(
                GroupDemographic(
                    session_id=group.id,
                    question_id=ids["age_band"],
                    choice=None,
                    count=participants,
                )
            )
            session.add(
                GroupFeedback(
                    session_id=group.id,
                    question_id=ids["comments"],
                    kind="note",
                    text="Participants asked for more frequent evening buses.",
                    polarity=0.25,
                    subjectivity=0.5,
                    sentiment_label="positive",
                )
            )
        session.commit()


# ---------------------------------------------------------------------------
# Measurement (each run in its own process)


def measure(database: str, mode: str) -> dict:
    """Time one raw or full report run; return seconds and memory in MB."""
    from sqlalchemy import func, select
    from sqlmodel import Session

    from analysis.report import build_report
    from analysis.report_formats import to_json
    from engage.survey_reports import report_settings
    from surveys import counting, report_counts
    from surveys.aggregates import Filters, Options, collect
    from surveys.models import Answer, Response
    from surveys.report_structure import filter_conditions
    from surveys.store import survey_by_slug

    app = make_app(database)
    engine = app.extensions["engage.engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        survey = survey_by_slug(session, SLUG)
        if survey is None:
            raise SystemExit(f"No benchmark survey in {database}; run without --measure first.")
        settings = report_settings(app.config, survey)
        # A web worker imports SciPy's statistics, sparse matrices and solver the first
        # time it builds a report, not when it starts (about 1.4 s): imported before
        # the clock, as by a worker that has built a report before.
        import scipy.optimize
        import scipy.sparse
        import scipy.stats  # noqa: F401

        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu_before = _cpu_seconds()
        parts: dict = {}
        started = time.perf_counter()
        month = Filters(start=date(2025, 4, 1), end=date(2025, 4, 30))
        filters = month if mode in ("raw_month", "month") else Filters()
        if mode in ("raw", "raw_month"):
            shape = counting.survey_shape(survey, settings.weighting_dimensions)
            answers, responses = Answer.__table__, Response.__table__
            statement = (
                select(
                    answers.c.response_id,
                    answers.c.question_id,
                    answers.c.choice,
                    answers.c.number,
                    answers.c.text.is_not(None),
                    func.coalesce(answers.c.sentiment_override, answers.c.sentiment_label),
                    responses.c.channel,
                    responses.c.language,
                    responses.c.area,
                    responses.c.collected_at,
                )
                .join(responses, responses.c.id == answers.c.response_id)
                .where(
                    *filter_conditions(survey.id, filters),
                    answers.c.question_id.in_(sorted(shape.counted_ids)),
                )
            )
            size = len(session.connection().execute(statement).all())
        elif mode == "fold":
            before = report_counts.kept_rows(session, survey, Filters())
            unfold_newest(session, survey, FOLD_RESPONSES)
            started = time.perf_counter()
            folded = report_counts.kept_rows(session, survey, Filters())
            size = FOLD_RESPONSES
            assert {k: Counter(v) for k, v in folded.items()} == {
                k: Counter(v) for k, v in before.items()
            }, "folding changed the kept rows"
        elif mode == "rebuild":
            report_counts.forget(session, survey.id)
            session.commit()
            assert report_counts.rebuild(session, survey)
            size = len(report_counts.differences(session, survey))
            assert size == 0
        else:
            # What survey_report does, timed in two parts: the counts, then the report.
            data = collect(
                session,
                survey,
                filters,
                Options(weighting_dimensions=settings.weighting_dimensions),
                report_counts.kept_rows(session, survey, filters),
            )
            collected = time.perf_counter()
            report = build_report(data, settings, title=data.labels.get("title"))
            size = len(to_json(report))
            parts = {
                "collect_seconds": collected - started,
                "build_seconds": time.perf_counter() - collected,
            }
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mode": mode,
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu_before,
        "max_rss_mb": peak,
        "rss_before_mb": baseline,
        "size": size,
        **parts,
    }


def unfold_newest(session, survey, count: int) -> None:
    """Take the newest ``count`` responses out of the kept rows and mark them pending."""
    from sqlalchemy import select, update

    from surveys import report_counts
    from surveys.counting import Tally
    from surveys.kept_store import add_rows, facts_table, pending_among
    from surveys.models import Response

    ids = list(
        session.execute(
            select(Response.id)
            .where(Response.survey_id == survey.id)
            .order_by(Response.id.desc())
            .limit(count)
        ).scalars()
    )
    assert not pending_among(session.connection(), ids)
    shape = report_counts.kept_shape(survey)
    tally = Tally(shape)
    found = report_counts.stored_responses(session.connection(), survey.id, shape, response_ids=ids)
    tally.add_stored(found)
    add_rows(session, survey.id, {key: -value for key, value in tally.rows().items() if value})
    session.execute(
        update(facts_table)
        .where(facts_table.c.response_id.in_(ids))
        .values(pending_survey_id=survey.id)
    )
    session.commit()


def _cpu_seconds() -> float:
    """Return this process's user and system CPU time (the database server's is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_in_subprocess(database: str, mode: str) -> dict:
    """Run ``measure`` in a fresh Python process (so peak memory is its own)."""
    result = subprocess.run(
        [sys.executable, str(HERE), "--measure", mode, "--database", database],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def benchmark(database: str, repeat: int) -> dict:
    """Measure each mode in turn, ``repeat`` times; return the medians."""
    runs: dict[str, list] = {mode: [] for mode in MODES}
    for _ in range(repeat):
        for mode in MODES:
            runs[mode].append(measure_in_subprocess(database, mode))
    summary = {}
    for mode, results in runs.items():
        summary[mode] = {
            key: statistics.median(r[key] for r in results)
            for key in ("seconds", "cpu_seconds", "collect_seconds", "build_seconds")
            if key in results[0]
        }
        summary[mode]["all_seconds"] = [round(r["seconds"], 2) for r in results]
        summary[mode]["max_rss_mb"] = max(r["max_rss_mb"] for r in results)
        summary[mode]["rss_before_mb"] = max(r["rss_before_mb"] for r in results)
    summary["load_average"] = os.getloadavg()
    summary["ratio"] = summary["report"]["seconds"] / summary["raw"]["seconds"]
    summary["month_ratio"] = summary["month"]["seconds"] / summary["raw_month"]["seconds"]
    summary["rebuild_ratio"] = summary["rebuild"]["seconds"] / summary["raw"]["seconds"]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help=f"database URL (default {DEFAULT_SQLITE})")
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="delete and regenerate the survey")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(args.database, args.measure)))
        return
    databases = [args.database] if args.database else [DEFAULT_SQLITE]
    if not args.database and os.environ.get("ENGAGE_BENCH_POSTGRES_URL"):
        databases.append(os.environ["ENGAGE_BENCH_POSTGRES_URL"])
    for database in databases:
        if database.startswith("sqlite:///"):
            Path(database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        generate(database, args.responses, args.fresh)
        if args.generate_only:
            continue
        summary = benchmark(database, args.repeat)
        name = database.split(":")[0]
        for mode in MODES:
            found = summary[mode]
            print(
                f"{name} {mode:<10} {found['seconds']:7.2f} s  "
                f"peak RSS {found['max_rss_mb']:5.0f} MB",
                flush=True,
            )
        print(
            f"{name}: report/raw {summary['ratio']:.2f}, month/raw_month "
            f"{summary['month_ratio']:.2f}, rebuild/raw {summary['rebuild_ratio']:.2f}",
            flush=True,
        )
        print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
