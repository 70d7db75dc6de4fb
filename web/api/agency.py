"""The agency's identity and its public guide: department settings and the 政府信息公开指南."""

from flask import jsonify

from engine import agencies
from engine.disclosure import guide
from web.api import bp
from web.api.requests import parse_json
from web.auth import require_user


@bp.get("/public/guide")
def public_guide():
    """The 政府信息公开指南 (Art. 12), no login.
    ---
    get:
      responses: {200: {content: {application/json: {schema: GuideSchema}}}}
    """
    return jsonify(guide.load())


@bp.put("/guide")
def put_guide():
    """Replace the guide (admin): every section Art. 12 names is required.
    ---
    put:
      responses: {200: {content: {application/json: {schema: GuideSchema}}}}
    """
    return jsonify(guide.save(require_user(), parse_json()))


@bp.get("/departments")
def list_departments():
    """Departments with their agency identity (admin).
    ---
    get:
      responses: {200: {content: {application/json: {schema: DepartmentListSchema}}}}
    """
    return jsonify(items=agencies.list_all(require_user()))


@bp.patch("/departments/<int:department_id>")
def update_department(department_id):
    """Set a department's identity (admin): its own agency name, code and kind, or its parent.
    ---
    patch:
      responses: {200: {content: {application/json: {schema: DepartmentSchema}}}}
    """
    return jsonify(agencies.update_department(require_user(), department_id, parse_json()))
