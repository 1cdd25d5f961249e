"""Grade XII finishes in May (Чл. 113, ал. 1; Чл. 143, ал. 5): its term, results and correction sessions follow.

The school year holds each early-finishing grade's end of classes (``classes_end``); XII's comes from
``SCHOOL_XII_CLASSES_END`` (15 May) when the year is entered without one. Before, a XII class's
results answered 500: the correction sessions of XII were computed from 30 June.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.register.assessment.test_grades_results import annual, grades, register_on, term_grade, text
from tests.support.school import SCHOOL, YEAR

TERM_1_WINDOW = dt.date(2024, 1, 30)
#: In XII's term-grade window (09.05–13.05.2024, up to two school days before its classes end on 15.05,
#: Чл. 137, ал. 5), six weeks before 10а's.
XII_WINDOW = dt.date(2024, 5, 13)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TERM_1_WINDOW)


def final_class(api, make_user) -> tuple[int, int, str]:
    """School, 2023/2024 entered without ``classes_end``, class 12а with a maths teacher and one student."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher_id, _ = make_user("class_teacher", "Надежда Колева", classes=["12а"])
    teacher_id, teacher_token = make_user("teacher", "Учител Математика", classes=["12а"])
    assert api.post("/api/register/classes", json={"code": "12а", "grade": 12,
                                                   "class_teacher_id": class_teacher_id}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": "12а", "subject": "Математика",
        "weekly_hours": {"1": 3, "2": 3}}).status_code == 201
    student = api.post("/api/register/students", json={
        "first_name": "Иво", "middle_name": "Петров", "last_name": "Стоянов", "egn": "0548110017",
        "class_code": "12а", "guardians": [{"name": "Петър Стоянов", "email": "petar@example.bg"}]})
    assert student.status_code == 201, student.json
    api.drain()
    return student.json["id"], teacher_id, teacher_token


def test_a_year_entered_without_xii_s_end_gets_15_may_and_one_given_is_kept(api):
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    given = {**YEAR, "name": "2024/2025", "start": "2024-09-16", "end": "2025-06-30",
             "terms": [{"start": "2024-09-16", "end": "2025-01-31"}, {"start": "2025-02-05", "end": "2025-06-30"}],
             "vacations": [], "classes_end": {"12": "2025-05-14", "7": "2025-06-30"}}
    assert api.post("/api/register/school-years", json=given).status_code == 201
    years = {year["name"]: year["classes_end"] for year in api.get("/api/register/school-years").json}
    assert years == {"2023/2024": {"12": "2024-05-15"}, "2024/2025": {"12": "2025-05-14", "7": "2025-06-30"}}


@pytest.mark.parametrize(("classes_end", "message"), [
    ({"13": "2025-05-15"}, "от 1 до 12"),
    ({"12": "2025-01-20"}, "във втория срок"),
    ({"12": "15.05.2025"}, "Не е валидна дата"),
])
def test_a_wrong_end_of_classes_is_refused_naming_the_field_and_nothing_is_stored(api, classes_end, message):
    year = {**YEAR, "name": "2024/2025", "start": "2024-09-16", "end": "2025-06-30",
            "terms": [{"start": "2024-09-16", "end": "2025-01-31"}, {"start": "2025-02-05", "end": "2025-06-30"}],
            "vacations": [], "classes_end": classes_end}
    refused = api.post("/api/register/school-years", json=year)
    assert refused.status_code == 422, refused.json
    assert "classes_end" in " ".join(refused.json["errors"])
    assert message in str(refused.json["errors"])
    assert api.get("/api/register/school-years").json == []


def test_xii_forms_its_year_in_may_and_its_correction_sessions_are_may_and_july(api, make_user, settings, plugins):
    student, _teacher_id, token = final_class(api, make_user)
    teacher = api.as_(token)
    grades(teacher, student, "Математика", TERM_1_WINDOW, 3)
    term_grade(teacher, student, "Математика", 1, 3)

    with register_on(settings, plugins, token, XII_WINDOW) as may:
        grades(may, student, "Математика", XII_WINDOW, 3)
        # 13.05 is in XII's term-grade window: its second term ends on 15.05, not on 30.06.
        term_grade(may, student, "Математика", 2, 2)
        assert annual(may, student, "Математика", 2).status_code == 201
        results = may.as_(api.token).get("/api/register/classes/12а/results")
    assert results.status_code == 200, results.json
    [plan] = results.json["corrections"]
    assert [(s["name"], s["start"], s["end"], s["article"]) for s in plan["sessions"]] == [
        ("Първа редовна сесия", "2024-05-16", "2024-05-29", "Чл. 143, ал. 5"),
        ("Втора редовна сесия", "2024-07-01", "2024-07-31", "Чл. 143, ал. 5"),
        ("Допълнителна сесия", "2024-08-01", "2024-10-10", "Чл. 143, ал. 7"),
        ("Януарска сесия", "2025-01-01", "2025-01-31", "Чл. 143, ал. 8"),
    ]


def test_a_grade_after_xii_s_classes_ended_is_refused(api, make_user, settings, plugins):
    student, _teacher_id, token = final_class(api, make_user)
    june = dt.date(2024, 6, 3)
    with register_on(settings, plugins, token, june) as after:
        refused = after.post("/api/register/grades", json={
            "student_id": student, "subject": "Математика", "value": 5, "kind": "oral", "date": june.isoformat()})
    assert refused.status_code == 422, refused.json
    assert "03.06.2024 не е учебен ден" in text(refused)
