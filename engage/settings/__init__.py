"""A survey's analysis settings: staff choose how its reports compare, weight, withhold and quote.

Per survey (``Survey.settings``, read by ``engage.survey_reports.report_settings``
and ``surveys.report_records.QuoteConsent``): the geography of its population
benchmarks, the reference group of each dimension, the dimensions weighting
rakes to, the disclosure policy and minimum cell size, and who may be quoted.
Shared by every survey: the population benchmarks themselves (uploaded as the
``engage benchmarks import`` CSV, or corrected figure by figure).

Staff and administrators only. Like the builder, every change is a small form
posted to its own address, checked completely first, written in one transaction
with an audit event (old and new values), and followed by dropping the kept
reports, so the next dashboard shows it. A refused change re-renders the page
with each message next to its field and a summary at the top (status 400).
"""

from engage.settings import benchmarks, views  # noqa: F401  (each module registers its routes)
from engage.settings.blueprint import bp

__all__ = ["bp"]
