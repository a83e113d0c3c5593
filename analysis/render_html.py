"""A report as one plain, accessible, self-contained HTML page.

No scripts, no styles, nothing loaded from elsewhere: the file opens offline
and reads well in a screen reader (captions, header cells with scope, the
page language on ``<html>`` and on every quote in another language).
Withheld figures read "suppressed", in words, never shown by colour alone.

Interface strings are marked with ``N_`` and translated by the ``translate``
function the caller passes (the web layer's gettext); survey content (labels)
is already in the report's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape

from analysis.report import Report, report_dict
from surveys.languages import text_direction
from surveys.messages import N_

Translate = Callable[[str], str]


def render_html(report: Report, translate: Translate = lambda message: message) -> str:
    """Return the report as a complete HTML document."""
    return _Page(report_dict(report), translate).render()


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _p_value(value: float | None) -> str:
    if value is None:
        return ""
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


class _Page:
    def __init__(self, data: dict, translate: Translate) -> None:
        self.data = data
        self._ = translate
        self.parts: list[str] = []

    # -- writing -------------------------------------------------------------

    def text(self, message: str, **params) -> str:
        """Return a translated interface string, escaped, with its parameters filled in."""
        translated = self._(message)
        if params:
            translated = translated % {key: str(value) for key, value in params.items()}
        return escape(translated)

    def add(self, html: str) -> None:
        self.parts.append(html)

    def heading(self, level: int, html: str, anchor: str | None = None) -> None:
        anchor_html = f' id="{escape(anchor)}"' if anchor else ""
        self.add(f"<h{level}{anchor_html}>{html}</h{level}>")

    def table(self, caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        """Write a table; the first cell of each row is its header. Cells are HTML."""
        self.add("<table>")
        self.add(f"<caption>{caption}</caption>")
        self.add(
            "<thead><tr>"
            + "".join(f'<th scope="col">{header}</th>' for header in headers)
            + "</tr></thead><tbody>"
        )
        for row in rows:
            first, *rest = row
            self.add(
                f'<tr><th scope="row">{first}</th>'
                + "".join(f"<td>{cell}</td>" for cell in rest)
                + "</tr>"
            )
        self.add("</tbody></table>")

    def count(self, row: dict) -> str:
        return self.text(N_("suppressed")) if row["suppressed"] else escape(_number(row["n"]))

    def value(self, row_suppressed: bool, formatted: str) -> str:
        if formatted:
            return escape(formatted)
        return self.text(N_("suppressed")) if row_suppressed else ""

    def group_name(self, row: dict) -> str:
        if row.get("kind") == "prefer_not":
            return self.text(N_("Prefer not to answer"))
        if row.get("kind") == "no_answer":
            return self.text(N_("No answer"))
        return escape(row.get("label") or row["group"])

    def sentiment_group(self, row: dict) -> str:
        """Name a sentiment row: its question, then its group, channel or language."""
        kind = {"prefer_not_to_answer": "prefer_not", "no_answer": "no_answer"}.get(row["group"])
        if row["dimension"] == "question":
            return escape(row["label"] or row["question"])
        group = self.group_name({**row, "kind": kind})
        return escape(f"{row['question']} · {row['dimension']}: ") + group

    def interval(self, ci) -> str:
        if not ci:
            return ""
        return escape(f"{_percent(ci[0])} – {_percent(ci[1])}")

    # -- the page ------------------------------------------------------------------

    def render(self) -> str:
        survey = self.data["survey"]
        language = survey["language"] or "en"
        title = survey["title"] or survey["slug"]
        self.add("<!doctype html>")
        self.add(f'<html lang="{escape(language)}" dir="{text_direction(language)}">')
        self.add('<head><meta charset="utf-8">')
        self.add('<meta name="viewport" content="width=device-width, initial-scale=1">')
        self.add(f"<title>{self.text(N_('Report: %(title)s'), title=title)}</title></head>")
        self.add("<body><header>")
        self.heading(1, self.text(N_("Report: %(title)s"), title=title))
        self.add(
            "<p>"
            + self.text(N_("Generated %(when)s."), when=self.data["generated_at"])
            + "</p></header><main>"
        )
        self.settings()
        self.totals()
        self.representation()
        self.outcomes()
        self.intersections()
        self.sentiment()
        self.weighted()
        self.group_sessions()
        self.combined()
        self.add("</main></body></html>")
        return "\n".join(self.parts) + "\n"

    def settings(self) -> None:
        settings = self.data["settings"]
        self.heading(2, self.text(N_("How to read this report")), "settings")
        disclosure = self.data["disclosure"]
        self.add(
            "<p><strong>"
            + self.text(
                N_("How small numbers are protected: %(policy)s (minimum cell size: %(min)s)."),
                policy=self._(disclosure["title"]),
                min=disclosure["min_cell"],
            )
            + "</strong></p><ul>"
        )
        for statement in disclosure["statements"]:
            self.add("<li>" + self.text(statement["message"], **statement["params"]) + "</li>")
        self.add("</ul><dl>")
        items = [
            (N_("Minimum cell size"), settings["min_cell"]),
            (N_("Under-represented below index"), settings["under_representation_below"]),
            (N_("Over-represented above index"), settings["over_representation_above"]),
            (N_("Negative sentiment below polarity"), settings["sentiment_negative_below"]),
            (N_("Positive sentiment above polarity"), settings["sentiment_positive_above"]),
            (N_("Confidence intervals"), "95% (Wilson)"),
            (N_("Languages scored for sentiment"), ", ".join(settings["scored_languages"])),
            (
                N_("Reference groups"),
                ", ".join(
                    f"{dimension}: {group}"
                    for dimension, group in settings["reference_groups"].items()
                    if group
                ),
            ),
            (N_("Population benchmarks for area"), settings["benchmark_area"] or "—"),
        ]
        filters = settings["filters"]
        described = [
            f"{key}: {value if isinstance(value, str) else ', '.join(value)}"
            for key, value in filters.items()
            if value
        ]
        items.append((N_("Filters"), "; ".join(described) or "—"))
        for term, value in items:
            self.add(f"<dt>{self.text(term)}</dt><dd>{escape(str(value))}</dd>")
        self.add("</dl>")

    def totals(self) -> None:
        totals = self.data["totals"]
        self.heading(2, self.text(N_("Who responded")), "totals")
        respondents = (
            self.text(N_("suppressed"))
            if totals["suppressed"]
            else escape(_number(totals["respondents"]))
        )
        self.add(f"<p>{self.text(N_('Respondents (individual responses):'))} {respondents}</p>")
        for key, caption in (
            ("by_channel", N_("Responses by channel")),
            ("by_language", N_("Responses by language")),
            ("by_area", N_("Responses by area")),
            ("by_day", N_("Responses by day collected")),
        ):
            self.table(
                self.text(caption),
                [self.text(N_("Group")), self.text(N_("Responses")), self.text(N_("Share"))],
                (
                    [
                        self.group_name(row),
                        self.count(row),
                        self.value(row["suppressed"], _percent(row["share"])),
                    ]
                    for row in totals[key]
                ),
            )

    def representation(self) -> None:
        self.heading(2, self.text(N_("Representation")), "representation")
        for table in self.data["representation"]:
            name = escape(table["label"] or table["dimension"])
            self.heading(3, name)
            if table["multi_select"]:
                self.add(f"<p>{self.text(table['note'])}</p>")
            if not table["has_benchmark"]:
                self.add(f"<p>{self.text(N_('No population benchmark for this dimension.'))}</p>")
            self.table(
                self.text(N_("Respondents compared with the population: %(name)s"), name=name),
                [
                    self.text(N_("Group")),
                    self.text(N_("Respondents")),
                    self.text(N_("Share")),
                    self.text(N_("95% interval")),
                    self.text(N_("Population share")),
                    self.text(N_("Disproportionality index")),
                    self.text(N_("Representation")),
                ],
                (
                    [
                        self.group_name(row),
                        self.count(row),
                        self.value(row["suppressed"], _percent(row["share"])),
                        self.interval(row["ci"]),
                        escape(_percent(row["population_share"])),
                        escape(_ratio(row["index"])),
                        self.flag(row["flag"]),
                    ]
                    for row in table["rows"]
                ),
            )

    def flag(self, flag: str | None) -> str:
        names = {
            "under": N_("under-represented"),
            "over": N_("over-represented"),
            "within": N_("within thresholds"),
            "unknown": N_("no benchmark"),
            "not_asked": N_("not asked: outside the survey's population"),
        }
        return self.text(names[flag]) if flag in names else ""

    def outcomes(self) -> None:
        self.heading(2, self.text(N_("Outcomes by group")), "outcomes")
        for table in self.data["outcomes"]:
            question = escape(table["label"] or table["question"])
            self.heading(
                3,
                self.text(
                    N_("%(question)s, by %(dimension)s"),
                    question=question,
                    dimension=table["dimension"],
                ),
            )
            if table["note"]:
                self.add(f"<p>{self.text(table['note'])}</p>")
            rows = [table["overall"], *table["rows"]]
            if table["favourable"] or any(row["mean"] is not None for row in rows):
                self.add(
                    "<p>"
                    + self.text(
                        N_("Favourable answers: %(choices)s. Reference group: %(group)s."),
                        choices=", ".join(table["favourable"]) or "—",
                        group=table["reference_group"] or "—",
                    )
                    + "</p>"
                )
                self.table(
                    self.text(N_("Favourable rate by group: %(question)s"), question=question),
                    [
                        self.text(N_("Group")),
                        self.text(N_("Answered")),
                        self.text(N_("Favourable rate")),
                        self.text(N_("95% interval")),
                        self.text(N_("Mean")),
                        self.text(N_("Disparity index")),
                        self.text(N_("Rate difference")),
                    ],
                    (
                        [
                            self.text(N_("All respondents"))
                            if row["kind"] == "all"
                            else self.group_name(row),
                            self.value(row["suppressed"], _number(row["n"])),
                            self.value(row["suppressed"], _percent(row["rate"])),
                            self.interval(row["ci"]),
                            escape(_ratio(row["mean"])),
                            escape(_ratio(row["index"])),
                            escape(_percent(row["rate_difference"])),
                        ]
                        for row in rows
                    ),
                )
            choices = [choice["choice"] for choice in table["overall"]["distribution"]]
            labels = [
                self.text(N_("Prefer not to answer"))
                if c == "prefer_not_to_answer"
                else self.text(N_("No answer"))
                if c == "no_answer"
                else escape(choice["label"] or c)
                for c, choice in zip(choices, table["overall"]["distribution"], strict=True)
            ]
            self.table(
                self.text(N_("Answers by group (counts): %(question)s"), question=question),
                [self.text(N_("Group")), *labels],
                (
                    [
                        self.text(N_("All respondents"))
                        if row["kind"] == "all"
                        else self.group_name(row),
                        *(self.count(choice) for choice in row["distribution"]),
                    ]
                    for row in rows
                ),
            )
            test = table["test"]
            if test["test"] != "not_applicable":
                self.add(
                    "<p>"
                    + self.text(
                        N_("Test of independence: %(test)s, p = %(p)s."),
                        test=test["test"],
                        p=_p_value(test["p_value"]),
                    )
                    + "</p>"
                )

    def intersections(self) -> None:
        if not self.data["intersections"]:
            return
        self.heading(2, self.text(N_("Intersections")), "intersections")
        for table in self.data["intersections"]:
            self.table(
                self.text(
                    N_("Respondents by %(first)s and %(second)s"),
                    first=table["dimension"],
                    second=table["by_dimension"],
                ),
                [
                    escape(table["dimension"]),
                    escape(table["by_dimension"]),
                    self.text(N_("Respondents")),
                ],
                (
                    [escape(row["group"]), escape(row["by_group"]), self.count(row)]
                    for row in table["rows"]
                ),
            )

    def sentiment(self) -> None:
        sentiment = self.data["sentiment"]
        self.heading(2, self.text(N_("Sentiment of comments")), "sentiment")
        self.add(
            "<p>"
            + self.text(
                N_(
                    "Comments in %(languages)s are scored; comments in other languages are "
                    "counted as unscored, not as neutral."
                ),
                languages=", ".join(sentiment["scored_languages"]),
            )
            + "</p>"
        )
        headers = [
            self.text(N_("Group")),
            self.text(N_("Comments")),
            self.text(N_("Negative")),
            self.text(N_("Neutral")),
            self.text(N_("Positive")),
            self.text(N_("Unscored")),
        ]
        for key, caption in (
            ("by_question", N_("Sentiment by question")),
            ("by_group", N_("Sentiment by group")),
            ("by_channel", N_("Sentiment by channel")),
            ("by_language", N_("Sentiment by language")),
        ):
            rows = sentiment[key]
            if not rows:
                continue
            self.table(
                self.text(caption),
                headers,
                (
                    [
                        self.sentiment_group(row),
                        self.count(row),
                        *(
                            self.value(row["counts"][label] is None, _number(row["counts"][label]))
                            + (
                                f" ({_percent(row['shares'].get(label))})"
                                if row["shares"].get(label) is not None
                                else ""
                            )
                            for label in ("negative", "neutral", "positive", "unscored")
                        ),
                    ]
                    for row in rows
                ),
            )
        for key, caption in (
            ("most_positive", N_("Most positive comments")),
            ("most_negative", N_("Most negative comments")),
        ):
            self.quotes(caption, sentiment[key])

    def quotes(self, caption: str, quotes: list[dict]) -> None:
        if not quotes:
            return
        self.heading(3, self.text(caption))
        for quote in quotes:
            language = escape(quote["language"] or "")
            speaker = (
                f"<figcaption>{escape(quote['speaker'])}</figcaption>"
                if quote.get("speaker")
                else ""
            )
            direction = text_direction(quote["language"] or "en")
            self.add(
                f'<figure><blockquote lang="{language}" dir="{direction}">'
                f"<p>{escape(quote['text'])}</p></blockquote>{speaker}</figure>"
            )

    def weighted(self) -> None:
        weighted = self.data["weighted"]
        if not weighted or not weighted["questions"]:
            return
        self.heading(2, self.text(N_("Weighted to the population")), "weighted")
        self.add(
            "<p>"
            + self.text(
                N_(
                    "Raked to the population benchmarks of: %(dimensions)s. "
                    "Design effect: %(deff)s."
                ),
                dimensions=", ".join(weighted["dimensions"]),
                deff=_ratio(weighted["design_effect"]),
            )
            + "</p>"
        )
        self.table(
            self.text(N_("Favourable rate, unweighted and weighted")),
            [
                self.text(N_("Question")),
                self.text(N_("Answered")),
                self.text(N_("Unweighted rate")),
                self.text(N_("Weighted rate")),
                self.text(N_("95% interval (weighted)")),
            ],
            (
                [
                    escape(row["question"]),
                    self.value(row["suppressed"], _number(row["n"])),
                    self.value(row["suppressed"], _percent(row["rate"])),
                    self.value(row["suppressed"], _percent(row["weighted_rate"])),
                    self.interval(row["weighted_ci"]),
                ]
                for row in weighted["questions"]
            ),
        )

    def group_sessions(self) -> None:
        sessions = self.data["group_sessions"]
        self.heading(2, self.text(N_("Group sessions (a separate source)")), "group-sessions")
        participants = (
            self.text(N_("suppressed"))
            if sessions["participants_suppressed"]
            else escape(_number(sessions["participants"] or 0))
        )
        self.add(
            "<p>"
            + self.text(N_("Sessions: %(sessions)s."), sessions=sessions["sessions"])
            + " "
            + self.text(N_("Participants:"))
            + f" {participants}. "
            + self.text(N_("Participants are not added to individual respondents."))
            + "</p>"
        )
        for key, caption in (
            ("tallies", N_("Tallies of closed questions")),
            ("demographics", N_("Participants by group")),
            ("sentiment", N_("Sentiment of session feedback")),
        ):
            if sessions[key]:
                self.table(
                    self.text(caption),
                    [
                        self.text(N_("Question or dimension")),
                        self.text(N_("Group")),
                        self.text(N_("Count")),
                    ],
                    (
                        [escape(row["dimension"]), self.group_name(row), self.count(row)]
                        for row in sessions[key]
                    ),
                )
        self.quotes(N_("Quotes from group sessions"), sessions["quotes"])

    def combined(self) -> None:
        combined = self.data["combined"]
        if not combined:
            return
        self.heading(
            2, self.text(N_("Combined view: individual responses and group sessions")), "combined"
        )
        self.add(f"<p>{self.text(combined['label'])}</p>")
        for key, caption in (
            ("representation", N_("Combined counts by group")),
            ("distribution", N_("Combined answers by choice")),
        ):
            if combined[key]:
                self.table(
                    self.text(caption),
                    [
                        self.text(N_("Question or dimension")),
                        self.text(N_("Group")),
                        self.text(N_("Count")),
                    ],
                    (
                        [escape(row["dimension"]), self.group_name(row), self.count(row)]
                        for row in combined[key]
                    ),
                )
