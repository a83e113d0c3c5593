"""Weighted figures: raking to the benchmark margins, reported beside the unweighted ones.

Weights come from ``analysis.weighting.rake_cells`` (iterative proportional
fitting, Deming and Stephan 1940). The design effect of weighting and each
question's effective sample size are Kish's (Kish 1965, Survey Sampling):
n * sum(w^2) / sum(w)^2 and sum(w)^2 / sum(w^2); weighted rates get a Wilson
95% interval on the effective sample size.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.population import survey_population
from analysis.report.outcomes import overall_row
from analysis.report.shapes import Weighted, WeightedQuestion
from analysis.report.tables import NO_ANSWER_NAME, ReportTables
from analysis.stats import wilson_interval
from analysis.weighting import rake_cells
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.report_records import QuestionInfo


def weighted(tables: ReportTables) -> Weighted | None:
    """Return the weighted section, or None when the settings weight on nothing."""
    data = tables.data
    dimensions = tuple(tables.settings.weighting_dimensions)
    if not dimensions or data.weighting_cells is None:
        return None
    usable, left_out = [], {}
    for key in dimensions:
        info = data.dimensions.get(key)
        if info is None:
            left_out[key] = "not_a_dimension"
        elif info.multi_select:
            left_out[key] = "multi_select"
        elif not survey_population(data.benchmarks.get(key, {}), info).groups:
            left_out[key] = "no_benchmark"
        else:
            usable.append(key)
    if not usable:
        return Weighted("raking", (), None, None, None, None, None, left_out, {}, {}, ())
    positions = [dimensions.index(key) for key in usable]
    cells: dict[tuple, int] = {}
    for combination, count in data.weighting_cells.items():
        key = tuple(combination[p] for p in positions)
        cells[key] = cells.get(key, 0) + count
    # Rake to the survey's population: benchmark groups it did not ask are left out.
    margins = {
        key: survey_population(data.benchmarks[key], data.dimensions[key]).groups for key in usable
    }
    raked = rake_cells(cells, usable, margins)
    weight_of = raked.weights
    total = sum(cells.values())
    squares = sum(count * weight_of[key] ** 2 for key, count in cells.items())
    questions = []
    for name in tables.outcome_questions:
        question = data.questions[name]
        if question.multi_select:
            continue
        weighted_counts: dict[str, float] = {}
        ess_sum = ess_squares = 0.0
        for (combination, choice), count in (data.weighting_outcomes or {}).get(name, {}).items():
            key = tuple(combination[p] for p in positions)
            weight = weight_of.get(key, 1.0)
            weighted_counts[choice] = weighted_counts.get(choice, 0.0) + weight * count
            if choice not in (None, PREFER_NOT_TO_ANSWER):
                ess_sum += weight * count
                ess_squares += weight * weight * count
        questions.append(
            _weighted_question(tables, question, weighted_counts, ess_sum, ess_squares)
        )
    values = [weight_of[key] for key, count in cells.items() if count]
    return Weighted(
        method="raking",
        dimensions=tuple(usable),
        converged=raked.converged,
        iterations=raked.iterations,
        max_share_error=raked.max_share_error,
        design_effect=total * squares / total**2 if total else None,
        weight_range=(min(values), max(values)) if values else None,
        left_out=left_out,
        empty_groups=raked.empty_groups,
        unbenchmarked_groups=raked.unbenchmarked_groups,
        questions=tuple(questions),
    )


def _weighted_question(
    tables: ReportTables,
    question: QuestionInfo,
    weighted_counts: Mapping[str, float],
    ess_sum: float,
    ess_squares: float,
) -> WeightedQuestion:
    """Return one question's figures unweighted and weighted (shown only if the unweighted are)."""
    overall = overall_row(tables, question)
    substantive = [
        c.choice
        for c in overall.distribution
        if c.choice not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
    ]
    shown = not overall.suppressed and overall.n
    weighted_n = sum(weighted_counts.get(c, 0.0) for c in substantive)
    distribution = {c.choice: c.share for c in overall.distribution if c.choice in substantive}
    weighted_distribution: dict[str, float | None] = dict.fromkeys(substantive)
    rate = mean = ci = effective_n = None
    if shown and weighted_n:
        weighted_distribution = {c: weighted_counts.get(c, 0.0) / weighted_n for c in substantive}
        effective_n = ess_sum**2 / ess_squares if ess_squares else None
        if question.favourable:
            rate = sum(weighted_distribution[c] for c in substantive if c in question.favourable)
            if effective_n:
                ci = wilson_interval(rate * effective_n, effective_n)
        if question.scores:
            scored = [
                (question.scores[c], weighted_distribution[c])
                for c in substantive
                if c in question.scores
            ]
            weight = sum(share for _, share in scored)
            mean = sum(score * share for score, share in scored) / weight if weight else None
    return WeightedQuestion(
        question=question.name,
        n=overall.n,
        suppressed=not shown,
        rate=overall.rate,
        weighted_rate=rate,
        weighted_ci=ci,
        mean=overall.mean,
        weighted_mean=mean,
        effective_n=effective_n,
        distribution=distribution,
        weighted_distribution=weighted_distribution,
    )
