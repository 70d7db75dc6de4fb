"""Documents going through the disclosure procedure, their review records and publications.

Original and redacted texts are stored as files named by their sha256 (engine/storage.py); the
row keeps the hashes. Review records are append-only and hash-chained per document.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
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
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    # The catalogue's fields (主动公开目录): fixed at publication, except validity.
    index_no: Mapped[str | None] = mapped_column(String(80), unique=True)
    publisher: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str | None] = mapped_column(String(40))
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
    # Which digest made record_hash (sha256 before the 国密 suite, sm3 after); the reviewer's signature
    # of record_hash with the key held for them (none on records older than signing).
    hash_algorithm: Mapped[str] = mapped_column(String(10), default="sha256", server_default="sha256")
    signing_key_id: Mapped[int | None] = mapped_column(ForeignKey("signing_key.id"))
    signature: Mapped[str | None] = mapped_column(Text)


class SigningKey(Base):
    """A reviewer's signing key: the public key in clear, the private key sealed (engine.crypto)."""

    __tablename__ = "signing_key"
    __table_args__ = (UniqueConstraint("user_id", "algorithm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    algorithm: Mapped[str] = mapped_column(String(30))
    public_pem: Mapped[str] = mapped_column(Text)
    private_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SealedFile(Base):
    """A stored file kept encrypted: its plain sha256 (what records cite) → the envelope's address."""

    __tablename__ = "sealed_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    stored_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(40))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


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
