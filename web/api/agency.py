"""Agency identities and their public guides: department settings, the agencies the public may
address, and each agency's 政府信息公开指南."""

from flask import jsonify, request

from engine import agencies
from engine.disclosure import guide
from web.api import bodies, bp
from web.api.schemas import parse
from web.auth import require_user


@bp.get("/public/agencies")
def public_agencies():
    """The agencies (行政机关) of this installation, its own first, no login.
    ---
    get:
      summary: What a request's agency, the guide's and the catalogue's ?agency= take (key)
      responses: {200: {content: {application/json: {schema: AgencyListSchema}}}}
    """
    return jsonify(items=agencies.public_list())


@bp.get("/public/guide")
def public_guide():
    """An agency's 政府信息公开指南 (Art. 12), no login.
    ---
    get:
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: root"}
      responses:
        200: {content: {application/json: {schema: GuideSchema}}}
        404: {description: no such agency}
    """
    return jsonify(guide.load(request.args.get("agency")))


@bp.put("/guide")
def put_guide():
    """Replace an agency's guide (the admin, or that agency's publisher): every section Art. 12 names is required.
    ---
    put:
      requestBody: {content: {application/json: {schema: GuideBody}}}
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: root"}
      responses:
        200: {content: {application/json: {schema: GuideSchema}}}
        403: {description: not the admin or the agency's publisher}
    """
    return jsonify(guide.save(require_user(), parse(bodies.GuideBody), request.args.get("agency")))


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
      requestBody: {content: {application/json: {schema: DepartmentChangeBody}}}
      responses: {200: {content: {application/json: {schema: DepartmentSchema}}}}
    """
    return jsonify(agencies.update_department(require_user(), department_id, parse(bodies.DepartmentChangeBody)))
