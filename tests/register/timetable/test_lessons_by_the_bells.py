"""How many lessons a day has, and which have begun, come from the bell schedule (``SCHOOL_SCHOOL_BELLS``):
the lesson links of the teacher's home, the lesson numbers the register takes, and today's lessons not
recorded, which leave out the lessons whose bell has not rung yet."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from shared.clock import Clock
from tests.support.lessons import PASSWORD, TODAY, lesson
from tests.support.pages import signed_in
from tests.support.school import setup_small_school

#: Six lessons of 40 minutes from 08:00 (a short day).
SIX_BELLS = "08:00-08:40,08:50-09:30,09:40-10:20,10:40-11:20,11:30-12:10,12:20-13:00"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY, school_bells=SIX_BELLS)


def _at(process, hour: int, minute: int) -> None:
    register = process.runtime("register")
    register.clock = Clock(TODAY, register.settings.timezone, fixed_time=dt.time(hour, minute))


def test_six_bells_make_a_day_of_six_lessons(api, make_user, app):
    school = setup_small_school(api, make_user)
    make_user("teacher", "Учител Звънец", classes=["10а"], password=PASSWORD)
    seventh = api.as_(school.teacher_token).post("/api/register/absences",
                                                 json=lesson(TODAY, 7, {school.student_id: "unexcused"}))
    assert seventh.status_code == 422
    assert list(seventh.json["errors"]) == ["lesson"]
    assert "от 1 до 6" in seventh.json["errors"]["lesson"][0]
    assert api.as_(school.teacher_token).post("/api/register/absences", json=lesson(
        TODAY, 6, {school.student_id: "unexcused"})).status_code == 201
    home = signed_in(app, "Учител Звънец", PASSWORD).get("/register/fragments/home").get_data(as_text=True)
    assert "lesson=6" in home
    assert "lesson=7" not in home


def test_todays_lessons_not_recorded_leave_out_those_not_begun(api, make_user, process):
    school = setup_small_school(api, make_user)
    assert api.put("/api/register/classes/10а/timetable", json={"valid_from": "2023-09-15", "lessons": [
        {"weekday": 3, "lesson": n, "subject": "Математика", "teacher_id": school.teacher_id} for n in (1, 2, 5)
    ]}).status_code == 200

    def unrecorded() -> list[int]:
        answer = api.get(f"/api/register/lessons/unrecorded?date={TODAY.isoformat()}")
        assert answer.status_code == 200, answer.json
        return [row["lesson"] for row in answer.json]

    _at(process, 7, 30)
    assert unrecorded() == []  # before the first bell nothing is missing yet
    _at(process, 8, 55)
    assert unrecorded() == [1, 2]  # the 2nd began at 08:50
    _at(process, 16, 0)
    assert unrecorded() == [1, 2, 5]


def test_a_teachers_lessons_of_today_are_listed_in_the_order_of_the_bells(api, make_user, app):
    """The home's „Моите часове днес“: the 1st lesson in 11б before the 3rd in 10а (the classes' order put
    10а first), as the teacher goes through the day."""
    setup_small_school(api, make_user)
    teacher_id, _token = make_user("teacher", "Учител Звънец", classes=["10а", "11б"], password=PASSWORD)
    class_teacher_id, _token = make_user("class_teacher", "Класен 11б", classes=["11б"])
    assert api.post("/api/register/classes", json={"code": "11б", "grade": 11,
                                                   "class_teacher_id": class_teacher_id}).status_code == 201
    for code in ("10а", "11б"):
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher_id, "class_code": code, "subject": "Математика",
            "weekly_hours": {"1": 2, "2": 2}}).status_code == 201
    for code, lessons in (("10а", (3, 6)), ("11б", (1, 4))):
        answer = api.put(f"/api/register/classes/{code}/timetable", json={"valid_from": "2023-09-15", "lessons": [
            {"weekday": TODAY.isoweekday(), "lesson": n, "subject": "Математика", "teacher_id": teacher_id}
            for n in lessons]})
        assert answer.status_code == 200, answer.json
    api.drain()
    teacher = signed_in(app, "Учител Звънец", PASSWORD)
    home = teacher.get("/register/fragments/home").get_data(as_text=True)
    listed = re.findall(r"(\d)\. час · (\S+) · Математика", home)
    assert listed == [("1", "11б"), ("3", "10а"), ("4", "11б"), ("6", "10а")]
