"""Documents going through the disclosure procedure, their review records and publications.

Original and redacted texts are stored as files named by their sha256 (engine/storage.py); the
row keeps the hashes. Review records are append-only and hash-chained per document.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base
from engine.models.types import JSONType, UTCDateTime


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_dept_status", "department_id", "status"),
        Index("ix_document_published", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(30))
    attribute: Mapped[str | None] = mapped_column(String(20))
    attribute_ground: Mapped[str | None] = mapped_column(String(40))
    attribute_reason: Mapped[str | None] = mapped_column(Text)
    formed_on: Mapped[date | None] = mapped_column(Date)
    channels: Mapped[list] = mapped_column(JSONType, default=list)
    original_sha256: Mapped[str | None] = mapped_column(String(64))
    original_filename: Mapped[str | None] = mapped_column(String(255))
    docx_sha256: Mapped[str | None] = mapped_column(String(64))
    interpretation_sha256: Mapped[str | None] = mapped_column(String(64))
    redacted_sha256: Mapped[str | None] = mapped_column(String(64))
    findings: Mapped[list] = mapped_column(JSONType, default=list)
    # The other published fields' proposals, {field: {"sha256": redacted text, "findings": [...]}}
    # for title, doc_number and interpretation; the body keeps `redacted_sha256` and `findings`.
    field_redactions: Mapped[dict] = mapped_column(JSONType, default=dict)
    redaction_confirmed_by: Mapped[str | None] = mapped_column(String(80))
    redaction_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(30), default="submitted")
    return_reason: Mapped[str | None] = mapped_column(Text)
    returns: Mapped[int] = mapped_column(Integer, default=0)
    publish_by: Mapped[date | None] = mapped_column(Date)
    publish_by_provisional: Mapped[bool] = mapped_column(default=False)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    drafter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    instance_id: Mapped[int | None] = mapped_column(index=True)
    # What the public sees: the confirmed redacted text (searchable), never the original.
    published_text: Mapped[str | None] = mapped_column(Text)
    published_title: Mapped[str | None] = mapped_column(String(300))
    published_doc_number: Mapped[str | None] = mapped_column(String(100))
    published_interpretation: Mapped[str | None] = mapped_column(Text)
    published_summary: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    # The catalogue's fields (主动公开目录): fixed at publication, except validity.
    index_no: Mapped[str | None] = mapped_column(String(80), unique=True)
    publisher: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str | None] = mapped_column(Text)  # 内容概述, de-identified like every published field
    area: Mapped[str | None] = mapped_column(String(40))
    validity: Mapped[str] = mapped_column(String(10), default="valid")
    validity_on: Mapped[date | None] = mapped_column(Date)
    # A repeal/amendment/expiry decision is itself a document; publishing it changes its target.
    changes_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    change_kind: Mapped[str | None] = mapped_column(String(10))
    # A 公示 stays public at least its minimum period (workplan_deadlines.dmn, kind "publicity");
    # with a planned last day (公示期至) it comes down by itself after that day.
    publicity: Mapped[bool] = mapped_column(default=False)
    publicity_until: Mapped[date | None] = mapped_column(Date)
    # Taken down (撤下): gone from every public channel, its 索引号 kept and never given again.
    taken_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_down_by: Mapped[str | None] = mapped_column(String(80))
    taken_down_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CatalogueCounter(Base):
    """The last 索引号 sequence number used per scope (agency code and year)."""

    __tablename__ = "catalogue_counter"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class ReviewRecord(Base):
    """One review of one item (一事一审), signed by its reviewer; never updated or deleted."""

    __tablename__ = "review_record"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int | None]
    stage: Mapped[str] = mapped_column(String(40))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewer_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(50))
    decision: Mapped[str] = mapped_column(String(30))
    opinion: Mapped[str] = mapped_column(Text, default="")
    ground: Mapped[str | None] = mapped_column(String(40))
    content_sha256: Mapped[str] = mapped_column(String(64))
    # What the reviewer approved besides the text (DOMAIN §2): the proposed channels and attribute.
    channels: Mapped[list] = mapped_column(JSONType, default=list)
    attribute: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))


class Publication(Base):
    __tablename__ = "publication"
    __table_args__ = (UniqueConstraint("document_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    channel: Mapped[str] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="published")
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class PublishedSuspect(Base):
    """Personal data the current detector finds in what is already public (`gongkai audit-published`):
    one row per finding, open until the document is re-published or taken down."""

    __tablename__ = "published_suspect"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("published_audit_run.id"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(30))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    context: Mapped[str] = mapped_column(Text)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolution: Mapped[str | None] = mapped_column(String(20))


class PublishedAuditRun(Base):
    """One re-check of the published documents a publisher (or an admin, or the command line)
    answers for, run by a worker: the row is the truth (status, progress, the last document done),
    the rq job only its carrier, so a lost job or a dead worker resumes where it stopped."""

    __tablename__ = "published_audit_run"
    __table_args__ = (Index("ix_published_audit_run_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[str] = mapped_column(String(80))  # a username, or "system" (gongkai audit-published)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued|running|done|failed
    documents_total: Mapped[int] = mapped_column(Integer, default=0)
    documents_done: Mapped[int] = mapped_column(Integer, default=0)
    suspects: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(Integer, default=0)  # the last document id re-checked
    lease: Mapped[str | None] = mapped_column(String(36))  # the job working on it now
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PublishedVersion(Base):
    """A re-publication of a document's public text: which bundle replaced which, by whom and why.
    The bundles are stored files (sha256 of the JSON of title, number, body, interpretation)."""

    __tablename__ = "published_version"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    previous_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[str] = mapped_column(String(80))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    reason: Mapped[str] = mapped_column(Text, default="")


class DocumentFile(Base):
    """A file of a document as the agency publishes it: the body (.docx, .pdf, .ofd) or an attachment.

    The original is stored by sha256 and never altered (staff-only, under the document's access
    rule); the worker reads it (`layout_sha256`: the stored reading, text with places) and the
    detector's findings are kept per file; the publisher confirms each file, which makes the
    redacted version (`redacted_sha256`), the only one the public is ever served.
    """

    __tablename__ = "document_file"
    __table_args__ = (Index("ix_document_file_doc", "document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    role: Mapped[str] = mapped_column(String(20))  # body | attachment
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(255))  # as uploaded
    kind: Mapped[str] = mapped_column(String(10))  # as the upload gate named it from the content
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    original_sha256: Mapped[str] = mapped_column(String(64))
    layout_sha256: Mapped[str | None] = mapped_column(String(64))
    # uploaded → read (findings proposed) → confirmed; held: the product cannot make it safe.
    state: Mapped[str] = mapped_column(String(20), default="uploaded")
    message: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[list] = mapped_column(JSONType, default=list)
    regions: Mapped[list] = mapped_column(JSONType, default=list)  # drawn by the publisher on a page
    hidden: Mapped[list] = mapped_column(JSONType, default=list)  # what the file carries out of sight
    withheld: Mapped[bool] = mapped_column(default=False)  # the publisher keeps it out of publication
    redacted_sha256: Mapped[str | None] = mapped_column(String(64))
    redacted_size: Mapped[int | None] = mapped_column(Integer)
    confirmed_by: Mapped[str | None] = mapped_column(String(80))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
