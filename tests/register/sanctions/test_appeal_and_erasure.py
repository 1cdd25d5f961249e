"""A whole procedure through the API, to the letter of Чл. 57–60: written explanation, the council's
protocol, the appeal under the АПК, early erasure with its order; and the documents each step draws up.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.support.school import setup_small_school

TODAY = dt.date(2024, 3, 20)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def school(api, make_user):
    return setup_small_school(api, make_user)


def step(api, sanction_id, name, done_on, note="", **extra):
    return api.post(f"/api/register/sanctions/{sanction_id}/steps/{name}",
                    json={"done_on": done_on, "note": note, **extra})


def ok(answer):
    assert answer.status_code == 200, answer.json
    return answer.json


def outbox(process, name: str) -> list[dict]:
    register = process.runtime("register")
    table = register.tables.outbox
    with register.db.sessions() as s:
        rows = s.scalars(sa.select(table.payload).where(table.name == name).order_by(table.id)).all()
    return [row["data"] for row in rows]


def documents_of(api, student_id) -> dict[str, dict]:
    answer = api.get("/api/documents/documents", query_string={"student_id": student_id})
    assert answer.status_code == 200, answer.json
    return {d["template"]: d for d in answer.json}


def test_transfer_with_written_explanation_appeal_term_and_early_erasure(api, make_user, process, school):
    """Чл. 57, ал. 1, 3–4; Чл. 58, ал. 1, 3–4; Чл. 60, ал. 1, 3 — and L3, the hearing protocol, L5, O2."""
    sid = api.post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "transfer", "proposed_on": "2024-01-08",
        "reason": "22 отсъствия по неуважителни причини и груби нарушения на Правилника"}).json["id"]
    ok(step(api, sid, "parent_notified", "2024-01-08", child_protection_notified=True))
    written = step(api, sid, "hearing", "2024-01-10", hearing_mode="written")
    assert written.status_code == 422
    assert "Чл. 57, ал. 3" in written.json["errors"]["note"][0]
    heard = ok(step(api, sid, "hearing", "2024-01-10", "Писмено обяснение от 10.01.2024, приложено",
                    hearing_mode="written", parent_attended=True))
    assert {s["name"]: s for s in heard["steps"]}["hearing"]["facts"] == {"mode": "written", "parent_attended": True}
    decided = ok(step(api, sid, "decision", "2024-01-12", protocol_number="9"))
    assert {s["name"]: s["due"] for s in decided["steps"]}["order"] == "2024-01-26"  # Чл. 58, ал. 1
    ok(step(api, sid, "order", "2024-01-15", "Системни отсъствия и груби нарушения."))
    api.drain()  # the order is numbered before anything cites it
    ok(step(api, sid, "ruo_informed", "2024-01-16"))
    early_notice = step(api, sid, "letter", "2024-01-16", notified_on="2024-01-15")
    assert early_notice.status_code == 422
    assert "notified_on" in early_notice.json["errors"]
    sent = ok(step(api, sid, "letter", "2024-01-16", notified_on="2024-01-18"))
    assert sent["appeal_due"] == "2024-02-01"  # 14 days from the notification (Чл. 58, ал. 4)
    assert set(sent["available_steps"]) == {"appeal", "in_force"}
    too_soon = step(api, sid, "appeal", "2024-02-01", appeal_outcome="none")
    assert too_soon.status_code == 422
    assert "01.02.2024" in too_soon.json["errors"]["done_on"][0]
    assert ok(step(api, sid, "appeal", "2024-02-02", appeal_outcome="none"))["appeal_outcome"] == "none"
    ok(step(api, sid, "in_force", "2024-02-02"))

    class_teacher = api.as_(school.class_teacher_token)
    assert class_teacher.post(f"/api/register/sanctions/{sid}/steps/erasure_proposal",
                              json={"done_on": "2024-03-01", "protocol_number": "15"}).status_code == 403
    no_protocol = step(api, sid, "erasure_proposal", "2024-03-01")
    assert "protocol_number" in no_protocol.json["errors"]
    ok(step(api, sid, "erasure_proposal", "2024-03-01", protocol_number="15"))
    _did, deputy = make_user("deputy_director", "Заместник Директор")
    assert api.as_(deputy).post(f"/api/register/sanctions/{sid}/steps/erasure_order",
                                json={"done_on": "2024-03-05", "note": "Мотиви"}).status_code == 403
    ok(step(api, sid, "erasure_order", "2024-03-05", "Ученикът няма нови нарушения."))
    erased = ok(step(api, sid, "erased", "2024-03-06"))
    assert (erased["state"], erased["erased_early"], erased["in_force"]) == ("erased", True, False)

    deadlines = {e["key"]: e for e in outbox(process, "procedure.deadline_set")}
    assert deadlines[f"sanction:{sid}:appeal"]["due"] == "2024-02-01"
    assert deadlines[f"sanction:{sid}:appeal"]["article"] == "Чл. 58, ал. 4"
    assert deadlines[f"sanction:{sid}:erasure_order"]["due"] == "2024-03-15"  # the route of the imposition
    api.drain()
    documents = documents_of(api, school.student_id)
    for template in ("sanction_child_protection_notice", "sanction_hearing_protocol", "sanction_order_transfer",
                     "sanction_letter_transfer", "sanction_ruo_letter", "sanction_erasure_order"):
        assert documents[template]["status"] == "done", (template, documents[template])
    assert [i for i in api.get("/api/planning/overdue").json if f"sanction:{sid}" in str(i)] == []


def test_an_order_revoked_on_appeal_ends_the_procedure(api, process, school):
    """Чл. 58, ал. 4: a filed appeal is decided later; revoked, nothing comes into force."""
    sid = api.post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "warning_transfer", "proposed_on": "2024-01-08",
        "reason": "12 отсъствия и нарушение на Правилника"}).json["id"]
    ok(step(api, sid, "parent_notified", "2024-01-08", child_protection_notified=True))
    ok(step(api, sid, "hearing", "2024-01-10", present=["class_teacher", "psychologist"]))
    ok(step(api, sid, "decision", "2024-01-12", "Протокол № 9"))
    ok(step(api, sid, "order", "2024-01-15", "Мотиви"))
    ok(step(api, sid, "letter", "2024-01-16"))
    filed = ok(step(api, sid, "appeal", "2024-01-25", "Жалба до Административен съд – Русе", appeal_outcome="filed"))
    assert filed["appeal_outcome"] == "filed"
    assert "appeal" in filed["available_steps"]
    revoked = ok(step(api, sid, "appeal", "2024-03-01", appeal_outcome="revoked"))
    assert (revoked["appeal_outcome"], revoked["in_force"], revoked["effective_from"]) == ("revoked", False, None)
    assert "in_force" not in {s["name"] for s in revoked["steps"]}
    refused = step(api, sid, "in_force", "2024-03-02")
    assert refused.status_code == 422
    closed = {e["key"] for e in outbox(process, "procedure.deadline_closed")}
    assert f"sanction:{sid}:in_force" in closed


def test_removal_from_school_draws_up_the_advance_notice(api, school):
    """Чл. 52, ал. 3: the parent and the psychologist are told before the removal (L16)."""
    answer = api.post(f"/api/register/students/{school.student_id}/removals", json={
        "kind": "school", "date": "2024-03-20", "reason": "Облекло в нарушение на правилника",
        "parent_informed": True, "psychologist_informed": True})
    assert answer.status_code == 201, answer.json
    api.drain()
    assert documents_of(api, school.student_id)["removal_notice"]["status"] == "done"


def test_child_protection_is_told_only_of_the_types_the_policy_names(api, school):
    """Чл. 57, ал. 1 (spec §10.A-6): L3 with a transfer warning, none with a remark."""
    class_teacher = api.as_(school.class_teacher_token)
    assert class_teacher.post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "remark", "proposed_on": "2024-03-18",
        "reason": "Непристойно поведение"}).status_code == 201
    api.drain()
    assert "sanction_child_protection_notice" not in documents_of(api, school.student_id)
    assert api.post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "warning_transfer", "proposed_on": "2024-03-18",
        "reason": "12 отсъствия", "violation": "друго нарушение"}).status_code == 201
    api.drain()
    notice = documents_of(api, school.student_id)["sanction_child_protection_notice"]
    assert notice["status"] == "done", notice
