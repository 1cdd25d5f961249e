"""O2, the early erasure order (Чл. 60, ал. 1), cites the number of the order that imposed the sanction from
the register of orders: it waits for an imposing order still being drawn up, and says in words that an
imposing order never numbered here has no number — never „—/дата“."""

from __future__ import annotations

import sqlalchemy as sa

from services.documents import generation, tasks
from services.documents.catalogue.examples import sanction_order
from services.documents.models import Document
from services.documents.rendering import docx_text
from tests.documents.integration.test_documents_events import deliver_to_documents, step_done
from tests.support.school import setup_small_school

STUDENT = {"name": "Мария Петрова Иванова", "class_name": "10а"}
ERASURE = {"student": STUDENT, "sanction": "warning_transfer", "motives": "Няма нови нарушения от януари.",
           "erasure_proposal_ref": "решение на Педагогическия съвет, протокол № 12",
           "erasure_proposed_on": "2024-04-26", "imposed_on": "2023-12-14", "issued_on": "2024-05-04"}


def _erasure(api, student_id: int) -> dict:
    documents = api.get("/api/documents/documents", query_string={"student_id": student_id}).json
    [erasure] = [d for d in documents if d["template"] == "sanction_erasure_order"]
    return erasure


def _text(api, document: dict) -> str:
    return docx_text(api.get(f"/api/documents/documents/{document['id']}/file").data)


def test_the_erasure_order_waits_for_the_imposing_orders_number_art_60(api, make_user, process):
    school = setup_small_school(api, make_user)
    documents = process.runtime("documents")
    order_context = {k: v for k, v in sanction_order("warning_transfer").items() if k not in ("school", "number")}
    order_context["student"] = {**order_context["student"], "name": STUDENT["name"]}
    with documents.db.transaction() as s:  # the imposing order queued, its render not run yet
        order_id, _created = generation.request(s, documents, "sanction_order_warning_transfer", order_context,
                                                source_key="sanction:7:sanction_order_warning_transfer",
                                                student_id=school.student_id, render=False)

    deliver_to_documents(process, "register.sanction_step_done",
                         step_done(school.student_id, "erasure_order", "2024-05-04", ERASURE), times=1)
    api.drain()
    assert _erasure(api, school.student_id)["status"] == "queued"  # waits for the number, not „—/14.12.2023“

    tasks.render(documents, order_id)
    api.drain()
    with documents.db.sessions() as s:
        number = s.scalar(sa.select(Document.number).where(Document.id == order_id))
    assert number == "1/14.12.2023"
    erasure = _erasure(api, school.student_id)
    assert erasure["status"] == "done", erasure
    text = _text(api, erasure)
    assert f"наложена със заповед № {number} г." in text
    assert "—/" not in text


def test_an_imposing_order_never_numbered_is_said_so_in_words_art_60(api, make_user, process):
    """The sanction was imposed before documents kept its register (no imposing order here): no dash."""
    school = setup_small_school(api, make_user)
    deliver_to_documents(process, "register.sanction_step_done",
                         step_done(school.student_id, "erasure_order", "2024-05-04", ERASURE), times=1)
    api.drain()
    erasure = _erasure(api, school.student_id)
    assert erasure["status"] == "done", erasure
    text = _text(api, erasure)
    assert "наложена със заповед от 14.12.2023 г. (заповедта за налагане не е номерирана)." in text
    assert "—/" not in text
