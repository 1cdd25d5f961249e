"""The school year an exam belongs to and the windows it may fall in (Чл. 137, ал. 4, 6; Чл. 143, ал. 4–8).

A correction exam of the second session or the additional one is held after the school year's end,
and a term-grade exam up to two weeks after its term: the year is the one whose windows hold the day,
the latest first.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.grading import YearContext
from services.register.assessment.rules.corrections import EducationForm, SessionWindow, correction_sessions
from services.register.exams.rules.exams import Window, term_exam_window
from services.register.models.school import SchoolYear
from services.register.school.years import calendar_of
from shared.settings import Settings


def recent_years(session: Session, day: dt.date) -> list[YearContext]:
    """The school years started by ``day``, the latest first (two are enough: an exam's window ends
    before the year after next starts)."""
    rows = session.scalars(sa.select(SchoolYear).where(SchoolYear.start <= day)
                           .order_by(SchoolYear.start.desc()).limit(2))
    return [YearContext(row, calendar_of(row)) for row in rows]


def next_year_start(session: Session, year: SchoolYear) -> dt.date:
    """The next school year's first day if it is entered, otherwise 15 September (Чл. 113)."""
    entered = session.scalar(sa.select(SchoolYear.start).where(SchoolYear.start > year.end).order_by(SchoolYear.start))
    return entered or dt.date(year.end.year, 9, 15)


def sessions_of(session: Session, year: YearContext, grade_level: int) -> tuple[SessionWindow, ...]:
    """The correction sessions of a class of ``grade_level`` after ``year`` (Чл. 143, ал. 4–8)."""
    return correction_sessions(grade_level, EducationForm.DAILY,
                               classes_end=year.calendar.classes_end_of(grade_level),
                               next_year_start=next_year_start(session, year.row))


def term_window(year: YearContext, grade_level: int, term: int, settings: Settings, *,
                pc_decision: bool) -> Window:
    start, end = year.for_grade(grade_level).term_dates(term)
    return term_exam_window(start, end, pc_decision=pc_decision,
                            second_date_days=settings.term_exam_second_date_days,
                            extension_months=settings.term_exam_extension_months)
