"""Read and write XLSForm workbooks (the ODK/Kobo spreadsheet format) as ``SurveyDefinition``.

Import follows the XLSForm specification (https://xlsform.org) for the constructs
Engage supports and skips the rest with an ``ImportWarning`` naming sheet, row and
construct, so one odd row never blocks an import. Where the format has no place for
something Engage stores, export uses columns that ODK tools ignore and import reads
back, so that export then import gives an equal definition:

- survey sheet: ``dimension`` (an equity dimension key, or ``yes`` for the question
  name) and ``allow_prefer_not`` (for questions without a choice list);
- settings sheet: ``translated_title::<language>`` (pyxform fails on a translated
  ``form_title``, so the plain one holds the default language) and
  ``description::<language>``;
- ``appearance`` ``likert`` on a ``select_one`` marks a Likert question (ODK Collect
  draws the same appearance as a Likert scale);
- "Prefer not to answer" is the ordinary choice ``prefer_not_to_answer``;
- staff's favourable choices: choices sheet ``favourable`` (yes/true/1 or no/false/0 per
  choice, any letter case; once a list has one filled cell, an empty cell means no; a list
  with none filled keeps the kind's default, the top two of a Likert scale), and for a
  ``range``, which has no choice list, survey sheet ``favourable``: its points separated
  by spaces, or ``no`` for none. Export writes what is stored, so import gives it back.
- staff's analysis switch of a free-text question: survey sheet ``analyse`` (no for a
  name or postal code field that is not a comment; yes or empty: analysed). The text
  question that ``or_other`` adds starts switched off: it names an option, not an opinion.

Choices about meaning, made once here:

- ``select_one L or_other`` becomes the choice ``other`` plus a short-text question
  ``<name>_other`` shown when ``other`` is chosen, as ODK itself does.
- ``selected(${q}, 'x')`` and ``${q} = 'x'`` both become ``equals``; for a
  multiple-choice question ``equals`` means "x is among the answers".
- A group becomes a section heading; its ``relevant`` goes on the heading and on every
  question inside that has none of its own (in XLSForm it hides them all).
  Export writes a section's condition on the group, so it then hides the section's
  questions too.
- Settings with no XLSForm column (other than those above) are not exported.

Modules: ``reader`` (sheets and columns as plain data), ``language_columns``,
``question_types`` (the ``type`` cell), ``expressions`` (``relevant`` and
``constraint``), ``importer`` and ``question_rows`` (to a ``SurveyDefinition``,
with warnings), ``writer`` (export).
"""

from surveys.xlsform.importer import ImportResult, ImportWarning, read_xlsform
from surveys.xlsform.reader import WorkbookLimits, XLSFormError
from surveys.xlsform.writer import write_xlsform

__all__ = [
    "ImportResult",
    "ImportWarning",
    "WorkbookLimits",
    "XLSFormError",
    "read_xlsform",
    "write_xlsform",
]
