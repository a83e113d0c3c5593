"""Engage: resident engagement and feedback surveys for municipal governments."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from engage import (
    api,
    audit,
    auth,
    commands,
    compression,
    db,
    errors,
    health,
    i18n,
    intake,
    limits,
    manage,
    reports,
    request_log,
    respond,
    security,
    settings,
    webhooks,
)
from engage import config as configuration
from engage.accounts import sso
from engage.accounts import views as accounts


def create_app(config: dict | None = None) -> Flask:
    """Build the Engage application: defaults, environment, then extensions and blueprints.

    ``config`` overrides settings (tests pass a throwaway database); its
    ``INSTANCE_PATH``, or the ``ENGAGE_INSTANCE_PATH`` variable, moves the
    instance folder that holds the SQLite file and the generated secret key.
    """
    config = config or {}
    app = Flask(
        __name__,
        instance_path=config.get("INSTANCE_PATH") or os.environ.get("ENGAGE_INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder=configuration.resource_folder("templates"),
    )
    configuration.load(app, config)
    if app.config["PROXY_COUNT"]:
        # Behind a load balancer the client address (rate limits) and scheme come from
        # X-Forwarded-* headers, trusted only for the number of proxies configured.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    request_log.init_app(app)  # first, so that its clock starts before any other hook
    db.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    sso.init_app(app)
    security.init_app(app)
    limits.init_app(app)
    compression.init_app(app)
    errors.init_app(app)
    commands.init_app(app)

    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(sso.bp)
    app.register_blueprint(respond.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(accounts.bp)
    api.init_app(app)
    webhooks.init_app(app)
    return app
