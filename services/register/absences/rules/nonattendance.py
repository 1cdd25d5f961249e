"""Unbroken unexcused non-attendance (непосещаване без уважителни причини), from the days the register has.

Pure: the sweep reads the days, this decides. A day counts as *missed* when the student has an
unexcused absence that day and no lesson of the day saw him (every lesson his class has recorded that
day is one of his unexcused absences); any other day the register has for his class (a lesson saved
with nobody absent, a classmate's mark) counts as *attended*, and an excused absence breaks the streak
too: only non-attendance without valid reasons leads to deregistration (Чл. 25, ал. 4, т. 2). Days
the register has nothing for (holidays, vacations, lessons not recorded) neither start nor break a
streak.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date


def day_missed(unexcused_lessons: Collection[int], other_marks: Collection[int],
               lessons_recorded: Collection[int]) -> bool:
    """Whether the student missed the whole day without valid reasons.

    Parameters:
      unexcused_lessons: the lessons of the day he has an unexcused absence for.
      other_marks: the lessons he is marked excused or late for (he was accounted for).
      lessons_recorded: the lessons his class has recorded that day (saved with nobody absent, or
        with anybody's mark).
    """
    if not unexcused_lessons or other_marks:
        return False
    return set(lessons_recorded) <= set(unexcused_lessons)


def streak_since(days: Mapping[date, bool]) -> date | None:
    """The first missed day of the streak that lasts to the latest day the register has, or None.

    Parameters:
      days: ``{day: missed}`` for every day the register has for the student's class.
    """
    since = None
    for day in sorted(days):
        if days[day]:
            since = since or day
        else:
            since = None
    return since


def streak_broken_on(days: Mapping[date, bool], since: date) -> date | None:
    """The first day from ``since`` on that the student was not missing, or None while the streak lasts.

    A review for deregistration (Чл. 25, ал. 4, т. 2) is about the streak that began on ``since``: a
    day he attended (or whose absences are excused) since then ends it, even if a new streak follows.

    Parameters:
      days: ``{day: missed}`` for every day the register has for the student's class.
    """
    return next((day for day in sorted(days) if day >= since and not days[day]), None)
