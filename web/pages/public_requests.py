"""The public's request pages: file a request (/public/requests/new) and follow it (/public/requests/status)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext, lazy_gettext

from engine import agencies
from engine.errors import Invalid, NotFound
from engine.requests import APPLICANT_TYPES, ID_TYPE_NAMES, ID_TYPES, LEGAL_PERSON_SUBTYPES, intake, steps
from web.idempotency import idempotent
from web.ratelimit import limited

bp = Blueprint("public_requests", __name__)
_ = lazy_gettext
TYPE_NAMES = {"natural_person": _("自然人"), "legal_person": _("法人或其他组织")}
SUBTYPE_NAMES = {"commercial": _("商业企业"), "research": _("科研机构"), "public_welfare": _("社会公益组织"),
                 "legal_services": _("法律服务机构"), "other": _("其他")}
CHOICES = {"types": [(k, TYPE_NAMES[k]) for k in APPLICANT_TYPES],
           "subtypes": [(k, SUBTYPE_NAMES[k]) for k in LEGAL_PERSON_SUBTYPES],
           "forms": [("electronic", _("电子文本")), ("paper", _("纸质文本"))],
           "deliveries": [("email", _("电子邮件")), ("post", _("邮寄")), ("pickup", _("当面领取")), ("fax", _("传真")),
                          ("on_site", _("现场查阅、抄录"))],
           "id_types": [(k, _(ID_TYPE_NAMES[k])) for k in ID_TYPES],
           "kinds": [("disclosure", _("申请公开政府信息")), ("correction", _("要求更正与本人相关的政府信息记录（条例第四十一条）"))]}
APPLICANT_FIELDS = ("name", "type", "subtype", "id_type", "id_number", "contact", "address", "postcode",
                    "legal_representative", "contact_person")


def engine_text(text: str) -> str:
    """An engine's message or status name in the reader's language: the catalogue holds the ones the
    public pages show under their exact Chinese wording; any other is shown as the engine wrote it."""
    return gettext(text) if text else text


@bp.route("/public/requests/new", methods=["GET", "POST"])
@limited("public_filing", when=lambda r: r.method == "POST")
@idempotent
def new_request():
    # The 申请表 is addressed to a 行政机关 (Art. 27): a choice only where there is more than one, and
    # only of those that can take a request now (someone there to handle it).
    addressees = agencies.public_list(requests_only=True)
    if request.method == "GET":
        return render_template("public/request_new.html", form={}, errors={}, agencies=addressees, **CHOICES)
    form = request.form
    data = {"applicant": {k: form.get(f"applicant_{k}", "") for k in APPLICANT_FIELDS},
            "description": form.get("description", ""), "form": form.get("form"), "delivery": form.get("delivery"),
            "kind": form.get("kind") or "disclosure", "agency": form.get("agency") or None}
    try:
        filed = intake.file_public(data)
    except Invalid as exc:
        errors = {key: [engine_text(m) for m in messages] for key, messages in (exc.fields or {}).items()}
        return render_template("public/request_new.html", form=form, errors=errors, agencies=addressees,
                               **CHOICES), 422
    return render_template("public/request_filed.html", filed=filed, agencies=addressees), 201


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
        error = engine_text(exc.message)
    if status:
        status = {**status, "status_name": engine_text(status["status_name"])}
    return render_template("public/request_status.html", no=no, code=code, status=status, error=error,
                           agencies=agencies.public_list() if status else [])
