"""Marker for user-facing messages raised by the survey domain.

``surveys`` must not import Flask, so it cannot translate. Messages are written as
``N_("Choose %(max)s options at most.")``: ``pybabel extract`` finds them through
the ``N_`` keyword (see ``babel.cfg``) and the web layer translates them with
Flask-Babel, filling in ``%(name)s`` placeholders from the error's params.
"""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction and return it unchanged."""
    return message
