"""Process instances: start one, read one, retry an incident."""

from engine.workflow import instances, service_tasks
from web.api import bp
from web.api.answers import RetryingSchema
from web.api.schemas import (
    CancelSchema,
    IncidentListSchema,
    InstanceSchema,
    InstanceStartedSchema,
    StartInstanceSchema,
    parse,
    respond,
)
from web.auth import require_user
from web.idempotency import idempotent


@bp.post("/process-instances")
@idempotent
def start_instance():
    """Start an instance.
    ---
    post:
      summary: Start the latest version of a definition
      requestBody: {content: {application/json: {schema: StartInstanceSchema}}}
      responses:
        201: {content: {application/json: {schema: InstanceStartedSchema}}}
        403: {description: not allowed to start it}
    """
    actor = require_user()
    body = parse(StartInstanceSchema)
    row = instances.start_instance(actor, body["definition_key"], body["data"])
    return respond(InstanceStartedSchema, row, 201)


@bp.get("/process-instances/<int:instance_id>")
def get_instance(instance_id):
    """Read an instance.
    ---
    get:
      summary: An instance with its data, history and incidents
      responses: {200: {content: {application/json: {schema: InstanceSchema}}}}
    """
    return respond(InstanceSchema, instances.get_for(require_user(), instance_id))


@bp.post("/process-instances/<int:instance_id>/cancel")
def cancel_instance(instance_id):
    """Cancel an instance (admin).
    ---
    post:
      summary: Stop an instance for good, with a reason; its open tasks, jobs and timers end with it
      requestBody: {content: {application/json: {schema: CancelSchema}}}
      responses:
        200: {description: cancelled, content: {application/json: {schema: InstanceStartedSchema}}}
        403: {description: admins only}
        409: {description: the instance has already ended}
    """
    actor = require_user()
    return respond(InstanceStartedSchema, instances.cancel(actor, instance_id, parse(CancelSchema)["reason"]))


@bp.get("/incidents")
def list_incidents():
    """Open incidents (admin).
    ---
    get:
      responses: {200: {content: {application/json: {schema: IncidentListSchema}}}}
    """
    return respond(IncidentListSchema, {"items": service_tasks.list_incidents(require_user())})


@bp.post("/incidents/<int:incident_id>/retry")
def retry_incident(incident_id):
    """Retry an incident (admin).
    ---
    post:
      summary: Resolve the incident and run its service task again
      responses: {200: {description: retrying, content: {application/json: {schema: RetryingSchema}}}}
    """
    return respond(RetryingSchema, service_tasks.retry_incident(require_user(), incident_id))
