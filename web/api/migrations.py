"""Migrate running instances to another version of their diagram (admin)."""

from flask import jsonify, request

from engine.workflow import migration
from web.api import bp
from web.auth import require_user


@bp.post("/process-definitions/<key>/migrate")
def migrate_version(key):
    """Migrate every running instance of a version.
    ---
    post:
      summary: "Body {from_version, to_version?}; each instance reports migrated or why not"
      responses: {200: {description: per-instance results}, 403: {description: admin only}}
    """
    actor = require_user()
    body = request.get_json(silent=True) or {}
    return jsonify(migration.migrate(actor, key, _int(body, "from_version"), _int(body, "to_version", required=False)))


@bp.post("/process-instances/<int:instance_id>/migrate")
def migrate_instance(instance_id):
    """Migrate one instance; 409 when completed work would change."""
    actor = require_user()
    body = request.get_json(silent=True) or {}
    return jsonify(migration.migrate_one(actor, instance_id, _int(body, "to_version", required=False)))


def _int(body, key, required=True):
    from engine.errors import Invalid

    value = body.get(key)
    if value is None and not required:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{key} 须为整数 (must be an integer)", fields={key: ["not an integer"]}) from exc
