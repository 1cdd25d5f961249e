"""A class of any size for the lesson tests: students added through the API, as the secretary would."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.register.people.rules.personal_number import fake_egns
from tests.support.school import SCHOOL, YEAR

#: A Wednesday of the test school year (``tests/support/school.py``), used as "today".
TODAY = dt.date(2023, 10, 4)
#: The school day before it.
YESTERDAY = dt.date(2023, 10, 3)
#: A Saturday of the same year, before "today".
SATURDAY = dt.date(2023, 9, 30)

_FIRST = ("Иван", "Петър", "Георги", "Никола", "Стефан", "Димитър", "Христо", "Борис", "Васил", "Тодор")
_LAST = ("Александров", "Борисов", "Василев", "Георгиев", "Данаилов", "Еленков", "Живков", "Захариев",
         "Илиев", "Йорданов", "Калинов", "Лазаров", "Минчев", "Николов", "Огнянов")


def add_students(api, count: int, class_code: str = "10а", *, seed: int = 7) -> list[int]:
    """``count`` more students of the class, with distinct names and valid fake ЕГН; their ids in order."""
    egns = fake_egns(count, seed=seed, born_from=dt.date(2007, 1, 1), born_to=dt.date(2008, 12, 31))
    ids = []
    for index, info in enumerate(egns):
        answer = api.post("/api/register/students", json={
            "first_name": _FIRST[index % len(_FIRST)], "middle_name": "",
            "last_name": f"{_LAST[index // len(_FIRST) % len(_LAST)]}", "egn": info.egn, "class_code": class_code,
            "guardians": []})
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["id"])
    return ids


def lesson(day: dt.date, number: int, marks: dict[int, str], subject: str = "Математика") -> dict:
    return {"date": day.isoformat(), "lesson": number, "subject": subject,
            "marks": [{"student_id": sid, "kind": kind} for sid, kind in marks.items()]}


def correction(day: dt.date, number: int, marks: dict[int, str], class_code: str = "10а") -> dict:
    return {"class_code": class_code, "date": day.isoformat(), "lesson": number,
            "marks": [{"student_id": sid, "kind": kind} for sid, kind in marks.items()]}


PASSWORD = "дълга-парола-1"


@dataclasses.dataclass
class LessonClass:
    """Class 10а of the test school: its teachers (who can sign in with :data:`PASSWORD`) and students."""

    teacher: str
    teacher_token: str
    class_teacher: str
    class_teacher_token: str
    students: list[int]


def setup_class(api, make_user, students: int) -> LessonClass:
    """The test school and year, class 10а with its class teacher, a maths teacher and ``students`` students."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher_id, class_teacher_token = make_user("class_teacher", "Мария Петрова", classes=["10а"],
                                                      password=PASSWORD)
    teacher_id, teacher_token = make_user("teacher", "Георги Димов", classes=["10а"], password=PASSWORD)
    assert api.post("/api/register/classes", json={
        "code": "10а", "grade": 10, "class_teacher_id": class_teacher_id}).status_code == 201
    for subject in ("Математика", "Информатика"):
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher_id, "class_code": "10а", "subject": subject, "weekly_hours": {"1": 2, "2": 2},
        }).status_code == 201
    ids = add_students(api, students)
    api.drain()
    return LessonClass("Георги Димов", teacher_token, "Мария Петрова", class_teacher_token, ids)
