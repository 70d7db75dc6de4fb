"""The Flask application factory: settings, extensions, blueprints, error handlers.

Handlers are thin: authenticate, parse with a schema, call one engine function, serialize.
"""

from flask import Flask

from engine import config as engine_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; `test_config` overrides settings (data dir, database URL, ...)."""
    app = Flask(__name__, instance_relative_config=False)
    settings = engine_config.load(test_config)
    engine_config.configure(settings)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        JSON_AS_ASCII=False,
        GONGKAI=settings,
    )
    app.json.ensure_ascii = False
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k.isupper()})

    from web import auth, errors, health, i18n, idempotency, labels, security
    from web.api import init_app as init_api
    from web.pages import init_app as init_pages

    errors.init_app(app)
    security.init_app(app, settings)
    auth.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    idempotency.init_app(app)
    init_api(app)
    init_pages(app)
    health.init_app(app, settings)
    return app
