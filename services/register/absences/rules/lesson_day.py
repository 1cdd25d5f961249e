"""Which days take absence marks (учебни дни): the one check the API and the lesson page share."""

from __future__ import annotations

from datetime import date

from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date

#: Classes of the final grade end in May by the minister's order of the year.
CLASSES_END_ARTICLE = "Чл. 113, ал. 1"


def day_problem(calendar: SchoolCalendar | None, day: date, today: date, grade: int | None = None) -> str:
    """Why no lesson can be recorded on ``day`` ("" when it can): a future day, no school year, no school
    day, or a day after the class's grade has ended its classes (XII in May, ``SCHOOL_XII_CLASSES_END``).

    Parameters:
      calendar: the calendar of the school year containing ``day`` (or the last one before it).
      grade: the class's grade (клас), whose classes may end before the year does; None: not known yet.
    """
    if day > today:
        return "Не може да се въвеждат отсъствия за бъдеща дата."
    if calendar is None or not calendar.year_start <= day <= calendar.year_end:
        return "Няма въведена учебна година, която да съдържа тази дата (POST /school-years)."
    if not calendar.is_school_day(day):
        return f"{format_date(day)} не е учебен ден."
    if grade is not None and day > (end := calendar.classes_end_of(grade)):
        return (f"Учебните занятия на {grade} клас са приключили на {format_date(end)} ({CLASSES_END_ARTICLE}): "
                "след тази дата не се въвеждат отсъствия.")
    return ""
