"""Which days take absence marks (учебни дни): the one check the API and the lesson page share."""

from __future__ import annotations

from datetime import date

from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date


def day_problem(calendar: SchoolCalendar | None, day: date, today: date) -> str:
    """Why no lesson can be recorded on ``day`` ("" when it can): a future day, no school year, no school day.

    Parameters:
      calendar: the calendar of the school year containing ``day`` (or the last one before it).
    """
    if day > today:
        return "Не може да се въвеждат отсъствия за бъдеща дата."
    if calendar is None or not calendar.year_start <= day <= calendar.year_end:
        return "Няма въведена учебна година, която да съдържа тази дата (POST /school-years)."
    if not calendar.is_school_day(day):
        return f"{format_date(day)} не е учебен ден."
    return ""
