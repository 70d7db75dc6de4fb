"""Information requests, their clock pauses and reply letters, conversion proposals, the annual
report's staff-entered parts (section 4 proceedings, sections 5–6 text) and agency settings.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base
from engine.models.types import JSONType, UTCDateTime


class InformationRequest(Base):
    __tablename__ = "information_request"
    __table_args__ = (Index("ix_request_received", "receipt_on"), Index("ix_request_dept_status", "department_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_no: Mapped[str | None] = mapped_column(String(30), unique=True)
    # Only a hash of the applicant's access code is kept (like a password).
    access_code_hash: Mapped[str] = mapped_column(String(64))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(20))
    applicant_subtype: Mapped[str | None] = mapped_column(String(20))
    applicant_id_number: Mapped[str] = mapped_column(String(50))
    applicant_contact: Mapped[str] = mapped_column(String(300))
    # Art. 29's 申请表: ID type, address and postcode; for organisations 法定代表人 and 联系人.
    applicant_id_type: Mapped[str | None] = mapped_column(String(20))
    applicant_address: Mapped[str | None] = mapped_column(String(300))
    applicant_postcode: Mapped[str | None] = mapped_column(String(10))
    applicant_legal_rep: Mapped[str | None] = mapped_column(String(100))
    applicant_contact_person: Mapped[str | None] = mapped_column(String(100))
    # disclosure (Art. 27) or correction of information about the applicant (Art. 41)
    kind: Mapped[str] = mapped_column(String(20), default="disclosure")
    description: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    receipt_on: Mapped[date] = mapped_column(Date)  # the day of receipt under Art. 31
    due_on: Mapped[date | None] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    # Art. 35: working days added to the period when reasonable reasons came with a 延迟答复 period.
    delay_days: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(30), default="reviewing")
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_reason: Mapped[str | None] = mapped_column(String(30))
    correction_items: Mapped[list] = mapped_column(JSONType, default=list)
    correction_due_on: Mapped[date | None] = mapped_column(Date)
    material_sha256: Mapped[str | None] = mapped_column(String(64))
    redacted_sha256: Mapped[str | None] = mapped_column(String(64))
    fee: Mapped[dict] = mapped_column(JSONType, default=dict)
    intake_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    instance_id: Mapped[int | None] = mapped_column(index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # 一事一申请: a request staff split out of another keeps the receipt day and names its origin.
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"))
    # Before a 不存在 / 不予公开 reply the agency's own catalogue is searched for the request's wording:
    # {"matches": [...], "override_reason", "by", "at"} when the drafter replied despite matches.
    catalogue_check: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class RequestPause(Base):
    """An interval during which the reply clock stops: correction, consultation or fee."""

    __tablename__ = "request_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class ReplyLetter(Base):
    """One version of a reply letter; the latest is the one signed and delivered."""

    __tablename__ = "reply_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    outcome_reason: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    signed_by: Mapped[str | None] = mapped_column(String(80))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_method: Mapped[str | None] = mapped_column(String(20))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivery_note: Mapped[str | None] = mapped_column(Text)
    delivered_by: Mapped[str | None] = mapped_column(String(80))


class RequestNotice(Base):
    """A notice delivered during a request (补正, 延期, 收费, 第三方征求意见, 说明理由): a letter."""

    __tablename__ = "request_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    delivery_method: Mapped[str | None] = mapped_column(String(20))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivered_by: Mapped[str | None] = mapped_column(String(80))


class ConversionProposal(Base):
    """A proposal to convert frequently requested information to proactive disclosure (Art. 44)."""

    __tablename__ = "conversion_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_ids: Mapped[list] = mapped_column(JSONType, default=list)
    description: Mapped[str] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    instance_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    document_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class LegalProceeding(Base):
    """An administrative reconsideration or lawsuit about disclosure (annual report section 4)."""

    __tablename__ = "legal_proceeding"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    agency_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # see AnnualReportText
    kind: Mapped[str] = mapped_column(String(30))      # reconsideration | litigation_direct | litigation_after
    result: Mapped[str] = mapped_column(String(20))    # upheld | corrected | other | pending
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"))
    case_no: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class AnnualReportText(Base):
    """What staff write for a year's report: sections 1, 5, 6 and figures the system does not hold."""

    __tablename__ = "annual_report_text"
    __table_args__ = (UniqueConstraint("agency_id", "year", name="uq_annual_report_text_agency_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose report: the department id of an agency (a department with its own agency name), 0 for the
    # installation's own. Not a foreign key: 0 must be a value a unique constraint can compare.
    agency_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    year: Mapped[int] = mapped_column(Integer)
    overview: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    other_matters: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[dict] = mapped_column(JSONType, default=dict)
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class AnnualReportSnapshot(Base):
    """A published annual report, frozen: later changes to its year need a new version."""

    __tablename__ = "annual_report_snapshot"
    __table_args__ = (UniqueConstraint("agency_id", "year", "version", name="uq_annual_report_snapshot_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # see AnnualReportText
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[dict] = mapped_column(JSONType, default=dict)
    published_by: Mapped[str | None] = mapped_column(String(80))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # An admin let a request be registered into this published year: a new version is due.
    reopened_reason: Mapped[str | None] = mapped_column(Text)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AgencySetting(Base):
    """A setting of the agency an administrator may change (remedy bodies, periods, thresholds)."""

    __tablename__ = "agency_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict] = mapped_column(JSONType, default=dict)
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
