"""The audit trail (who did what, when) and notifications addressed to users or roles."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base
from engine.models.types import JSONType, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_instance", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(50))
    instance_id: Mapped[int | None] = mapped_column(index=False)
    task_id: Mapped[int | None]
    document_id: Mapped[int | None] = mapped_column(index=True)
    request_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    instance_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(50), default="info")
    message: Mapped[str] = mapped_column(Text)
    # One notification per (source, user): a retried job must not notify twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
