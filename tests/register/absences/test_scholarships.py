"""Scholarship holders (Чл. 26, ал. 1, т. 23): recorded by the office, stopped only for them at 5 or more
unexcused hours in a calendar month by the director's order, resumed from the month after the ground ceased."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.register.absences import scholarships
from shared.clock import Clock
from tests.support.pages import signed_in
from tests.support.school import setup_small_school
from tests.web.browser import PASSWORD

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
                                   "resumes_from": None, "lifted_on": None}]
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


def test_absences_excused_later_below_five_lift_the_stop_once_and_the_scholarship_resumes_chl_26_al_1_t_23(
        api, make_user, process, monkeypatch, app):
    school = setup_small_school(api, make_user)
    sid = school.student_id
    assert api.post(f"/api/register/students/{sid}/scholarships", json={
        "kind": "месечната стипендия за постигнати образователни резултати", "from": "2023-09-15"}).status_code == 201
    for day in OCTOBER_DAYS:
        record(api, school.teacher_token, sid, day)
    api.drain()
    assert api.get(f"/api/register/students/{sid}/scholarships").json[0]["stops"][0]["lifted_on"] is None

    def excuse(day):
        answer = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
            "student_id": sid, "from": day.isoformat(), "to": day.isoformat(), "reason": "medical",
            "evidence": "Медицинска бележка № 17", "submitted_on": (day + dt.timedelta(days=1)).isoformat()})
        assert answer.status_code == 201, answer.json

    # the medical note for 02.10 leaves October with 4 unexcused hours: the ground ended today, 31.10
    excuse(OCTOBER_DAYS[0])
    excuse(OCTOBER_DAYS[1])  # a second excuse changes nothing more
    api.drain()
    [stop] = api.get(f"/api/register/students/{sid}/scholarships").json[0]["stops"]
    assert stop == {"month": "2023-10", "unexcused_hours": 5.0, "lifted_on": "2023-10-31",
                    "ceased_in": "2023-10", "resumes_from": "2023-11"}
    register = process.runtime("register")
    monkeypatch.setattr(register, "clock", Clock(dt.date(2023, 12, 1)))
    assert scholarships.fill_resumptions(register) == 0  # nothing left for the sweep
    # the stop order is corrected by the order on its ground's end, once
    [order] = api.get("/api/documents/documents", query_string={"template": "scholarship_resumption_order"}).json
    assert (order["student_id"], order["status"]) == (sid, "done")
    with register.db.sessions() as s:
        audit = register.tables.audit
        [row] = s.scalars(sa.select(audit).where(audit.action == "scholarship_stop.lift")).all()
    assert row.after == {"month": "2023-10", "lifted_on": "2023-10-31", "resumes_from": "2023-11",
                         "unexcused_hours": 4, "article": "Чл. 26, ал. 1, т. 23"}
    make_user("director", "Директор Стипендиев", password=PASSWORD)
    card = signed_in(app, "Директор Стипендиев", PASSWORD).get(f"/register/students/{sid}").get_data(as_text=True)
    assert "основанието отпадна на 31.10.2023 г. (извинени отсъствия); възобновява се от 11.2023 г." in card


def test_a_lifted_month_no_longer_continues_an_earlier_stop_whose_resumption_is_recomputed_chl_26(
        api, make_user, process, monkeypatch):
    school = setup_small_school(api, make_user)
    sid = school.student_id
    assert api.post(f"/api/register/students/{sid}/scholarships", json={
        "kind": "стипендия", "from": "2023-09-15"}).status_code == 201
    register = process.runtime("register")
    monkeypatch.setattr(register, "clock", Clock(dt.date(2023, 12, 1)))
    november = [dt.date(2023, 11, d) for d in (6, 7, 8, 9, 10)]
    for day in OCTOBER_DAYS + november:
        record(api, school.teacher_token, sid, day)
    assert scholarships.fill_resumptions(register) == 0  # November's stop continues October's; December runs
    answer = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        "student_id": sid, "from": "2023-11-06", "to": "2023-11-06", "reason": "medical",
        "evidence": "Медицинска бележка № 18", "submitted_on": "2023-11-07"})
    assert answer.status_code == 201, answer.json
    october, november_stop = api.get(f"/api/register/students/{sid}/scholarships").json[0]["stops"]
    assert (november_stop["lifted_on"], november_stop["ceased_in"], november_stop["resumes_from"]) == (
        "2023-12-01", "2023-12", "2024-01")
    # without November as a ground, October's ceased in November: paid again from December
    assert (october["lifted_on"], october["ceased_in"], october["resumes_from"]) == (None, "2023-11", "2023-12")
    with register.db.sessions() as s:
        audit = register.tables.audit
        actions = sorted(s.scalars(sa.select(audit.action).where(audit.action.like("scholarship_stop.%"))))
    assert actions == ["scholarship_stop.lift", "scholarship_stop.resumption"]
