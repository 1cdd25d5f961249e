"""The director's decision to deregister a student (Чл. 25, ал. 4): who may, what is checked, what stays."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.planning.models import Procedure
from services.register.absences import deregistration, dropout, sweep_runs
from services.register.models.people import Student
from shared.clock import Clock
from tests.support.pages import signed_in
from tests.support.school import setup_small_school
from tests.web.browser import PASSWORD

TODAY = dt.date(2024, 1, 8)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def test_only_the_director_deregisters_chl_25_al_4(api, make_user):
    school = setup_small_school(api, make_user)
    path = f"/api/register/students/{school.student_id}/deregistration"
    body = {"ground": "transfer", "date": "2024-01-08"}
    for role in ("deputy_director", "secretary", "psychologist", "it_admin", "parent"):
        _uid, token = make_user(role, f"Потребител {role}")
        assert api.as_(token).post(path, json=body).status_code == 403, role
    assert api.as_(school.class_teacher_token).post(path, json=body).status_code == 403
    assert api.as_(school.teacher_token).post(path, json=body).status_code == 403
    answer = api.post(path, json=body)
    assert answer.status_code == 201, answer.json
    # a transfer (т. 1) of a student aged 20 asks for no notice (Чл. 25, ал. 5 names т. 2 and т. 3 only)
    assert answer.json == {"student_id": school.student_id, "ground": "transfer", "article": "Чл. 25, ал. 4, т. 1",
                           "date": "2024-01-08", "age": 20, "compulsory_age": False, "authorities_notified": False}


def test_bad_decisions_are_refused_naming_the_field_and_nothing_is_stored(api, make_user, process):
    school = setup_small_school(api, make_user)
    path = f"/api/register/students/{school.student_id}/deregistration"
    missing = api.post(path, json={"date": "2024-01-08"})
    assert missing.status_code == 422
    assert "ground" in str(missing.json["errors"])
    unknown = api.post(path, json={"ground": "bored", "date": "2024-01-08"})
    assert unknown.status_code == 422
    assert "ground" in str(unknown.json["errors"])
    future = api.post(path, json={"ground": "transfer", "date": "2024-01-09"})
    assert future.status_code == 422
    assert "date" in future.json["errors"]
    assert api.post("/api/register/students/999999/deregistration",
                    json={"ground": "transfer", "date": "2024-01-08"}).status_code == 404
    assert api.post("/api/register/students/99999999999999999999/deregistration",
                    json={"ground": "transfer", "date": "2024-01-08"}).status_code == 404
    # the student is still on the class's lists
    register = process.runtime("register")
    with register.db.sessions() as s:
        student = s.get(Student, school.student_id)
        assert (student.active, student.deregistered_on) == (True, None)


def test_family_reasons_need_sixteen_years_chl_25_al_4_t_4(api, make_user):
    school = setup_small_school(api, make_user)
    young = api.post("/api/register/students", json={
        "first_name": "Даниел", "middle_name": "", "last_name": "Данов", "egn": "0845101239", "class_code": "10а",
        "guardians": []}).json["id"]
    refused = api.post(f"/api/register/students/{young}/deregistration",
                       json={"ground": "family", "date": "2024-01-08"})
    assert refused.status_code == 422
    assert "Чл. 25, ал. 4, т. 4" in str(refused.json["errors"]["ground"])
    assert api.post(f"/api/register/students/{school.student_id}/deregistration",
                    json={"ground": "family", "date": "2024-01-08"}).status_code == 201


def test_a_deregistered_student_leaves_the_lists_keeps_his_history_and_the_decision_is_audited(api, make_user,
                                                                                              process):
    school = setup_small_school(api, make_user)
    answer = api.post(f"/api/register/students/{school.student_id}/deregistration",
                      json={"ground": "nonattendance", "date": "2024-01-05"})
    assert answer.status_code == 201
    again = api.post(f"/api/register/students/{school.student_id}/deregistration",
                     json={"ground": "nonattendance", "date": "2024-01-08"})
    assert again.status_code == 409
    register = process.runtime("register")
    with register.db.sessions() as s:
        student = s.get(Student, school.student_id)
        assert (student.active, student.deregistered_on, student.deregistration_ground) == (
            False, dt.date(2024, 1, 5), "nonattendance")
        audit = register.tables.audit
        [row] = s.scalars(sa.select(audit).where(audit.action == "student.deregister")).all()
        assert row.entity_id == str(school.student_id)
    # a 20-year-old: no notices of Чл. 25, ал. 5
    api.drain()
    assert api.get("/api/documents/documents", query_string={"template": "deregistration_notice"}).json == []
    # the register's entries are his record: the parent of another child does not read them
    _uid, other_parent = make_user("parent", "Друг Родител", students=[])
    assert api.as_(other_parent).get(
        f"/api/register/students/{school.student_id}/register-entries").status_code == 403
    assert api.get(f"/api/register/students/{school.student_id}/register-entries").json == []


def test_the_sweeps_heartbeat_is_a_metric(api, process):
    register = process.runtime("register")
    dropout.report_due(register)
    deregistration.review_due(register)
    samples = {s.labels["sweep"]: s.value for family in sweep_runs.collector(register)() for s in family.samples}
    assert set(samples) == {"dropout_reports", "deregistration_reviews"}
    assert all(value > 0 for value in samples.values())
    assert b"school_register_sweep_last_run_timestamp_seconds" in register.metrics.exposition()


def _lesson(teacher, day: str, marks: list) -> None:
    answer = teacher.post("/api/register/absences", json={"date": day, "lesson": 1, "subject": "Математика",
                                                          "marks": marks})
    assert answer.status_code == 201, answer.json


def test_a_student_back_at_school_leaves_the_review_and_a_new_streak_is_a_new_review_chl_25_al_4_t_2(
        api, make_user, process, monkeypatch, app):
    school = setup_small_school(api, make_user)
    student, teacher = school.student_id, api.as_(school.teacher_token)
    make_user("director", "Директор Прегледов", password=PASSWORD)
    register = process.runtime("register")
    # Мария, alone in 10а, missed every lesson recorded from 02.10.2023: more than two months by 08.01.2024
    for day in ("2023-10-02", "2023-11-06", "2023-12-04"):
        _lesson(teacher, day, [{"student_id": student, "kind": "unexcused"}])
    assert deregistration.review_due(register) == 1
    api.drain()
    director = signed_in(app, "Директор Прегледов", PASSWORD)
    assert "Мария Петрова Иванова, 10а клас: от 02.10.2023 г." in director.get("/register/fragments/home").get_data(
        as_text=True)
    key = f"deregistration:{student}:2023-10-02"
    with process.runtime("planning").db.sessions() as s:
        assert s.scalar(sa.select(Procedure.status).where(Procedure.key == key)) == "open"

    # she is back on 08.01.2024 (late for the first lesson); the next day's pass finds the streak broken
    _lesson(teacher, "2024-01-08", [{"student_id": student, "kind": "late"}])
    monkeypatch.setattr(register, "clock", Clock(dt.date(2024, 1, 9)))
    assert deregistration.review_due(register) == 0  # no new review
    monkeypatch.setattr(register, "clock", Clock(dt.date(2024, 1, 10)))
    assert deregistration.review_due(register) == 0  # and the ended one is not ended twice
    api.drain()
    home = director.get("/register/fragments/home").get_data(as_text=True)
    assert "Мария Петрова Иванова, 10а клас" not in home
    assert "Няма ученици за преглед за отписване (Чл. 25, ал. 4, т. 2)." in home
    with process.runtime("planning").db.sessions() as s:
        duty = s.scalar(sa.select(Procedure).where(Procedure.key == key))
        assert (duty.status, duty.done_on) == ("done", dt.date(2024, 1, 9))
    with register.db.sessions() as s:
        audit = register.tables.audit
        [row] = s.scalars(sa.select(audit).where(audit.action == "deregistration_review.end")).all()
    assert (row.entity, row.entity_id, row.after["returned_on"]) == ("student", str(student), "2024-01-08")
    card = director.get(f"/register/students/{student}").get_data(as_text=True)
    assert "Прегледът за отписване е прекратен: ученикът посещава училище от 08.01.2024 г." in card

    # She stops coming again from 09.01.2024: a new streak, and after two more months a new review of its own.
    monkeypatch.setattr(register, "clock", Clock(dt.date(2024, 3, 11)))
    for day in ("2024-01-09", "2024-02-12", "2024-03-11"):
        _lesson(teacher, day, [{"student_id": student, "kind": "unexcused"}])
    assert deregistration.review_due(register) == 1
    api.drain()
    assert "Мария Петрова Иванова, 10а клас: от 09.01.2024 г." in director.get("/register/fragments/home").get_data(
        as_text=True)
    with process.runtime("planning").db.sessions() as s:
        assert s.scalar(sa.select(Procedure.status).where(
            Procedure.key == f"deregistration:{student}:2024-01-09")) == "open"
