"""Guardians are told by e-mail exactly once, with retries for temporary SMTP failures."""

from __future__ import annotations

import datetime as dt
import uuid

from dramatiq import Message

from services.documents.rendering import docx_text
from shared.messages import Envelope
from tests.notifications.support import (
    LADDER,
    attempts_of,
    deliveries,
    guardian_id,
    publish_from_register,
    rule_fired,
)
from tests.support.school import setup_small_school


def test_four_ladder_events_give_four_emails_to_each_guardian(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    for threshold in (3, 8, 20, 30):
        publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, threshold))
    api.drain()
    for guardian in ("petar@example.bg", "elena@example.bg"):
        mails = smtp.to(guardian)
        # Workers send in parallel, so the four may arrive in any order.
        subjects = sorted(mail["Subject"] for mail in mails)
        assert subjects == sorted(f"Уведомление: {n} отсъствия по неуважителни причини на Мария Петрова Иванова"
                                  for n in (3, 8, 20, 30))
        for mail in mails:
            body = mail.get_content()
            assert "Чл. 97, т. 8" in body
            assert "прага от" in body
    logged = deliveries(api, student_id=school.student_id, rule_id=LADDER)
    emails = [d for d in logged if d["channel"] == "email"]
    assert len(emails) == 8
    assert {d["status"] for d in emails} == {"sent"}
    assert all(d["article"] == "Чл. 97, т. 8" and d["sent_at"] for d in emails)
    assert not [d for d in logged if d["channel"] == "paper"]
    exposition = process.metrics.exposition().decode()
    # The delay from each event to the SMTP server's acceptance is measured for every e-mail.
    assert 'school_notification_delay_seconds_count{channel="email"} 8.0' in exposition


def test_the_same_event_delivered_three_times_gives_one_email(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    wire = Envelope(id=str(uuid.uuid4()), type="register.rule_fired", version=1, producer="register",
                    occurred_at=dt.datetime.now(dt.UTC), payload=rule_fired(school.student_id, 3)).to_wire()
    for _ in range(3):
        process.broker.enqueue(Message(queue_name="notifications", actor_name="notifications.handle_event",
                                       args=(wire,), kwargs={}, options={}))
    api.drain()
    # A second, distinct event about the same firing (e.g. re-published) is suppressed by its key.
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert len(smtp.to("petar@example.bg")) == 1
    assert len(smtp.to("elena@example.bg")) == 1
    exposition = process.metrics.exposition().decode()
    assert 'school_notifications_suppressed_total{channel="email"} 2.0' in exposition
    assert 'school_notifications_sent_total{channel="email"} 2.0' in exposition


def test_451_twice_then_accepted_arrives_on_the_third_try(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    smtp.handler.script = ["451 4.3.0 Временно неразположен", "451 4.3.0 Временно неразположен"]
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert len(smtp.to("petar@example.bg")) == 1
    assert smtp.handler.answers[:3] == ["451 4.3.0 Временно неразположен"] * 2 + ["250 OK"]
    [email_delivery] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert email_delivery["status"] == "sent"
    assert email_delivery["attempts"] == 3
    assert attempts_of(process, email_delivery["id"]) == ["temporary", "temporary", "sent"]


def test_550_is_one_attempt_and_failed(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    smtp.handler.script = ["550 5.1.1 Няма такава пощенска кутия"]
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    [email_delivery] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert email_delivery["status"] == "failed"
    assert email_delivery["attempts"] == 1
    assert "550" in email_delivery["error"]
    assert attempts_of(process, email_delivery["id"]) == ["permanent"]
    assert smtp.received == []
    assert 'school_notifications_failed_total{channel="email"} 1.0' in process.metrics.exposition().decode()
    # The e-mail was the guardian's only channel: the obligatory notice goes on paper instead.
    [letter] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "paper"]
    assert letter["status"] == "sent"
    assert letter["recipient"] == "на хартия: Петър Иванов"


def test_what_exhausts_its_retries_ends_failed_and_in_the_dead_letter_queue(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    smtp.handler.script = ["451 4.3.0 Временно неразположен"] * 10
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    [email_delivery] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert email_delivery["status"] == "failed"
    # The first try and the three retries the test settings allow.
    assert attempts_of(process, email_delivery["id"]) == ["temporary"] * 4
    assert smtp.received == []
    assert process.broker.client.zcard("dramatiq:notifications_jobs.XQ") == 1
    assert 'school_notifications_failed_total{channel="email"} 1.0' in process.metrics.exposition().decode()


def test_a_redelivered_send_job_does_not_send_again(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    [email_delivery] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    for _ in range(2):
        process.broker.enqueue(Message(queue_name="notifications_jobs", actor_name="notifications.deliver",
                                       args=(email_delivery["id"],), kwargs={}, options={}))
    api.drain()
    assert len(smtp.to("petar@example.bg")) == 1
    assert attempts_of(process, email_delivery["id"]) == ["sent"]


def test_a_recorded_absence_reaches_the_guardians_in_cyrillic(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    answer = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 3, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "late"}],
    })
    assert answer.status_code == 201, answer.json
    api.drain()
    [mail] = smtp.to("elena@example.bg")
    assert mail["Subject"] == "Отсъствие на Мария Петрова Иванова (10а клас)"
    body = mail.get_content()
    assert "На 02.10.2023" in body
    assert "закъснение в 3. час по Математика" in body
    assert "Чл. 61" in body


def test_opted_out_guardian_gets_no_optional_notice_but_still_the_ladder(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    elena = guardian_id(process, "Елена Иванова")
    answer = api.put(f"/api/notifications/guardians/{elena}/preferences",
                     json={"channels": ["email"], "opted_out": True})
    assert answer.status_code == 200, answer.json
    api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 3, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "unexcused"}],
    })
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert len(smtp.to("petar@example.bg")) == 2
    [ladder] = smtp.to("elena@example.bg")
    assert "Чл. 97, т. 8" in ladder.get_content()


def test_parents_see_only_their_child_in_the_delivery_log(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    _uid, parent = make_user("parent", "Петър Иванов", students=[school.student_id])
    _uid, stranger = make_user("parent", "Друг родител", students=[school.student_id + 1])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    own = api.as_(parent).get("/api/notifications/deliveries", query_string={"student_id": school.student_id})
    assert own.status_code == 200
    assert {d["channel"] for d in own.json} >= {"email", "inbox"}
    other = api.as_(stranger).get("/api/notifications/deliveries", query_string={"student_id": school.student_id})
    assert other.status_code == 403
    assert api.as_(None).get("/api/notifications/deliveries").status_code == 401


def test_a_guardian_with_no_email_gets_a_paper_letter(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Стоян Колев", "phone": "+359888000003"}])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    [paper] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "paper"]
    assert paper["status"] == "sent"
    assert paper["recipient"] == "на хартия: Стоян Колев"
    letters = api.get("/api/documents/documents", query_string={"student_id": school.student_id,
                                                                  "template": "absence_letter"}).json
    assert {letter["status"] for letter in letters} == {"done"}
    texts = [docx_text(api.get(f"/api/documents/documents/{letter['id']}/file").data) for letter in letters]
    assert any("Стоян Колев" in text and "чрез ученика" in text for text in texts)
    assert smtp.received == []
