"""Dashboard figures: Plotly chart specs, data tables and one-sentence summaries of a report.

One module per dashboard section (``totals``, ``representation``, ``outcomes``,
``differences``, ``sentiment``, ``intersections``, ``group_sessions``, ``quotes``),
the shared figure and table types in ``figures``, and ``dashboard.build_dashboard``,
which puts them together. Everything reads the report as plain JSON values
(``analysis.report.report_dict``) and returns small dataclasses the templates render.
A chart and its table are built from the same rows, so they always show the same
numbers; a withheld count is drawn as "suppressed", never as a bar. Charts use Okabe
and Ito's palette, which stays distinct under the common colour-vision deficiencies,
and never rely on colour alone: bars carry outlines, patterns tell series apart, flags
and the reference group are written out in words.
"""
