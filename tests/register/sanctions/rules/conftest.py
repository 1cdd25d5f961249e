"""Fixtures for the sanction rules: a small school calendar of our own and a school year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from services.register.sanctions.rules.procedure import SanctionYear

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WeekdayCalendar:
    """Working days are Monday–Friday minus ``holidays``; school days also skip ``vacations``."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    vacations: frozenset[date] = field(default_factory=frozenset)

    def is_work_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def is_school_day(self, day: date) -> bool:
        return self.is_work_day(day) and day not in self.vacations

    def _walk(self, day: date, n: int, accept) -> date:
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if accept(day):
                remaining -= 1
        return day

    def add_school_days(self, day: date, n: int) -> date:
        return self._walk(day, n, self.is_school_day)

    def add_work_days(self, day: date, n: int) -> date:
        return self._walk(day, n, self.is_work_day)

    def school_days_between(self, start: date, end: date) -> int:
        return sum(1 for offset in range((end - start).days + 1) if self.is_school_day(start + offset * ONE_DAY))


@pytest.fixture
def calendar() -> WeekdayCalendar:
    """2025/2026: 03.03 holiday; Easter 10.04–13.04; spring vacation 04.04–12.04; 06.05 and 25.05 holidays."""
    holidays = {date(2026, 3, 3), date(2026, 4, 10), date(2026, 4, 13), date(2026, 5, 6), date(2026, 5, 25)}
    vacation = {date(2026, 4, 4) + offset * ONE_DAY for offset in range(9)}
    return WeekdayCalendar(frozenset(holidays), frozenset(vacation))


@pytest.fixture
def year() -> SanctionYear:
    return SanctionYear(
        second_term_end=date(2026, 6, 30),
        year_end=date(2026, 6, 30),
        next_year_start=date(2026, 9, 15),
        next_year_end=date(2027, 6, 30),
    )
