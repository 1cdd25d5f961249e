"""XII's classes end in May (Чл. 113, ал. 1; ``SCHOOL_XII_CLASSES_END``): after that day no absence of
a XII class is recorded, through the API or the lesson page alike (one check, ``day_problem``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.support.school import SCHOOL, YEAR

#: A Monday after XII's last day of classes (15.05.2024 by default).
TODAY = dt.date(2024, 5, 20)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def _class_with_student(api, make_user, code: str, grade: int, egn: str) -> tuple[str, int]:
    teacher_id, token = make_user("teacher", f"Учител {code}", classes=[code])
    assert api.post("/api/register/classes", json={"code": code, "grade": grade}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": code, "subject": "Математика", "weekly_hours": {"1": 4, "2": 4},
    }).status_code == 201
    answer = api.post("/api/register/students", json={
        "first_name": "Ученик", "middle_name": "От", "last_name": code.upper(), "egn": egn, "class_code": code})
    assert answer.status_code == 201, answer.json
    return token, answer.json["id"]


def _record(api, token: str, student_id: int, day: dt.date):
    return api.as_(token).post("/api/register/absences", json={
        "date": day.isoformat(), "lesson": 1, "subject": "Математика",
        "marks": [{"student_id": student_id, "kind": "unexcused"}]})


def test_no_absence_of_a_xii_class_after_its_classes_end_article_113(api, make_user):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    xii, graduate = _class_with_student(api, make_user, "12а", 12, "0541011239")
    x, pupil = _class_with_student(api, make_user, "10а", 10, "0441011235")
    refused = _record(api, xii, graduate, dt.date(2024, 5, 16))
    assert refused.status_code == 422
    assert list(refused.json["errors"]) == ["date"]
    assert "Чл. 113, ал. 1" in str(refused.json["errors"]["date"])
    assert "15.05.2024" in str(refused.json["errors"]["date"])
    summary = api.get(f"/api/register/students/{graduate}/absences/summary").json
    assert summary["unexcused_total"] == 0  # nothing stored
    assert _record(api, xii, graduate, dt.date(2024, 5, 15)).status_code == 201  # the last day of classes
    assert _record(api, x, pupil, dt.date(2024, 5, 16)).status_code == 201  # X goes on to the end of June


def _import(api, lines: list[str]):
    content = ("student_id,date,lesson,subject,kind\n" + "\n".join(lines) + "\n").encode()
    return api.post("/api/register/absences/import", data={"file": (io.BytesIO(content), "absences.csv")},
                    content_type="multipart/form-data")


def test_the_bulk_import_refuses_a_xii_day_after_its_classes_end_article_113(api, make_user):
    """The import goes through the same check as ``POST /absences``: the row is named with its ``date``
    column and the article, and nothing of the file is stored."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    _xii, graduate = _class_with_student(api, make_user, "12а", 12, "0541011239")
    _x, pupil = _class_with_student(api, make_user, "10а", 10, "0441011235")
    refused = _import(api, [f"{pupil},2024-05-16,1,Математика,unexcused",
                            f"{graduate},2024-05-15,1,Математика,unexcused",
                            f"{graduate},2024-05-16,2,Математика,unexcused"])
    assert refused.status_code == 422, refused.json
    assert list(refused.json["errors"]) == ["2.date"]
    assert "Чл. 113, ал. 1" in str(refused.json["errors"]["2.date"])
    assert "15.05.2024" in str(refused.json["errors"]["2.date"])
    for student in (graduate, pupil):  # nothing of the file stored
        assert api.get(f"/api/register/students/{student}/absences/summary").json["unexcused_total"] == 0
    accepted = _import(api, [f"{pupil},2024-05-16,1,Математика,unexcused",
                             f"{graduate},2024-05-15,1,Математика,unexcused"])
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["count"] == 2
