"""Agency identities and their public guides: department settings, the agencies the public may
address, and each agency's 政府信息公开指南."""

from flask import request

from engine import agencies
from engine.disclosure import guide
from engine.requests import agency_letters
from web.api import bodies, bp
from web.api.answers import AgencyListSchema, DepartmentListSchema, DepartmentSchema, GuideSchema
from web.api.oversight_answers import AgencyLettersSchema
from web.api.schemas import parse, respond
from web.auth import require_user


@bp.get("/public/agencies")
def public_agencies():
    """The agencies (行政机关) of this installation, its own first, no login.
    ---
    get:
      summary: What a request's agency, the guide's and the catalogue's ?agency= take (key)
      responses: {200: {content: {application/json: {schema: AgencyListSchema}}}}
    """
    return respond(AgencyListSchema, {"items": agencies.public_list()})


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
    return respond(GuideSchema, guide.load(request.args.get("agency")))


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
    return respond(GuideSchema, guide.save(require_user(), parse(bodies.GuideBody), request.args.get("agency")))


@bp.get("/departments")
def list_departments():
    """Departments with their agency identity (admin).
    ---
    get:
      responses: {200: {content: {application/json: {schema: DepartmentListSchema}}}}
    """
    return respond(DepartmentListSchema, {"items": agencies.list_all(require_user())})


@bp.patch("/departments/<int:department_id>")
def update_department(department_id):
    """Set a department's identity (admin): its own agency name, code and kind, or its parent.
    ---
    patch:
      requestBody: {content: {application/json: {schema: DepartmentChangeBody}}}
      responses: {200: {content: {application/json: {schema: DepartmentSchema}}}}
    """
    return respond(DepartmentSchema, agencies.update_department(require_user(), department_id, parse(bodies.DepartmentChangeBody)))


@bp.get("/agency-letters")
def get_agency_letters():
    """What an agency's letters name: its 复议机关, court and 信访 channel (its staff, the admin).
    ---
    get:
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: root"}
      responses:
        200: {content: {application/json: {schema: AgencyLettersSchema}}}
        403: {description: not the agency's staff nor the admin}
        404: {description: no such agency}
        422: {description: the agency is neither root nor a department id}
    """
    return respond(AgencyLettersSchema, agency_letters.view(require_user(), request.args.get("agency")))


@bp.put("/agency-letters")
def put_agency_letters():
    """Set an agency's 复议机关, court or 信访 channel (admin); an empty value goes back to the installation's.
    ---
    put:
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency"}
      requestBody: {content: {application/json: {schema: AgencyLettersBody}}}
      responses:
        200: {content: {application/json: {schema: AgencyLettersSchema}}}
        403: {description: not the admin}
        404: {description: no such agency}
        422: {description: a body without its address, or an unknown field}
    """
    return respond(AgencyLettersSchema, agency_letters.save(require_user(), request.args.get("agency"), parse(bodies.AgencyLettersBody)))
