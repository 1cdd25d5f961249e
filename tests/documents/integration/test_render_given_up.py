"""A render that fails for a reason nobody foresaw is not lost: after its retries the document fails, for good.

The fault is a real one: a school's own version of the absence notice that computes the share of the
year's unexcused absences, which passes the upload's check (the example has some) and divides by zero
for a student who has none. That is neither a ContextError nor a RenderError (the sandbox lets Python's
ZeroDivisionError through), so the render job is retried, and then given up; its dead letter sent
again by the administrator draws the same document up once the template is mended.
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from docx import Document as WordDocument

from services.documents.catalogue.examples import ABSENCE_NOTICE
from shared.messaging import dead_letters
from tests.support.pages import csrf_of, signed_in
from tests.support.school import setup_small_school

PASSWORD = "дълга-парола-1"
SHARE = "Дял на неизвинените в периода: {{ unexcused * 100 // unexcused_year }} %."


def with_paragraph(docx: bytes, text: str) -> bytes:
    document = WordDocument(io.BytesIO(docx))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def outbox_events(process, name: str) -> list[dict]:
    documents = process.runtime("documents")
    outbox = documents.tables.outbox
    with documents.db.sessions() as s:
        return [row["data"] for row in s.scalars(sa.select(outbox.payload).where(outbox.name == name))]


def failed_events(process, document_id: int) -> list[dict]:
    return [e for e in outbox_events(process, "documents.document_failed") if e["document_id"] == document_id]


def test_an_unexpected_render_error_fails_the_document_once_with_a_reason_and_it_can_be_sent_or_asked_again(
        api, make_user, process, app):
    school = setup_small_school(api, make_user)
    original = api.get("/api/documents/templates/absence_notice/file").data
    upload = api.post("/api/documents/templates/absence_notice",
                      data={"file": (io.BytesIO(with_paragraph(original, SHARE)), "absence_notice.docx")},
                      content_type="multipart/form-data")
    assert upload.status_code == 201, upload.json
    assert upload.json["version"] == 2
    # Only excused absences this year: the school's formula divides by zero.
    context = {k: v for k, v in ABSENCE_NOTICE.items() if k not in ("school", "outgoing_number")}
    context.update({"excused": 4, "unexcused": 0, "late": 0, "unexcused_year": 0})
    answer = api.post("/api/documents/documents", json={"template": "absence_notice", "context": context,
                                                        "student_id": school.student_id})
    assert answer.status_code == 202, answer.json
    document_id = answer.json["id"]
    api.drain()

    found = api.get(f"/api/documents/documents/{document_id}").json
    assert found["status"] == "failed", found
    assert found["number"] is None  # the letter's outgoing number rolled back with each try
    reason = found["error"]
    assert reason.startswith("Неочаквана грешка при съставянето по шаблона „")
    for told in ("(версия 2)", "опитано 4 пъти", "Поискайте документа отново"):
        assert told in reason
    for untold in ("Traceback", "ZeroDivision", "Error", ABSENCE_NOTICE["student"]["name"],
                   ABSENCE_NOTICE["parent"]["name"]):
        assert untold not in reason  # no stack trace, no personal data
    [event] = failed_events(process, document_id)  # announced once, through the outbox
    assert event == {"document_id": document_id, "template": "absence_notice", "source_event_id": None,
                     "student_id": school.student_id, "reason": reason}
    # The render message stays with the broker's dead letters, for the administrator.
    assert process.broker.client.zcard("dramatiq:documents_jobs.XQ") == 1

    # The secretary sees it where the other failures show: the document's page and the office's home card.
    make_user("secretary", "Секретар Тестов", password=PASSWORD)
    secretary = signed_in(app, "Секретар Тестов", PASSWORD)
    page = secretary.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Документът не можа да бъде съставен: Неочаквана грешка" in page
    assert "Документът се съставя" not in page
    home = secretary.get("/documents/fragments/home", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "неуспешен" in home

    # The render job delivered once more (not the administrator's resend) changes nothing, announces nothing.
    documents = process.runtime("documents")
    with documents.db.transaction() as s:
        documents.enqueue_job(s, "render", document_id)
    api.drain()
    assert len(failed_events(process, document_id)) == 1
    assert api.get(f"/api/documents/documents/{document_id}").json["status"] == "failed"

    # The office restores the shipped template; the administrator sends the dead letter again
    # („Изпрати отново“ on /admin/system): the same document is drawn up, numbered and announced ready.
    assert api.post("/api/documents/templates/absence_notice/versions/1/restore").status_code == 200
    make_user("it_admin", "Администратор Тестов", password=PASSWORD)
    admin = signed_in(app, "Администратор Тестов", PASSWORD)
    [letter] = dead_letters.list_dead(process.broker.client, ["documents_jobs"])
    sent = admin.post("/admin/system/dead-letters", data={
        "queue": "documents_jobs", "message_id": letter["id"],
        "csrf_token": csrf_of(admin.get("/admin/system").get_data(as_text=True))})
    assert sent.status_code == 303
    api.drain()
    resent = api.get(f"/api/documents/documents/{document_id}").json
    assert resent["status"] == "done", resent
    assert resent["number"] is not None
    assert resent["error"] is None
    assert len(failed_events(process, document_id)) == 1
    assert [e["document_id"] for e in outbox_events(process, "documents.document_ready")].count(document_id) == 1
    assert process.broker.client.zcard("dramatiq:documents_jobs.XQ") == 0

    # Asked again instead, as the reason says: a new document, drawn up, numbered.
    again = api.post("/api/documents/documents", json={"template": "absence_notice", "context": context,
                                                       "student_id": school.student_id})
    assert again.status_code == 202, again.json
    api.drain()
    done = api.get(f"/api/documents/documents/{again.json['id']}").json
    assert done["status"] == "done", done
    assert done["number"] is not None
    assert done["number"] != resent["number"]
