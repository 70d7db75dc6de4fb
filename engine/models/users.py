"""Staff accounts, departments and roles. A role key is also the name of a BPMN lane."""

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base
from engine.models.types import UTCDateTime

user_roles = Table(
    "user_role",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Agency identity: a department that is its own 行政机关 has its own name (and code, for the
    # catalogue's 索引号) on its letters and annual report; an internal office uses its parent's.
    agency_name: Mapped[str | None] = mapped_column(String(100))
    agency_code: Mapped[str | None] = mapped_column(String(40))
    agency_kind: Mapped[str | None] = mapped_column(String(20))  # department | government
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))


class Role(Base):
    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes or the account is disabled: old API tokens stop working.
    token_generation: Mapped[int] = mapped_column(Integer, default=0)
    out_of_office: Mapped[bool] = mapped_column(Boolean, default=False)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    locale: Mapped[str] = mapped_column(String(10), default="zh")
    # Set when failed logins from anywhere reached engine.lockout.LOCK_AFTER; an admin clears it.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    department: Mapped[Department | None] = relationship(lazy="joined")
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    @property
    def role_keys(self) -> set[str]:
        return {r.key for r in self.roles}

    def has_role(self, key: str) -> bool:
        return key in self.role_keys

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")
