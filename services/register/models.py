"""The register's tables.  ЕГН is stored here (it is the register) and never leaves it except in
the НЕИСПУО export; it is never logged or put into events."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import new_base
from shared.platform_models import platform_tables, utcnow

Base = new_base()


TABLES = platform_tables(Base)


class User(Base):
    """потребител: the source of identity; other services keep replicas from events."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    class_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    student_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


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


class SchoolClass(Base):
    """паралелка, e.g. 10а."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    grade: Mapped[int] = mapped_column(sa.SmallInteger)
    class_teacher_id: Mapped[int | None] = mapped_column(sa.Integer)


class Assignment(Base):
    """Who teaches which subject in which class, with the curriculum's weekly hours per term."""

    __tablename__ = "assignments"
    __table_args__ = (sa.UniqueConstraint("class_code", "subject", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    class_code: Mapped[str] = mapped_column(sa.String(8), index=True)
    subject: Mapped[str] = mapped_column(sa.String(120))
    weekly_hours: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class Student(Base):
    """ученик."""

    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    middle_name: Mapped[str] = mapped_column(sa.String(100), default="")
    last_name: Mapped[str] = mapped_column(sa.String(100))
    egn: Mapped[str] = mapped_column(sa.String(10), unique=True)
    id_type: Mapped[str] = mapped_column(sa.String(4), default="egn")
    birth_date: Mapped[dt.date] = mapped_column(sa.Date)
    class_code: Mapped[str] = mapped_column(sa.String(8), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: Отписан на: the НЕИСПУО file lists a student deregistered in the month with this date.
    deregistered_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.middle_name, self.last_name)


def full_name(first: str, middle: str | None, last: str) -> str:
    """Име, презиме, фамилия, skipping a missing middle name."""
    return " ".join(p for p in (first, middle, last) if p)


class Guardian(Base):
    """родител или настойник."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(50))


class Absence(Base):
    """отсъствие: one student, one lesson.  Corrections keep their history in ``absence_history``."""

    __tablename__ = "absences"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "date", "lesson", name="uq_absences_student_date_lesson"),
        sa.Index("ix_absences_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No index of its own: the unique key (student, date, lesson) starts with it and serves its lookups.
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    lesson: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(10))
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class AbsenceCounter(Base):
    """Unexcused half-hours of one student in one counting period, kept up to date on every change.

    Rules compare against these running totals, so evaluating a change costs the same whether the
    register holds a hundred absences or a million.
    """

    __tablename__ = "absence_counters"
    __table_args__ = (sa.UniqueConstraint("student_id", "period_kind", "period_key", name="uq_absence_counters"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.Integer)
    period_kind: Mapped[str] = mapped_column(sa.String(16))
    period_key: Mapped[str] = mapped_column(sa.String(16))
    half_hours: Mapped[int] = mapped_column(sa.Integer, default=0)


class RuleFiring(Base):
    """сработило правило: once per student, rule, threshold and period — the key is unique."""

    __tablename__ = "rule_firings"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "rule_id", "threshold", "period", name="uq_rule_firings_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No index of its own: the unique key (student, rule, threshold, period) starts with it.
    student_id: Mapped[int] = mapped_column(sa.Integer)
    rule_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    article: Mapped[str] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(32))
    threshold: Mapped[int] = mapped_column(sa.Integer)
    count: Mapped[float] = mapped_column(sa.Float)
    period: Mapped[str] = mapped_column(sa.String(16))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    fired_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: The day of the latest mark the count includes: the end of the span the event reports.
    counted_to: Mapped[dt.date] = mapped_column(sa.Date)
    #: The ``register.rule_fired`` event that announced it; NULL while a bulk import's firing waits
    #: for :func:`services.register.firing_events.publish_waiting`.
    event_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)


class AbsenceChange(Base):
    """The history of an absence mark: every correction or excuse, with who and when."""

    __tablename__ = "absence_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    absence_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    old_kind: Mapped[str | None] = mapped_column(sa.String(10))
    new_kind: Mapped[str | None] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    changed_by: Mapped[int] = mapped_column(sa.Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Excuse(Base):
    """извиняване на отсъствия (Чл. 61): a date range excused by the class teacher, with its evidence."""

    __tablename__ = "excuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    date_from: Mapped[dt.date] = mapped_column(sa.Date)
    date_to: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(16))
    article: Mapped[str] = mapped_column(sa.String(40))
    evidence: Mapped[str] = mapped_column(sa.Text)
    school_days: Mapped[int] = mapped_column(sa.Integer)
    excused_hours: Mapped[int] = mapped_column(sa.Integer)
    submitted_on: Mapped[dt.date] = mapped_column(sa.Date)
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


from services.register import models_assessment, models_exports  # noqa: E402, F401
