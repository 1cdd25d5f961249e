"""Sanction notices to guardians (obligatory, opt-outs ignored), reminders to staff by role, the log's scope."""

from __future__ import annotations

from tests.notifications.support import LADDER, deliveries, guardian_id, publish_from, rule_fired
from tests.support.school import setup_small_school

CONTRACT_FIELDS = {"id", "channel", "recipient", "status", "rule_id", "article", "created_at", "sent_at"}


def sanction_step(student_id: int, step: str, article: str, **extra) -> dict:
    return {"sanction_id": 7, "student_id": student_id, "student_name": "Мария Петрова Иванова", "class_code": "10а",
            "type": "warning_transfer", "step": step, "done_on": "2023-11-20", "article": article,
            "proposed_on": "2023-11-17", "reason": "19 отсъствия по неуважителни причини", **extra}


def staff_user(process, role: str, name: str, email: str, classes=()) -> int:
    """A staff member with an e-mail address, as ``schoolctl users add`` creates them."""
    register = process.runtime("register")
    with register.db.transaction() as s:
        user_id, _token = register.definition.commands["users.add"](
            register, s, name=name, role=role, class_codes=list(classes), student_ids=[], email=email, password=None)
    return user_id


def test_sanction_notices_reach_even_a_guardian_who_opted_out(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    answer = api.put(f"/api/notifications/guardians/{guardian_id(process, 'Елена Иванова')}/preferences",
                     json={"channels": ["email"], "opted_out": True})
    assert answer.status_code == 200, answer.json
    publish_from(process, "register", "register.sanction_step_done", sanction_step(
        school.student_id, "parent_notified", "Чл. 57, ал. 1", next_step="hearing", next_due="2023-11-27"))
    publish_from(process, "register", "register.sanction_step_done", sanction_step(
        school.student_id, "order", "Чл. 58, ал. 3", next_step="parent_letter", next_due="2023-11-23"))
    api.drain()
    for address in ("petar@example.bg", "elena@example.bg"):
        mails = sorted(smtp.to(address), key=lambda m: "Чл. 58" in m.get_content())
        assert len(mails) == 2
        opened, order = (m.get_content() for m in mails)
        assert "Чл. 57, ал. 1" in opened
        assert "„уведомяване на родителя за откриване на процедурата“" in opened
        assert "със срок до 27.11.2023" in opened
        assert "Чл. 58, ал. 3" in order
        assert "на 20.11.2023" in order
    logged = deliveries(api, student_id=school.student_id, rule_id="sanction_warning_transfer")
    assert {d["article"] for d in logged} == {"Чл. 57, ал. 1", "Чл. 58, ал. 3"}


def test_reminders_go_to_the_staff_with_the_responsible_role(api, make_user, process, smtp):
    staff_user(process, "secretary", "Гергана Секретарова", "sekretar@example.bg")
    staff_user(process, "psychologist", "Весела Николова", "psiholog@example.bg")
    api.drain()  # every service knows them before the reminder comes
    publish_from(process, "planning", "planning.reminder_due", {
        "item_kind": "activity", "item_id": "12", "title": "Актуализиране на плана за квалификация",
        "due": "2023-10-15", "state": "overdue", "responsible_roles": ["secretary"], "responsible_user_ids": []})
    api.drain()
    [mail] = smtp.to("sekretar@example.bg")
    assert mail["Subject"] == "Просрочено: Актуализиране на плана за квалификация"
    assert "Срок: 15.10.2023. Срокът е изтекъл." in mail.get_content()
    assert smtp.to("psiholog@example.bg") == []
    reminders = [d for d in deliveries(api) if d["recipient"] == "sekretar@example.bg"]
    assert [d["status"] for d in reminders] == ["sent"]


def test_the_delivery_log_filters_and_keeps_parents_to_their_own_child(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    _uid, parent = make_user("parent", "Петър Иванов", students=[school.student_id])
    publish_from(process, "register", "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    everything = deliveries(api, student_id=school.student_id)
    assert all(set(d) >= CONTRACT_FIELDS for d in everything)
    assert {d["status"] for d in everything} == {"sent"}
    assert {d["rule_id"] for d in deliveries(api, rule_id=LADDER)} == {LADDER}
    assert deliveries(api, rule_id="no_such_rule") == []
    assert deliveries(api, student_id=school.student_id + 100) == []
    # The class teacher was told too; the parent sees only what went to the family.
    assert "staff" in {d["audience"] for d in everything}
    own = api.as_(parent).get("/api/notifications/deliveries")
    assert own.status_code == 200
    assert {d["audience"] for d in own.json} == {"guardian"}
    assert {d["recipient"] for d in own.json if d["channel"] == "email"} == {"petar@example.bg", "elena@example.bg"}
    refused = api.as_(parent).get("/api/notifications/deliveries", query_string={"student_id": school.student_id + 1})
    assert refused.status_code == 403
    assert api.as_(school.teacher_token).get("/api/notifications/deliveries").status_code == 403
