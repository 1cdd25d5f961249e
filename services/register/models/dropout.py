"""Dropout and deregistration (отпадане и отписване): the class register's letters and the sweeps' runs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class ClassRegisterEntry(Base):
    """вписване в дневника на класа: a letter to the parents registered in the class register (Чл. 97, т. 17).

    Numbered per class and school year (``10а-1``, ``10а-2`` …), as the paper class register's own
    register of correspondence; the letter itself also gets the school's outgoing number in documents.
    """

    __tablename__ = "class_register_entries"
    __table_args__ = (sa.UniqueConstraint("class_code", "school_year", "number", name="uq_class_register_entries"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    class_code: Mapped[str] = mapped_column(sa.String(8))
    school_year: Mapped[str] = mapped_column(sa.String(9))
    number: Mapped[int] = mapped_column(sa.Integer)
    date: Mapped[dt.date] = mapped_column(sa.Date)
    #: What was registered, e.g. ``dropout_letter``.
    kind: Mapped[str] = mapped_column(sa.String(32))
    article: Mapped[str] = mapped_column(sa.String(80))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def label(self) -> str:
        """The number as printed: ``10а-1/06.12.2026``."""
        return f"{self.class_code}-{self.number}/{self.date:%d.%m.%Y}"


class SweepRun(Base):
    """When a periodic sweep of the register last completed: the heartbeat its metric shows."""

    __tablename__ = "register_sweep_runs"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_run_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    runs: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: The school day (the clock's, ``SCHOOL_TODAY`` in a replay) whose full pass last completed.
    last_day: Mapped[dt.date | None] = mapped_column(sa.Date)
