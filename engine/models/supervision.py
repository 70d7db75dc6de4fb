"""Supervision records (Art. 44 ¶2, 46, 47, 51): an applicant's suggestion that information be
published proactively, 考核, 社会评议, 责任追究, and complaints and 举报 to the supervising office.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base
from engine.models.types import UTCDateTime


class SupervisionRecord(Base):
    __tablename__ = "supervision_record"
    __table_args__ = (Index("ix_supervision_agency_kind", "agency_id", "kind", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose record: the department id of an agency, 0 for the installation's own (as in the report).
    agency_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    kind: Mapped[str] = mapped_column(String(20))  # suggestion | assessment | social_review | accountability | complaint | report
    received_on: Mapped[date] = mapped_column(Date)  # the day it was received, made or decided
    party: Mapped[str] = mapped_column(String(200))  # who suggested or complained; who assessed; who was held to account
    subject: Mapped[str] = mapped_column(Text)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"))
    persons: Mapped[int | None] = mapped_column(Integer)  # 责任追究: how many people were held to account
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | handled
    result: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))  # suggestion: adopted | declined; complaint: upheld | rejected
    handled_on: Mapped[date | None] = mapped_column(Date)
    handled_by: Mapped[str | None] = mapped_column(String(80))
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
