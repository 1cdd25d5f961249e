"""Sanction procedures through the API (Чл. 52–60): roles, order of steps, deadlines, events, planning."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.register.people.rules.personal_number import fake_egns
from tests.support.school import setup_small_school

TODAY = dt.date(2023, 12, 15)


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def settings(settings, today):
    return settings.replace(today=today)


@pytest.fixture
def school(api, make_user):
    return setup_small_school(api, make_user)


def outbox(process, name: str) -> list[dict]:
    register = process.runtime("register")
    table = register.tables.outbox
    with register.db.sessions() as s:
        rows = s.scalars(sa.select(table.payload).where(table.name == name).order_by(table.id)).all()
    return [row["data"] for row in rows]


def propose(api, student_id, kind="warning_transfer", proposed_on="2023-11-20", reason="12 отсъствия", **extra):
    return api.post("/api/register/sanctions", json={
        "student_id": student_id, "type": kind, "proposed_on": proposed_on, "reason": reason, **extra})


def step(api, sanction_id, name, done_on, note="", **extra):
    return api.post(f"/api/register/sanctions/{sanction_id}/steps/{name}",
                    json={"done_on": done_on, "note": note, **extra})


def text(answer) -> str:
    return " ".join(t for texts in answer.json["errors"].values() for t in texts)


def test_the_procedure_walked_in_order_gives_its_events_and_deadlines(api, make_user, process, school):
    _did, deputy = make_user("deputy_director", "Заместник Директор")
    opened = propose(api, school.student_id, reason="12 отсъствия по неуважителни причини и нарушение на Правилника",
                     hearing_on="2023-11-24", hearing_time="13:30", hearing_place="кабинет № 12")
    assert opened.status_code == 201, opened.json
    sid = opened.json["id"]
    sanction = api.get(f"/api/register/sanctions/{sid}").json
    assert (sanction["type"], sanction["state"]) == ("warning_transfer", "proposal")
    steps = {s["name"]: s for s in sanction["steps"]}
    assert set(steps["order"]) >= {"name", "due", "done_at", "article"}
    # Чл. 58, ал. 1: for S2–S5 the 14 days run from the council's decision after the hearing, not known yet
    assert (steps["order"]["due"], steps["order"]["done_at"]) == (None, None)
    assert steps["proposal"]["done_at"] == "2023-11-20"

    early = step(api, sid, "order", "2023-11-21", "Мотиви")
    assert early.status_code == 422  # the hearing comes first
    refused = step(api, sid, "parent_notified", "2023-11-21")
    assert refused.status_code == 422
    assert "Чл. 57, ал. 1" in text(refused)  # child protection is told of a transfer warning too
    assert step(api, sid, "parent_notified", "2023-11-21", child_protection_notified=True).status_code == 200
    no_psychologist = step(api, sid, "hearing", "2023-11-24", present=["class_teacher"])
    assert no_psychologist.status_code == 422
    assert "Чл. 57, ал. 3" in text(no_psychologist)
    assert step(api, sid, "hearing", "2023-11-24", present=["class_teacher", "psychologist"],
                parent_attended=True).status_code == 200
    no_protocol = step(api, sid, "decision", "2023-11-27")
    assert no_protocol.status_code == 422
    assert "protocol_number" in no_protocol.json["errors"]
    decided = step(api, sid, "decision", "2023-11-27", "Протокол на ПС № 5")
    assert decided.status_code == 200
    assert {s["name"]: s for s in decided.json["steps"]}["decision"]["facts"] == {"protocol_number": "5"}
    assert api.as_(deputy).post(f"/api/register/sanctions/{sid}/steps/order",
                                json={"done_on": "2023-11-28", "note": "Мотиви"}).status_code == 403
    ordered = step(api, sid, "order", "2023-11-28", "Допуснати 12 отсъствия по неуважителни причини.")
    assert ordered.status_code == 200, ordered.json
    assert {s["name"]: s["due"] for s in ordered.json["steps"]}["letter"] == "2023-12-01"
    answer = step(api, sid, "letter", "2023-11-30", notified_on="2023-12-05")
    assert answer.status_code == 200
    assert (answer.json["notified_on"], answer.json["appeal_due"]) == ("2023-12-05", "2023-12-19")  # Чл. 58, ал. 4
    assert answer.json["state"] == "letter"
    assert answer.json["blocks_excellence_scholarship"] is True  # Чл. 59, ал. 3

    done = outbox(process, "register.sanction_step_done")
    assert [(e["step"], e["done_on"], e["next_step"], e["next_due"]) for e in done] == [
        ("proposal", "2023-11-20", "parent_notified", None),
        ("parent_notified", "2023-11-21", "hearing", None),
        ("hearing", "2023-11-24", "decision", None),
        ("decision", "2023-11-27", "order", "2023-12-11"),
        ("order", "2023-11-28", "letter", "2023-12-01"),
        ("letter", "2023-11-30", "appeal", "2023-12-19"),
    ]
    deadlines = {e["key"]: e for e in outbox(process, "procedure.deadline_set")}
    assert deadlines[f"sanction:{sid}:order"]["due"] == "2023-12-11"  # 14 days after the council's decision
    assert deadlines[f"sanction:{sid}:appeal"]["due"] == "2023-12-19"  # 14 days after the notification
    assert deadlines[f"sanction:{sid}:order"]["article"] == "Чл. 58, ал. 1–2"
    assert deadlines[f"sanction:{sid}:order"]["responsible_roles"] == ["director"]
    assert deadlines[f"sanction:{sid}:letter"]["due"] == "2023-12-01"  # 3 days after the order
    assert deadlines[f"sanction:{sid}:letter"]["title"].startswith("Писмо до родителите")
    closed = [e["key"] for e in outbox(process, "procedure.deadline_closed")]
    assert closed[-2:] == [f"sanction:{sid}:order", f"sanction:{sid}:letter"]

    api.drain()
    documents = api.get("/api/documents/documents", query_string={"student_id": school.student_id})
    assert documents.status_code == 200, documents.json
    documents = documents.json
    by_template = {d["template"]: d for d in documents}
    assert by_template["sanction_order_warning_transfer"]["status"] == "done", by_template
    assert by_template["sanction_procedure_notice"]["status"] == "done", by_template
    assert "sanction_letter_warning_transfer" in by_template  # documents draws it up after numbering the order
    assert [i for i in api.get("/api/planning/overdue").json if i["kind"] == "procedure"
            and f"sanction:{sid}" in str(i)] == []


def test_who_may_propose_and_the_conditions(api, make_user, school):
    student = school.student_id
    teacher = api.as_(school.teacher_token)
    assert teacher.post("/api/register/sanctions", json={
        "student_id": student, "type": "remark", "proposed_on": "2023-11-20", "reason": "x"}).status_code == 403
    class_teacher = api.as_(school.class_teacher_token)
    assert class_teacher.post("/api/register/sanctions", json={
        "student_id": student, "type": "warning_transfer", "proposed_on": "2023-11-20",
        "reason": "x"}).status_code == 403
    remark = class_teacher.post("/api/register/sanctions", json={
        "student_id": student, "type": "remark", "proposed_on": "2023-11-20", "reason": "Непристойно поведение"})
    assert remark.status_code == 201, remark.json
    again = propose(api, student, reason="Непристойно поведение")
    assert again.status_code == 409
    assert "Чл. 54, ал. 1" in text(again)
    medical = propose(api, student, reason="Поведение поради заболяване", medical_document=True)
    assert medical.status_code == 422
    assert "Чл. 53, ал. 3" in text(medical)

    young_egn = fake_egns(1, seed=7, born_from=dt.date(2009, 1, 1), born_to=dt.date(2009, 6, 30))[0]
    young = api.post("/api/register/students", json={
        "first_name": "Иван", "middle_name": "Петров", "last_name": "Иванов", "egn": young_egn.egn,
        "class_code": "10а", "guardians": []})
    assert young.status_code == 201, young.json
    too_young = propose(api, young.json["id"], kind="self_study", reason="Груби нарушения")
    assert too_young.status_code == 422
    assert "Чл. 53, ал. 1" in text(too_young)
    assert propose(api, student, kind="self_study", reason="Груби нарушения").status_code == 201  # 19 years old


@pytest.mark.parametrize("today", [dt.date(2024, 6, 20)])
def test_late_in_the_year_a_heavy_sanction_takes_effect_next_year(api, school, today):
    sid = propose(api, school.student_id, proposed_on="2024-06-10").json["id"]
    step(api, sid, "parent_notified", "2024-06-10", child_protection_notified=True)
    step(api, sid, "hearing", "2024-06-11", present=["class_teacher", "psychologist"])
    step(api, sid, "decision", "2024-06-11", protocol_number="14")
    answer = step(api, sid, "order", "2024-06-12", "Мотиви")
    assert answer.status_code == 200, answer.json
    assert answer.json["effective_from"] == "2024-09-15"  # Чл. 55, ал. 3
    assert answer.json["in_force"] is False
    assert answer.json["blocks_excellence_scholarship"] is False


def test_a_step_left_undone_past_its_deadline_is_overdue_in_planning(api, school):
    sid = propose(api, school.student_id).json["id"]
    step(api, sid, "parent_notified", "2023-11-20", child_protection_notified=True)
    step(api, sid, "hearing", "2023-11-20", present=["class_teacher", "psychologist"])
    step(api, sid, "decision", "2023-11-20", protocol_number="4")
    api.drain()
    overdue = [i for i in api.get("/api/planning/overdue").json if i["kind"] == "procedure"]
    order = next(i for i in overdue if i["title"].startswith("Заповед на директора"))
    assert (order["due"], order["days_overdue"]) == ("2023-12-04", 11)
    assert "Мария Петрова Иванова" in order["title"]
    assert api.get(f"/api/register/sanctions/{sid}").json["steps"][4]["overdue"] is True


def test_twelve_unexcused_hours_suggest_a_warning_of_transfer(api, school):
    days = [d for d in (dt.date(2023, 10, 2) + dt.timedelta(days=i) for i in range(14)) if d.weekday() < 5]
    for index in range(12):
        answer = api.as_(school.teacher_token).post("/api/register/absences", json={
            "date": days[index // 6].isoformat(), "lesson": index % 6 + 1, "subject": "Математика",
            "marks": [{"student_id": school.student_id, "kind": "unexcused"}]})
        assert answer.status_code == 201, answer.json
    suggestion = api.get(f"/api/register/students/{school.student_id}/sanction-suggestion")
    assert suggestion.status_code == 200, suggestion.json
    assert (suggestion.json["type"], suggestion.json["article"], suggestion.json["unexcused_total"]) == (
        "warning_transfer", "Чл. 52, ал. 1, т. 2", 12.0)
    assert "предупреждение за преместване" in suggestion.json["message"]


def test_removals_are_recorded_and_announced_for_the_parent(api, process, school):
    lesson = api.as_(school.teacher_token).post(f"/api/register/students/{school.student_id}/removals", json={
        "kind": "lesson", "date": "2023-12-14", "lesson": 3, "subject": "Математика",
        "reason": "Пречи на провеждането на часа", "psychologist_informed": True})
    assert lesson.status_code == 201, lesson.json
    not_told = api.post(f"/api/register/students/{school.student_id}/removals", json={
        "kind": "school", "date": "2023-12-14", "reason": "Облекло в нарушение на правилника"})
    assert not_told.status_code == 422
    assert "Чл. 52, ал. 3" in text(not_told)
    school_removal = api.post(f"/api/register/students/{school.student_id}/removals", json={
        "kind": "school", "date": "2023-12-14", "reason": "Облекло в нарушение на правилника",
        "parent_informed": True, "psychologist_informed": True})
    assert school_removal.status_code == 201
    events = outbox(process, "register.student_removed")
    assert [(e["kind"], e["article"], e["parent_informed"]) for e in events] == [
        ("lesson", "Чл. 52, ал. 2", False), ("school", "Чл. 52, ал. 3", True)]
    api.drain()
