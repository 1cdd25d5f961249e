"""Fixtures for the register's rule tests (school, people, absences): school calendars and the shipped rule pack."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.absences.rules.rulepack import RulePack
from services.register.absences.rules.rulepack_loader import default_rule_pack_path, load_rule_pack_file
from services.register.school.rules.calendar import DateRange, SchoolCalendar, Term


@pytest.fixture
def calendar() -> SchoolCalendar:
    """School year 2025/2026, shaped like the Minister's order (Чл. 113, ал. 1)."""
    return SchoolCalendar(
        year_start=date(2025, 9, 15),
        year_end=date(2026, 6, 30),
        terms=(
            Term(date(2025, 9, 15), date(2026, 1, 30), number=1),
            Term(date(2026, 2, 9), date(2026, 6, 30), number=2),
        ),
        vacations=(
            DateRange(date(2025, 10, 31), date(2025, 11, 2)),
            DateRange(date(2025, 12, 22), date(2026, 1, 4)),
            DateRange(date(2026, 4, 4), date(2026, 4, 12)),
        ),
    )


@pytest.fixture
def calendar_2024() -> SchoolCalendar:
    """School year 2024/2025 without a spring vacation, so Easter 2025 falls on plain term days."""
    return SchoolCalendar(
        year_start=date(2024, 9, 16),
        year_end=date(2025, 6, 30),
        terms=(
            Term(date(2024, 9, 16), date(2025, 1, 31), number=1),
            Term(date(2025, 2, 5), date(2025, 6, 30), number=2),
        ),
    )


@pytest.fixture
def four_week_calendar() -> SchoolCalendar:
    """Two terms of exactly four holiday-free weeks each, for exact 25 % arithmetic."""
    return SchoolCalendar(
        year_start=date(2025, 10, 6),
        year_end=date(2025, 11, 28),
        terms=(
            Term(date(2025, 10, 6), date(2025, 10, 31), number=1),
            Term(date(2025, 11, 3), date(2025, 11, 28), number=2),
        ),
    )


@pytest.fixture
def pack() -> RulePack:
    return load_rule_pack_file(default_rule_pack_path())
