"""What the settings pages show of a survey: its dimensions, groups, questions and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.population import SurveyPopulation, survey_population
from engage import db
from engage.reports.dashboard import interface_tag
from engage.survey_reports import titled_labels
from surveys import aggregates
from surveys.models import Survey
from surveys.questions import question_type
from surveys.report_records import DimensionInfo, QuestionInfo
from surveys.report_structure import dimension_infos, outcome_names, question_infos


@dataclass(frozen=True)
class Dimension:
    """An equity dimension with its labels and its population in the survey's area."""

    info: DimensionInfo
    label: str
    groups: tuple[tuple[str, str], ...]  # (name, label), in the question's order
    population: SurveyPopulation

    @property
    def key(self) -> str:
        return self.info.key

    @property
    def can_weight(self) -> bool:
        """Return whether raking can use it: one group per respondent, and population figures."""
        return not self.info.multi_select and bool(self.population.groups)


@dataclass(frozen=True)
class SurveyContext:
    """A survey as its settings pages show it, labelled in the interface language."""

    survey: Survey
    title: str
    language: str
    area: str
    labels: dict[str, str]
    questions: dict[str, QuestionInfo]
    dimensions: dict[str, Dimension]

    def question_label(self, name: str) -> str:
        """Return a question's label, or its name."""
        return self.labels.get(f"q.{name}.label") or name

    def choice_label(self, question: str, choice: str) -> str:
        """Return a choice's label, or its name."""
        return self.labels.get(f"c.{question}.{choice}") or choice

    def group_label(self, dimension: str, group: str) -> str:
        """Return a group's label, or its name (a benchmark group not asked has no label)."""
        return self.labels.get(f"g.{dimension}.{group}") or group

    @property
    def outcome_questions(self) -> list[QuestionInfo]:
        """Return the closed questions compared across groups (they have favourable answers)."""
        return [self.questions[name] for name in outcome_names(self.questions)]

    @property
    def consent_questions(self) -> list[QuestionInfo]:
        """Return the questions that may ask for consent to quote: single choice, not dimensions."""
        return [
            info
            for info in self.questions.values()
            if _one_of_own_options(info.kind) and not info.dimension
        ]


def _one_of_own_options(kind: str) -> bool:
    """Return whether a kind answers with one of options staff wrote (a single choice)."""
    question = question_type(kind)
    return question.editable_choices and not question.multi_select


def survey_context(survey: Survey) -> SurveyContext:
    """Return the survey's questions, dimensions and their populations, labelled."""
    session = db.get_session()
    language = interface_tag()
    questions = question_infos(survey)
    infos = dimension_infos(survey)
    labels = titled_labels(
        aggregates.labels(session, survey, language, questions, infos), infos, language
    )
    area = aggregates.survey_benchmark_area(survey)
    figures = aggregates.benchmarks(session, list(infos), area)
    dimensions = {
        key: Dimension(
            info=info,
            label=labels.get(f"d.{key}") or key,
            groups=tuple((group, labels.get(f"g.{key}.{group}") or group) for group in info.groups),
            population=survey_population(figures.get(key, {}), info),
        )
        for key, info in infos.items()
    }
    return SurveyContext(
        survey=survey,
        title=labels.get("title") or survey.slug,
        language=language,
        area=area,
        labels=labels,
        questions=questions,
        dimensions=dimensions,
    )
