"""The students' import page in a real browser: preview with every problem, then „Импортирай“."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from services.register.people.importing import TEMPLATE_HEADINGS
from tests.support.school import SCHOOL, YEAR
from tests.web.browser import open_menu
from tests.web.conftest import PHONE, assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
GOOD = [
    ("Мария", "Петрова", "Иванова", "0441011235", "01.01.2004", "10а", "Петър Иванов", "petar@example.bg",
     "+359888000001"),
    ("Георги", "Иванов", "Георгиев", "0542024328", "02.02.2005", "10а", "Елена Георгиева", "elena@example.bg",
     "+359888000002"),
]


@pytest.fixture
def school(api, make_user):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher_id, _ = make_user("class_teacher", "Мария Петрова", classes=["10а"])
    assert api.post("/api/register/classes", json={
        "code": "10а", "grade": 10, "class_teacher_id": class_teacher_id}).status_code == 201
    make_user("secretary", "Елена Секретарова", password=PASSWORD)
    return "Елена Секретарова"


def workbook(tmp_path: Path, rows, name: str = "ученици.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(TEMPLATE_HEADINGS))
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def sign_in(page: Page, name: str, path: str) -> None:
    page.goto(path)
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(PASSWORD)
    page.get_by_role("button", name="Вход").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def enrolled(api, student_id: int) -> bool:
    """Whether the register knows the student, asked through the API (404 when it does not)."""
    answer = api.get(f"/api/register/students/{student_id}/absences/summary")
    assert answer.status_code in (200, 404), answer.json
    return answer.status_code == 200


def test_a_bad_egn_and_an_unknown_class_are_named_by_row_and_column_and_nothing_is_stored(
        page: Page, api, school, tmp_path):
    sign_in(page, school, "/register/import")
    expect(page.get_by_role("heading", name="Внасяне на ученици")).to_be_visible()
    expect(open_menu(page).get_by_role("link", name="Внасяне на ученици")).to_be_visible()  # the menu's entry
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
    bad = [GOOD[0],
           ("Иван", "Иванов", "Петров", "1234567890", "", "10а", "", "", ""),
           ("Петя", "Колева", "Стоянова", "0542024328", "02.02.2005", "12з", "", "", "")]
    page.get_by_label("Файл").set_input_files(workbook(tmp_path, bad))
    page.get_by_role("button", name="Прегледай").click()
    expect(page).to_have_url(re.compile(r"/register/import/[0-9a-f]{32}$"))
    expect(page.get_by_role("heading", name="Проблеми във файла")).to_be_visible()
    expect(page.get_by_text("Нищо не е записано.")).to_be_visible()
    rows = page.locator(".problems tbody tr")
    egn = rows.filter(has=page.locator("td", has_text=re.compile(r"^ЕГН/ЛНЧ$")))
    expect(egn).to_have_count(1)
    expect(egn.locator("td").first).to_have_text("3")
    expect(egn.locator("td").nth(2)).not_to_be_empty()
    cls = rows.filter(has=page.locator("td", has_text=re.compile(r"^Паралелка$")))
    expect(cls).to_have_count(1)
    expect(cls.locator("td").first).to_have_text("4")
    expect(cls.locator("td").nth(2)).to_have_text("Няма паралелка 12з.")
    expect(page.get_by_role("button", name="Импортирай")).to_have_count(0)
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
    assert not enrolled(api, 1)


def test_a_good_file_is_previewed_then_imported_and_the_students_exist(page: Page, api, school, tmp_path):
    sign_in(page, school, "/register/import")
    page.get_by_label("Файл").set_input_files(workbook(tmp_path, GOOD))
    page.get_by_role("button", name="Прегледай").click()
    expect(page.get_by_role("heading", name="Ще бъдат създадени")).to_be_visible()
    expect(page.get_by_text("2 ученици")).to_be_visible()
    expect(page.get_by_role("cell", name="Георги Иванов Георгиев")).to_be_visible()
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
    assert not enrolled(api, 1)  # the preview stores nothing
    preview_url = page.url
    page.get_by_role("button", name="Импортирай").click()
    expect(page).to_have_url(re.compile(r"/register/import$"))
    expect(page.get_by_text("Импортирани: 2 ученици.")).to_be_visible()
    assert enrolled(api, 1)
    assert enrolled(api, 2)
    assert not enrolled(api, 3)
    # The kept file is gone with its import: the same preview cannot be imported twice.
    assert page.goto(preview_url).status == 404
    page.goto("/register/students/2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Георги Иванов Георгиев")


def test_a_post_without_the_csrf_token_is_refused_with_nothing_stored(page: Page, api, school, tmp_path):
    sign_in(page, school, "/register/import")
    page.get_by_label("Файл").set_input_files(workbook(tmp_path, GOOD))
    page.get_by_role("button", name="Прегледай").click()
    expect(page.get_by_role("button", name="Импортирай")).to_be_visible()
    refused = page.request.post(page.url, form={"anything": "1"})
    assert refused.status == 400
    upload = page.request.post("/register/import", multipart={
        "file": {"name": "ученици.xlsx", "mimeType": "application/octet-stream",
                 "buffer": workbook(tmp_path, GOOD, "второ.xlsx").read_bytes()}})
    assert upload.status == 400
    assert not enrolled(api, 1)


def test_the_template_has_the_offices_headings_and_others_may_not_open_the_page(page: Page, make_user, school,
                                                                               tmp_path):
    sign_in(page, school, "/register/import")
    with page.expect_download() as download:
        page.get_by_role("link", name="Изтеглете празен списък (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    download.value.save_as(tmp_path / "template.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "template.xlsx").active
    assert [cell.value for cell in sheet[1]] == list(TEMPLATE_HEADINGS)
    page.get_by_role("button", name="Изход").click()
    make_user("teacher", "Иван Учителов", classes=["10а"], password=PASSWORD)
    sign_in(page, "Иван Учителов", "/")
    expect(page.get_by_role("link", name="Внасяне на ученици")).to_have_count(0)
    assert page.goto("/register/import").status == 403
    expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()


def test_without_javascript_the_import_works_and_a_file_left_for_a_day_is_deleted(
        chromium, live_server, process, api, school, tmp_path):
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, school, "/register/import")
        page.get_by_label("Файл").set_input_files(workbook(tmp_path, GOOD[:1], "първо.xlsx"))
        page.get_by_role("button", name="Прегледай").click()
        expect(page.get_by_role("button", name="Импортирай")).to_be_visible()
        forgotten = page.url
        kept = process.settings.data_dir / "register" / "imports" / f"{forgotten.rsplit('/', 1)[1]}.xlsx"
        day_and_a_bit_ago = time.time() - 25 * 3600
        os.utime(kept, (day_and_a_bit_ago, day_and_a_bit_ago))

        page.goto("/register/import")
        page.get_by_label("Файл").set_input_files(workbook(tmp_path, GOOD[1:], "второ.xlsx"))
        page.get_by_role("button", name="Прегледай").click()
        expect(page.get_by_text("1 ученик", exact=True)).to_be_visible()
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Импортирай").click()
        assert answer.value.status == 303
        expect(page.get_by_text("Импортирани: 1 ученик.")).to_be_visible()
        assert not kept.exists()
        assert page.goto(forgotten).status == 404
        expect(page.get_by_text("Файлът вече е внесен или е изтекъл.")).to_be_visible()
    finally:
        context.close()
    assert enrolled(api, 1)
    assert not enrolled(api, 2)
