"""The JSON API under /api: one module per noun; the OpenAPI document is built from the schemas."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")


def init_app(app) -> None:
    from web.api import auth, definitions, documents, instances, openapi, public, tasks  # noqa: F401

    app.register_blueprint(bp)
