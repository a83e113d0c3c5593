"""One JSON line per request on stderr (``JSON_LOGS``), with a request id; the server's name.

Under gunicorn, stderr is its error log (``deploy/gunicorn.conf.py`` turns the lines
on and gunicorn's own access log off). A line holds no personal information: no
address, no user agent, no query string, no form, and the route's pattern instead of
the path (``/s/<slug>``, ``/auth/set-password/<token>``: a path can carry a secret
link). The client's address is left out too: an IP address can identify a person (Office
of the Privacy Commissioner of Canada, "What an IP Address Can Reveal About You", 2013;
R. v. Spencer, 2014 SCC 43), which makes it "recorded information about an identifiable
individual", personal information under MFIPPA s. 2(1).

The request id is the ``X-Request-Id`` a proxy sent (nginx's ``$request_id``) when it
looks like one, else a new one; the response carries it back so that a line in nginx's
log, the app's and a resident's report of a problem can be matched. ``SERVER_LABEL``
names this server in each line and in an ``X-Engage-Server`` header (both off unless set).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, current_app, g, request

REQUEST_ID_HEADER = "X-Request-Id"
SERVER_HEADER = "X-Engage-Server"
# What a request id a proxy sends may look like: nginx's is 32 hex digits, others use
# UUIDs. Anything else (too long, spaces, quotes, control characters) gets a new id.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

log = logging.getLogger("engage.requests")


class StderrHandler(logging.Handler):
    """Write each record's message as one line to the stderr of the moment."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def init_app(app: Flask) -> None:
    """Time and id every request; log it as JSON and name the server when configured."""
    app.config.setdefault("JSON_LOGS", False)
    app.config.setdefault("SERVER_LABEL", "")
    if app.config["JSON_LOGS"] and not log.handlers:
        log.addHandler(StderrHandler())
        log.setLevel(logging.INFO)
        log.propagate = False  # once on stderr, not again through the root logger
    app.before_request(start_request)
    app.after_request(finish_request)


def request_id() -> str:
    """Return this request's id: the proxy's when it looks like one, else a new one."""
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def start_request() -> None:
    """Start the request's clock."""
    g.request_started = time.perf_counter()


def finish_request(response):
    """Log the request as one JSON line; add the request id and the server's name."""
    config = current_app.config
    label = config["SERVER_LABEL"]
    if label:
        response.headers[SERVER_HEADER] = label
    if not config["JSON_LOGS"]:
        return response
    started = g.get("request_started")
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": request_id(),
        "server": label or None,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "duration_ms": round(1000 * (time.perf_counter() - started), 1) if started else None,
    }
    log.info(json.dumps(line, separators=(",", ":")))
    response.headers[REQUEST_ID_HEADER] = line["request_id"]
    return response
