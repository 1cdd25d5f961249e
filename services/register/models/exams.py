"""The exam tables (изпити): exams with their commissions, the students who sit them and their results,
and the orders the year's end draws up (Правилник Чл. 125, ал. 3; Чл. 137; Чл. 143).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class Exam(Base):
    """изпит for a term grade (Чл. 137, ал. 1–2, 4, 6) or to change an annual „слаб“ (Чл. 143).

    ``kind`` is ``term_grade`` or ``correction``; ``term`` is the term of a term-grade exam, ``session``
    the correction session's name; ``member_ids`` the commission besides its chair (Чл. 126, ал. 1).
    """

    __tablename__ = "exams"
    __table_args__ = (sa.Index("ix_exams_year_date", "school_year", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    school_year: Mapped[str] = mapped_column(sa.String(9))
    class_code: Mapped[str] = mapped_column(sa.String(8))
    grade_level: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    term: Mapped[int | None] = mapped_column(sa.SmallInteger)
    session: Mapped[str] = mapped_column(sa.String(60), default="")
    date: Mapped[dt.date] = mapped_column(sa.Date)
    chair_id: Mapped[int] = mapped_column(sa.Integer)
    member_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    pc_decision: Mapped[str] = mapped_column(sa.String(100), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="scheduled")
    scheduled_by: Mapped[int] = mapped_column(sa.Integer)
    held_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    protocol_message_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: The protocol documents drew up (``documents.document_ready``).
    protocol_document_id: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ExamCandidate(Base):
    """A student who sits an exam (изпитван ученик) with the result: a grade, or „не се явил“ (absent)."""

    __tablename__ = "exam_candidates"
    __table_args__ = (sa.UniqueConstraint("exam_id", "student_id", name="uq_exam_candidates_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    value: Mapped[int | None] = mapped_column(sa.SmallInteger)
    absent: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str] = mapped_column(sa.String(20), default="")
    outcome_text: Mapped[str] = mapped_column(sa.Text, default="")


class ExamOrderRequest(Base):
    """An order the year's end asks documents for (O18 correction sessions, O19 summer tuition), or the
    director's duty it sets in planning, once per kind, school year and group of classes, so the sweep
    that asks may run twice (Чл. 143, ал. 4–8, 10)."""

    __tablename__ = "exam_order_requests"
    __table_args__ = (sa.UniqueConstraint("kind", "school_year", "scope", name="uq_exam_order_requests_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    school_year: Mapped[str] = mapped_column(sa.String(9))
    scope: Mapped[str] = mapped_column(sa.String(20))
    message_id: Mapped[str] = mapped_column(sa.String(64))
    requested_on: Mapped[dt.date] = mapped_column(sa.Date)
    document_id: Mapped[int | None] = mapped_column(sa.Integer)
    number: Mapped[str | None] = mapped_column(sa.String(40))
    #: A duty's closing day (``procedure.deadline_closed``); orders are never closed.
    closed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: Who a summer tuition order (or its supplement) lists: ``[[student id, subject], …]``; NULL on
    #: the orders asked before it was kept (:func:`services.register.exams.orders.listed`).
    listed: Mapped[list | None] = mapped_column(sa.JSON)
