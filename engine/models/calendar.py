"""Official working-day calendars entered by an administrator from the State Council's yearly notice.

A row in `calendar_years` means "this year's notice was entered"; it then overrides both
chinesecalendar and the statutory fallback for every day of that year.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class CalendarYear(Base):
    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(20), default="admin")
    # The notice's document number (e.g. 国办发明电〔2025〕7号), so the data can be checked.
    notice: Mapped[str | None] = mapped_column(String(200))
    entered_by: Mapped[str | None] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarDay(Base):
    """A holiday (`is_working` False) or a make-up working day (调休上班, `is_working` True)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year", ondelete="CASCADE"), index=True)
    is_working: Mapped[bool]
    name: Mapped[str] = mapped_column(String(100), default="")
