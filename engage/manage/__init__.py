"""Staff survey builder: create, edit, translate, preview, publish; XLSForm import and export.

Each page works without JavaScript: every change is a small form posted to its own
address. A change is checked completely first and written in one transaction; a
refused change re-renders the page with each message next to its field and a
summary at the top (status 400). Questions that hold data (answers, group tallies,
group notes) are locked: their kind, name and choice names stay as they are and
they cannot be deleted, so that stored answers keep their meaning. The server
enforces this whatever the form sends; the page says so next to the question.

The blueprint is defined in ``blueprint`` so that the view modules can import it
without importing this package first; importing them here registers their routes.
"""

from engage.manage import (  # noqa: F401  (each view module registers its routes on bp)
    choices,
    conditions,
    languages,
    question_settings,
    questions,
    results,
    surveys,
    translations,
)
from engage.manage.blueprint import bp

__all__ = ["bp"]
