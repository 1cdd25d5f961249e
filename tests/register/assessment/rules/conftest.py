"""Fixtures for the assessment rules: a small school calendar of our own (weekends + holidays)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WeekdayCalendar:
    """School days are Monday–Friday minus ``non_school``; enough for the rules under test."""

    non_school: frozenset[date] = field(default_factory=frozenset)

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.non_school

    def add_school_days(self, day: date, n: int) -> date:
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_school_day(day):
                remaining -= 1
        return day

    def school_days_between(self, start: date, end: date) -> int:
        return sum(1 for offset in range((end - start).days + 1) if self.is_school_day(start + offset * ONE_DAY))


@pytest.fixture
def calendar() -> WeekdayCalendar:
    """Weekends plus 03.03.2026 (national holiday) and the Easter days 10.04 and 13.04.2026."""
    return WeekdayCalendar(frozenset({date(2026, 3, 3), date(2026, 4, 10), date(2026, 4, 13)}))


@pytest.fixture
def make_calendar():
    """Build a calendar with extra non-school days, for tests that move them around."""

    def build(*non_school: date) -> WeekdayCalendar:
        return WeekdayCalendar(frozenset(non_school))

    return build
