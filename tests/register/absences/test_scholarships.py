"""Scholarship holders (Чл. 26, ал. 1, т. 23): recorded by the office, stopped only for them at 5 or more
unexcused hours in a calendar month by the director's order, resumed from the month after the ground ceased."""

from __future__ import annotations

import datetime as dt

import pytest

from services.register.absences import scholarships
from shared.clock import Clock
from tests.support.school import setup_small_school

pytestmark = pytest.mark.integration

TODAY = dt.date(2023, 10, 31)
OCTOBER_DAYS = [dt.date(2023, 10, d) for d in (2, 3, 4, 5, 6)]


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def record(api, token, student_id, day, lesson=1):
    answer = api.as_(token).post("/api/register/absences", json={
        "date": day.isoformat(), "lesson": lesson, "subject": "Математика",
        "marks": [{"student_id": student_id, "kind": "unexcused"}]})
    assert answer.status_code == 201, answer.json


def test_five_unexcused_hours_in_a_month_stop_a_holders_scholarship_and_it_resumes_after_a_clean_month(
        api, make_user, process, monkeypatch):
    school = setup_small_school(api, make_user)
    sid = school.student_id
    # Only the office records a scholarship; the teacher may not.
    assert api.as_(school.teacher_token).post(f"/api/register/students/{sid}/scholarships", json={
        "kind": "стипендия", "from": "2023-09-15"}).status_code == 403
    bad = api.post(f"/api/register/students/{sid}/scholarships", json={
        "kind": "стипендия", "from": "2023-09-15", "to": "2023-09-01"})
    assert bad.status_code == 422
    assert "to" in bad.json["errors"]
    created = api.post(f"/api/register/students/{sid}/scholarships", json={
        "kind": "месечната стипендия за постигнати образователни резултати", "from": "2023-09-15"})
    assert created.status_code == 201, created.json
    for day in OCTOBER_DAYS[:4]:
        record(api, school.teacher_token, sid, day)
    assert api.get(f"/api/register/students/{sid}/scholarships").json[0]["stops"] == []
    record(api, school.teacher_token, sid, OCTOBER_DAYS[4])  # the 5th hour in October: „5 и повече“
    api.drain()
    listed = api.get(f"/api/register/students/{sid}/scholarships").json
    assert listed[0]["article"] == "Чл. 26, ал. 1, т. 23"
    assert listed[0]["stops"] == [{"month": "2023-10", "unexcused_hours": 5.0, "ceased_in": None,
                                   "resumes_from": None}]
    orders = api.get("/api/documents/documents", query_string={"template": "scholarship_stop_order"}).json
    assert [d["student_id"] for d in orders] == [sid]
    # November is still running: the ground has not ceased yet; in December it has, for November.
    register = process.runtime("register")
    monkeypatch.setattr(register, "clock", Clock(dt.date(2023, 11, 20)))
    assert scholarships.fill_resumptions(register) == 0
    monkeypatch.setattr(register, "clock", Clock(dt.date(2023, 12, 1)))
    assert scholarships.fill_resumptions(register) == 1
    assert scholarships.fill_resumptions(register) == 0  # the sweep is safe to run twice
    stop = api.get(f"/api/register/students/{sid}/scholarships").json[0]["stops"][0]
    assert (stop["ceased_in"], stop["resumes_from"]) == ("2023-11", "2023-12")


def test_a_student_without_a_scholarship_or_after_it_ended_has_no_stop(api, make_user):
    school = setup_small_school(api, make_user)
    sid = school.student_id
    created = api.post(f"/api/register/students/{sid}/scholarships", json={"kind": "стипендия", "from": "2023-09-15"})
    end = f"/api/register/scholarships/{created.json['id']}/end"
    assert api.post(end, json={"to": "2023-09-30"}).status_code == 200
    for day in OCTOBER_DAYS:
        record(api, school.teacher_token, sid, day)
    api.drain()
    assert api.get(f"/api/register/students/{sid}/scholarships").json[0]["stops"] == []
    assert api.get("/api/documents/documents", query_string={"template": "scholarship_stop_order"}).json == []
    assert api.post(end, json={"to": "2023-09-30"}).status_code == 409
