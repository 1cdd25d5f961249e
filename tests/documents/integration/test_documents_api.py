"""Documents through the API: templates, generation, numbering, uploads, downloads."""

from __future__ import annotations

import io
import re
import threading

import pypdf
from docx import Document as WordDocument

from services.documents.catalogue.examples import PE_EXEMPTION, STUDENT_CERTIFICATE
from services.documents.rendering import docx_text
from tests.support.school import SCHOOL

TRICKY_NAME = "Александра-Мария Христова Петкова-Димитрова & <Син> „Тошко“ " + "Дълго" * 20


def wait_done(api, document_id: int) -> dict:
    api.drain()
    answer = api.get(f"/api/documents/documents/{document_id}")
    assert answer.status_code == 200, answer.json
    return answer.json


def test_templates_list_every_shipped_template_with_a_renderable_example(api):
    answer = api.get("/api/documents/templates")
    assert answer.status_code == 200
    keys = {t["key"] for t in answer.json}
    assert {"absence_letter", "absence_notice", "sanction_order_remark", "scholarship_stop_order",
            "pe_exemption_order", "trip_order", "trip_consent_declaration", "student_certificate",
            "child_benefit_list", "sanction_procedure_notice"} <= keys
    certificate = next(t for t in answer.json if t["key"] == "student_certificate")
    assert certificate["version"] == 1
    assert "student.name" in certificate["fields"]
    assert certificate["example"]["school_year"] == "2023/2024"
    assert api.as_(None).get("/api/documents/templates").status_code == 401


def test_a_requested_document_keeps_every_character(api):
    context = {**STUDENT_CERTIFICATE, "student": {**STUDENT_CERTIFICATE["student"], "name": TRICKY_NAME}}
    answer = api.post("/api/documents/documents", json={"template": "student_certificate", "context": context})
    assert answer.status_code == 202, answer.json
    status = wait_done(api, answer.json["id"])
    assert status["status"] == "done", status
    assert status["template"] == "student_certificate"
    download = api.get(f"/api/documents/documents/{answer.json['id']}/file")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    text = docx_text(download.data)
    assert TRICKY_NAME in text
    assert "02.10.2023" in text
    pdf = api.get(f"/api/documents/documents/{answer.json['id']}/file", query_string={"format": "pdf"})
    assert pdf.status_code == 200, pdf.data[:200]
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Тошко" in pdf_text
    assert "&" in pdf_text


def test_bad_context_is_refused_naming_the_fields_and_nothing_is_stored(api, process):
    context = {**STUDENT_CERTIFICATE, "student": {"name": "", "class_name": "10а"}}
    context.pop("purpose")
    answer = api.post("/api/documents/documents", json={"template": "student_certificate", "context": context})
    assert answer.status_code == 422
    assert "context.student.name" in answer.json["errors"]
    assert "context.purpose" in answer.json["errors"]
    unknown = api.post("/api/documents/documents", json={"template": "няма_такъв", "context": {}})
    assert unknown.status_code == 422
    assert "template" in unknown.json["errors"]
    from services.documents.models import Document  # noqa: PLC0415

    documents = process.runtime("documents")
    with documents.db.sessions() as s:
        assert s.query(Document).count() == 0


def test_fifty_orders_at_once_get_fifty_consecutive_numbers(api):
    context = {key: value for key, value in PE_EXEMPTION.items() if key != "number"}
    ids: list[int] = []
    lock = threading.Lock()

    def order():
        answer = api.post("/api/documents/documents", json={"template": "pe_exemption_order", "context": context})
        assert answer.status_code == 202, answer.json
        with lock:
            ids.append(answer.json["id"])

    threads = [threading.Thread(target=order) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    api.drain()
    numbers = [wait_done(api, document_id)["number"] for document_id in ids]
    assert sorted(numbers, key=lambda n: int(n.split("/")[0])) == [f"{n}/15.09.2023" for n in range(1, 51)]


def test_an_order_number_already_in_the_register_is_refused_once_twenty_ask_for_it(api, process):
    """Issue 19, point 7: twenty requests typing the same order number, one gets it, nineteen get 409 naming it."""
    context = {**PE_EXEMPTION, "number": "7/15.09.2023", "issued_on": "2023-09-15"}
    answers: list = []
    lock = threading.Lock()

    def order():
        answer = api.post("/api/documents/documents", json={"template": "pe_exemption_order", "context": context})
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=order) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [202] + [409] * 19
    refused = next(a for a in answers if a.status_code == 409)
    assert "вече е вписана в регистъра на заповедите" in refused.json["errors"]["context.number"][0]
    won = next(a for a in answers if a.status_code == 202)
    assert wait_done(api, won.json["id"])["number"] == "7/15.09.2023"
    # The register's own numbering goes past the number typed by hand.
    auto = {key: value for key, value in context.items() if key != "number"}
    numbers = [wait_done(api, api.post("/api/documents/documents", json={
        "template": "pe_exemption_order", "context": auto}).json["id"])["number"] for _ in range(8)]
    assert sorted(int(n.split("/")[0]) for n in numbers) == [1, 2, 3, 4, 5, 6, 8, 9]
    from services.documents.models import Document, OrderNumber  # noqa: PLC0415

    with process.runtime("documents").db.sessions() as s:
        # Nothing of the nineteen refused is stored: the orders are the winner and the eight numbered after it
        # (each order's students are also sent the parents' notice of Чл. 27, ал. 5, not counted here).
        assert s.query(Document).filter_by(template="pe_exemption_order").count() == 9
        assert s.query(OrderNumber).filter_by(seq=7).count() == 1


def test_a_batch_typing_a_number_already_in_the_register_is_refused_whole_naming_the_context(api):
    typed = {**PE_EXEMPTION, "number": "7/15.09.2023", "issued_on": "2023-09-15"}
    assert api.post("/api/documents/documents", json={"template": "pe_exemption_order",
                                                      "context": typed}).status_code == 202
    auto = {key: value for key, value in typed.items() if key != "number"}
    answer = api.post("/api/documents/documents/batch", json={"template": "pe_exemption_order",
                                                               "contexts": [auto, typed, auto]})
    assert answer.status_code == 409, answer.json
    assert "вече е вписана в регистъра на заповедите" in answer.json["errors"]["contexts.1.number"][0]
    assert len(api.get("/api/documents/documents?template=pe_exemption_order").json) == 1  # nothing of the batch


def test_letterhead_comes_from_the_school(api):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    api.drain()
    context = {key: value for key, value in STUDENT_CERTIFICATE.items() if key != "school"}
    answer = api.post("/api/documents/documents", json={"template": "student_certificate", "context": context})
    assert answer.status_code == 202, answer.json
    assert wait_done(api, answer.json["id"])["status"] == "done"
    text = docx_text(api.get(f"/api/documents/documents/{answer.json['id']}/file").data)
    assert "ПГЕС „Никола Вапцаров“" in text


def _with_paragraph(docx: bytes, text: str) -> bytes:
    document = WordDocument(io.BytesIO(docx))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_school_edits_a_template_and_can_restore_the_old_one(api):
    original = api.get("/api/documents/templates/student_certificate/file")
    assert original.status_code == 200
    edited = _with_paragraph(original.data, "Издадено от канцеларията на училището.")
    upload = api.post("/api/documents/templates/student_certificate",
                      data={"file": (io.BytesIO(edited), "student_certificate.docx")},
                      content_type="multipart/form-data")
    assert upload.status_code == 201, upload.json
    assert upload.json["version"] == 2
    answer = api.post("/api/documents/documents", json={"template": "student_certificate",
                                                        "context": STUDENT_CERTIFICATE})
    assert wait_done(api, answer.json["id"])["status"] == "done"
    assert "Издадено от канцеларията" in docx_text(api.get(f"/api/documents/documents/{answer.json['id']}/file").data)
    restored = api.post("/api/documents/templates/student_certificate/versions/1/restore")
    assert restored.status_code == 200
    assert [(v["version"], v["current"]) for v in restored.json] == [(1, True), (2, False)]
    again = api.post("/api/documents/documents", json={"template": "student_certificate",
                                                       "context": STUDENT_CERTIFICATE})
    assert wait_done(api, again.json["id"])["status"] == "done"
    assert "Издадено от канцеларията" not in docx_text(
        api.get(f"/api/documents/documents/{again.json['id']}/file").data)


def test_an_unsafe_or_unknown_field_upload_is_refused_with_every_problem(api):
    original = api.get("/api/documents/templates/student_certificate/file").data
    hostile = _with_paragraph(original, "{{ ''.__class__.__mro__ }} и {{ student.shoe_size }}")
    answer = api.post("/api/documents/templates/student_certificate",
                      data={"file": (io.BytesIO(hostile), "evil.docx")}, content_type="multipart/form-data")
    assert answer.status_code == 422
    problems = " ".join(answer.json["errors"]["file"])
    assert "__class__" in problems
    assert "shoe_size" in problems
    versions = api.get("/api/documents/templates/student_certificate/versions").json
    assert [v["version"] for v in versions] == [1]


def test_only_the_office_generates_documents(api, make_user):
    _uid, teacher = make_user("teacher", "Учител Тестов")
    _uid, parent = make_user("parent", "Родител Тестов")
    body = {"template": "student_certificate", "context": STUDENT_CERTIFICATE}
    assert api.as_(teacher).post("/api/documents/documents", json=body).status_code == 403
    assert api.as_(parent).post("/api/documents/documents", json=body).status_code == 403
    assert api.as_(parent).get("/api/documents/templates").status_code == 403


def test_letters_for_a_whole_class_report_their_progress(api):
    contexts = [{**STUDENT_CERTIFICATE, "student": {**STUDENT_CERTIFICATE["student"], "name": f"Ученик № {n}"}}
                for n in range(1, 6)]
    answer = api.post("/api/documents/documents/batch", json={"template": "student_certificate",
                                                              "contexts": contexts})
    assert answer.status_code == 202, answer.json
    api.drain()
    progress = api.get(f"/api/documents/documents/batches/{answer.json['batch_id']}").json
    assert (progress["total"], progress["done"], progress["failed"], progress["queued"]) == (5, 5, 0, 0)
    assert len(progress["document_ids"]) == 5
    bad = api.post("/api/documents/documents/batch", json={"template": "student_certificate",
                                                           "contexts": [contexts[0], {"student": {}}]})
    assert bad.status_code == 422
    assert any(path.startswith("contexts.1.") for path in bad.json["errors"])
    assert len(api.get("/api/documents/documents").json) == 5  # nothing of the refused batch was stored


def test_certificates_without_a_number_get_consecutive_numbers_with_their_date(api):
    """In the order the office asked for them, though the worker renders them side by side."""
    context = {key: value for key, value in STUDENT_CERTIFICATE.items() if key != "number"}
    ids = []
    for _ in range(6):
        answer = api.post("/api/documents/documents", json={"template": "student_certificate", "context": context})
        assert answer.status_code == 202, answer.json
        ids.append(answer.json["id"])
    assert [wait_done(api, document_id)["number"] for document_id in ids] == [
        f"{n}/02.10.2023" for n in range(1, 7)]
    assert "№ 2/02.10.2023 г." in docx_text(api.get(f"/api/documents/documents/{ids[1]}/file").data)
    given = api.post("/api/documents/documents", json={"template": "student_certificate",
                                                       "context": STUDENT_CERTIFICATE})
    assert wait_done(api, given.json["id"])["number"] == "318/02.10.2023"  # a number typed by the office is kept


def test_numbers_the_register_gives_print_once_in_the_rulebooks_form(api):
    """„Изх. № 3/06.12.2026 г.“, not „Изх. № 3/06.12.2026/06.12.2026 г.“ (issue 20, point 1)."""
    from services.documents.catalogue import DocumentKind, shipped_templates  # noqa: PLC0415

    numbered = 0
    for spec in shipped_templates():
        context = {k: v for k, v in spec.example.items() if k not in ("number", "outgoing_number")}
        if spec.key == "student_certificate" or ("sent_on" not in context and not spec.is_order):
            continue
        answer = api.post("/api/documents/documents", json={"template": spec.key, "context": context})
        assert answer.status_code == 202, (spec.key, answer.json)
        status = wait_done(api, answer.json["id"])
        assert status["status"] == "done", status
        number = status["number"]
        assert re.fullmatch(r"\d+/\d{2}\.\d{2}\.\d{4}", number), number
        text = docx_text(api.get(f"/api/documents/documents/{answer.json['id']}/file").data)
        printed = f"Изх. № {number} г." if "sent_on" in context else f"№ {number} г."
        assert text.count(printed) == 1, (spec.key, printed, text[:300])
        assert not re.search(r"\d{2}\.\d{2}\.\d{4}/\d{2}\.\d{2}\.\d{4}", text), spec.key
        numbered += 1
    # Every order and letter; the certificates' numbers are tested above.
    assert numbered == sum(1 for spec in shipped_templates() if spec.kind in (DocumentKind.ORDER, DocumentKind.LETTER))


def test_a_letter_number_typed_with_its_date_is_refused_naming_the_field(api):
    from services.documents.catalogue.examples import ABSENCE_NOTICE  # noqa: PLC0415

    context = {**ABSENCE_NOTICE, "outgoing_number": "318/02.10.2023"}
    answer = api.post("/api/documents/documents", json={"template": "absence_notice", "context": context})
    assert answer.status_code == 422, answer.json
    assert "context.outgoing_number" in answer.json["errors"]
    typed = api.post("/api/documents/documents", json={"template": "absence_notice",
                                                       "context": {**ABSENCE_NOTICE, "outgoing_number": "318"}})
    assert wait_done(api, typed.json["id"])["number"] == "318/09.10.2023"
