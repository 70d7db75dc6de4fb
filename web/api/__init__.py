"""The JSON API under /api: one module per noun; the OpenAPI document is built from the schemas."""

from flask import Blueprint
from werkzeug.routing import IntegerConverter

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_ID = 2**31 - 1  # ids are INTEGER columns; PostgreSQL refuses larger values with an error


class IdConverter(IntegerConverter):
    """`<int:...>` limited to what an id column holds, so /tasks/99999999999999999999 is a 404."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def init_app(app) -> None:
    # Before any blueprint registers its rules: converters are bound when a rule is added.
    app.url_map.converters["int"] = IdConverter
    from web.api import (  # noqa: F401
        agency,
        auth,
        definitions,
        document_files,
        documents,
        instances,
        messages,
        migrations,
        notifications,
        openapi,
        public,
        published_audit,
        reports,
        requests,
        supervision,
        tasks,
        users,
        workplans,
    )

    app.register_blueprint(bp)
