"""Downloads: responses with provenance, report tables, open data and the one-file HTML report.

One module per format; every CSV and XLSX cell passes through
``surveys.formula_guard.neutralise``. Privacy rules, whatever the format:

- Contact details (``response_contacts``) are never read here.
- Group feedback text comes only from ``surveys.intake.quotable_feedback``,
  which leaves out sessions whose participants asked not to be quoted.
- Report tables come from the suppressed report only, so no withheld count
  reaches a file.
- Open data holds no record-level rows at all: suppressed aggregate tables,
  a data dictionary, and free text only when the survey's settings publish
  comments (``open_data_comments``) and the quoting rule allows each one.
"""
