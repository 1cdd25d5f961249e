"""The orders of the year's end, drawn up by the register's sweep on the last day of classes: the
correction sessions (O18, Чл. 143, ал. 4–8) and the summer tuition of the students with an annual
„слаб“ (O19, Чл. 143, ал. 10); and the entry-level test as a grade kind (Чл. 128, ал. 2)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.documents.models import Document
from services.planning.models import Procedure
from services.register.exams.orders import ask_year_end_orders
from services.register.models.assessment import ResultGrade
from services.register.models.exams import ExamOrderRequest
from shared.bootstrap import build_process
from shared.clock import Clock
from shared.web.combined import create_combined_app
from tests.support.api import ApiClient
from tests.support.school import setup_small_school

pytestmark = [pytest.mark.integration, pytest.mark.backend("embedded")]

#: The last day of classes of 10а in the test year (the second term's end).
CLASSES_END = dt.date(2024, 6, 30)


@pytest.fixture
def settings(settings):
    return settings.replace(today=CLASSES_END)


def test_sessions_and_summer_tuition_orders_once_on_the_last_day_of_classes_chl_143(api, make_user, process):
    school = setup_small_school(api, make_user)
    with process.runtime("register").db.transaction() as s:
        s.add(ResultGrade(student_id=school.student_id, class_code="10а", grade_level=10, subject="Математика",
                          school_year="2023/2024", period="annual", value=2, record="", formed_on=CLASSES_END,
                          teacher_id=school.teacher_id))
    register = process.runtime("register")
    assert ask_year_end_orders(register) == 3  # O18, the director's duty, O19
    assert ask_year_end_orders(register) == 0  # safe to run twice
    api.drain()
    with process.runtime("planning").db.sessions() as s:
        duty = s.scalar(sa.select(Procedure).where(Procedure.source == "register"))
    assert (duty.due, duty.responsible_roles, duty.article, duty.status) == (
        dt.date(2024, 6, 30), ["director"], "Чл. 143, ал. 4–5", "open")
    assert "насрочете изпитите и комисиите за първа редовна сесия (от 01.07.2024 до 14.07.2024)" in duty.title
    # once every student with an annual „слаб“ has a correction exam, the duty is done
    member, _token = make_user("teacher", "Стефка Иванова")
    assert api.post("/api/register/exams", json={
        "kind": "correction", "class_code": "10а", "subject": "Математика", "date": "2024-07-03",
        "chair_id": school.teacher_id, "member_ids": [member], "student_ids": [school.student_id]}).status_code == 201
    assert ask_year_end_orders(register) == 1
    api.drain()
    with process.runtime("planning").db.sessions() as s:
        assert s.get(Procedure, duty.id).status != "open"
    with process.runtime("documents").db.sessions() as s:
        documents = {d.template: d for d in s.scalars(sa.select(Document))}
    sessions, tuition = documents["correction_sessions_order"], documents["summer_tuition_order"]
    assert sessions.status == "done"
    assert tuition.status == "done"
    assert sessions.context["classes"] == "X"
    assert [(r["name"], r["start_on"], r["end_on"]) for r in sessions.context["sessions"]] == [
        ("Първа редовна сесия", "2024-07-01", "2024-07-14"),
        ("Втора редовна сесия", "2024-09-01", "2024-09-14"),
        ("Допълнителна сесия", "2024-09-15", "2024-10-10"),
    ]
    assert tuition.context["students"] == [
        {"name": "Мария Петрова Иванова", "class_name": "10а", "subjects": "Математика"}]
    with register.db.sessions() as s:
        numbers = {r.kind: r.number for r in s.scalars(sa.select(ExamOrderRequest).where(
            ExamOrderRequest.kind.in_(("correction_sessions_order", "summer_tuition_order"))))}
    assert all(numbers.values())  # documents answered with the orders' register numbers


def test_entry_level_test_within_three_weeks_of_the_year_chl_128_al_2(api, make_user, settings, plugins):
    school = setup_small_school(api, make_user)
    for day, status in ((dt.date(2023, 10, 4), 201), (dt.date(2023, 10, 9), 422)):
        proc = build_process(settings.replace(today=day), services=("register",), plugins=plugins)
        try:
            teacher = ApiClient(create_combined_app(proc.runtimes), school.teacher_token, lambda: None)
            answer = teacher.post("/api/register/grades", json={
                "student_id": school.student_id, "subject": "Математика", "value": 4, "kind": "entry",
                "date": day.isoformat()})
        finally:
            proc.stop()
        assert answer.status_code == status, answer.json
        if status == 422:
            assert "Чл. 128, ал. 2" in " ".join(answer.json["errors"]["date"])
    grades = api.get(f"/api/register/students/{school.student_id}/grades", query_string={"term": 1}).json
    assert [g["kind_name"] for g in grades["Математика"]["current"]] == ["входно равнище"]


def _annual_poor(process, school, student_id: int, subject: str, day: dt.date) -> None:
    with process.runtime("register").db.transaction() as s:
        s.add(ResultGrade(student_id=student_id, class_code="10а", grade_level=10, subject=subject,
                          school_year="2023/2024", period="annual", value=2, record="", formed_on=day,
                          teacher_id=school.teacher_id))


def test_summer_tuition_supplement_lists_the_students_added_later_once_chl_143_al_10(api, make_user, process):
    school = setup_small_school(api, make_user)
    later = api.post("/api/register/students", json={
        "first_name": "Георги", "middle_name": "Николаев", "last_name": "Димитров", "egn": "0442021238",
        "class_code": "10а", "guardians": []})
    assert later.status_code == 201, later.json
    register = process.runtime("register")
    _annual_poor(process, school, school.student_id, "Математика", CLASSES_END)
    assert ask_year_end_orders(register) == 3  # O18, the director's duty, O19
    api.drain()  # documents answers with the order's number, which the supplement cites
    # an annual „слаб“ formed after the order (a term-grade exam, Чл. 137, ал. 4) and one more subject of a
    # student the order already lists: both are added, each once
    _annual_poor(process, school, later.json["id"], "Химия и опазване на околната среда", CLASSES_END)
    _annual_poor(process, school, school.student_id, "Физика и астрономия", CLASSES_END)
    assert ask_year_end_orders(register) == 1
    assert ask_year_end_orders(register) == 0  # nobody new: no second supplement
    api.drain()
    with process.runtime("documents").db.sessions() as s:
        orders = {d.template: d for d in s.scalars(sa.select(Document))}
    original, supplement = orders["summer_tuition_order"], orders["summer_tuition_supplement_order"]
    assert supplement.status == "done"
    assert original.context["students"] == [
        {"name": "Мария Петрова Иванова", "class_name": "10а", "subjects": "Математика"}]
    assert supplement.context["students"] == [
        {"name": "Георги Николаев Димитров", "class_name": "10а", "subjects": "Химия и опазване на околната среда"},
        {"name": "Мария Петрова Иванова", "class_name": "10а", "subjects": "Физика и астрономия"}]
    assert supplement.context["supplements"] == original.number
    assert supplement.number
    assert supplement.number != original.number


def test_an_order_asked_before_orders_kept_their_lists_counts_the_grades_formed_by_its_day(
        api, make_user, process, monkeypatch):
    school = setup_small_school(api, make_user)
    later = api.post("/api/register/students", json={
        "first_name": "Георги", "middle_name": "Николаев", "last_name": "Димитров", "egn": "0442021238",
        "class_code": "10а", "guardians": []}).json["id"]
    register = process.runtime("register")
    _annual_poor(process, school, school.student_id, "Математика", CLASSES_END)
    assert ask_year_end_orders(register) == 3
    api.drain()
    with register.db.transaction() as s:  # as register_0012 found it: no list kept
        s.execute(sa.update(ExamOrderRequest).where(ExamOrderRequest.kind == "summer_tuition_order")
                  .values(listed=None))
    next_day = CLASSES_END + dt.timedelta(days=1)
    _annual_poor(process, school, later, "Химия и опазване на околната среда", next_day)
    monkeypatch.setattr(register, "clock", Clock(next_day))
    assert ask_year_end_orders(register) == 1
    assert ask_year_end_orders(register) == 0
    api.drain()
    [supplement] = api.get("/api/documents/documents",
                           query_string={"template": "summer_tuition_supplement_order"}).json
    assert supplement["status"] == "done"
    with process.runtime("documents").db.sessions() as s:
        context = s.get(Document, supplement["id"]).context
    assert [row["name"] for row in context["students"]] == ["Георги Николаев Димитров"]
    assert context["start_on"] == next_day.isoformat()
