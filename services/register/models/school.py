"""The school (училище) and its school years with their calendars."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base


class School(Base):
    """училище: one row, the school's identity for letterheads and exports."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    neispuo_code: Mapped[str] = mapped_column(sa.String(7))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    town: Mapped[str] = mapped_column(sa.String(100), default="")
    director_name: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")


class SchoolYear(Base):
    """учебна година: its terms, vacations and non-school days, from the Minister's order (Чл. 113)."""

    __tablename__ = "school_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(9), unique=True)
    start: Mapped[dt.date] = mapped_column(sa.Date)
    end: Mapped[dt.date] = mapped_column(sa.Date)
    #: ``[{"start": iso, "end": iso}, {…}]`` — the two terms in order.
    terms: Mapped[list] = mapped_column(sa.JSON)
    vacations: Mapped[list] = mapped_column(sa.JSON, default=list)
    non_school_days: Mapped[list] = mapped_column(sa.JSON, default=list)
    declared_working_days: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: The last day of classes of grades that finish before the second term ends, ``{"12": "2024-05-15"}``.
    classes_end: Mapped[dict] = mapped_column(sa.JSON, default=dict)
