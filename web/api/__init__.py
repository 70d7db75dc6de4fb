"""The JSON API under /api: one module per noun; the OpenAPI document is built from the schemas."""

from flask import Blueprint
from werkzeug.routing import IntegerConverter

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_ID = 2**31 - 1  # ids are INTEGER columns; PostgreSQL refuses larger values with an error


class IdConverter(IntegerConverter):
    """`<int:...>` limited to what an id column holds, so /tasks/99999999999999999999 is a 404.

    A larger number becomes 0, which no row has, rather than failing to match: a rule that does not
    match for one method made Werkzeug answer 405 for the others (PATCH /workplans/<huge>).
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


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
