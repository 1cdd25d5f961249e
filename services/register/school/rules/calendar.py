"""School calendar (учебен календар): school, working and calendar days for one school year.

The school-year schedule is set yearly by order of the Minister (Чл. 113, ал. 1), so every
date range is an input. Public holidays come from the ``holidays`` package (country ``BG``,
Orthodox Easter and the weekend "почивен ден" substitutions included). The day-type matrix
of spec §10.C is served by :meth:`SchoolCalendar.add_days`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

import holidays

from services.register.school.rules.dates import format_date
from services.register.school.rules.errors import CalendarError

#: Days in a full teaching week; turns school days into teaching weeks for the curriculum.
SCHOOL_DAYS_PER_WEEK = 5
_ONE_DAY = timedelta(days=1)


class DayKind(StrEnum):
    """How a deadline counts days (spec §10.C): учебни, работни, календарни or plain "дни"."""

    SCHOOL = "school"  # учебни дни
    WORK = "work"  # работни дни
    CALENDAR = "calendar"  # календарни дни
    UNSPECIFIED = "unspecified"  # "дни" without a type; resolved by SchoolCalendar.unspecified_as


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of dates, e.g. a vacation (ваканция)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise CalendarError(
                "end", f"Крайната дата {format_date(self.end)} е преди началната {format_date(self.start)}."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> Iterator[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += _ONE_DAY


@dataclass(frozen=True)
class Term(DateRange):
    """A term (учебен срок); ``number`` is 1 or 2."""

    number: int = 1


@lru_cache(maxsize=64)
def _holidays_of(year: int, school_category: bool) -> dict[date, str]:
    categories = ("public", "school") if school_category else ("public",)
    found = holidays.country_holidays("BG", years=year, language="bg", categories=categories)
    return dict(found.items())


@dataclass(frozen=True)
class SchoolCalendar:
    """One school year's calendar.

    Parameters:
      year_start, year_end: first and last day of the school year.
      terms: the two terms (учебни срокове), in order, inside the year.
      vacations: vacations (ваканции) inside the terms, e.g. Christmas.
      extra_non_school_days: days declared non-school by the Minister, the mayor (≤3, Чл. 116,
        ал. 3), the director (Чл. 116, ал. 4) or a competent authority (Чл. 116, ал. 5).
      declared_working_days: weekend days declared working by the government (КТ чл. 154,
        ал. 2); they are also school days unless inside a vacation (Чл. 116, ал. 2).
      declared_rest_days: extra rest days declared by the government that the ``holidays``
        package does not know yet; non-working and non-school.
      classes_end: the last day of classes of a grade that ends before the second term does, as
        ``((grade, day), ...)``: XII finishes in May by the minister's order of the year
        (Чл. 113, ал. 1). Other grades' classes end with the second term.
      school_holidays: also treat the package's "school" category (01.11, Ден на народните
        будители) as non-school; default ``True`` as in Bulgarian schools.
      unspecified_as: the day type used for plain "дни" (spec §10.B-29); default calendar days,
        the ordinary legal reading when no type is stated.
    """

    year_start: date
    year_end: date
    terms: tuple[Term, Term]
    vacations: tuple[DateRange, ...] = ()
    extra_non_school_days: frozenset[date] = field(default_factory=frozenset)
    declared_working_days: frozenset[date] = field(default_factory=frozenset)
    declared_rest_days: frozenset[date] = field(default_factory=frozenset)
    classes_end: tuple[tuple[int, date], ...] = ()
    school_holidays: bool = True
    unspecified_as: DayKind = DayKind.CALENDAR

    def __post_init__(self) -> None:
        if self.year_end <= self.year_start:
            raise CalendarError("year_end", "Краят на учебната година трябва да е след началото ѝ.")
        if len(self.terms) != 2 or [t.number for t in self.terms] != [1, 2]:
            raise CalendarError("terms", "Учебната година има точно два срока – първи и втори, в този ред.")
        first, second = self.terms
        if first.start < self.year_start or second.end > self.year_end:
            raise CalendarError("terms", "Сроковете трябва да са в рамките на учебната година.")
        if second.start <= first.end:
            raise CalendarError("terms", "Вторият срок трябва да започва след края на първия.")
        for grade, day in self.classes_end:
            if not 1 <= grade <= 12:
                raise CalendarError("classes_end", f"Няма {grade} клас: класовете са от 1 до 12.")
            if not second.start <= day <= second.end:
                raise CalendarError("classes_end", f"Краят на занятията на {grade} клас ({format_date(day)}) "
                                                   "трябва да е във втория срок.")
        if self.unspecified_as is DayKind.UNSPECIFIED:
            raise CalendarError(
                "unspecified_as", "Видът на неуточнените дни трябва да е учебни, работни или календарни."
            )

    # -- grades that finish early ---------------------------------------------------------------

    def classes_end_of(self, grade: int) -> date:
        """The last day of classes of ``grade``: its own end where one is set (XII), else the second term's."""
        return dict(self.classes_end).get(grade, self.terms[1].end)

    def for_grade(self, grade: int) -> SchoolCalendar:
        """This calendar as one grade lives it: a grade whose classes end early has its second term end then.

        Term grades, the 25 % rule, school days and correction sessions all read the terms, so the
        calendar of a XII class is enough to make each of them follow XII's own end (Чл. 143, ал. 5).
        """
        end = self.classes_end_of(grade)
        first, second = self.terms
        if end == second.end:
            return self
        return replace(self, terms=(first, Term(second.start, end, number=2)), classes_end=())

    # -- labels -------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        """The school year as printed in documents, e.g. ``2025/2026``."""
        return f"{self.year_start.year}/{self.year_end.year}"

    def holiday_name(self, day: date) -> str | None:
        """Bulgarian name of the public (or school) holiday on ``day``, if any."""
        return _holidays_of(day.year, self.school_holidays).get(day)

    # -- day predicates -------------------------------------------------------------------------

    def is_public_holiday(self, day: date) -> bool:
        """Official holiday or declared rest day (КТ чл. 154); the school category is not included."""
        return day in self.declared_rest_days or day in _holidays_of(day.year, False)

    def is_work_day(self, day: date) -> bool:
        """Working day (работен ден): Mon–Fri or a declared working day, minus public holidays."""
        if self.is_public_holiday(day):
            return False
        return day.weekday() < 5 or day in self.declared_working_days

    def is_school_day(self, day: date) -> bool:
        """School day (учебен ден): inside a term, a working day, not a vacation or non-school day."""
        if self.term_of(day) is None or day in self.extra_non_school_days:
            return False
        if any(day in vacation for vacation in self.vacations):
            return False
        if self.school_holidays and day in _holidays_of(day.year, True):
            return False
        return self.is_work_day(day)

    def term_of(self, day: date) -> Term | None:
        """The term containing ``day``, or ``None`` in the break between terms or outside the year."""
        return next((term for term in self.terms if day in term), None)

    # -- counting -----------------------------------------------------------------------------

    def school_days(self, start: date, end: date) -> tuple[date, ...]:
        """All school days in the inclusive range ``start``…``end``."""
        return _school_days(self, start, end)

    def school_days_between(self, start: date, end: date) -> int:
        """Number of school days in the inclusive range ``start``…``end``."""
        return len(self.school_days(start, end))

    def teaching_weeks(self, term: int) -> Fraction:
        """Teaching weeks of a term as school days / 5, so holidays cost their share of weekly hours."""
        chosen = self.terms[term - 1]
        return Fraction(self.school_days_between(chosen.start, chosen.end), SCHOOL_DAYS_PER_WEEK)

    def last_n_school_days(self, n: int, term: int | None = None) -> tuple[date, ...]:
        """The last ``n`` school days of a term (1 or 2) or, with ``term=None``, of the school year."""
        if n < 1:
            raise CalendarError("n", "Броят учебни дни трябва да е положително число.")
        end = self.terms[term - 1].end if term else self.year_end
        start = self.terms[term - 1].start if term else self.year_start
        days = self.school_days(start, end)
        if len(days) < n:
            raise CalendarError("n", f"Периодът има само {len(days)} учебни дни, а са поискани {n}.")
        return days[-n:]

    # -- deadline arithmetic --------------------------------------------------------------------

    def add_school_days(self, day: date, n: int) -> date:
        """The ``n``-th school day after ``day`` (before it when ``n`` < 0); ``day`` itself is not counted.

        Raises ``CalendarError`` when the count runs out of the school year, because the next
        year's calendar is not known yet.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if not self.year_start <= current <= self.year_end:
                raise CalendarError(
                    "day",
                    f"Срокът от {abs(n)} учебни дни от {format_date(day)} излиза извън учебната "
                    f"{self.label} година.",
                )
            if self.is_school_day(current):
                remaining -= 1
        return current

    def add_work_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` < 0); not bound to the year."""
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_work_day(current):
                remaining -= 1
        return current

    @staticmethod
    def add_calendar_days(day: date, n: int) -> date:
        """``day`` plus ``n`` calendar days (календарни дни)."""
        return day + timedelta(days=n)

    def add_days(self, day: date, n: int, kind: DayKind) -> date:
        """Deadline arithmetic for any day type of spec §10.C; plain "дни" use ``unspecified_as``."""
        resolved = self.unspecified_as if kind is DayKind.UNSPECIFIED else kind
        if resolved is DayKind.SCHOOL:
            return self.add_school_days(day, n)
        if resolved is DayKind.WORK:
            return self.add_work_days(day, n)
        return self.add_calendar_days(day, n)

    def next_school_day(self, day: date) -> date:
        """The first school day strictly after ``day``: the day a student returns after an absence."""
        return self.add_school_days(day, 1)


@lru_cache(maxsize=512)
def _school_days(calendar: SchoolCalendar, start: date, end: date) -> tuple[date, ...]:
    """:meth:`SchoolCalendar.school_days`, kept: a calendar is immutable and equal calendars have the
    same days, and the pages ask for a term's days once per subject (the child's card: every subject's
    planned hours), each walking some 90 days through the holiday and vacation checks."""
    return tuple(day for day in DateRange(start, end).days() if calendar.is_school_day(day))

