"""A document's files: its body as the agency issued it (.docx, .pdf, .ofd) and its attachments.

Every file comes in through the upload gate (`engine.uploads`, one call: `gate`), is stored by its
sha256 (never in task data) and changes only while the document is with its drafter (at submission
or while a 退文 waits for them). Staff read originals under the document's access rule; reading,
de-identifying and confirming them is `file_redaction`, publishing them `publication`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engine import access, audit, storage, uploads
from engine import files as formats
from engine.errors import Conflict, Forbidden, Invalid, NotFound
from engine.models import Document, DocumentFile, HumanTask

BODY_KINDS = ("docx", "pdf", "ofd")
ATTACHMENT_KINDS = tuple(formats.FORMATS)
MAX_ATTACHMENTS = 30
FORMAT_NAMES = {"pdf": "PDF", "ofd": "OFD", "docx": "Word", "xlsx": "Excel", "xls": "Excel", "csv": "CSV",
                "png": "PNG 图片", "jpeg": "JPEG 图片", "tiff": "TIFF 图片"}
ROLE_FIELD = {"body": "file", "attachment": "attachments"}  # the form field that carries each role


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the name the sender gave it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Checked:
    """A file the gate passed, with the kind it named from the content."""

    name: str
    data: bytes
    kind: str


def gate(upload: Upload, allowed) -> str:
    """The upload gate (`engine.uploads`): the file's kind from its content, or Invalid naming it."""
    return uploads.check(upload.name, upload.data, allowed, field="file")


def check(sent: list[Upload], role: str) -> list[Checked]:
    """Pass each upload through the gate; one Invalid naming every refused file and why."""
    allowed = BODY_KINDS if role == "body" else ATTACHMENT_KINDS
    passed, errors = [], []
    for upload in sent:
        name = clean_name(upload.name)
        try:
            passed.append(Checked(name, upload.data, gate(Upload(name, upload.data), allowed)))
        except Invalid as exc:  # the gate's message names the file and says what to fix
            errors.append(exc.message if name in exc.message else f"{name}：{exc.message}")
    if role == "attachment" and len(sent) > MAX_ATTACHMENTS:
        errors.append(f"附件最多 {MAX_ATTACHMENTS} 个 (at most {MAX_ATTACHMENTS} attachments)")
    if errors:
        raise Invalid("；".join(errors), fields={ROLE_FIELD[role]: errors})
    return passed


def clean_name(name: str | None) -> str:
    """The name as uploaded, without any folder part or control characters; never empty."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return base[:255] or "file"


def body_text(checked: Checked) -> str:
    """The text of a body file, for the catalogue page and the reviewers; Invalid naming the file."""
    try:
        return formats.read(checked.kind, checked.data).text
    except Exception as exc:  # a format library raises many kinds for a file it cannot read
        message = exc.message if isinstance(exc, Invalid) else "无法读取文件内容 (the file cannot be read)"
        raise Invalid(f"{checked.name}：{message}", fields={"file": [f"{checked.name}：{message}"]}) from exc


def add(session, doc: Document, actor, checked: Checked, role: str) -> DocumentFile:
    """Store `checked` as one of the document's files (the body replaces any earlier body)."""
    if role == "body":
        for old in session.scalars(select(DocumentFile).where(DocumentFile.document_id == doc.id,
                                                              DocumentFile.role == "body")):
            session.delete(old)
    last = session.scalar(select(func.max(DocumentFile.position)).where(DocumentFile.document_id == doc.id))
    row = DocumentFile(document_id=doc.id, role=role, position=(last or 0) + 1, name=checked.name,
                       kind=checked.kind, media_type=formats.MEDIA_TYPES[checked.kind], size=len(checked.data),
                       original_sha256=storage.put(checked.data), state="uploaded", findings=[], regions=[],
                       hidden=[], withheld=False, uploaded_by=getattr(actor, "username", None))
    session.add(row)
    session.flush()
    return row


def of(session, document_id: int) -> list[DocumentFile]:
    """The document's files: the body first, then attachments in the order they were added."""
    return list(session.scalars(select(DocumentFile).where(DocumentFile.document_id == document_id)
                                .order_by(DocumentFile.role != "body", DocumentFile.position, DocumentFile.id)))


def get(session, doc: Document, file_id) -> DocumentFile:
    """One of `doc`'s files (the document was looked up for its reader already)."""
    number = access.as_id(file_id)
    row = session.get(DocumentFile, number) if number is not None else None
    if row is None or row.document_id != doc.id:
        raise NotFound("该文件没有这个附件 (no such file of this document)")
    return row


def summary(row: DocumentFile) -> dict:
    """What staff see of a file (never its content)."""
    return {"id": row.id, "role": row.role, "name": row.name, "kind": row.kind,
            "format": FORMAT_NAMES.get(row.kind, row.kind), "media_type": row.media_type, "size": row.size,
            "pages": row.pages, "state": row.state, "message": row.message, "hidden": row.hidden or [],
            "findings": sum(1 for f in row.findings or [] if f.get("redacted", True)) + len(row.regions or []),
            "withheld": row.withheld, "confirmed_by": row.confirmed_by,
            "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None,
            "redacted": bool(row.redacted_sha256)}


def published_name(row: DocumentFile) -> str:
    """The name the redacted file goes out under: the uploaded one, with the extension of the format
    it is published in where that differs (an .xls goes out as .xlsx)."""
    kind = formats.published_kind(row.kind)
    if kind == row.kind:
        return row.name
    return f"{row.name.rsplit('.', 1)[0] if '.' in row.name else row.name}.{kind}"


def published_media_type(row: DocumentFile) -> str:
    return formats.MEDIA_TYPES[formats.published_kind(row.kind)]


# The drafter's changes ------------------------------------------------------------------------

def require_with_drafter(session, actor, doc: Document) -> None:
    """Files change only while the document waits for its drafter (a 退文): 409 after, 403 for others."""
    task = session.scalar(select(HumanTask).where(HumanTask.document_id == doc.id, HumanTask.status == "open",
                                                  HumanTask.bpmn_id == "revise"))
    if task is None:
        raise Conflict("文件已提交审查，附件不能再修改；如需修改，请审查人退文 "
                       "(the document is no longer with its drafter: files cannot change now)")
    if not access.may_act_on_task(actor, task):
        raise Forbidden("只有起草人可以修改文件的附件 (only the drafter changes the files)")


def changed(session, actor, doc: Document, action: str, row: DocumentFile) -> None:
    """Record a drafter's change to the files; a new body brings its text with it."""
    audit.record(session, f"file_{action}", actor=actor, document_id=doc.id, instance_id=doc.instance_id,
                 file=row.name, role=row.role)
