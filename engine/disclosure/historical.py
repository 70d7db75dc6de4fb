"""清理历年文件: bulk import of documents that never had an attribute, one determination task each.

The import creates the documents and an `attribute_determination` instance per document in one
transaction; once a drafter determines the attribute, the document enters `disclosure_review`
with its deadline counted from the determination, not from a formation date years ago.
"""

import csv
import io

from engine import access, audit, clock
from engine.db import transaction
from engine.disclosure import PROCESS_KEY, documents, files
from engine.errors import Invalid
from engine.models import Department, Document
from engine.workflow import hooks, instances

DETERMINATION_KEY = "attribute_determination"
CSV_COLUMNS = ("title", "doc_number", "category", "formed_on", "body")


def rows_from_csv(content: bytes) -> list[dict]:
    """Read the CSV (UTF-8, with a header naming at least `title`); raise Invalid naming bad rows."""
    try:
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    except UnicodeDecodeError as exc:
        raise Invalid("CSV 须为 UTF-8 编码 (the CSV must be UTF-8)") from exc
    if not reader.fieldnames or "title" not in reader.fieldnames:
        raise Invalid(f"CSV 表头须包含 title 列 (header needs title; columns: {', '.join(CSV_COLUMNS)})")
    return [{k: (row.get(k) or "").strip() for k in CSV_COLUMNS} for row in reader]


def rows_from_docx(docx_files: list[tuple[str, bytes]]) -> list[dict]:
    """One row per .docx: the file name is the title, the text is extracted."""
    return [{"title": name.rsplit(".", 1)[0], "category": "general",
             "body": files.body_text(files.Checked(name, content, "docx"))} for name, content in docx_files]


def import_documents(actor, rows: list[dict], department_id: int | None = None) -> dict:
    """Create the documents and their determination tasks; all or nothing."""
    department_id = _department_for(actor, department_id)
    problems, cleaned = {}, []
    for number, row in enumerate(rows, start=1):
        try:
            cleaned.append(documents.clean_submission({**row, "attribute": None, "channels": ["catalogue"]}))
        except Invalid as exc:
            problems[f"row {number}"] = exc.fields
    if problems or not cleaned:
        raise Invalid("导入文件有误，未导入任何文件 (nothing imported)" if problems else "没有可导入的文件 (no rows)",
                      fields=problems)
    with transaction() as s:
        ids = [_create(s, actor, clean, department_id) for clean in cleaned]
        audit.record(s, "historical_import", actor=actor, count=len(ids))
    return {"imported": len(ids), "document_ids": ids}


def _department_for(actor, department_id):
    if access.is_admin(actor) and department_id:
        return department_id
    access.require(access.may_import_historical(actor), "只有起草人或管理员可以导入历年文件 (drafters or admins only)")
    return actor.department_id


def _create(session, actor, clean, department_id) -> int:
    if session.get(Department, department_id) is None:
        raise Invalid("部门不存在 (no such department)", fields={"department_id": ["unknown"]})
    doc = Document(drafter_id=None, department_id=department_id, status="awaiting_attribute")
    documents.apply_fields(doc, clean, session)
    session.add(doc)
    session.flush()
    row = instances.start(session, actor, DETERMINATION_KEY, {"document_id": doc.id, "title": doc.title,
                                                               "doc_number": doc.doc_number},
                          document_id=doc.id, department_id=department_id, title=doc.title)
    doc.instance_id = row.id
    return doc.id


@hooks.before_complete(DETERMINATION_KEY)
def determined(c: hooks.Completion) -> None:
    """Record the attribute and start the review procedure for the document."""
    doc = c.session.get(Document, c.instance.document_id)
    clean = documents.clean_submission({**documents.summary(doc), **c.data,
                                        "body": "x" if doc.original_sha256 else "",
                                        "channels": doc.channels or ["catalogue"]})
    for key in ("attribute", "attribute_ground", "attribute_reason"):
        setattr(doc, key, clean[key])
    doc.drafter_id = doc.drafter_id or c.actor.id
    data = documents.task_data(doc, {**clean, "body": "x" if doc.original_sha256 else "",
                                     "interpretation": "x" if doc.interpretation_sha256 else "",
                                     "deadline_start": clock.today().isoformat()})
    review = instances.start(c.session, c.actor, PROCESS_KEY, data, document_id=doc.id,
                             department_id=doc.department_id, title=doc.title)
    doc.instance_id = review.id
