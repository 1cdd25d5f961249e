"""What the sanction rules need from a school calendar (учебен календар), as a protocol."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class SanctionCalendar(Protocol):
    """The calendar operations the sanction procedure uses; the register's calendar satisfies it."""

    def add_school_days(self, day: date, n: int) -> date:
        """The ``n``-th school day after ``day`` (before it when ``n`` < 0); ``day`` is not counted."""
        ...

    def add_work_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` < 0)."""
        ...

    def school_days_between(self, start: date, end: date) -> int:
        """Number of school days in the inclusive range ``start``…``end``."""
        ...
