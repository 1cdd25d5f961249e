"""Annual and final grades, the pass rule and the correction exams (Чл. 138, 141–143), over two school years.

Term grades are formed only inside the window at the end of each term, so the test uses register
processes whose clock stands on those days, over the same databases.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from shared.bootstrap import build_process
from shared.web.combined import create_combined_app
from tests.support.api import ApiClient
from tests.support.school import setup_small_school

TERM_1_WINDOW = dt.date(2024, 1, 30)
TERM_2_WINDOW = dt.date(2024, 6, 25)
NEXT_TERM_1_WINDOW = dt.date(2025, 1, 28)
NEXT_YEAR = {
    "name": "2024/2025", "start": "2024-09-16", "end": "2025-06-30",
    "terms": [{"start": "2024-09-16", "end": "2025-01-31"}, {"start": "2025-02-05", "end": "2025-06-30"}],
    "vacations": [{"start": "2024-12-21", "end": "2025-01-05"}], "non_school_days": [],
}


@pytest.fixture
def settings(settings):
    return settings.replace(today=TERM_1_WINDOW)


@contextlib.contextmanager
def register_on(settings, plugins, token: str, day: dt.date):
    """The register alone with its clock on ``day``; its events wait in the outbox for the main process."""
    proc = build_process(settings.replace(today=day), services=("register",), plugins=plugins)
    try:
        yield ApiClient(create_combined_app(proc.runtimes), token, lambda: None)
    finally:
        proc.stop()


def grades(client, student_id, subject, day, count):
    for _ in range(count):
        answer = client.post("/api/register/grades", json={
            "student_id": student_id, "subject": subject, "value": 5, "kind": "oral", "date": day.isoformat()})
        assert answer.status_code == 201, answer.json


def term_grade(client, student_id, subject, term, value):
    answer = client.post("/api/register/term-grades", json={
        "student_id": student_id, "subject": subject, "term": term, "value": value})
    assert answer.status_code == 201, answer.json


def annual(client, student_id, subject, value=None):
    return client.post("/api/register/annual-grades", json={"student_id": student_id, "subject": subject,
                                                            "value": value})


def text(answer) -> str:
    return " ".join(t for texts in answer.json["errors"].values() for t in texts)


def test_annual_final_pass_and_correction_exams(api, make_user, settings, plugins):
    school = setup_small_school(api, make_user)
    student, teacher = school.student_id, api.as_(school.teacher_token)
    for subject, hours in (("История и цивилизации", {"1": 1, "2": 1}), ("Философия", {"1": 1, "2": 0})):
        assert api.post("/api/register/assignments", json={
            "teacher_id": school.teacher_id, "class_code": "10а", "subject": subject,
            "weekly_hours": hours}).status_code == 201

    # term 1 of 2023/2024
    grades(teacher, student, "Математика", TERM_1_WINDOW, 4)
    grades(teacher, student, "История и цивилизации", TERM_1_WINDOW, 2)
    grades(teacher, student, "Философия", TERM_1_WINDOW, 2)
    term_grade(teacher, student, "Математика", 1, 3)
    term_grade(teacher, student, "История и цивилизации", 1, 4)
    term_grade(teacher, student, "Философия", 1, 5)
    one_term = annual(teacher, student, "Философия", 4)
    assert one_term.status_code == 422
    assert "Чл. 138, ал. 2" in text(one_term)  # a one-term subject: the term grade is the annual one
    assert annual(teacher, student, "Философия").json["value"] == 5
    no_second_term = annual(teacher, student, "Математика", 3)
    assert no_second_term.status_code == 422
    assert "Чл. 138, ал. 1" in text(no_second_term)

    # term 2 and the year's end
    with register_on(settings, plugins, school.teacher_token, TERM_2_WINDOW) as june:
        grades(june, student, "Математика", TERM_2_WINDOW, 4)
        grades(june, student, "История и цивилизации", TERM_2_WINDOW, 2)
        term_grade(june, student, "Математика", 2, 2)
        term_grade(june, student, "История и цивилизации", 2, 5)
        no_choice = annual(june, student, "Математика")
        assert no_choice.status_code == 422
        assert "Чл. 138, ал. 1" in text(no_choice)
        assert annual(june, student, "Математика", 2).json["name"] == "слаб"
        assert annual(june, student, "История и цивилизации", 5).status_code == 201
        results = june.as_(api.token).get("/api/register/classes/10а/results")
        assert results.status_code == 200, results.json
    [row] = results.json["students"]
    assert row["annual"] == {"Математика": 2, "История и цивилизации": 5, "Философия": 5}
    assert (row["passed"], row["failed_subjects"]) == (False, ["Математика"])
    assert "Чл. 142, ал. 1" in " ".join(row["reasons"])
    [plan] = results.json["corrections"]
    assert (plan["student_id"], plan["subjects"], plan["summer_tuition_required"]) == (student, ["Математика"], True)
    assert [(s["name"], s["start"], s["end"], s["article"]) for s in plan["sessions"]] == [
        ("Първа редовна сесия", "2024-07-01", "2024-07-14", "Чл. 143, ал. 4"),
        ("Втора редовна сесия", "2024-09-01", "2024-09-14", "Чл. 143, ал. 4"),
        ("Допълнителна сесия", "2024-09-15", "2024-10-10", "Чл. 143, ал. 7"),
    ]

    # the next year: a second annual grade in philosophy gives a final grade to 0.01 (Чл. 141, ал. 1)
    assert api.post("/api/register/school-years", json=NEXT_YEAR).status_code == 201
    with register_on(settings, plugins, school.teacher_token, NEXT_TERM_1_WINDOW) as january:
        grades(january, student, "Философия", NEXT_TERM_1_WINDOW, 2)
        term_grade(january, student, "Философия", 1, 4)
        assert annual(january, student, "Философия").json["value"] == 4
    final = api.get(f"/api/register/students/{student}/final-grades")
    assert final.status_code == 200, final.json
    assert (final.json["Философия"]["value"], final.json["Философия"]["name"]) == ("4.50", "много добър")
    assert final.json["Математика"]["value"] == "2.00"
    api.drain()
