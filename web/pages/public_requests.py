"""The public's request pages: file a request (/public/requests/new) and follow it (/public/requests/status)."""

from flask import Blueprint, render_template, request

from engine.errors import Invalid, NotFound
from engine.requests import APPLICANT_TYPES, LEGAL_PERSON_SUBTYPES, intake, steps
from web.ratelimit import limited

bp = Blueprint("public_requests", __name__)
TYPE_NAMES = {"natural_person": "自然人", "legal_person": "法人或其他组织"}
SUBTYPE_NAMES = {"commercial": "商业企业", "research": "科研机构", "public_welfare": "社会公益组织",
                 "legal_services": "法律服务机构", "other": "其他"}
CHOICES = {"types": [(k, TYPE_NAMES[k]) for k in APPLICANT_TYPES],
           "subtypes": [(k, SUBTYPE_NAMES[k]) for k in LEGAL_PERSON_SUBTYPES],
           "forms": [("electronic", "电子文本"), ("paper", "纸质文本")],
           "deliveries": [("email", "电子邮件"), ("post", "邮寄"), ("pickup", "当面领取")]}


@bp.route("/public/requests/new", methods=["GET", "POST"])
@limited("public_filing", when=lambda r: r.method == "POST")
def new_request():
    if request.method == "GET":
        return render_template("public/request_new.html", form={}, errors={}, **CHOICES)
    form = request.form
    data = {"applicant": {k: form.get(f"applicant_{k}", "") for k in ("name", "type", "subtype", "id_number", "contact")},
            "description": form.get("description", ""), "form": form.get("form"), "delivery": form.get("delivery")}
    try:
        filed = intake.file_public(data)
    except Invalid as exc:
        return render_template("public/request_new.html", form=form, errors=exc.fields, **CHOICES), 422
    return render_template("public/request_filed.html", filed=filed), 201


@bp.route("/public/requests/status", methods=["GET", "POST"])
@limited("public_lookup", when=lambda r: r.method == "POST" or "code" in r.values)
def request_status():
    no = (request.values.get("no") or "").strip()
    code = (request.values.get("code") or "").strip()
    status, error = None, None
    try:
        if request.method == "POST":
            status = steps.public_correction(no, code, request.form.get("description", ""))
        elif no:
            status = intake.public_status(no, code)
    except (NotFound, Invalid) as exc:
        error = exc.message
    return render_template("public/request_status.html", no=no, code=code, status=status, error=error)
