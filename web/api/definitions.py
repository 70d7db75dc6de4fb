"""Process definitions: list and deploy BPMN diagrams."""

from flask import request

from engine.errors import Invalid
from engine.workflow import definitions
from web.api import bp
from web.api.schemas import DefinitionListSchema, DefinitionSchema, respond
from web.auth import require_user
from web.upload_gate import gated


@bp.get("/process-definitions")
def list_definitions():
    """List process definitions.
    ---
    get:
      summary: Every definition with its versions and running-instance counts
      responses: {200: {content: {application/json: {schema: DefinitionListSchema}}}}
    """
    require_user()
    return respond(DefinitionListSchema, {"items": definitions.list_definitions()})


@bp.post("/process-definitions")
@gated(body="xml")
def deploy():
    """Deploy a BPMN diagram.
    ---
    post:
      summary: Deploy a new version (admin); the body is the BPMN XML
      requestBody: {content: {application/xml: {schema: {type: string}}}}
      responses:
        201: {content: {application/json: {schema: DefinitionSchema}}}
        200: {description: "identical file: the existing version, created false", content: {application/json: {schema: DefinitionSchema}}}
        422: {description: "errors: [{element_id, message}]"}
    """
    actor = require_user()
    if not (request.mimetype or "").endswith("xml"):
        raise Invalid("Content-Type 必须是 application/xml (send the BPMN as application/xml)")
    xml = request.get_data(as_text=True)
    deployed = definitions.deploy(actor, xml)
    return respond(DefinitionSchema, deployed.summary(), 201 if deployed.created else 200)


@bp.get("/process-definitions/<key>/versions/<int:version>/xml")
def version_xml(key, version):
    """The BPMN XML of one deployed version.
    ---
    get:
      responses: {200: {content: {application/xml: {schema: {type: string}}}}}
    """
    require_user()
    row = definitions.get_version(key, version)
    return row.bpmn_xml, 200, {"Content-Type": "application/xml; charset=utf-8"}
