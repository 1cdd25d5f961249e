"""The assessment tables (оценяване): grades, term and annual results, regimes, PE exemptions and the
class-work schedule (Правилник Чл. 27, 124–144).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class Grade(Base):
    """текуща оценка (Чл. 127, 130): entered personally by the subject's teacher (Чл. 139)."""

    __tablename__ = "grades"
    __table_args__ = (sa.Index("ix_grades_student_subject", "student_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"))
    class_code: Mapped[str] = mapped_column(sa.String(8))
    subject: Mapped[str] = mapped_column(sa.String(120))
    value: Mapped[int] = mapped_column(sa.SmallInteger)
    kind: Mapped[str] = mapped_column(sa.String(10))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    teacher_id: Mapped[int] = mapped_column(sa.Integer)
    entered_on: Mapped[dt.date] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ResultGrade(Base):
    """срочна или годишна оценка (Чл. 137, 138): ``period`` is ``1``, ``2`` or ``annual``.

    ``value`` is empty when the record is „освободен“ (Чл. 137, ал. 3).
    """

    __tablename__ = "result_grades"
    __table_args__ = (sa.UniqueConstraint("student_id", "subject", "school_year", "period",
                                          name="uq_result_grades_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    class_code: Mapped[str] = mapped_column(sa.String(8))
    grade_level: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    school_year: Mapped[str] = mapped_column(sa.String(9))
    period: Mapped[str] = mapped_column(sa.String(6))
    value: Mapped[int | None] = mapped_column(sa.SmallInteger)
    record: Mapped[str] = mapped_column(sa.String(20), default="")
    formed_on: Mapped[dt.date] = mapped_column(sa.Date)
    teacher_id: Mapped[int] = mapped_column(sa.Integer)


class AssessmentProfile(Base):
    """режим на оценяване of a student by year of admission (Чл. 129, ал. 1 or ал. 2)."""

    __tablename__ = "assessment_profiles"

    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), primary_key=True)
    admission_year: Mapped[int | None] = mapped_column(sa.Integer)
    regime: Mapped[str] = mapped_column(sa.String(8))


class PeExemptionOrder(Base):
    """освобождаване от физическо възпитание и спорт by director order, with its period (Чл. 27)."""

    __tablename__ = "pe_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    start: Mapped[dt.date] = mapped_column(sa.Date)
    end: Mapped[dt.date] = mapped_column(sa.Date)
    order_ref: Mapped[str] = mapped_column(sa.String(100), default="")
    activity: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by: Mapped[int] = mapped_column(sa.Integer)


class ClassWork(Base):
    """контролна или класна работа in the term's schedule (график, Чл. 136)."""

    __tablename__ = "class_works"
    __table_args__ = (sa.Index("ix_class_works_class_date", "class_code", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_code: Mapped[str] = mapped_column(sa.String(8))
    subject: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(10))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    teacher_id: Mapped[int] = mapped_column(sa.Integer)
