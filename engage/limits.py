"""Per-address rate limits (Flask-Limiter), shared by every blueprint that needs one.

Counts live in ``RATELIMIT_STORAGE_URI``: ``memory://`` by default, which counts per
process; with several workers set ``ENGAGE_RATELIMIT_STORAGE_URI`` to a shared store
(``redis://...``, ``memcached://...``). ``RATELIMIT_ENABLED=False`` turns limits off.
The address is the connecting one: behind a reverse proxy, wrap the app in Werkzeug's
``ProxyFix`` so that every resident is not counted as the proxy.
"""

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)


def init_app(app: Flask) -> None:
    """Configure the limiter for ``app`` (memory storage unless configured)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
