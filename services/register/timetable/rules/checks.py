"""The checks of a weekly timetable (седмично разписание), before it is stored.

The timetable is approved by the director each term (Чл. 113, ал. 3): per weekday and lesson
number, the subject and its teacher.  A lesson number is one of the bell schedule's; the days are
Monday to Friday (weekday 1–5), the school week of the Minister's order; a Saturday declared a
working day follows the timetable of the weekday the director names, which is a one-day change.

One subject and one teacher per class, weekday and lesson.  A class split into groups (two
languages in the same slot) is not two entries: the register records a lesson once per class
(the lesson page takes the whole class and a student has one mark per date and lesson), so such a
slot is entered as one of the groups' subjects and teachers, and the other group's teacher is
given the lesson by a one-day change when needed.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The school week's days, Monday = 1 (as ISO weekdays).
WEEKDAYS: dict[int, str] = {1: "понеделник", 2: "вторник", 3: "сряда", 4: "четвъртък", 5: "петък"}


def check_lessons(lessons: list[dict], last_lesson: int, assignments: Iterable[tuple[str, int]]) -> dict[str, str]:
    """Problems of a timetable's lessons by field path (``lessons.3.teacher_id``); empty when none.

    Parameters:
      lessons: ``{"weekday", "lesson", "subject", "teacher_id"}`` in the request's order.
      last_lesson: the bell schedule's number of lessons.
      assignments: the class's (subject, teacher id) pairs (``POST /assignments``).
    """
    pairs = set(assignments)
    subjects = {subject for subject, _teacher in pairs}
    errors: dict[str, str] = {}
    seen: dict[tuple[int, int], int] = {}
    for i, entry in enumerate(lessons):
        if entry["weekday"] not in WEEKDAYS:
            errors[f"lessons.{i}.weekday"] = "Денят е от 1 (понеделник) до 5 (петък)."
        if not 1 <= entry["lesson"] <= last_lesson:
            errors[f"lessons.{i}.lesson"] = f"Номерът на часа е от 1 до {last_lesson} (според звънеца)."
        if entry["subject"] not in subjects:
            errors[f"lessons.{i}.subject"] = f"Паралелката няма предмет „{entry['subject']}“ (POST /assignments)."
        elif (entry["subject"], entry["teacher_id"]) not in pairs:
            errors[f"lessons.{i}.teacher_id"] = f"Учителят не преподава „{entry['subject']}“ в паралелката."
        slot = (entry["weekday"], entry["lesson"])
        if slot in seen:
            errors[f"lessons.{i}.lesson"] = (f"{entry['lesson']}. час в {WEEKDAYS.get(entry['weekday'], 'този ден')} "
                                             f"вече е зададен (ред {seen[slot] + 1} от списъка).")
        else:
            seen[slot] = i
    return errors
