"""A class's lessons on one day: the weekday's slots of the timetable in force, with the day's changes.

Pure: the caller reads the timetable, the changes and the calendar; this only combines them.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class DayLesson:
    """One lesson a class has on a day (учебен час по разписание), after the day's changes."""

    class_code: str
    lesson: int
    subject: str
    teacher_id: int
    #: The lesson is a one-day change of the timetable (Чл. 114), e.g. a substitution.
    changed: bool = False


def lessons_of_day(class_code: str, slots: list[tuple[int, str, int]],
                   changes: list[tuple[int, str | None, int | None, bool]]) -> list[DayLesson]:
    """The class's lessons in lesson order.

    Parameters:
      slots: the timetable's (lesson, subject, teacher id) on the day's weekday.
      changes: the day's (lesson, subject, teacher id, cancelled); a change of a lesson the
        timetable does not have adds it (a term paper's second hour, Чл. 114, ал. 1, т. 3).
    """
    by_number = {lesson: DayLesson(class_code, lesson, subject, teacher) for lesson, subject, teacher in slots}
    for lesson, subject, teacher, cancelled in changes:
        if cancelled:
            by_number.pop(lesson, None)
        elif subject is not None and teacher is not None:
            by_number[lesson] = DayLesson(class_code, lesson, subject, teacher, changed=True)
    return [by_number[n] for n in sorted(by_number)]
