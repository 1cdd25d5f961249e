from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from services.register.absences.rules.periods import PeriodKind, period_key
from services.register.school.rules.calendar import DayKind, SchoolCalendar, Term
from services.register.school.rules.errors import CalendarError


def test_ordinary_weekday_in_term_is_a_school_day(calendar):
    assert calendar.is_school_day(date(2025, 9, 15))
    assert not calendar.is_school_day(date(2025, 9, 20))  # Saturday


def test_public_holiday_is_neither_school_nor_work_day(calendar):
    independence_day = date(2025, 9, 22)
    assert not calendar.is_school_day(independence_day)
    assert not calendar.is_work_day(independence_day)
    assert calendar.holiday_name(independence_day) == "Ден на Независимостта на България"


def test_orthodox_easter_and_good_friday_are_days_off(calendar_2024):
    assert not calendar_2024.is_school_day(date(2025, 4, 18))  # Велики петък
    assert not calendar_2024.is_school_day(date(2025, 4, 21))  # Easter Monday
    assert calendar_2024.is_school_day(date(2025, 4, 17))
    assert calendar_2024.is_school_day(date(2025, 4, 22))
    assert calendar_2024.holiday_name(date(2025, 4, 21)) == "Великден"


def test_weekend_holiday_moves_to_monday_for_work_days(calendar_2024):
    # 24.05.2025 is a Saturday; the rest day moves to Monday 26.05
    assert not calendar_2024.is_work_day(date(2025, 5, 26))
    assert calendar_2024.add_work_days(date(2025, 5, 23), 1) == date(2025, 5, 27)


def test_day_of_the_enlighteners_is_non_school_but_working(calendar_2024):
    enlighteners = date(2024, 11, 1)  # Friday
    assert calendar_2024.is_work_day(enlighteners)
    assert not calendar_2024.is_school_day(enlighteners)
    assert replace(calendar_2024, school_holidays=False).is_school_day(enlighteners)


def test_vacations_and_extra_non_school_days_are_not_school_days(calendar):
    assert not calendar.is_school_day(date(2025, 12, 22))
    assert calendar.is_work_day(date(2025, 12, 22))
    mayor_day = date(2025, 12, 5)  # a Friday: a weekend day would prove nothing
    with_mayor_day = replace(calendar, extra_non_school_days=frozenset({mayor_day}))
    assert calendar.is_school_day(mayor_day)
    assert not with_mayor_day.is_school_day(mayor_day)


def test_declared_working_saturday_is_a_school_day_unless_in_vacation(calendar):
    saturday, vacation_saturday = date(2025, 11, 29), date(2025, 12, 27)
    moved = replace(calendar, declared_working_days=frozenset({saturday, vacation_saturday}))
    assert moved.is_school_day(saturday)
    assert moved.is_work_day(saturday)
    assert moved.is_work_day(vacation_saturday)
    assert not moved.is_school_day(vacation_saturday)


def test_declared_rest_day_blocks_work_and_school(calendar):
    bridge = date(2025, 11, 28)
    rested = replace(calendar, declared_rest_days=frozenset({bridge}))
    assert not rested.is_work_day(bridge)
    assert not rested.is_school_day(bridge)


def test_add_school_days_skips_the_christmas_vacation(calendar):
    assert calendar.add_school_days(date(2025, 12, 19), 1) == date(2026, 1, 5)
    assert calendar.add_school_days(date(2026, 1, 5), -1) == date(2025, 12, 19)
    assert calendar.add_school_days(date(2025, 12, 19), 0) == date(2025, 12, 19)


def test_thirty_school_days_before_the_end_of_the_term(calendar):
    end = calendar.terms[1].end
    cutoff = calendar.add_school_days(end, -30)
    assert calendar.is_school_day(cutoff)
    assert calendar.school_days_between(cutoff, end) == 31
    last_30 = calendar.last_n_school_days(30, term=2)
    assert len(last_30) == 30
    assert last_30[-1] == end
    assert last_30[0] == calendar.add_school_days(end, -29)


def test_last_school_days_of_the_year_and_the_first_term(calendar):
    assert calendar.last_n_school_days(1) == (date(2026, 6, 30),)
    assert calendar.last_n_school_days(1, term=1) == (date(2026, 1, 30),)
    with pytest.raises(CalendarError):
        calendar.last_n_school_days(0)


def test_school_day_count_runs_out_of_the_year_with_a_bulgarian_message(calendar):
    with pytest.raises(CalendarError, match="излиза извън учебната 2025/2026 година"):
        calendar.add_school_days(date(2026, 6, 29), 5)


def test_school_days_between_is_inclusive(calendar):
    # Mon 15.09 – Mon 22.09 (holiday): 15–19 and nothing on 22.09
    assert calendar.school_days_between(date(2025, 9, 15), date(2025, 9, 22)) == 5


def test_add_calendar_and_unspecified_days(calendar):
    assert SchoolCalendar.add_calendar_days(date(2025, 12, 30), 3) == date(2026, 1, 2)
    assert calendar.add_days(date(2025, 12, 30), 3, DayKind.UNSPECIFIED) == date(2026, 1, 2)
    as_work = replace(calendar, unspecified_as=DayKind.WORK)
    # 31.12.2025, 01.01 and 02.01.2026 are all days off; weekends too
    assert as_work.add_days(date(2025, 12, 30), 1, DayKind.UNSPECIFIED) == date(2026, 1, 5)
    assert calendar.add_days(date(2025, 12, 19), 1, DayKind.SCHOOL) == date(2026, 1, 5)


def test_add_work_days_backwards(calendar):
    assert calendar.add_work_days(date(2025, 9, 23), -1) == date(2025, 9, 19)


def test_term_of_and_period_keys(calendar):
    assert calendar.term_of(date(2026, 2, 5)) is None
    assert calendar.term_of(date(2026, 2, 10)).number == 2
    assert period_key(PeriodKind.SCHOOL_YEAR, date(2026, 2, 10), calendar) == "2025/2026"
    assert period_key(PeriodKind.TERM, date(2026, 2, 10), calendar) == "2025/2026/2"
    assert period_key(PeriodKind.MONTH, date(2026, 2, 10), calendar) == "2026-02"
    with pytest.raises(CalendarError, match="не попада в учебен срок"):
        period_key(PeriodKind.TERM, date(2026, 2, 5), calendar)


def test_teaching_weeks_count_holidays_out(four_week_calendar):
    assert four_week_calendar.teaching_weeks(1) == 4
    assert four_week_calendar.teaching_weeks(2) == 4


def test_teaching_weeks_lose_a_fifth_per_holiday(calendar):
    days = calendar.school_days_between(calendar.terms[0].start, calendar.terms[0].end)
    assert calendar.teaching_weeks(1) == Fraction(days, 5)


def test_terms_in_the_wrong_order_are_refused():
    with pytest.raises(CalendarError, match="Вторият срок"):
        SchoolCalendar(
            year_start=date(2025, 9, 15),
            year_end=date(2026, 6, 30),
            terms=(
                Term(date(2025, 9, 15), date(2026, 3, 1), number=1),
                Term(date(2026, 2, 9), date(2026, 6, 30), number=2),
            ),
        )


def test_reversed_range_is_refused():
    with pytest.raises(
        CalendarError, match=re.escape("Крайната дата 01.09.2025 е преди началната 15.09.2025")
    ):
        Term(date(2025, 9, 15), date(2025, 9, 1), number=1)
