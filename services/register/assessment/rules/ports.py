"""What the assessment rules need from a school calendar (учебен календар), as a protocol."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class SchoolDayCalendar(Protocol):
    """The calendar operations the grade rules use; ``SchoolCalendar`` of the register satisfies it."""

    def is_school_day(self, day: date) -> bool:
        """True for a school day (учебен ден)."""
        ...

    def add_school_days(self, day: date, n: int) -> date:
        """The ``n``-th school day after ``day`` (before it when ``n`` < 0); ``day`` is not counted."""
        ...

    def school_days_between(self, start: date, end: date) -> int:
        """Number of school days in the inclusive range ``start``…``end``."""
        ...
