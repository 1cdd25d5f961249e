"""The demo school's weekly timetables: every class's curriculum hours placed Monday to Friday so that
no teacher is in two classes at once, stored as the office would (``PUT /classes/{code}/timetable``)."""

from __future__ import annotations

from services.register.demo.school import CLASSES, CURRICULUM
from services.register.school.years import year_containing
from services.register.timetable.rules.bells import parse_bells
from services.register.timetable.rules.checks import WEEKDAYS
from services.register.timetable.timetables import store_timetable
from shared.runtime import ServiceRuntime


def plan_week(classes: tuple[str, ...], curriculum: dict[str, int], teacher_of: dict[str, int],
              lessons_a_day: int) -> dict[str, list[dict]]:
    """Each class's lessons, the subjects spread over the week, each teacher in one class per slot.

    Greedy: day by day, lesson by lesson, each class takes the subject with the most hours left
    whose teacher is free then and which it has not had twice that day.
    """
    busy: set[tuple[int, int, int]] = set()
    left = {code: dict(curriculum) for code in classes}
    per_day = {code: -(-sum(curriculum.values()) // len(WEEKDAYS)) for code in classes}
    week: dict[str, list[dict]] = {code: [] for code in classes}
    for weekday in WEEKDAYS:
        for offset, code in enumerate(classes):
            today: dict[str, int] = {}
            lesson = 1 + offset % 2  # half the classes start with the second bell, as shifts do
            while len([e for e in week[code] if e["weekday"] == weekday]) < per_day[code] and lesson <= lessons_a_day:
                free = [s for s, hours in left[code].items()
                        if hours and today.get(s, 0) < 2 and (weekday, lesson, teacher_of[s]) not in busy]
                if free:
                    subject = max(free, key=lambda s: (left[code][s], -list(curriculum).index(s)))
                    left[code][subject] -= 1
                    today[subject] = today.get(subject, 0) + 1
                    busy.add((weekday, lesson, teacher_of[subject]))
                    week[code].append({"weekday": weekday, "lesson": lesson, "subject": subject,
                                       "teacher_id": teacher_of[subject]})
                lesson += 1
    return week


def create_timetables(rt: ServiceRuntime, context: dict) -> None:
    """Every demo class's timetable from the first day of the school year."""
    if "teachers" not in context:
        return  # the school was there before: the demo adds nothing
    teacher_of = {subject: user.id for subject, user in context["teachers"].items()}
    week = plan_week(CLASSES, CURRICULUM, teacher_of, len(parse_bells(rt.settings.school_bells)))
    with rt.db.transaction() as s:
        year = year_containing(s, rt.clock.today())
        for code, lessons in week.items():
            store_timetable(s, rt, context["director"], code, {"valid_from": year.start, "lessons": lessons})
