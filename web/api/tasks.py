"""Human tasks: the inbox list, one task with its form, claim, release, delegate, complete."""

from flask import request

from engine.workflow import stranded, tasks
from web.api import bp
from web.api.answers import TaskDetailSchema
from web.api.oversight_answers import StrandedTaskListSchema
from web.api.schemas import (
    CompleteSchema,
    DelegateSchema,
    TaskListSchema,
    TaskQuerySchema,
    TaskSchema,
    parse,
    respond,
)
from web.auth import require_user


@bp.get("/tasks")
def list_tasks():
    """List tasks.
    ---
    get:
      summary: Tasks in a scope (mine, available, all), newest first
      parameters:
        - {in: query, schema: TaskQuerySchema}
      responses: {200: {content: {application/json: {schema: TaskListSchema}}}}
    """
    actor = require_user()
    query = parse(TaskQuerySchema, request.args.to_dict())
    return respond(TaskListSchema, tasks.list_for(actor, **query))


@bp.get("/tasks/stranded")
def stranded_tasks():
    """Open tasks nobody can take (admin, 政务公开办).
    ---
    get:
      summary: Each open task with no active user holding its role in its department, with the incident naming what is missing
      responses:
        200: {content: {application/json: {schema: StrandedTaskListSchema}}}
        403: {description: not the admin or the office}
    """
    return respond(StrandedTaskListSchema, {"items": stranded.list_for(require_user())})


@bp.get("/tasks/<int:task_id>")
def get_task(task_id):
    """Read a task with its form-js schema and data.
    ---
    get:
      responses: {200: {content: {application/json: {schema: TaskDetailSchema}}}}
    """
    return respond(TaskDetailSchema, tasks.detail_for(require_user(), task_id))


@bp.post("/tasks/<int:task_id>/claim")
def claim(task_id):
    """Claim a task.
    ---
    post:
      responses: {200: {description: claimed, content: {application/json: {schema: TaskSchema}}}, 403: {description: not yours}, 409: {description: taken}}
    """
    return respond(TaskSchema, tasks.claim(require_user(), task_id))


@bp.post("/tasks/<int:task_id>/release")
def release(task_id):
    """Release a claimed task.
    ---
    post:
      responses: {200: {content: {application/json: {schema: TaskSchema}}}}
    """
    return respond(TaskSchema, tasks.release(require_user(), task_id))


@bp.post("/tasks/<int:task_id>/delegate")
def delegate(task_id):
    """Hand a task to a colleague with the same role, with a reason.
    ---
    post:
      responses: {200: {content: {application/json: {schema: TaskSchema}}}}
    """
    actor = require_user()  # before parsing: a caller without a token gets 401, not 422
    body = parse(DelegateSchema)
    return respond(TaskSchema, tasks.delegate(actor, task_id, body["to"], body["reason"]))


@bp.post("/tasks/<int:task_id>/complete")
def complete(task_id):
    """Complete a task.
    ---
    post:
      requestBody: {content: {application/json: {schema: CompleteSchema}}}
      responses:
        200: {description: completed, content: {application/json: {schema: TaskSchema}}}
        403: {description: not yours}
        409: {description: claimed by someone else or already completed}
        422: {description: "invalid form data, with field errors"}
    """
    actor = require_user()
    body = parse(CompleteSchema, request.get_json(silent=True) or {})
    return respond(TaskSchema, tasks.complete(actor, task_id, body["data"]))
