"""Run-time state that must live in the database, not on one machine: idempotency keys, form versions."""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base
from engine.models.types import JSONType, UTCDateTime


class IdempotencyKey(Base):
    """A create request's key, the body it came with and, once it finished, the response it produced."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("scope", "key"), Index("ix_idempotency_key_created_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict] = mapped_column(JSONType, default=dict)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class FormVersion(Base):
    """One saved version of a user-task form (form-js schema); the shipped file is version 1."""

    __tablename__ = "form_version"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    schema: Mapped[dict] = mapped_column(JSONType)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
