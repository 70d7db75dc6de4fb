"""BPMN messages: deliver one to the instances waiting for it (or start a message-start process)."""

from engine.workflow import messages
from web.api import bp
from web.api.schemas import MessageDeliveredSchema, MessageSchema, parse, respond
from web.auth import require_user


@bp.post("/messages")
def deliver_message():
    """Deliver a message (admin).
    ---
    post:
      summary: Deliver a message to waiting instances, or start the processes it starts
      requestBody: {content: {application/json: {schema: MessageSchema}}}
      responses:
        200: {content: {application/json: {schema: MessageDeliveredSchema}}}
        404: {description: no process waits for this message}
        422: {description: "several processes wait: give a correlation"}
    """
    actor = require_user()
    body = parse(MessageSchema)
    return respond(MessageDeliveredSchema, messages.deliver(actor, body["name"], body["correlation"], body["data"]))
