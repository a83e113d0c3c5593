"""A report as JSON, or as CSV: every table flattened, one row per figure, named by ``table``.

Both are built from the suppressed report only, so a withheld count can
never reach a file. Text cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are
prefixed with an apostrophe; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from analysis.report import Report, report_dict
from surveys.formula_guard import neutralise

CSV_COLUMNS = (
    "table",
    "question",
    "dimension",
    "group",
    "kind",
    "label",
    "by_dimension",
    "by_group",
    "choice",
    "n",
    "suppressed",
    "share",
    "rate",
    "ci_low",
    "ci_high",
    "mean",
    "index",
    "index_ci_low",
    "index_ci_high",
    "rate_difference",
    "population",
    "population_share",
    "flag",
    "reference_group",
    "test",
    "p_value",
    "p_adjusted",
    "value",
    "note",
    "text",
    "language",
    "speaker",
    "polarity",
    "source",
)


def to_json(report: Report) -> str:
    """Return the report as JSON (no NaN); compact, so that the fast C encoder writes it."""
    return json.dumps(report_dict(report), ensure_ascii=False, allow_nan=False) + "\n"


def to_csv(report: Report) -> str:
    """Return every table of the report in one CSV."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _cell(value):
    """Return a CSV cell: booleans as true/false, formula-like text neutralised."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return neutralise(value)


def _ci(ci, prefix: str = "ci") -> dict:
    if not ci:
        return {}
    return {f"{prefix}_low": ci[0], f"{prefix}_high": ci[1]}


def csv_rows(report: Report) -> Iterator[dict]:
    """Yield the report's figures as flat rows keyed by ``CSV_COLUMNS``."""
    data = report_dict(report)
    for key, value in data["settings"].items():
        yield {"table": "settings", "label": key, "value": json.dumps(value, ensure_ascii=False)}
    yield from _disclosure_rows(data["disclosure"])
    totals = data["totals"]
    yield {
        "table": "totals",
        "dimension": "respondents",
        "n": totals["respondents"],
        "suppressed": totals["suppressed"],
    }
    for name in ("by_channel", "by_language", "by_area", "by_day"):
        for row in totals[name]:
            yield {"table": f"totals_{name}", **_count(row)}
    for table in data["representation"]:
        for row in table["rows"]:
            yield {
                "table": "representation",
                **_count(row),
                **_ci(row["ci"]),
                **_ci(row["index_ci"], "index_ci"),
                "population": row["population"],
                "population_share": row["population_share"],
                "index": row["index"],
                "flag": row["flag"],
                "note": table["note"],
            }
    for table in data["answers"]:
        yield from _answer_rows(table)
    for table in data["outcomes"]:
        common = {
            "question": table["question"],
            "reference_group": table["reference_group"],
            "note": table["note"],
        }
        for row in [table["overall"], *table["rows"]]:
            yield {
                "table": "outcome_rates",
                **common,
                **_count(row),
                "rate": row["rate"],
                **_ci(row["ci"]),
                "mean": row["mean"],
                "index": row["index"],
                "rate_difference": row["rate_difference"],
                "test": row["test"],
                "p_value": row["p_value"],
                "p_adjusted": row["p_adjusted"],
            }
            yield from _distribution_rows("outcome_distribution", common, row)
        test = table["test"]
        yield {
            "table": "outcome_tests",
            **common,
            "dimension": test["dimension"],
            "test": test["test"],
            "p_value": test["p_value"],
            "p_adjusted": test["p_adjusted"],
            "value": " ".join(test["groups"]),
            "note": test["reason"],
        }
    for table in data["intersections"]:
        for row in table["rows"]:
            yield {"table": "intersections", **row, "note": table["note"]}
    sentiment = data["sentiment"]
    for name in ("by_question", "by_group", "by_channel", "by_language", "labelled_by"):
        for row in sentiment[name]:
            for label, count in row["counts"].items():
                yield {
                    "table": f"sentiment_{name}",
                    "question": row["question"],
                    "dimension": row["dimension"],
                    "group": row["group"],
                    "label": row["label"],
                    "choice": label,
                    "n": count,
                    "suppressed": count is None,
                    "share": row["shares"].get(label),
                }
    for name in ("most_positive", "most_negative"):
        for quote in sentiment[name]:
            yield _quote(f"sentiment_{name}", quote)
    yield from _theme_rows(data["themes"])
    weighted = data["weighted"]
    if weighted:
        for question in weighted["questions"]:
            yield {
                "table": "weighted",
                "question": question["question"],
                "n": question["n"],
                "suppressed": question["suppressed"],
                "rate": question["weighted_rate"],
                **_ci(question["weighted_ci"]),
                "mean": question["weighted_mean"],
                "value": question["effective_n"],
                "note": "unweighted rate " + json.dumps(question["rate"]),
            }
    sessions = data["group_sessions"]
    yield {
        "table": "group_sessions",
        "dimension": "participants",
        "n": sessions["participants"],
        "suppressed": sessions["participants_suppressed"],
        "value": sessions["sessions"],
    }
    for name in ("tallies", "demographics", "sentiment"):
        for row in sessions[name]:
            yield {"table": f"group_session_{name}", **_count(row)}
    for row in sessions.get("labelled_by", ()):
        for source, count in row["counts"].items():
            yield {
                "table": "group_session_labelled_by",
                "question": row["question"],
                "dimension": row["dimension"],
                "group": row["group"],
                "choice": source,
                "n": count,
                "suppressed": count is None,
            }
    for quote in sessions["quotes"]:
        yield _quote("group_session_quotes", quote)
    combined = data["combined"]
    if combined:
        for name in ("representation", "distribution"):
            for row in combined[name]:
                yield {"table": f"combined_{name}", **_count(row), "note": combined["label"]}


def _answer_rows(table: dict) -> Iterator[dict]:
    """Yield a closed question's figures over all respondents, then its answers by choice."""
    row = table["overall"]
    yield {
        "table": "answers",
        "question": table["question"],
        "dimension": row["dimension"],
        "group": row["group"],
        "kind": row["kind"],
        "label": table["label"],
        "n": row["n"],
        "suppressed": row["suppressed"],
        "rate": row["rate"],
        **_ci(row["ci"]),
        "mean": row["mean"],
    }
    yield from _distribution_rows("answers_distribution", {"question": table["question"]}, row)


def _distribution_rows(name: str, common: dict, row: dict) -> Iterator[dict]:
    """Yield a row's answers by choice (an outcome table's group, or all respondents)."""
    for choice in row["distribution"]:
        yield {
            "table": name,
            **common,
            "dimension": row["dimension"],
            "group": row["group"],
            "kind": row["kind"],
            "choice": choice["choice"],
            "label": choice["label"],
            "n": choice["n"],
            "suppressed": choice["suppressed"],
            "share": choice["share"],
        }


def _theme_rows(themes: dict) -> Iterator[dict]:
    """Yield each theme (its top terms in ``text``), then its counts by group and channel."""
    for theme in themes["themes"]:
        yield {
            "table": "themes",
            "question": theme["question"],
            "choice": theme["theme"],
            "label": theme["label"],
            "n": theme["n"],
            "suppressed": theme["suppressed"],
            "text": ", ".join(theme["terms"]),
            "language": theme["language"],
        }
    for name in ("by_group", "by_channel"):
        for row in themes[name]:
            for theme, count in row["counts"].items():
                yield {
                    "table": f"themes_{name}",
                    "question": row["question"],
                    "dimension": row["dimension"],
                    "group": row["group"],
                    "label": row["label"],
                    "choice": theme,
                    "n": count,
                    "suppressed": count is None,
                    "share": row["shares"].get(theme),
                }


def _count(row: dict) -> dict:
    return {
        "dimension": row["dimension"],
        "group": row["group"],
        "kind": row["kind"],
        "label": row["label"],
        "n": row["n"],
        "suppressed": row["suppressed"],
        "share": row.get("share"),
    }


def _quote(table: str, quote: dict) -> dict:
    return {
        "table": table,
        "question": quote["question"],
        "choice": quote["sentiment"],
        "text": quote["text"],
        "language": quote["language"],
        "speaker": quote["speaker"],
        "polarity": quote["polarity"],
        "source": quote["source"],
    }


def _disclosure_rows(disclosure: dict) -> Iterator[dict]:
    """Yield the disclosure policy followed and each sentence of its reasoning (in English)."""
    for key in ("policy", "group_sessions_policy", "min_cell", "random_rounding"):
        yield {"table": "disclosure", "label": key, "value": json.dumps(disclosure[key])}
    for statement in disclosure["statements"]:
        params = statement["params"]
        text = statement["message"] % params if params else statement["message"]
        yield {"table": "disclosure", "label": "statement", "text": text}
