"""Stopping and resuming a scholarship (спиране и възобновяване на стипендия, Чл. 26, ал. 1, т. 23).

A holder who misses 5 or more class hours without valid reasons in a calendar month has the
scholarship stopped by the director's order; it is paid again "from the month following the month in
which the ground for the stop ceased". The ground is a month of such absences, so it ceases in the
first whole calendar month after the stopped one(s) without the ground (a month that is itself a
stop continues it); the scholarship resumes from the month after that one.

A stopped month whose unexcused hours later fall below the threshold (absences excused afterwards)
is no longer a ground: the stop is *lifted* on that day, the ground ceased then, and the scholarship
resumes from the month after (:func:`lifted`); a lifted month no longer continues another stop.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

ARTICLE = "Чл. 26, ал. 1, т. 23"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def holds_in(month: str, date_from: date, date_to: date | None) -> bool:
    """The scholarship was held for at least part of ``month`` (``YYYY-MM``)."""
    return month_key(date_from) <= month and (date_to is None or month_key(date_to) >= month)


def resumption(stopped: str, stopped_months: Collection[str], current_month: str) -> tuple[str, str] | None:
    """``(ceased_in, resumes_from)`` for the stop of month ``stopped``, or ``None`` while the ground lasts.

    Parameters:
      stopped_months: every month for which the student's scholarship was stopped.
      current_month: the month of today; a month still running has not ended without the ground.
    """
    month = next_month(stopped)
    while month in stopped_months:
        month = next_month(month)
    if month >= current_month:
        return None
    return month, next_month(month)


def lifted(stopped: str, lifted_on: date) -> tuple[str, str]:
    """``(ceased_in, resumes_from)`` of the stop of month ``stopped`` whose ground ended on ``lifted_on``."""
    ceased = max(stopped, month_key(lifted_on))
    return ceased, next_month(ceased)
