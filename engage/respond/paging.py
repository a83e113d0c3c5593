"""A survey split into pages by section, and which pages and questions are shown."""

from __future__ import annotations

from surveys.logic import condition_of, is_relevant
from surveys.models import Question
from surveys.questions import question_type


def split_pages(questions: list[Question]) -> list[list[Question]]:
    """Split the questions into pages: each section heading starts a new page."""
    pages: list[list[Question]] = [[]]
    for question in questions:
        if question_type(question.kind).starts_section and pages[-1]:
            pages.append([])
        pages[-1].append(question)
    return [page for page in pages if page]


def page_is_shown(page: list[Question], visible: set[str]) -> bool:
    """A page is shown when any question or note on it is visible (headings do not count)."""
    return any(q.name in visible for q in page if not question_type(q.kind).starts_section)


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
