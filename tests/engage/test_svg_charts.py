"""Charts drawn as inline SVG on the server (engage.charts.svg): accessible, in the reader's
language and direction, withheld values in words, no script and no request needed."""

import re
import subprocess
import sys
from pathlib import Path

from engage.charts.figures import PALETTE, Cell, Figure, Row, Table
from engage.charts.svg import figure_svg

REPO = Path(__file__).resolve().parents[2]
TABLE = Table("Numbers", ("Group", "Share"), (Row("Young", (Cell("40%"),)),))


def bars(*traces, **layout) -> Figure:
    """Return a figure of horizontal bars with these traces."""
    spec = {"data": list(traces), "layout": {"xaxis": {"tickformat": ".0%"}, **layout}}
    return Figure("answers", "Answers by age", "Young people agree more.", spec, TABLE)


def bar(name, labels, values, texts, **extra) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": labels,
        "x": values,
        "text": texts,
        **extra,
    }


def texts_of(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_a_chart_is_an_image_named_by_its_title_and_described_by_its_summary():
    figure = bars(bar("Share", ["<b>Young</b>", "Old"], [0.4, 0.2], ["40%", "20%"]))

    svg = figure_svg(figure)

    assert svg.startswith('<svg class="chart-svg" role="img"')
    assert 'aria-labelledby="chart-answers-svg-title"' in svg
    assert '<title id="chart-answers-svg-title">Answers by age</title>' in svg
    assert 'aria-describedby="chart-answers-svg-desc"' in svg
    assert '<desc id="chart-answers-svg-desc">Young people agree more.</desc>' in svg
    assert "&lt;b&gt;Young&lt;/b&gt;" in svg and "<b>" not in svg
    assert "<script" not in svg and "style=" not in svg
    assert {"40%", "20%"} <= set(texts_of(svg))


def test_drawing_needs_neither_plotly_nor_a_flask_app():
    program = (
        "import sys\n"
        "from engage.charts.figures import Figure, Table\n"
        "from engage.charts.svg import figure_svg\n"
        "spec = {'data': [{'type': 'bar', 'orientation': 'h', 'y': ['a'], 'x': [3],"
        " 'text': ['3']}], 'layout': {}}\n"
        "svg = figure_svg(Figure('k', 'T', 'S', spec, Table('c', (), ())), 'fr')\n"
        "print('plotly' in sys.modules, svg.count('<rect'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "1"]


def test_withheld_shares_and_groups_are_written_in_words():
    labels = ["All respondents", "Young", "Old"]
    figure = bars(
        bar("Agree", labels, [0.6, 0.7, 0], ["60%", "70%", ""], textposition="none"),
        bar("Disagree", labels, [0.4, 0, 0], ["40%", "", ""], textposition="none"),
        {"type": "scatter", "mode": "text", "y": ["Old"], "x": [0], "text": ["suppressed"]},
        barmode="stack",
    )

    words = texts_of(figure_svg(figure))

    assert "Disagree: suppressed" in words  # Young's disagree count is withheld
    assert "suppressed" in words  # Old is withheld whole


def test_days_withheld_are_marked_and_the_legend_says_so():
    figure = Figure(
        "over-time",
        "Responses over time",
        "…",
        {
            "data": [
                {
                    "type": "bar",
                    "name": "Responses",
                    "x": ["2025-06-02", "2025-06-05"],
                    "y": [12, 30],
                },
                {"type": "scatter", "mode": "markers", "name": "suppressed", "x": ["2025-06-03"]},
            ],
            "layout": {"xaxis": {"type": "date"}, "yaxis": {"title": {"text": "Responses"}}},
        },
        TABLE,
    )

    svg = figure_svg(figure)

    assert "suppressed" in texts_of(svg) and 'stroke-width="2"/>' in svg  # × and its name
    assert svg.count('<rect x="') == 3  # two days, and the legend's swatch
    assert "Jun 2" in texts_of(svg)


def test_series_are_told_apart_by_fill_patterns_not_colour_alone():
    labels = ["Young", "Old"]
    figure = bars(
        bar("Library", labels, [0.5, 0.4], ["50%", "40%"], marker={"color": PALETTE[0]}),
        bar(
            "Transit",
            labels,
            [0.3, 0.6],
            ["30%", "60%"],
            marker={"color": PALETTE[1], "pattern": {"shape": "/"}},
        ),
        bar(
            "Parks",
            labels,
            [0.2, 0.1],
            ["20%", "10%"],
            marker={"color": PALETTE[2], "pattern": {"shape": "x"}},
        ),
        barmode="group",
    )

    svg = figure_svg(figure)

    assert svg.count("<pattern ") == 2
    assert svg.count('fill="url(#chart-answers-p0)"') == 3  # the legend and both bars
    assert {"Library", "Transit", "Parks"} <= set(texts_of(svg))


def test_intervals_are_drawn_as_whiskers_with_the_value_beyond_them():
    figure = bars(
        bar(
            "Share",
            ["Young", "Old"],
            [0.4, 0.2],
            ["40.0%", "20.0%"],
            error_x={"array": [0.05, 0.04], "arrayminus": [0.06, 0.03]},
        )
    )

    svg = figure_svg(figure)

    # Each interval: its line and two end caps; the ticks' gridlines are lines too.
    whiskers = re.findall(r'<line [^>]*stroke="#1a1a1a" stroke-width="1.5"/>', svg)
    assert len(whiskers) == 6
    high = float(re.findall(r'<line x1="[^"]+" y1="[^"]+" x2="([^"]+)"', "".join(whiskers))[0])
    young = re.search(r'<text x="([^"]+)"[^>]*>40.0%</text>', svg)
    assert float(young.group(1)) > high


def test_right_to_left_charts_grow_from_the_right():
    figure = bars(bar("Share", ["Young", "Old"], [0.5, 0.25], ["50%", "25%"]))

    svg = figure_svg(figure, "ar")

    assert 'direction="rtl"' in svg
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    rects = re.findall(r'<rect x="([^"]+)" y="[^"]+" width="([^"]+)"', svg)
    left, length = (float(value) for value in rects[1])  # Old: half the longest
    assert left + length > width - 30 and left > width / 3


def test_numbers_and_days_are_written_in_the_reader_s_language():
    figure = bars(bar("Share", ["Jeunes"], [0.5], ["50,0 %"]))

    words = texts_of(figure_svg(figure, "fr"))

    # French writes a (no-break) space before the percent sign, as the dashboard does.
    assert "20\u00a0%" in words
    assert "20%" not in words


def test_a_heat_map_writes_every_count_and_withheld_cell():
    figure = Figure(
        "cross",
        "Age by area",
        "…",
        {
            "data": [
                {
                    "type": "heatmap",
                    "z": [[40, None], [12, 80]],
                    "x": ["North", "South"],
                    "y": ["Young", "Old"],
                    "text": [["40", "suppressed"], ["12", "80"]],
                    "colorscale": [[0, "#f7fbff"], [1, "#08306b"]],
                }
            ],
            "layout": {},
        },
        TABLE,
    )

    svg = figure_svg(figure)

    assert {"40", "suppressed", "12", "80", "North", "South", "Young", "Old"} <= set(
        re.findall(r">([^<]+)</text>", svg)
    )
    # The largest count is darkest, and written in white.
    assert re.search(r'fill="#08306b"/><text [^>]*fill="#ffffff"[^>]*>80<', svg)
