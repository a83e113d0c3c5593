"""The data dictionary: every question and choice text in every language, with its codes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.intake import paper_numbering
from surveys.models import CHANNELS, Survey
from surveys.publication import results_published
from surveys.store import choice_key, hint_key, label_key

if TYPE_CHECKING:
    from analysis.report import Report

DICTIONARY_COLUMNS = (
    "item",
    "question",
    "number",
    "kind",
    "dimension",
    "choice",
    "code",
    "language",
    "text",
)


def survey_languages(survey: Survey, texts: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Return the survey's languages, default first, plus any a text is written in."""
    found = [survey.default_language, *survey.languages]
    for by_language in texts.values():
        found.extend(by_language)
    return list(dict.fromkeys(found))


def dictionary_rows(survey: Survey, texts: Mapping[str, Mapping[str, str]]) -> Iterator[list]:
    """Yield the dictionary of questions and codes: every text in every language.

    Numbers and option codes are the paper form's (``surveys.intake.paper_numbering``),
    so a printed form, keyed entries and open data all agree.
    """
    languages = survey_languages(survey, texts)
    for item in paper_numbering(survey.questions):
        if item.number is None:
            continue
        question = item.question
        for language in languages:
            for key, kind in (
                (label_key(question.name), "question"),
                (hint_key(question.name), "hint"),
            ):
                text = texts.get(key, {}).get(language)
                if text:
                    yield [
                        kind,
                        question.name,
                        item.number,
                        question.kind,
                        question.dimension,
                        None,
                        None,
                        language,
                        text,
                    ]
        for option in item.options:
            for language in languages:
                text = texts.get(choice_key(question.name, option.name), {}).get(language)
                if option.name == PREFER_NOT_TO_ANSWER and not text:
                    text = "Prefer not to answer" if language == languages[0] else None
                if text or language == languages[0]:
                    yield [
                        "choice",
                        question.name,
                        item.number,
                        question.kind,
                        question.dimension,
                        option.name,
                        option.code,
                        language,
                        text,
                    ]


def data_dictionary(
    survey: Survey,
    texts: Mapping[str, Mapping[str, str]],
    files: Mapping[str, str],
    channel_names: Mapping[str, str],
    report: Report,
    results_page: str | None = None,
) -> dict:
    """Return the data dictionary as JSON values: survey, files, questions, channels, codes.

    ``results_page`` is the survey's public results page, where residents read what was
    heard and what is being done (it answers once staff publish it).
    """
    from analysis.report import report_dict

    languages = survey_languages(survey, texts)
    data = report_dict(report)
    settings = data["settings"]
    questions = []
    for item in paper_numbering(survey.questions):
        if item.number is None:
            continue
        question = item.question
        questions.append(
            {
                "name": question.name,
                "number": item.number,
                "kind": question.kind,
                "dimension": question.dimension,
                "text": dict(texts.get(label_key(question.name), {})),
                "hint": dict(texts.get(hint_key(question.name), {})),
                "choices": [
                    {
                        "name": option.name,
                        "code": option.code,
                        "text": dict(texts.get(choice_key(question.name, option.name), {})),
                    }
                    for option in item.options
                ],
            }
        )
    return {
        "survey": {
            "slug": survey.slug,
            "title": dict(texts.get("title", {})),
            "default_language": survey.default_language,
            "languages": languages,
            "results_page": results_page,
            "results_published": results_published(survey),
        },
        "files": [{"name": name, "description": text} for name, text in files.items()],
        "questions": questions,
        "channels": [
            {"name": name, "text": str(channel_names.get(name, name))} for name in CHANNELS
        ],
        "codes": {
            PREFER_NOT_TO_ANSWER: "The respondent chose not to answer.",
            "no_answer": "The respondent left the question unanswered (or did not see it).",
            "not_asked": (
                "representation.csv: a population benchmark group the survey does not ask (for "
                "example under 18 in an adults' survey), with its population; it is left out "
                "of the population shares."
            ),
            "suppressed": (
                "true when a figure is withheld under the disclosure policy below (survey "
                "estimates: a group's answers when fewer than min_cell respondents gave them; "
                "counts: counts from 1 to min_cell - 1 and the fewest others that could reveal "
                "them). Withheld values are empty."
            ),
            "low_reliability": (
                "true when an estimate's 95% interval is at least 30 percentage points wide, or "
                "over 5 points wide and wider than 1.3 times the estimate (NCHS standards for "
                "proportions): read it with care."
            ),
        },
        "disclosure": disclosure_description(data["disclosure"]),
        "min_cell": settings["min_cell"],
        "under_representation_below": settings["under_representation_below"],
        "over_representation_above": settings["over_representation_above"],
        "confidence_level": settings["confidence_level"],
        "reference_groups": settings["reference_groups"],
        "scored_languages": settings["scored_languages"],
    }


def disclosure_description(disclosure: Mapping) -> dict:
    """Return the report's disclosure policy as open data describes it (plain English)."""
    return {
        "policy": disclosure["policy"],
        "title": disclosure["title"],
        "group_sessions_policy": disclosure["group_sessions_policy"],
        "min_cell": disclosure["min_cell"],
        "random_rounding": disclosure["random_rounding"],
        "rounding_base": disclosure["rounding_base"],
        "statements": [
            statement["message"] % statement["params"]
            if statement["params"]
            else statement["message"]
            for statement in disclosure["statements"]
        ],
        "documentation": "docs/disclosure.md in the Engage source",
    }
