"""The timetable's tables (седмично разписание): versions by the day they take effect, their lessons,
one-day changes (Чл. 114) and the lessons held with nobody absent."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class Timetable(Base):
    """седмично разписание of one class, in force from ``valid_from`` until the next version's day."""

    __tablename__ = "timetables"
    __table_args__ = (sa.UniqueConstraint("class_code", "valid_from", name="uq_timetables_class_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_code: Mapped[str] = mapped_column(sa.String(8))
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    saved_by: Mapped[int] = mapped_column(sa.Integer)
    saved_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class TimetableLesson(Base):
    """One slot of a timetable: weekday (1 = Monday), lesson number, subject and teacher."""

    __tablename__ = "timetable_lessons"
    __table_args__ = (sa.UniqueConstraint("timetable_id", "weekday", "lesson", name="uq_timetable_lessons_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    timetable_id: Mapped[int] = mapped_column(sa.ForeignKey("timetables.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    lesson: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    teacher_id: Mapped[int] = mapped_column(sa.Integer, index=True)


class TimetableChange(Base):
    """различно от седмичното разписание разпределение (Чл. 114): one lesson of one day, taught by
    another teacher or subject, or cancelled, with the circumstances the order must describe."""

    __tablename__ = "timetable_changes"
    __table_args__ = (sa.UniqueConstraint("class_code", "date", "lesson", name="uq_timetable_changes_slot"),
                      sa.Index("ix_timetable_changes_date", "date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_code: Mapped[str] = mapped_column(sa.String(8))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    lesson: Mapped[int] = mapped_column(sa.SmallInteger)
    #: NULL with ``cancelled``: the lesson is not held that day.
    subject: Mapped[str | None] = mapped_column(sa.String(120))
    teacher_id: Mapped[int | None] = mapped_column(sa.Integer)
    cancelled: Mapped[bool] = mapped_column(default=False)
    #: Чл. 114, ал. 1, т. 1 (external assessment), т. 2 (an absent teacher's substitution), т. 3
    #: (two consecutive hours of a subject for a term paper).
    ground: Mapped[int] = mapped_column(sa.SmallInteger)
    circumstances: Mapped[str] = mapped_column(sa.Text)
    saved_by: Mapped[int] = mapped_column(sa.Integer)
    saved_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class LessonHeld(Base):
    """проведен час: a lesson whose page was saved with every student present (no absence row says so)."""

    __tablename__ = "lessons_held"
    __table_args__ = (sa.UniqueConstraint("class_code", "date", "lesson", name="uq_lessons_held_slot"),
                      sa.Index("ix_lessons_held_date", "date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_code: Mapped[str] = mapped_column(sa.String(8))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    lesson: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class UnrecordedDuty(Base):
    """A teacher's lessons of one day not recorded after the day's last bell, announced to planning as a
    duty (Чл. 97, т. 9: absences finalised within a week) and closed once the register has them."""

    __tablename__ = "unrecorded_duties"
    __table_args__ = (sa.UniqueConstraint("teacher_id", "date", name="uq_unrecorded_duties_teacher_date"),
                      sa.Index("ix_unrecorded_duties_date", "date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.Integer)
    date: Mapped[dt.date] = mapped_column(sa.Date)
    #: ``["10а/1", …]``: the lessons announced last.
    lessons: Mapped[list] = mapped_column(sa.JSON, default=list)
    closed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
