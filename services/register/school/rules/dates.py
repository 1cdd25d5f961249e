"""Date helpers shared by the domain modules: Bulgarian formatting and month arithmetic."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date


def format_date(day: date) -> str:
    """Format a date the way Bulgarian documents print it: ``dd.mm.yyyy``."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def add_months(day: date, months: int) -> date:
    """Shift by calendar months, clamping to the month's last day (31.03 − 1 month = 28/29.02)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
