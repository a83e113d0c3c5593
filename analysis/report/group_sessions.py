"""Group sessions, their own source, and the combined view staff may ask for.

Notes are counted with the label a person gave them where there is one
(``surveys.stored_answers.counted_label``, as for residents' comments), and by who
labelled them, overall and per language.

Group-session counts are never added to individual ones, except in the combined
view, where a sum is withheld when either part is withheld or the sum is small.
"""

from __future__ import annotations

from collections.abc import Hashable

from analysis.report.sentiment import labelled_by_rows, quote_out
from analysis.report.shapes import Combined, CountRow, GroupSessions
from analysis.report.tables import ReportTables, kind_of, ratio
from analysis.suppression import is_small
from surveys.messages import N_

COMBINED_NOTE = N_(
    "Combined view, at staff's request: individual responses plus group-session tallies. "
    "Group-session participants are not individual respondents."
)


def group_sessions(tables: ReportTables) -> GroupSessions:
    """Return the group sessions' tallies, demographics, sentiment and quotes, as shown."""
    sessions = tables.data.group_sessions
    participants = (
        None if is_small(sessions.participants, tables.min_cell) else sessions.participants
    )
    tallies, demographics, sentiment = [], [], []
    for name in sessions.tallies:
        labels = {c: tables.choice_label(name, c) for c in tables.margins[("tally", name)].counts}
        tallies.extend(tables.count_rows(("tally", name), name, labels))
    for key in sessions.demographics:
        labels = {
            g: tables.group_label(key, g)
            for g in tables.margins[("group_demographics", key)].counts
        }
        demographics.extend(tables.count_rows(("group_demographics", key), key, labels))
    for name in sessions.sentiment:
        sentiment.extend(tables.count_rows(("group_sentiment", name), name or "", None))
    labelled_by = []
    for name in sessions.labelled_by:
        labelled_by.extend(
            labelled_by_rows(
                tables,
                name or "",
                ("group_sentiment", name, "labelled_by"),
                ("group_labelled_by_language", name),
            )
        )
    return GroupSessions(
        source="group_sessions",
        sessions=sessions.sessions,
        participants=participants,
        participants_suppressed=participants is None and sessions.participants > 0,
        by_kind=dict(sessions.by_kind),
        tallies=tuple(tallies),
        demographics=tuple(demographics),
        sentiment=tuple(sentiment),
        quotes=tuple(quote_out(quote) for quote in sessions.quotes),
        labelled_by=tuple(labelled_by),
    )


def combined(tables: ReportTables) -> Combined:
    """Add group-session counts to individual ones; withheld if either part is."""
    representation, distribution = [], []
    for key in tables.data.dimensions:
        if ("group_demographics", key) not in tables.margins:
            continue
        representation.extend(
            _combined_rows(tables, key, ("representation", key), ("group_demographics", key))
        )
    for name in tables.outcome_questions:
        if ("tally", name) not in tables.margins:
            continue
        distribution.extend(_combined_rows(tables, name, ("distribution", name), ("tally", name)))
    return Combined(COMBINED_NOTE, tuple(representation), tuple(distribution))


def _combined_rows(
    tables: ReportTables, dimension: str, individual: Hashable, group: Hashable
) -> list[CountRow]:
    """Add two one-way tables; a sum is withheld when either part is, or it is small."""
    own, theirs = tables.margins[individual].counts, tables.margins[group].counts
    own_shown = tables.shown_margins[individual].counts
    theirs_shown = tables.shown_margins[group].counts
    labels = list(dict.fromkeys([*own, *theirs]))
    counts = {label: own.get(label, 0) + theirs.get(label, 0) for label in labels}
    withheld = {
        label
        for label in labels
        if (label in own and own_shown[label] is None)
        or (label in theirs and theirs_shown[label] is None)
        or is_small(counts[label], tables.min_cell)
    }
    total = sum(counts.values())
    total_withheld = is_small(total, tables.min_cell)
    if len(withheld) + total_withheld == 1:
        # The one-way rule: a lone withheld count needs a complement.
        candidates = sorted(
            (counts[label] == 0, counts[label], index, label)
            for index, label in enumerate(labels)
            if label not in withheld
        )
        if candidates:
            withheld.add(candidates[0][3])
        else:
            total_withheld = True
    return [
        CountRow(
            dimension=dimension,
            group=label,
            kind=kind_of(label),
            label=None,
            n=None if label in withheld else counts[label],
            suppressed=label in withheld,
            share=None if label in withheld or total_withheld else ratio(counts[label], total),
        )
        for label in labels
    ]
