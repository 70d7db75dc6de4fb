"""Migrate running instances to another version of their diagram (admin)."""

from flask import request

from engine.workflow import migration
from web.api import bp
from web.api.answers import InstanceMigratedSchema, MigrationSchema
from web.api.schemas import MigrateOneSchema, MigrateSchema, parse, respond
from web.auth import require_user


@bp.post("/process-definitions/<key>/migrate")
def migrate_version(key):
    """Migrate every running instance of a version.
    ---
    post:
      summary: "Body {from_version, to_version?}; each instance reports migrated or why not"
      requestBody: {content: {application/json: {schema: MigrateSchema}}}
      responses: {200: {description: per-instance results, content: {application/json: {schema: MigrationSchema}}}, 403: {description: admin only}}
    """
    actor = require_user()
    body = parse(MigrateSchema, request.get_json(silent=True) or {})
    return respond(MigrationSchema, migration.migrate(actor, key, body["from_version"], body["to_version"]))


@bp.post("/process-instances/<int:instance_id>/migrate")
def migrate_instance(instance_id):
    """Migrate one instance; 409 when completed work would change.
    ---
    post:
      requestBody: {content: {application/json: {schema: MigrateOneSchema}}}
      responses: {200: {description: migrated, content: {application/json: {schema: InstanceMigratedSchema}}}, 409: {description: completed work would change}}
    """
    actor = require_user()
    body = parse(MigrateOneSchema, request.get_json(silent=True) or {})
    return respond(InstanceMigratedSchema, migration.migrate_one(actor, instance_id, body["to_version"]))
