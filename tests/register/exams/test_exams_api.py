"""Exams through the API: scheduling with a commission in the windows of the rules, results entered by
the commission and what they make of the student's grades, and the protocol drawn up by documents
(Чл. 126, ал. 1; Чл. 137, ал. 1–2, 4, 6; Чл. 143, ал. 1, 4–9)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
import sqlalchemy as sa

from services.documents.models import Document
from services.register.models.assessment import ResultGrade
from shared.bootstrap import build_process
from shared.web.combined import create_combined_app
from tests.support.api import ApiClient
from tests.support.lessons import add_students
from tests.support.school import setup_small_school

pytestmark = [pytest.mark.integration, pytest.mark.backend("embedded")]

#: Term 1 of the test year ends on 2 February 2024: a week later is inside the two weeks of Чл. 137, ал. 4.
AFTER_TERM_1 = dt.date(2024, 2, 9)
#: The first correction session of VIII–XI: 1–14 July 2024 (Чл. 143, ал. 4).
FIRST_SESSION = dt.date(2024, 7, 3)
SECOND_SESSION = dt.date(2024, 9, 2)


@pytest.fixture
def settings(settings):
    return settings.replace(today=AFTER_TERM_1)


@contextlib.contextmanager
def register_on(settings, plugins, token: str, day: dt.date):
    """The register alone with its clock on ``day``; its events wait in the outbox for the main process."""
    proc = build_process(settings.replace(today=day), services=("register",), plugins=plugins)
    try:
        yield ApiClient(create_combined_app(proc.runtimes), token, lambda: None)
    finally:
        proc.stop()


def text(answer) -> str:
    errors = answer.json["errors"]
    return " ".join(t for texts in errors.values() for t in (texts if isinstance(texts, list) else [texts]))


def exam(kind: str, day: dt.date, chair: int, members: list[int], students: list[int], **extra) -> dict:
    return {"kind": kind, "class_code": "10а", "subject": "Математика", "date": day.isoformat(),
            "chair_id": chair, "member_ids": members, "student_ids": students, **extra}


def annual_poor(process, *students: int, subject: str = "Математика") -> None:
    """The year's annual „слаб (2)“, as the teacher formed it (the forming is the grades tests' concern)."""
    with process.runtime("register").db.transaction() as s:
        for student in students:
            s.add(ResultGrade(student_id=student, class_code="10а", grade_level=10, subject=subject,
                              school_year="2023/2024", period="annual", value=2, record="",
                              formed_on=dt.date(2024, 6, 28), teacher_id=1))


def test_term_grade_exam_commission_window_result_and_protocol_chl_137(api, make_user, process):
    school = setup_small_school(api, make_user)
    student, teacher = school.student_id, school.teacher_id
    member, member_token = make_user("teacher", "Стефка Иванова")
    _outsider, outsider_token = make_user("teacher", "Петър Димитров")

    # a commission is a chair and at least one member, of the school's staff (Чл. 126, ал. 1)
    alone = api.post("/api/register/exams", json=exam("term_grade", AFTER_TERM_1, teacher, [], [student], term=1))
    assert alone.status_code == 422
    assert "member_ids" in alone.json["errors"]
    assert "Чл. 126, ал. 1" in text(alone)
    # the second date is no later than two weeks after the term (Чл. 137, ал. 4) ...
    late = api.post("/api/register/exams", json=exam("term_grade", dt.date(2024, 2, 20), teacher, [member],
                                                      [student], term=1))
    assert late.status_code == 422
    assert "date" in late.json["errors"]
    assert "Чл. 137, ал. 4" in text(late)
    assert "16.02.2024" in text(late)
    # ... unless the pedagogical council put it off, by at most a month (Чл. 137, ал. 6)
    put_off = api.post("/api/register/exams", json=exam("term_grade", dt.date(2024, 3, 5), teacher, [member],
                                                         [student], term=1, pc_decision="протокол № 7/05.02.2024"))
    assert put_off.status_code == 422
    assert "Чл. 137, ал. 6" in text(put_off)

    created = api.post("/api/register/exams", json=exam("term_grade", AFTER_TERM_1, teacher, [member], [student],
                                                        term=1))
    assert created.status_code == 201, created.json
    exam_id = created.json["id"]
    assert created.json["status"] == "scheduled"
    assert created.json["chair"]["name"] == "Учител Математика"
    assert [m["name"] for m in created.json["members"]] == ["Стефка Иванова"]
    twice = api.post("/api/register/exams", json=exam("term_grade", AFTER_TERM_1, teacher, [member], [student],
                                                      term=1))
    assert twice.status_code == 422
    assert "student_ids" in twice.json["errors"]

    # the commission enters the results, nobody else among the teachers
    results = {"results": [{"student_id": student, "value": 5}]}
    assert api.as_(outsider_token).post(f"/api/register/exams/{exam_id}/results", json=results).status_code == 403
    both = api.as_(member_token).post(f"/api/register/exams/{exam_id}/results", json={
        "results": [{"student_id": student, "value": 5, "absent": True}]})
    assert both.status_code == 422
    held = api.as_(member_token).post(f"/api/register/exams/{exam_id}/results", json=results)
    assert held.status_code == 200, held.json
    assert held.json["status"] == "held"
    [row] = held.json["students"]
    assert (row["result"], row["outcome"]) == ("много добър (5)", "term_grade")
    # the exam's grade is the term grade (Чл. 137)
    grades = api.get(f"/api/register/students/{student}/grades", query_string={"term": 1}).json
    assert grades["Математика"]["term"] == 5
    again = api.as_(member_token).post(f"/api/register/exams/{exam_id}/results", json=results)
    assert again.status_code == 422
    # a student with a term grade sits no exam for it (Чл. 137, ал. 1–2)
    refused = api.post("/api/register/exams", json=exam("term_grade", AFTER_TERM_1, teacher, [member], [student],
                                                        term=1))
    assert refused.status_code == 422
    assert "Чл. 137, ал. 1–2" in text(refused)

    # the protocol is drawn up where the exam happened, with the commission and the results
    api.drain()
    with process.runtime("documents").db.sessions() as s:
        document = s.scalar(sa.select(Document).where(Document.template == "term_exam_protocol"))
    assert document is not None
    assert document.status == "done", document.error
    assert document.context["commission"] == {"chair": "Учител Математика", "members": ["Стефка Иванова"]}
    assert document.context["results"][0]["grade"] == "много добър (5)"
    listed = api.get("/api/register/exams").json
    assert [e["protocol_document_id"] for e in listed] == [document.id]


def test_missed_term_exam_second_date_then_annual_exam_chl_137_al_4(api, make_user, process):
    school = setup_small_school(api, make_user)
    student, teacher = school.student_id, school.teacher_id
    member, _token = make_user("teacher", "Стефка Иванова")
    outcomes = []
    for day in (dt.date(2024, 2, 5), AFTER_TERM_1):
        created = api.post("/api/register/exams", json=exam("term_grade", day, teacher, [member], [student], term=1))
        assert created.status_code == 201, created.json
        answer = api.post(f"/api/register/exams/{created.json['id']}/results",
                          json={"results": [{"student_id": student, "absent": True}]})
        assert answer.status_code == 200, answer.json
        outcomes.append(answer.json["students"][0])
    assert outcomes[0]["result"] == "не се явил"
    assert outcomes[0]["outcome"] == "second_date"
    assert "16.02.2024" in outcomes[0]["outcome_text"]
    assert "Чл. 137, ал. 4" in outcomes[0]["outcome_text"]
    assert outcomes[1]["outcome"] == "annual_exam"
    assert "изпит за определяне на годишна оценка" in outcomes[1]["outcome_text"]
    third = api.post("/api/register/exams", json=exam("term_grade", AFTER_TERM_1, teacher, [member], [student],
                                                      term=1))
    assert third.status_code == 422


def test_correction_exam_sessions_eligibility_outcomes_and_results_chl_143(api, make_user, process, settings,
                                                                          plugins):
    school = setup_small_school(api, make_user)
    teacher = school.teacher_id
    member, _token = make_user("teacher", "Стефка Иванова")
    failing, passing = school.student_id, *add_students(api, 1)
    [other] = add_students(api, 1, seed=11)
    annual_poor(process, failing, passing)
    token = api.token

    with register_on(settings, plugins, token, FIRST_SESSION) as july:
        # only a student with an annual „слаб (2)“ in the subject (Чл. 143, ал. 1)
        refused = july.post("/api/register/exams", json=exam("correction", FIRST_SESSION, teacher, [member],
                                                             [failing, other]))
        assert refused.status_code == 422
        assert "Чл. 143, ал. 1" in text(refused)
        # only inside a correction session of the class (Чл. 143, ал. 4)
        outside = july.post("/api/register/exams", json=exam("correction", dt.date(2024, 8, 1), teacher, [member],
                                                             [failing]))
        assert outside.status_code == 422
        assert "date" in outside.json["errors"]
        assert "Първа редовна сесия: от 01.07.2024 до 14.07.2024 (Чл. 143, ал. 4)" in text(outside)
        first = july.post("/api/register/exams", json=exam("correction", FIRST_SESSION, teacher, [member],
                                                           [failing, passing]))
        assert first.status_code == 201, first.json
        assert first.json["session"] == "Първа редовна сесия"
        done = july.post(f"/api/register/exams/{first.json['id']}/results", json={"results": [
            {"student_id": failing, "value": 2}, {"student_id": passing, "value": 4}]})
        assert done.status_code == 200, done.json
        by_student = {r["student_id"]: r for r in done.json["students"]}
        # a grade above „слаб“ is the annual grade (Чл. 143, ал. 1); a fail goes to the next session
        assert by_student[passing]["outcome"] == "annual_grade"
        assert by_student[failing]["outcome"] == "next_session"
        assert "втората редовна сесия – от 01.09.2024 до 14.09.2024" in by_student[failing]["outcome_text"]

    with register_on(settings, plugins, token, SECOND_SESSION) as september:
        # the student who passed is no longer eligible: the annual grade is 4 now
        again = september.post("/api/register/exams", json=exam("correction", SECOND_SESSION, teacher, [member],
                                                                [passing]))
        assert again.status_code == 422
        second = september.post("/api/register/exams", json=exam("correction", SECOND_SESSION, teacher, [member],
                                                                 [failing]))
        assert second.status_code == 201, second.json
        missed = september.post(f"/api/register/exams/{second.json['id']}/results",
                                json={"results": [{"student_id": failing, "absent": True}]})
        # missed in the last regular session: repeats the class (Чл. 143, ал. 9)
        [row] = missed.json["students"]
        assert row["outcome"] == "repeats_class"
        assert "повтаря класа (Чл. 143, ал. 9)" in row["outcome_text"]
        results = september.get("/api/register/classes/10а/results")
    api.drain()
    rows = {r["student_id"]: r for r in results.json["students"]}
    assert rows[passing]["annual"]["Математика"] == 4
    assert [o["outcome"] for o in rows[failing]["exam_outcomes"]] == ["next_session", "repeats_class"]
    final = api.get(f"/api/register/students/{passing}/final-grades").json
    assert final["Математика"]["value"] == "4.00"
    with process.runtime("documents").db.sessions() as s:
        protocols = s.scalars(sa.select(Document).where(Document.template == "correction_exam_protocol")).all()
    assert len(protocols) == 2
    assert all(p.status == "done" for p in protocols)
