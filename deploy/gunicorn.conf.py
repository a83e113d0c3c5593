"""gunicorn settings for one Engage app server behind nginx (deploy/nginx/engage.conf).

Run as ``gunicorn -c /opt/engage/deploy/gunicorn.conf.py`` (deploy/systemd/engage.service).
The app's settings come from ``ENGAGE_*`` variables (the unit's environment file); the
ones below are the server's. See docs/runbook.md.
"""

import os

wsgi_app = "engage:create_app()"
# nginx on the same machine reaches the app here; only nginx is exposed to the network.
bind = os.environ.get("ENGAGE_BIND", "127.0.0.1:8000")
# Sync workers behind nginx, which buffers slow clients (gunicorn's design notes): two a
# core and one more, unless WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"
# A first report on a very large survey can take a minute to build (it is then kept).
timeout = 120
# On SIGTERM (systemctl stop/restart) a worker finishes the request it is serving.
graceful_timeout = 30
# Workers are replaced now and then, so that memory a large report took is given back.
max_requests = 1000
max_requests_jitter = 100
# No preload: each worker builds the app and its database connections after the fork.
preload_app = False

# One JSON line per request from the app (engage/request_log.py) on gunicorn's error log
# (stderr: the journal), with nginx's request id; gunicorn's access log would repeat it
# with the client's address and the query string, so it stays off. ENGAGE_SERVER_LABEL
# (the environment file) names this server in each line and in an X-Engage-Server header.
os.environ.setdefault("ENGAGE_JSON_LOGS", "true")
accesslog = None
errorlog = "-"
loglevel = "info"
