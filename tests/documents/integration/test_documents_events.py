"""Documents drawn up from other services' events: each event at most one document and one number."""

from __future__ import annotations

import datetime as dt
import uuid

from dramatiq import Message

from services.documents.catalogue.examples import sanction_order
from services.documents.rendering import docx_text
from shared.messages import Envelope
from tests.support.school import setup_small_school


def step_done(student_id: int, step: str, done_on: str, document_context: dict) -> dict:
    return {
        "sanction_id": 7, "student_id": student_id, "student_name": "Мария Петрова Иванова", "class_code": "10а",
        "type": "warning_transfer", "step": step, "done_on": done_on, "article": "Чл. 58, ал. 1",
        "proposed_on": "2023-12-05", "reason": "16 отсъствия", "note": "", "next_step": "letter",
        "next_due": "2023-12-17", "details": {"document_context": document_context},
    }


def deliver_to_documents(process, event: str, payload: dict, times: int) -> None:
    """The same envelope delivered several times, as at-least-once delivery may do."""
    wire = Envelope(id=str(uuid.uuid4()), type=event, version=1, producer="register",
                    occurred_at=dt.datetime.now(dt.UTC), payload=payload).to_wire()
    for _ in range(times):
        process.broker.enqueue(Message(queue_name="documents", actor_name="documents.handle_event",
                                       args=(wire,), kwargs={}, options={}))


def test_an_order_step_delivered_twice_makes_one_numbered_order_and_its_letter(api, make_user, process):
    school = setup_small_school(api, make_user)
    context = {k: v for k, v in sanction_order("warning_transfer").items() if k not in ("school", "number")}
    context["student"] = {**context["student"], "name": "Мария Петрова Иванова"}
    deliver_to_documents(process, "register.sanction_step_done",
                         step_done(school.student_id, "order", "2023-12-14", context), times=2)
    api.drain()
    documents = api.get("/api/documents/documents", query_string={"student_id": school.student_id}).json
    orders = [d for d in documents if d["template"] == "sanction_order_warning_transfer"]
    assert len(orders) == 1
    [order] = orders
    assert order["status"] == "done", order
    assert order["number"] == "1/14.12.2023"
    [letter] = [d for d in documents if d["template"] == "sanction_letter_warning_transfer"]
    assert letter["status"] == "done", letter
    text = docx_text(api.get(f"/api/documents/documents/{letter['id']}/file").data)
    assert "1/14.12.2023" in text  # the letter cites the order's register number
    assert "Петър Иванов" in text


def test_an_incomplete_event_leaves_a_failed_document_naming_what_is_missing(api, make_user, process):
    school = setup_small_school(api, make_user)
    deliver_to_documents(process, "register.sanction_step_done",
                         step_done(school.student_id, "order", "2023-12-14", {}), times=1)
    api.drain()
    [order] = api.get("/api/documents/documents", query_string={"student_id": school.student_id}).json
    assert order["status"] == "failed"
    assert "motives" in order["error"]
    assert order["number"] is None
