"""The weekly timetable through the API (Чл. 113, ал. 3), its one-day changes (Чл. 114) and the
lessons it has that the register does not (``GET /lessons/unrecorded``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.lessons import SATURDAY, TODAY, lesson
from tests.support.school import setup_small_school

WEDNESDAY = 3  # TODAY's weekday


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def _school(api, make_user):
    school = setup_small_school(api, make_user)
    physics_id, physics_token = make_user("teacher", "Весела Физикова", classes=["10а"])
    assert api.post("/api/register/assignments", json={
        "teacher_id": physics_id, "class_code": "10а", "subject": "Физика", "weekly_hours": {"1": 2},
    }).status_code == 201
    api.drain()
    return school, physics_id, physics_token


def _week(school, physics_id, valid_from="2023-09-15"):
    return {"valid_from": valid_from, "lessons": [
        {"weekday": WEDNESDAY, "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id},
        {"weekday": WEDNESDAY, "lesson": 2, "subject": "Физика", "teacher_id": physics_id},
        {"weekday": 1, "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id},
    ]}


def test_a_timetable_is_stored_and_read_as_in_force_on_a_day(api, make_user):
    school, physics_id, _token = _school(api, make_user)
    week = _week(school, physics_id)
    answer = api.put("/api/register/classes/10а/timetable", json=week)
    assert answer.status_code == 200, answer.json
    assert answer.json["valid_from"] == "2023-09-15"

    read = api.get("/api/register/classes/10а/timetable?date=2023-10-04")
    assert read.status_code == 200
    key = lambda e: (e["weekday"], e["lesson"])  # noqa: E731
    assert sorted(read.json["lessons"], key=key) == sorted(week["lessons"], key=key)
    # Before the first version there is none; the class teacher reads it.
    assert api.get("/api/register/classes/10а/timetable?date=2023-09-14").status_code == 404
    class_teacher = api.as_(school.class_teacher_token)
    assert class_teacher.get("/api/register/classes/10а/timetable?date=2023-10-04").status_code == 200
    assert api.get("/api/register/classes/11б/timetable").status_code == 404

    # A new version from 02.10 holds from that day on; the old one stays the record of its weeks.
    later = {"valid_from": "2023-10-02", "lessons": week["lessons"][:1]}
    assert api.put("/api/register/classes/10а/timetable", json=later).status_code == 200
    assert len(api.get("/api/register/classes/10а/timetable?date=2023-10-04").json["lessons"]) == 1
    assert len(api.get("/api/register/classes/10а/timetable?date=2023-09-29").json["lessons"]) == 3
    # The same valid_from again replaces that version.
    assert api.put("/api/register/classes/10а/timetable", json=week | {"valid_from": "2023-10-02"}).status_code == 200
    assert len(api.get("/api/register/classes/10а/timetable?date=2023-10-04").json["lessons"]) == 3


def test_a_bad_timetable_names_every_field_and_stores_nothing(api, make_user):
    school, physics_id, physics_token = _school(api, make_user)
    bad = {"valid_from": "2023-09-15", "lessons": [
        {"weekday": 6, "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id},
        {"weekday": 1, "lesson": 9, "subject": "Математика", "teacher_id": school.teacher_id},
        {"weekday": 2, "lesson": 1, "subject": "Химия", "teacher_id": school.teacher_id},
        {"weekday": 2, "lesson": 2, "subject": "Математика", "teacher_id": physics_id},
        {"weekday": 3, "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id},
        {"weekday": 3, "lesson": 1, "subject": "Физика", "teacher_id": physics_id},
    ]}
    answer = api.put("/api/register/classes/10а/timetable", json=bad)
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"lessons.0.weekday", "lessons.1.lesson", "lessons.2.subject",
                                          "lessons.3.teacher_id", "lessons.5.lesson"}
    assert "от 1 до 8" in answer.json["errors"]["lessons.1.lesson"][0]
    assert api.get("/api/register/classes/10а/timetable?date=2023-10-04").status_code == 404
    # Only the office writes it (the director approves it, Чл. 113, ал. 3).
    assert api.as_(physics_token).put("/api/register/classes/10а/timetable",
                                      json=_week(school, physics_id)).status_code == 403


def test_unrecorded_lessons_follow_the_timetable_the_changes_and_the_register(api, make_user):
    school, physics_id, physics_token = _school(api, make_user)
    assert api.put("/api/register/classes/10а/timetable", json=_week(school, physics_id)).status_code == 200

    def unrecorded(day=TODAY):
        answer = api.get(f"/api/register/lessons/unrecorded?date={day.isoformat()}")
        assert answer.status_code == 200, answer.json
        return answer.json

    assert unrecorded() == [
        {"class_code": "10а", "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id,
         "teacher": "Учител Математика"},
        {"class_code": "10а", "lesson": 2, "subject": "Физика", "teacher_id": physics_id, "teacher": "Весела Физикова"},
    ]
    assert unrecorded(SATURDAY) == []  # not a school day: no lessons at all

    # Lesson 1 recorded with an absent student: it is no longer missing.
    recorded = api.as_(school.teacher_token).post("/api/register/absences",
                                                  json=lesson(TODAY, 1, {school.student_id: "unexcused"}))
    assert recorded.status_code == 201, recorded.json
    assert [row["lesson"] for row in unrecorded()] == [2]

    # The physics teacher is absent: a teacher of another class substitutes (Чл. 114, ал. 1, т. 2) and
    # records that lesson, and no other (lesson 3 is not theirs).
    substitute_id, substitute_token = make_user("teacher", "Стоян Заместников", classes=["11б"])
    change = {"date": TODAY.isoformat(), "lesson": 2, "subject": "Математика", "teacher_id": substitute_id,
              "ground": 2, "circumstances": "Отсъствие на учителя по физика по болест."}
    assert api.post("/api/register/classes/10а/timetable/changes", json=change).status_code == 201
    assert unrecorded() == [{"class_code": "10а", "lesson": 2, "subject": "Математика",
                             "teacher_id": substitute_id, "teacher": "Стоян Заместников"}]
    substitute = api.as_(substitute_token)
    assert substitute.post("/api/register/absences", json=lesson(TODAY, 2, {school.student_id: "late"},
                                                                 subject="Физика")).status_code == 403
    assert substitute.post("/api/register/absences", json=lesson(TODAY, 3, {school.student_id: "late"},
                                                                 subject="Математика")).status_code == 403
    assert [row["lesson"] for row in unrecorded()] == [2]
    assert substitute.post("/api/register/absences", json=lesson(TODAY, 2, {school.student_id: "late"},
                                                                 subject="Математика")).status_code == 201
    assert unrecorded() == []
    # An order without its circumstances is refused (Чл. 114, ал. 2), naming the field.
    refused = api.post("/api/register/classes/10а/timetable/changes", json=change | {"circumstances": " "})
    assert refused.status_code == 422
    assert "circumstances" in refused.json["errors"]

    # Monday's lesson, cancelled, is not expected any more.
    monday = TODAY - dt.timedelta(days=2)
    assert [row["lesson"] for row in unrecorded(monday)] == [1]
    cancel = {"date": monday.isoformat(), "lesson": 1, "cancelled": True, "ground": 1,
              "circumstances": "Национално външно оценяване."}
    assert api.post("/api/register/classes/10а/timetable/changes", json=cancel).status_code == 201
    assert unrecorded(monday) == []
    day = api.get(f"/api/register/classes/10а/timetable?date={monday.isoformat()}").json
    assert [(c["lesson"], c["cancelled"]) for c in day["changes"]] == [(1, True)]

    # The management watches the register; a teacher does not see the school's list.
    assert api.as_(physics_token).get("/api/register/lessons/unrecorded").status_code == 403
