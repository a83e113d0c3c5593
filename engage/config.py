"""Configuration: defaults, then ``ENGAGE_*`` environment variables, then test overrides."""

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask

DEFAULTS = {
    # Survey content and the interface fall back to this language.
    "DEFAULT_LANGUAGE": "en",
    # Small-cell suppression minimum (Statistics Canada / CIHI practice).
    "MIN_CELL": 10,
    # Representation flags: disproportionality index below / above these values.
    # Ontario's Anti-Racism Data Standards ask each organisation to set and publish its own.
    "UNDER_REPRESENTATION_BELOW": 0.8,
    "OVER_REPRESENTATION_ABOVE": 1.2,
    # Sentiment label cut-offs on polarity (analysis.sentiment).
    "SENTIMENT_NEGATIVE_BELOW": -0.05,
    "SENTIMENT_POSITIVE_ABOVE": 0.05,
    # Languages whose comments get a sentiment label (primary subtags, comma-separated). Only
    # languages with a validated method (analysis.sentiment: en, fr) can be scored; others
    # stay "unscored", never neutral.
    "SENTIMENT_LANGUAGES": "en,fr",
    # A survey page post is small; anything larger is refused with a friendly 413 page.
    "MAX_CONTENT_LENGTH": 512 * 1024,
    "SUBMISSION_RATE_LIMIT": "30 per minute",
    # SQLite: seconds a write waits for another writer's lock; a resident's submission is
    # then tried again from the start, this many attempts in all (engage.db.write_retrying).
    "SQLITE_BUSY_TIMEOUT": 5.0,
    "WRITE_ATTEMPTS": 3,
    # How long a built report is reused after its data changed (seconds; 0 never reuses).
    "REPORT_CACHE_SECONDS": 600,
    # Days contact details, free-text answers and group-session notes are kept after a
    # survey closes, unless its settings say otherwise; None keeps them (surveys.retention:
    # MFIPPA Reg. 823 s. 5 keeps used personal information a year unless a by-law says less).
    "RETENTION_CONTACTS_DAYS": 365,
    "RETENTION_TEXTS_DAYS": 365,
    "RETENTION_NOTES_DAYS": 365,
    # "Save and continue later": days a resident's saved answers are kept (surveys.drafts).
    "DRAFT_DAYS": 30,
    # How many reverse proxies (load balancers) stand in front of the app; 0 trusts none.
    "PROXY_COUNT": 0,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # A staff session ends after this long without a request, and this long after sign-in.
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_LIFETIME_HOURS": 12,
    # Failed sign-ins allowed per account (any email typed) and per address, then 429.
    "SIGN_IN_FAILURES_PER_ACCOUNT": "10 per 15 minutes",
    "SIGN_IN_FAILURES_PER_ADDRESS": "30 per 15 minutes",
    # Served over HTTPS: Secure cookies and HSTS on every response. Behind a trusted proxy
    # (PROXY_COUNT) a request it marks X-Forwarded-Proto: https gets them without this.
    "HTTPS": False,
    "HSTS_SECONDS": 31536000,
    # XLSForm uploads: refused with a clear message beyond these sizes.
    "XLSFORM_MAX_BYTES": 2 * 1024 * 1024,
    "XLSFORM_MAX_SHEETS": 10,
    "XLSFORM_MAX_ROWS": 5000,
    "XLSFORM_MAX_QUESTIONS": 500,
    "WTF_CSRF_TIME_LIMIT": None,
    # A new account's or a reset password's one-time set-password link expires after this.
    "PASSWORD_LINK_HOURS": 72,
    # The address residents and staff reach, e.g. https://engage.example.ca: links the CLI
    # prints or e-mails (pages use the address they were reached on).
    "BASE_URL": "",
    # Set-password links are e-mailed when SMTP_HOST is set (else shown to the admin once).
    # SMTP_TLS: STARTTLS before signing in (port 587); SMTP_SSL: TLS from the start (465).
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "",
    "SMTP_TLS": True,
    "SMTP_SSL": False,
    # Single sign-on with OpenID Connect (engage.accounts.sso): on when the issuer, client
    # id and secret are set. ROLE_MAP maps values of ROLE_CLAIM to roles
    # ("engage-staff=staff,engage-admins=admin"); when set, it decides the role at every
    # sign-in and refuses anyone it maps to no role. CREATE_ACCOUNTS opens an SSO-only
    # account at a mapped person's first sign-in. TRUST_EMAIL takes an email the provider
    # does not mark verified (Entra ID sends no email_verified) as verified, for linking.
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_SCOPE": "openid email profile",
    "OIDC_ROLE_CLAIM": "groups",
    "OIDC_ROLE_MAP": "",
    "OIDC_CREATE_ACCOUNTS": False,
    "OIDC_TRUST_EMAIL": False,
    "OIDC_LABEL": "",
    "OIDC_TIMEOUT_SECONDS": 10,
}


def resource_folder(name: str) -> str:
    """Return the templates/translations folder, installed (wheel) or in a checkout."""
    installed = Path(__file__).parent / name
    if installed.is_dir():
        return str(installed)
    return str(Path(__file__).parent.parent / name)


def load(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``test_config``."""
    app.config.from_mapping(DEFAULTS)
    # ENGAGE_DATABASE_URL -> DATABASE_URL, ENGAGE_MIN_CELL=5 -> MIN_CELL (parsed as JSON).
    app.config.from_prefixed_env(prefix="ENGAGE")
    if test_config:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        database = Path(app.instance_path) / "engage.sqlite3"
        app.config["DATABASE_URL"] = f"sqlite:///{database}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    # The session cookie lives no longer than a session may (Flask's default is 31 days).
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_LIFETIME_HOURS"])


def instance_secret_key(instance: Path) -> str:
    """Return this instance's secret key, generating and keeping it on first use.

    Several processes may start at once, so the file is created exclusively and
    a loser of that race reads the winner's key.
    """
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.01)  # the creating process has not written it yet
        raise RuntimeError(f"{path} is empty; delete it or set ENGAGE_SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
