"""„Печат“ in a real browser: the secretary chooses letters on the documents list and gets one PDF.

Each letter starts on its own page (the PDF has as many pages as letters chosen, the letters being
one page each); the print sets page lists the set with its download, and the day's paper letters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.notifications.support import publish_from_register, rule_fired
from tests.support.school import setup_small_school
from tests.web.browser import PASSWORD, check_quality, sign_in

pytestmark = pytest.mark.integration

SECRETARY = "Севда Стоянова"


@pytest.fixture
def letters(api, make_user, process) -> list[int]:
    """A student's ladder letters at 3 and 8 unexcused absences (Чл. 97, т. 8), drawn up."""
    school = setup_small_school(api, make_user)
    make_user("secretary", SECRETARY, password=PASSWORD)
    for rung in (3, 8):
        publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, rung))
    api.drain()
    found = api.get("/api/documents/documents", query_string={"template": "absence_letter", "status": "done"}).json
    assert len(found) >= 2
    return [document["id"] for document in found]


def test_the_secretary_chooses_letters_clicks_print_and_gets_one_pdf_a_letter_a_page(
        page: Page, letters, tmp_path: Path):
    sign_in(page, SECRETARY, path="/documents/?template=absence_letter")
    check_quality(page)
    chosen = letters[:2]
    for document_id in chosen:
        page.locator(f"#document-{document_id}").get_by_label("За печат").check()
    page.get_by_role("button", name="Печат").click()
    expect(page).to_have_url(re.compile(r"/documents/print-sets$"))
    expect(page.get_by_role("heading", name="Комплекти за печат")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Комплектът за печат № \d+ е готов: 2 документа\."))).to_be_visible()
    newest = page.locator(".doc").first
    expect(newest).to_contain_text("2 документа")
    check_quality(page)
    # The addresses to post them to: no channel is configured here, so each guardian's letter went on
    # paper „чрез ученика“, and the family gave no postal address: the secretary is told to ask for one.
    newest.get_by_text("Адреси за пощата (2 писма, 2 без адрес)").click()
    rows = newest.get_by_role("row", name=re.compile("Мария Петрова Иванова, 10а"))
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="няма адрес")).to_have_count(2)
    check_quality(page)
    with page.expect_download() as download:
        newest.get_by_role("link", name="Изтегли PDF за печат").click()
    saved = tmp_path / "print-set.pdf"
    download.value.save_as(saved)
    pages = PdfReader(saved).pages
    assert len(pages) == len(chosen)
    assert all("УВЕДОМИТЕЛНО ПИСМО" in p.extract_text() for p in pages)  # every page begins a letter


def test_print_without_a_choice_says_what_to_do_and_makes_nothing(page: Page, letters):
    sign_in(page, SECRETARY, path="/documents/?template=absence_letter")
    page.get_by_role("button", name="Печат").click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    expect(page.get_by_text("Изберете поне един готов документ.")).to_be_visible()
    page.goto("/documents/print-sets")
    expect(page.get_by_text("Още няма комплекти за печат.")).to_be_visible()
    check_quality(page)
