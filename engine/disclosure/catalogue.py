"""The catalogue's fields of a published document (主动公开目录): 索引号, 发布机构, dates, topic, validity.

`assign` fixes them when a document is published: the 索引号 comes from a per-scope counter row
whose UPDATE serializes concurrent publishers, so two documents never share a number. A document
that repeals, amends or ends another (`changes_document_id`) changes the target's validity when it
is itself published: the change goes through the whole procedure and its own Art. 26 deadline.
"""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from engine import agencies, agency_settings, audit, calendar, clock
from engine.disclosure import publicity
from engine.errors import Invalid, NotFound
from engine.models import CatalogueCounter, Document
from engine.search import index as search

TOPICS = ("综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利",
          "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
          "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
          "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "其他")
# 基层政务公开标准目录: the 26 areas of the 2019–2020 standard catalogues for county-level government.
AREAS = ("重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿", "国有土地上房屋征收与补偿",
         "农村危房改造", "扶贫", "食品药品监管", "城市综合执法", "就业", "社会救助", "养老服务", "公共法律服务",
         "户籍管理", "涉农补贴", "义务教育", "卫生健康", "生态环境", "公共文化服务", "公共体育", "保障性住房",
         "市政服务", "城乡规划", "救灾")
# What a category most often is, when the drafter names no topic or area.
DEFAULT_TOPIC = {"social_assistance": ("民政、扶贫、救灾", "社会救助"), "penalty": ("市场监管、安全生产监管", None),
                 "licensing": ("市场监管、安全生产监管", None), "product_recall": ("市场监管、安全生产监管", "食品药品监管")}
VALIDITY_NAMES = {"valid": "有效", "expired": "失效", "repealed": "废止"}
CHANGE_KINDS = {"repeal": "repealed", "expire": "expired", "amend": "valid"}
CHANGE_NAMES = {"repeal": "废止", "expire": "宣布失效", "amend": "修改"}


def clean(data: dict, category: str, errors: dict) -> dict:
    """Check the drafter's topic, area and (at submission) the document it changes."""
    topic = data.get("topic") or DEFAULT_TOPIC.get(category, ("综合政务", None))[0]
    area = data.get("area") or (None if data.get("topic") else DEFAULT_TOPIC.get(category, (None, None))[1])
    if topic not in TOPICS:
        errors["topic"] = [f"主题分类应为以下之一 (one of): {'；'.join(TOPICS)}"]
    if area is not None and area not in AREAS:
        errors["area"] = [f"标准目录领域应为以下之一 (one of): {'；'.join(AREAS)}"]
    out = {"topic": topic, "area": area, "change_kind": data.get("change_kind") or None,
           "changes_document_id": _id(data.get("changes_document_id"), errors)}
    if out["change_kind"] is not None and out["change_kind"] not in CHANGE_KINDS:
        errors["change_kind"] = [f"应为以下之一 (one of): {', '.join(CHANGE_KINDS)}"]
    if bool(out["change_kind"]) != bool(out["changes_document_id"]):
        errors["changes_document_id"] = ["废止、修改或宣布失效须同时指明被变更的文件和变更方式 "
                                         "(name both the document changed and the kind of change)"]
    return out


def _id(value, errors) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors["changes_document_id"] = ["应为文件编号 (a document id)"]
        return None


def check_target(session, doc: Document) -> None:
    """A change may only target a published document of the same agency."""
    if not doc.changes_document_id:
        return
    target = session.get(Document, doc.changes_document_id)
    mine = target is not None and (agencies.identity(session, target.department_id)["name"]
                                   == agencies.identity(session, doc.department_id)["name"])
    if target is None or target.status != "published" or not mine:
        raise Invalid("被变更的文件须是本机关已公开的文件 (the document changed must be one of this agency's published documents)",
                      fields={"changes_document_id": ["not a published document of this agency"]})
    if target.validity != "valid":
        raise Invalid(f"该文件已{VALIDITY_NAMES[target.validity]}，不能再变更 (the document is no longer in force)",
                      fields={"changes_document_id": ["no longer in force"]})


def assign(session, document_id: int) -> Document:
    """Fix the catalogue fields of a document being published (idempotent); apply its change."""
    doc = session.get(Document, document_id, with_for_update=True)
    if doc is None:
        raise NotFound("文件不存在 (no such document)")
    if doc.index_no:
        return doc
    agency = agencies.identity(session, doc.department_id)
    now = clock.now()
    doc.published_at = doc.published_at or now
    doc.publisher = agency["name"]
    year = (doc.formed_on or calendar.as_date(doc.published_at)).year
    doc.index_no = _unused_number(session, agency_settings.load(session)["index_pattern"], agency["code"], year)
    if doc.changes_document_id:
        _apply_change(session, doc)
    audit.record(session, "catalogued", actor="worker", document_id=doc.id, index_no=doc.index_no)
    return doc


def _unused_number(session, pattern: str, code: str, year: int) -> str:
    # A pattern without {year} or {agency_code} makes scopes share numbers: skip any already given.
    while True:
        number = pattern.format(agency_code=code, year=year, seq=_next(session, code, year))
        if session.scalar(select(Document.id).where(Document.index_no == number)) is None:
            return number


def _next(session, code: str, year: int) -> int:
    # UPDATE takes the row lock until commit: a second publisher of the same scope waits here.
    scope = f"{code}/{year}"[:80]
    bumped = session.execute(update(CatalogueCounter).where(CatalogueCounter.scope == scope)
                             .values(value=CatalogueCounter.value + 1))
    if bumped.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(CatalogueCounter(scope=scope, value=1))
            return 1
        except IntegrityError:  # another publisher created the scope first: bump its row
            session.execute(update(CatalogueCounter).where(CatalogueCounter.scope == scope)
                            .values(value=CatalogueCounter.value + 1))
    return session.scalar(select(CatalogueCounter.value).where(CatalogueCounter.scope == scope))


def _apply_change(session, doc: Document) -> None:
    target = session.get(Document, doc.changes_document_id, with_for_update=True)
    if target is None or target.validity != "valid":
        return
    if doc.change_kind != "amend":  # an amended document stays in force, as amended
        target.validity = CHANGE_KINDS[doc.change_kind]
        # The change takes effect on the decision's date (its 成文日期), else on its publication.
        target.validity_on = doc.formed_on or calendar.as_date(doc.published_at)
    target.updated_at = clock.now()
    search.follow_document(session, target)  # the 有效性 filter sees the repeal at once
    audit.record(session, "validity_changed", actor="worker", document_id=target.id, by_document_id=doc.id,
                 change=doc.change_kind)


def validity_on(doc: Document, day: date) -> str:
    """The document's validity on `day`: a repeal or expiry counts from its effective date."""
    if doc.validity != "valid" and doc.validity_on is not None and doc.validity_on <= day:
        return doc.validity
    return "valid"


def fields(doc: Document, publicity_rules: dict | None = None) -> dict:
    """The catalogue fields as the public sees them (page, API, exports, feed), with the 公示期 of a 公示."""
    published_on = calendar.as_date(doc.published_at) if doc.published_at else None  # Beijing date
    return {"index_no": doc.index_no, "publisher": doc.publisher, "formed_on": clock.iso(doc.formed_on),
            "published_on": clock.iso(published_on), "topic": doc.topic, "area": doc.area,
            "validity": {"code": doc.validity or "valid", "name": VALIDITY_NAMES[doc.validity or "valid"],
                         "since": clock.iso(doc.validity_on)},
            "publicity": publicity.period(doc, publicity_rules)}


def changes_of(session, doc: Document) -> list[dict]:
    """The published documents that repealed, amended or ended `doc`, oldest first."""
    rows = session.scalars(select(Document).where(Document.changes_document_id == doc.id,
                                                  Document.status == "published").order_by(Document.published_at))
    return [{"id": d.id, "title": d.published_title or "", "kind": d.change_kind, "kind_name": CHANGE_NAMES[d.change_kind],
             "index_no": d.index_no} for d in rows]
