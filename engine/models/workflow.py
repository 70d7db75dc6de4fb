"""Process definitions and their immutable versions, instances, and the tables projected from them.

`human_task`, `outbox` and `timer` are written in the same transaction as the instance state they
come from, so the inbox, the job queue and the scheduler can never disagree with the database.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base
from engine.models.types import JSONType, UTCDateTime


class ProcessDefinition(Base):
    __tablename__ = "process_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Roles allowed to start an instance directly through the API (admins always may).
    starter_roles: Mapped[list] = mapped_column(JSONType, default=list)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    draft_xml: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ProcessVersion(Base):
    __tablename__ = "process_version"
    __table_args__ = (
        UniqueConstraint("definition_id", "version"),
        UniqueConstraint("definition_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"))
    version: Mapped[int]
    # The large columns load only when asked for: starting an instance needs the version's id,
    # not its XML, and the parsed spec is cached per process (definitions.spec_for).
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    # DMN files deployed with this version: {file name: xml}.
    dmn_xml: Mapped[dict] = mapped_column(JSONType, default=dict, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_by: Mapped[str | None] = mapped_column(String(80))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    definition: Mapped[ProcessDefinition] = relationship(lazy="joined")


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    __table_args__ = (Index("ix_instance_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    definition_key: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    state_json: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(10))
    # Optimistic lock: every save bumps it and checks nobody else did in between.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    document_id: Mapped[int | None] = mapped_column(index=True)
    request_id: Mapped[int | None] = mapped_column(index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[ProcessVersion] = relationship(lazy="joined")


class HumanTask(Base):
    """A READY user task as the inbox sees it; never requires loading the workflow."""

    __tablename__ = "human_task"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_guid"),
        Index("ix_task_available", "status", "department_id", "role", "id"),
        Index("ix_task_claimed", "claimed_by", "status", "id"),
        Index("ix_task_completed_by", "completed_by", "id"),
        Index("ix_task_assignee", "assignee_id", "status", "id"),
        Index("ix_task_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    process_key: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(50))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    # Set when the diagram names one person (e.g. the drafter who must revise).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form_key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    document_id: Mapped[int | None] = mapped_column(index=True)
    request_id: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str | None] = mapped_column(String(50))


class Outbox(Base):
    """A service task handed to a worker; the row outlives Redis, so no job is ever lost."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_guid"),
        Index("ix_outbox_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    last_error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Timer(Base):
    """A timer event an instance waits on; the scheduler fires rows whose due time has passed."""

    __tablename__ = "timer"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_guid"),
        Index("ix_timer_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="waiting")


class Incident(Base):
    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    bpmn_id: Mapped[str | None] = mapped_column(String(100))
    # A task nobody can take (no active user with its role in its department): the incident names
    # the task and resolves itself once someone can (engine/workflow/stranded.py).
    human_task_id: Mapped[int | None] = mapped_column(Integer, index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(80))


class DecisionFile(Base):
    """A DMN file the admin edits; deploying a process copies the tables it calls into its version."""

    __tablename__ = "decision_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    xml: Mapped[str] = mapped_column(Text)
    decision_ids: Mapped[list] = mapped_column(JSONType, default=list)
    sha256: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
