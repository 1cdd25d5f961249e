"""The daily digest for guardians who chose it, and paper letters for obligatory notices left unread."""

from __future__ import annotations

from services.documents.rendering import docx_text
from services.notifications import sweeps
from tests.notifications.support import deliveries, guardian_id, later, publish_from_register, rule_fired
from tests.support.school import setup_small_school


def record_absence(api, school, lesson: int) -> None:
    answer = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": lesson, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "unexcused"}],
    })
    assert answer.status_code == 201, answer.json


def test_a_guardian_who_chose_the_digest_gets_one_message_a_day(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    elena = guardian_id(process, "Елена Иванова")
    answer = api.put(f"/api/notifications/guardians/{elena}/preferences", json={"channels": ["email"], "digest": True})
    assert answer.status_code == 200, answer.json
    assert answer.json["digest"] is True
    record_absence(api, school, 1)
    record_absence(api, school, 2)
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert len(smtp.to("petar@example.bg")) == 3
    # The obligatory ladder notice does not wait for the digest; the two absence notices do.
    [ladder] = smtp.to("elena@example.bg")
    assert "Чл. 97, т. 8" in ladder.get_content()
    held = [d for d in deliveries(api, student_id=school.student_id)
            if d["recipient"] == "elena@example.bg" and d["rule_id"] is None]
    assert [d["status"] for d in held] == ["queued", "queued"]
    assert all(d["digest_day"] for d in held)

    rt = process.runtime("notifications")
    assert sweeps.send_digests(rt, now=later(days=2)) == 1
    assert sweeps.send_digests(rt, now=later(days=2)) == 0
    api.drain()
    [_ladder, digest] = smtp.to("elena@example.bg")
    assert digest["Subject"].startswith("Дневно обобщение за Мария Петрова Иванова от ")
    assert digest["Subject"].endswith(": 2 уведомления")
    body = digest.get_content()
    assert "1. Отсъствие на Мария Петрова Иванова (10а клас)" in body
    assert "2. Отсъствие на Мария Петрова Иванова (10а клас)" in body
    assert "в 1. час по Математика" in body
    assert "в 2. час по Математика" in body
    settled = [d for d in deliveries(api, student_id=school.student_id)
               if d["recipient"] == "elena@example.bg" and d["rule_id"] is None]
    assert {d["status"] for d in settled} == {"sent"}


def test_an_obligatory_notice_left_unread_in_the_inbox_goes_on_paper(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Стоян Колев", "phone": "+359888000003"}])
    answer = api.put(f"/api/notifications/guardians/{guardian_id(process, 'Стоян Колев')}/preferences",
                     json={"channels": ["inbox"]})
    assert answer.status_code == 200, answer.json
    _uid, reader = make_user("parent", "Стоян Колев", students=[school.student_id])
    _uid, _other = make_user("parent", "Донка Колева", students=[school.student_id])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 8))
    api.drain()
    logged = deliveries(api, student_id=school.student_id, rule_id="parent_notification_ladder")
    # The guardian chose the in-app inbox and has parent accounts: no letter yet.
    assert sorted(d["channel"] for d in logged if d["audience"] == "guardian") == ["inbox", "inbox"]
    [message] = api.as_(reader).get("/api/notifications/inbox").json
    assert api.as_(reader).post(f"/api/notifications/inbox/{message['id']}/read").status_code == 200

    rt = process.runtime("notifications")
    assert sweeps.paper_for_unread(rt) == 0  # within the days the parents have to read it
    assert sweeps.paper_for_unread(rt, now=later(days=4)) == 1  # only the parent who did not read it
    assert sweeps.paper_for_unread(rt, now=later(days=4)) == 0
    api.drain()
    [letter] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "paper"]
    assert letter["recipient"] == "на хартия: Донка Колева"
    assert letter["status"] == "sent"
    assert letter["article"] == "Чл. 97, т. 8"
    documents = api.get("/api/documents/documents", query_string={"student_id": school.student_id,
                                                                  "template": "absence_letter"}).json
    texts = [docx_text(api.get(f"/api/documents/documents/{d['id']}/file").data) for d in documents]
    # Documents draws up the class teacher's copy for the register; ours is addressed to the parent.
    assert sum("Донка Колева" in text for text in texts) == 1
    assert smtp.received == []


def test_the_paper_letter_for_an_unread_notice_goes_to_the_parents_postal_address(api, make_user, process, smtp):
    """The parent's account has no address of its own: the letter takes that of the child's guardian of
    the parent's name (Чл. 97, т. 8: the notice reaches the parent on paper)."""
    address = "гр. Търговище, ул. „Преслав“ 8"
    school = setup_small_school(api, make_user, guardians=[{"name": "Донка Колева", "address": address}])
    answer = api.put(f"/api/notifications/guardians/{guardian_id(process, 'Донка Колева')}/preferences",
                     json={"channels": ["inbox"]})
    assert answer.status_code == 200, answer.json
    make_user("parent", "Донка Колева", students=[school.student_id])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 8))
    api.drain()
    assert sweeps.paper_for_unread(process.runtime("notifications"), now=later(days=4)) == 1
    api.drain()
    [letter] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "paper"]
    assert letter["status"] == "sent"
    documents = api.get("/api/documents/documents", query_string={"student_id": school.student_id,
                                                                  "template": "absence_letter"}).json
    texts = [docx_text(api.get(f"/api/documents/documents/{d['id']}/file").data) for d in documents]
    # The paper letter, and the class teacher's copy for the register (documents addresses it from its replica).
    posted = [text for text in texts if "Донка Колева" in text]
    assert len(posted) == 2
    assert all(address in text and "чрез ученика" not in text for text in posted)
    assert smtp.received == []
