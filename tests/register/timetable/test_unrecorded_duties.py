"""The end-of-day sweep: a teacher's lessons not recorded become a duty in planning (Чл. 97, т. 9:
absences finalised within a week), closed once the register has them; running it twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from services.register.timetable.sweeps import announce_unrecorded
from tests.conftest import drain
from tests.support.lessons import TODAY, lesson
from tests.support.school import setup_small_school

#: A Tuesday: the Wednesday before (TODAY) is in the week looked back at, its duty due the next day.
NEXT_TUESDAY = TODAY + dt.timedelta(days=6)


@pytest.fixture
def settings(settings):
    return settings.replace(today=NEXT_TUESDAY)


def due_soon(api) -> list[str]:
    answer = api.get("/api/planning/dashboard")
    assert answer.status_code == 200, answer.json
    return sorted(item["title"] for item in answer.json["due_soon"] if item["title"].startswith("Невписани часове"))


@pytest.mark.backend("embedded")
def test_unrecorded_lessons_become_duties_that_close_when_recorded(backend, api, make_user, process):
    school = setup_small_school(api, make_user)
    physics_id, _token = make_user("teacher", "Весела Физикова", classes=["10а"])
    assert api.post("/api/register/assignments", json={
        "teacher_id": physics_id, "class_code": "10а", "subject": "Физика", "weekly_hours": {"1": 2},
    }).status_code == 201
    assert api.put("/api/register/classes/10а/timetable", json={"valid_from": "2023-09-15", "lessons": [
        {"weekday": 3, "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id},
        {"weekday": 3, "lesson": 2, "subject": "Физика", "teacher_id": physics_id},
    ]}).status_code == 200
    register = process.runtime("register")

    assert announce_unrecorded(register) == 2
    assert announce_unrecorded(register) == 0  # safe to run twice
    drain(process)
    assert due_soon(api) == [
        "Невписани часове от 04.10.2023 – Весела Физикова: 10а клас 2. час (Физика)",
        "Невписани часове от 04.10.2023 – Учител Математика: 10а клас 1. час (Математика)",
    ]

    recorded = api.as_(school.teacher_token).post("/api/register/absences",
                                                  json=lesson(TODAY, 1, {school.student_id: "late"}))
    assert recorded.status_code == 201, recorded.json
    assert announce_unrecorded(register) == 1  # the maths teacher's duty is closed
    drain(process)
    assert due_soon(api) == ["Невписани часове от 04.10.2023 – Весела Физикова: 10а клас 2. час (Физика)"]
