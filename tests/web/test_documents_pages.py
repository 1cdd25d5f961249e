"""The documents' pages in a real browser on a phone-sized window (``../shared/spec/web-ui.md``).

The secretary finds a student, issues a certificate, waits for it and downloads it; the list,
the register of orders and the templates page; who may not open them gets the 403 page.
Documents are rendered by the in-process worker of the ``process`` fixture, as in production.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document as WordDocument
from playwright.sync_api import Page, expect

from services.documents.catalogue.examples import PE_EXEMPTION
from services.documents.rendering import docx_text
from tests.support.school import setup_small_school
from tests.web.browser import open_menu
from tests.web.conftest import PHONE, assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
SECRETARY = "Севда Стоянова"
STUDENT = "Мария Петрова Иванова"
#: The student's ЕГН (tests/support/school.py); the register never sends it to other services in events:
#: the certificate's form loads it from the register in the browser.
EGN = "0441011235"
#: Rendering runs in the background worker; a cold first render (template compile) may take seconds.
READY_MS = 30_000


@pytest.fixture
def school(api, make_user):
    small = setup_small_school(api, make_user)
    make_user("secretary", SECRETARY, password=PASSWORD)
    return small


def sign_in(page: Page, name: str, password: str = PASSWORD) -> None:
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(password)
    page.get_by_role("button", name="Вход").click()


def check_quality(page: Page) -> None:
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)


def issue_certificate(page: Page) -> str:
    """Search, pick the student (click 1), „Създай“ (click 2); returns the document's page URL.

    The ЕГН is not typed: the browser loads it from the register into the form (it never travels in events)."""
    page.get_by_label("Търсене на ученик").fill("иванова")
    choice = page.get_by_role("link", name=f"{STUDENT}, 10а клас")
    choice.click()
    expect(page.get_by_label("Име (ученик)")).to_have_value(STUDENT)
    expect(page.get_by_label("Паралелка")).to_have_value("10а")
    expect(page.get_by_label("ЕГН")).to_have_value(EGN)
    page.get_by_role("button", name="Създай").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    return page.url


def test_the_secretary_issues_a_certificate_in_two_clicks_after_the_search_and_downloads_it(
        page: Page, school, tmp_path: Path):
    page.goto("/documents/new?template=student_certificate")
    sign_in(page, SECRETARY)
    expect(page.get_by_role("heading", name="Удостоверение, че лицето е ученик в училището")).to_be_visible()
    check_quality(page)
    issue_certificate(page)
    download_link = page.get_by_role("link", name="Изтегли", exact=True)
    expect(download_link).to_be_visible(timeout=READY_MS)  # htmx asked for the status until it was ready
    expect(page.get_by_text(re.compile(r"Документът е готов: № 1/\d\d\.\d\d\.\d{4}\."))).to_be_visible()
    check_quality(page)
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / "certificate.docx"
    download.value.save_as(saved)
    text = "\n".join(paragraph.text for paragraph in WordDocument(str(saved)).paragraphs)
    assert STUDENT in text
    assert EGN in text
    assert "01.01.2004" in text  # the birth date, read from the ЕГН
    assert "ПГЕС „Никола Вапцаров“" in docx_text(saved.read_bytes())  # the letterhead from the register


def test_the_list_finds_the_certificate_by_number_and_by_student(page: Page, school):
    page.goto("/documents/new?template=student_certificate")
    sign_in(page, SECRETARY)
    issue_certificate(page)
    expect(page.get_by_role("link", name="Изтегли", exact=True)).to_be_visible(timeout=READY_MS)
    page.goto("/documents/")
    results = page.locator("#document-results")
    page.get_by_label("Номер").fill("1")
    expect(results.get_by_text(STUDENT)).to_be_visible()
    expect(results.get_by_text(re.compile(r"№ 1/\d\d\.\d\d\.\d{4}"))).to_be_visible()
    expect(results.get_by_role("link", name="Изтегли", exact=True)).to_have_count(1)
    page.get_by_label("Номер").fill("2")
    expect(results.get_by_text("Няма намерени документи.")).to_be_visible()
    page.get_by_label("Номер").fill("")
    page.get_by_label("Ученик", exact=True).fill("Петрова Иванова")
    expect(results.get_by_text(f"{STUDENT}, 10а клас")).to_be_visible()
    page.get_by_label("Ученик", exact=True).fill("Георгиев")
    expect(results.get_by_text("Няма намерени документи.")).to_be_visible()
    check_quality(page)
    # Without JavaScript the same search is a plain GET.
    page.goto("/documents/?student=10а&template=student_certificate")
    expect(page.locator("#document-results").get_by_text(f"{STUDENT}, 10а клас")).to_be_visible()

    # At the window's wide screen a document is two columns: its number, state and download beside its title.
    page.set_viewport_size({"width": 1280, "height": 800})
    row = page.locator("#document-results .doc").first
    title, meta = row.locator(".doc-title").bounding_box(), row.locator(".doc-meta").bounding_box()
    assert meta["x"] >= title["x"] + title["width"]
    assert meta["y"] < title["y"] + title["height"]
    assert row.bounding_box()["height"] <= 140


def test_a_form_the_template_refuses_comes_back_with_each_error_next_to_its_field(page: Page, school):
    page.goto(f"/documents/new?template=student_certificate&student_id={school.student_id}")
    sign_in(page, SECRETARY)
    expect(page.get_by_label("ЕГН")).to_have_value(EGN)  # loaded from the register; then mistyped
    page.get_by_label("ЕГН").fill("12345")
    page.get_by_label("Да послужи").fill("")
    page.get_by_label("Да послужи").evaluate("input => input.removeAttribute('required')")
    with page.expect_response(lambda r: r.url.endswith("/documents/new") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Създай").click()
    assert answer.value.status == 422
    expect(page.locator("#field-student-egn-error")).to_have_text("ЕГН е от 10 цифри.")
    expect(page.get_by_label("ЕГН")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-purpose-error")).to_have_text("Полето е задължително.")
    expect(page.get_by_label("Име (ученик)")).to_have_value(STUDENT)  # what was typed stays
    check_quality(page)
    page.goto("/documents/")
    expect(page.get_by_text("Няма намерени документи.")).to_be_visible()  # nothing was stored


def test_the_register_of_orders_lists_an_order_made_through_the_api(page: Page, school, api):
    context = {key: value for key, value in PE_EXEMPTION.items() if key != "number"}
    answer = api.post("/api/documents/documents", json={"template": "pe_exemption_order", "context": context,
                                                        "student_id": school.student_id})
    assert answer.status_code == 202, answer.json
    api.drain()
    page.goto("/documents/orders")
    sign_in(page, SECRETARY)
    expect(page.get_by_role("heading", name="Регистър на заповедите")).to_be_visible()
    order = page.locator(".doc").first
    expect(order).to_contain_text("№ 1/15.09.2023")
    expect(order).to_contain_text("15.09.2023")
    expect(order.get_by_role("link", name="Заповед за освобождаване от часовете по физическо възпитание и спорт")) \
        .to_be_visible()
    expect(order).to_contain_text(f"{STUDENT}, 10а клас")
    check_quality(page)


def _broken(docx: bytes) -> bytes:
    document = WordDocument(io.BytesIO(docx))
    document.add_paragraph("{{ ''.__class__.__mro__ }} и {{ student.shoe_size }}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_templates_page_downloads_a_template_and_lists_every_problem_of_a_broken_upload(
        page: Page, school, tmp_path: Path):
    page.goto("/documents/templates")
    sign_in(page, SECRETARY)
    certificate = page.locator("#template-student_certificate")
    expect(certificate).to_contain_text("Версия 1")
    expect(certificate).to_contain_text("Наредба за информацията и документите")
    check_quality(page)
    with page.expect_download() as download:
        certificate.get_by_role("link", name="Изтегли шаблона").click()
    saved = tmp_path / "template.docx"
    download.value.save_as(saved)
    assert "{{ student.name }}" in docx_text(saved.read_bytes())
    certificate.get_by_label("Нова версия (.docx)").set_input_files(
        {"name": "broken.docx", "mimeType": "application/octet-stream", "buffer": _broken(saved.read_bytes())})
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        certificate.get_by_role("button", name="Качи").click()
    assert answer.value.status == 422
    problems = page.locator("#file-student_certificate-error li")
    expect(problems.first).to_be_visible()
    assert problems.count() >= 2
    listed = " ".join(problems.all_inner_texts())
    assert "__class__" in listed
    assert "shoe_size" in listed
    expect(page.locator("#template-student_certificate")).to_contain_text("Версия 1")  # nothing stored
    check_quality(page)
    edited = WordDocument(str(saved))
    edited.add_paragraph("Издадено от канцеларията на училището.")
    edited.save(tmp_path / "edited.docx")
    certificate.get_by_label("Нова версия (.docx)").set_input_files(tmp_path / "edited.docx")
    certificate.get_by_role("button", name="Качи").click()
    expect(page.get_by_text("Качена е версия 2 на шаблона.")).to_be_visible()
    expect(page.locator("#template-student_certificate")).to_contain_text("Версия 2")


def test_a_teacher_gets_the_403_page_and_never_the_documents(page: Page, school, make_user):
    make_user("teacher", "Тодор Учителев", classes=["10а"], password=PASSWORD)
    page.goto("/login")
    sign_in(page, "Тодор Учителев")
    for path in ("/documents/", "/documents/new?template=student_certificate", "/documents/orders",
                 "/documents/templates"):
        answer = page.goto(path)
        assert answer.status == 403, path
        expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()
        expect(page.get_by_text(STUDENT)).to_have_count(0)
    check_quality(page)
    expect(page.get_by_role("link", name="Документи")).to_have_count(0)  # no menu entry for a page refused


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(page: Page, school, api):
    page.goto("/login")
    sign_in(page, SECRETARY)
    expect(page.get_by_role("button", name="Изход")).to_be_visible()
    refused = page.request.post("/documents/new", form={
        "template": "student_certificate", "student_id": str(school.student_id), "student.name": STUDENT,
        "student.class_name": "10а", "student.egn": EGN, "school_year": "2023/2024",
        "education_form": "дневна", "purpose": "където е необходимо"})
    assert refused.status == 400
    assert "Формулярът е изтекъл" in refused.text()
    upload = page.request.post("/documents/templates/student_certificate",
                               multipart={"file": {"name": "x.docx", "mimeType": "application/octet-stream",
                                                   "buffer": b"PK"}})
    assert upload.status == 400
    assert api.get("/api/documents/documents").json == []


def test_the_home_page_shows_the_office_its_documents_and_the_menu_leads_to_them(page: Page, school):
    page.goto("/")
    sign_in(page, SECRETARY)
    expect(page.get_by_role("heading", name="Документи")).to_be_visible()  # the documents' fragment, by htmx
    expect(page.get_by_text("Няма чакащи или неуспешни документи.")).to_be_visible()
    check_quality(page)
    page.get_by_role("link", name="Ново удостоверение").click()
    expect(page.get_by_role("heading", name="Удостоверение, че лицето е ученик в училището")).to_be_visible()
    nav = open_menu(page)
    for title in ("Документи", "Заповеди", "Шаблони"):
        expect(nav.get_by_role("link", name=title)).to_be_visible()
    nav.get_by_role("link", name="Заповеди").click()
    expect(page.get_by_role("heading", name="Регистър на заповедите")).to_be_visible()


def test_a_class_teacher_sees_only_the_letters_of_their_class(page: Page, school, api, make_user):
    other_teacher, _token = make_user("class_teacher", "Стефан Другов", classes=["11б"])
    assert api.post("/api/register/classes", json={"code": "11б", "grade": 11,
                                                   "class_teacher_id": other_teacher}).status_code == 201
    other = api.post("/api/register/students", json={
        "first_name": "Борис", "middle_name": "Иванов", "last_name": "Колев", "egn": "0652011234",
        "class_code": "11б", "guardians": []})
    assert other.status_code == 201, other.json
    api.drain()
    ids = {}
    students = ((school.student_id, STUDENT, "10а"), (other.json["id"], "Борис Иванов Колев", "11б"))
    for student_id, name, class_name in students:
        context = {"student": {"name": name, "class_name": class_name, "egn": EGN, "birth_date": "2004-01-01"},
                   "school_year": "2023/2024", "education_form": "дневна", "purpose": "където е необходимо"}
        answer = api.post("/api/documents/documents", json={"template": "student_certificate", "context": context,
                                                            "student_id": student_id})
        assert answer.status_code == 202, answer.json
        ids[class_name] = answer.json["id"]
    api.drain()
    make_user("class_teacher", "Мира Класова", classes=["10а"], password=PASSWORD)
    page.goto("/documents/")
    sign_in(page, "Мира Класова")
    results = page.locator("#document-results")
    expect(results.get_by_text(f"{STUDENT}, 10а клас")).to_be_visible()
    expect(results.get_by_text("Борис Иванов Колев")).to_have_count(0)
    expect(page.get_by_role("link", name="Ново удостоверение")).to_have_count(0)  # the office issues them
    check_quality(page)
    assert page.goto(f"/documents/{ids['10а']}").status == 200
    expect(page.get_by_role("link", name="Изтегли", exact=True)).to_be_visible()
    assert page.goto(f"/documents/{ids['11б']}").status == 403
    expect(page.get_by_text("Борис Иванов Колев")).to_have_count(0)
    assert page.goto("/documents/new?template=student_certificate").status == 403


def test_without_javascript_the_form_posts_and_the_progress_page_refreshes_itself(chromium, live_server, school):
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/documents/new?template=student_certificate&student_id={school.student_id}")
        sign_in(page, SECRETARY)
        page.get_by_label("ЕГН").fill(EGN)
        page.get_by_role("button", name="Създай").click()
        expect(page).to_have_url(re.compile(r"/documents/\d+$"))
        # <meta http-equiv=refresh> inside <noscript> reloads the page until the document is ready.
        expect(page.get_by_role("link", name="Изтегли", exact=True)).to_be_visible(timeout=READY_MS)
        page.goto("/documents/?number=1")  # the search is a plain GET form
        expect(page.locator("#document-results").get_by_text(f"{STUDENT}, 10а клас")).to_be_visible()
    finally:
        context.close()


def test_every_template_has_a_form_a_phone_can_fill(page: Page, school, api):
    keys = [template["key"] for template in api.get("/api/documents/templates").json]
    page.goto("/documents/new")
    sign_in(page, SECRETARY)
    expect(page.get_by_role("heading", name="Нов документ")).to_be_visible()
    check_quality(page)
    for key in keys:
        answer = page.goto(f"/documents/new?template={key}&student_id={school.student_id}")
        assert answer.status == 200, key
        expect(page.get_by_role("button", name="Създай")).to_be_visible()
        check_quality(page)


def test_the_class_teachers_order_form_lists_every_class_with_its_class_teacher_art_117(page: Page, school):
    """Чл. 117: at the start of the year the office issues the order from the register's class teachers."""
    page.goto("/documents/new?template=class_teachers_order")
    sign_in(page, SECRETARY)
    expect(page.get_by_label("Паралелки")).to_have_value("10а; Мария Петрова")
    page.get_by_label("В сила от").fill("2023-09-15")
    check_quality(page)
    page.get_by_role("button", name="Създай").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.get_by_text(re.compile(r"№ \d+/\d{2}\.\d{2}\.\d{4}")).first).to_be_visible(timeout=READY_MS)
