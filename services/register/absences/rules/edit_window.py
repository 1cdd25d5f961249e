"""The edit window (срок за поправка): until when a lesson's marks may still be corrected.

A teacher who mistyped a mark corrects it while the lesson is fresh; later the register is the
record and only an excuse (Чл. 61) changes it.  The window is the school's setting
``absence_edit_days`` (``SCHOOL_ABSENCE_EDIT_DAYS``): school days after the lesson's day, 0 (the
default) meaning the same school day only.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date
from services.register.school.rules.errors import CalendarError


@dataclasses.dataclass(frozen=True)
class EditWindow:
    """Whether a lesson's marks may be corrected today, and the sentence that explains a refusal."""

    open: bool
    last_day: date
    reason: str = ""


def edit_window(calendar: SchoolCalendar, lesson_day: date, today: date, school_days: int) -> EditWindow:
    """The window of a lesson held on ``lesson_day``, as seen on ``today``.

    Parameters:
      calendar: the school year's calendar (school days exclude weekends, holidays and vacations).
      school_days: the setting ``absence_edit_days``; negative values count as 0.
    """
    try:
        last_day = calendar.add_school_days(lesson_day, max(0, school_days))
    except CalendarError:
        last_day = calendar.year_end  # the count runs past the year: the year's end closes the window
    if today <= last_day:
        return EditWindow(True, last_day)
    if school_days <= 0:
        reason = (f"Отсъствията от {format_date(lesson_day)} могат да се поправят само в същия учебен ден; "
                  "след това ги променя само извиняване от класния ръководител.")
    else:
        reason = (f"Срокът за поправка на отсъствията от {format_date(lesson_day)} изтече на "
                  f"{format_date(last_day)}; след това ги променя само извиняване от класния ръководител.")
    return EditWindow(False, last_day, reason)
