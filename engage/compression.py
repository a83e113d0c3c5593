"""Compress text responses (HTML, CSS, JavaScript, JSON) for residents on weak connections.

A production reverse proxy usually compresses as well; doing it in the app keeps the
page-weight budget (14 KB for the demo survey's first page) true however Engage is
served. Flask-Compress picks zstd, Brotli or gzip from the browser's Accept-Encoding
and skips bodies under 500 bytes.
"""

from flask import Flask
from flask_compress import Compress

compress = Compress()


def init_app(app: Flask) -> None:
    """Compress ``app``'s text responses."""
    # Static files are streamed responses, for which Flask-Compress leaves gzip out by
    # default; browsers that offer only gzip should get small CSS and JavaScript too.
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["zstd", "br", "gzip", "deflate"])
    compress.init_app(app)
