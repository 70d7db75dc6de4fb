"""The year's work plan (政务公开工作要点 / 任务分解表): sections, tasks, the units that lead or assist,
their progress reports with evidence, 督办单 letters and the catalogue items a task is fulfilled by.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base
from engine.models.types import JSONType, UTCDateTime


class WorkPlan(Base):
    __tablename__ = "workplan"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # The 政务公开办's department: its review tasks are offered there.
    office_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    report_cycle: Mapped[str] = mapped_column(String(10), default="P1M")
    # The day this year's people's congress session ended: deadlines counted from it (DMN rules).
    congress_ends_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class WorkPlanSection(Base):
    __tablename__ = "workplan_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("workplan_section.id"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))


class WorkPlanTask(Base):
    __tablename__ = "workplan_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("workplan_section.id"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str] = mapped_column(String(100), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    ongoing: Mapped[bool] = mapped_column(Boolean, default=False)  # 长期坚持: no fixed day
    # A row of `workplan_deadlines.dmn` the deadline is computed from (e.g. poverty_fund_plan).
    rule: Mapped[str | None] = mapped_column(String(40))
    completion_note: Mapped[str] = mapped_column(Text, default="")  # done before the plan was imported
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    completed_on: Mapped[date | None] = mapped_column(Date)


class WorkPlanUnit(Base):
    """A department's part in a task: a lead unit runs its own instance, an assisting one sees it."""

    __tablename__ = "workplan_unit"
    __table_args__ = (UniqueConstraint("task_id", "department_id", name="uq_workplan_unit"),
                      Index("ix_workplan_unit_dept", "department_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("workplan_task.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    kind: Mapped[str] = mapped_column(String(10))  # lead | assist
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    completed_on: Mapped[date | None] = mapped_column(Date)
    supervised_on: Mapped[date | None] = mapped_column(Date)  # the day the 督办单 went out


class WorkPlanReport(Base):
    __tablename__ = "workplan_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("workplan_unit.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(JSONType, default=list)
    request_completion: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_by: Mapped[str] = mapped_column(String(80))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decision: Mapped[str] = mapped_column(String(20), default="pending")  # pending|accepted|returned|completed
    opinion: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkPlanNotice(Base):
    """A 督办单: the supervision letter sent when a lead unit passed its deadline."""

    __tablename__ = "workplan_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("workplan_unit.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(80), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    delivery_method: Mapped[str | None] = mapped_column(String(20))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivered_by: Mapped[str | None] = mapped_column(String(80))


class WorkPlanLink(Base):
    """A catalogue item (a published document) that fulfils a plan task."""

    __tablename__ = "workplan_link"
    __table_args__ = (UniqueConstraint("task_id", "document_id", name="uq_workplan_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("workplan_task.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    linked_by: Mapped[str] = mapped_column(String(80))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
