"""Counting periods (периоди на отчитане) for absence thresholds and their keys.

The правилник does not say whether the notification and sanction thresholds count per term or
per school year (spec §10.B-2), so the period is a parameter; the key names one concrete period
so that a firing is remembered per student, rule, threshold and period.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date
from services.register.school.rules.errors import CalendarError


class PeriodKind(StrEnum):
    """Kinds of counting period."""

    SCHOOL_YEAR = "school_year"  # учебна година
    TERM = "term"  # учебен срок
    MONTH = "month"  # календарен месец


def period_key(kind: PeriodKind, day: date, calendar: SchoolCalendar) -> str:
    """Stable key of the period of ``kind`` containing ``day``: ``2025/2026``, ``2025/2026/1``, ``2025-10``.

    Raises ``CalendarError`` for a term key of a day that lies between or outside the terms.
    """
    if kind is PeriodKind.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if not calendar.year_start <= day <= calendar.year_end:
        raise CalendarError("day", f"Датата {format_date(day)} е извън учебната {calendar.label} година.")
    if kind is PeriodKind.SCHOOL_YEAR:
        return calendar.label
    term = calendar.term_of(day)
    if term is None:
        raise CalendarError("day", f"Датата {format_date(day)} не попада в учебен срок.")
    return f"{calendar.label}/{term.number}"
