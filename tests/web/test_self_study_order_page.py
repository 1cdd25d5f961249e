"""O17: the office draws up the order on a self-study exam session's schedule from the documents form
(Чл. 121, ал. 6, т. 6.1 и 6.3): the session's month checked against the rulebook, the schedule printed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from services.documents.rendering import docx_text
from tests.web.test_documents_pages import READY_MS, SECRETARY, check_quality, school, sign_in  # noqa: F401

pytestmark = pytest.mark.integration

SCHEDULE = ("Математика; писмен; 06.11.2023; 09:00; 204; Мария Колева (председател), Петър Димитров\n"
            "Физическо възпитание и спорт; практически; 10.11.2023; 14:00; спортна зала; Николай Тодоров")


def _fill(page: Page, month: str) -> None:
    page.get_by_label("Учебна година").fill("2023/2024")
    page.locator("#field-session").fill("редовна")
    page.get_by_label("Месец").fill(month)
    page.get_by_label("Класен ръководител").fill("Стефка Иванова")
    page.get_by_label("График на изпитите").fill(SCHEDULE)


def test_the_self_study_session_order_is_made_from_the_form_art_121_al_6(page: Page, school, api):  # noqa: F811
    page.goto("/documents/new?template=self_study_sessions_order")
    sign_in(page, SECRETARY)
    expect(page.get_by_label("Сесия за XII клас (май и юли)")).to_be_visible()
    _fill(page, "юли")  # July is a correction session's month, not the regular session's (т. 6.1)
    with page.expect_response(lambda r: r.url.endswith("/documents/new") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Създай").click()
    assert answer.value.status == 422
    expect(page.locator("#field-month-error")).to_contain_text("Чл. 121, ал. 6, т. 6.1")
    check_quality(page)
    assert not [d for d in api.get("/api/documents/documents").json if d["template"] == "self_study_sessions_order"]

    page.get_by_label("Месец").fill("ноември")
    page.get_by_role("button", name="Създай").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.get_by_text(re.compile(r"№ \d+/\d{2}\.\d{2}\.\d{4}")).first).to_be_visible(timeout=READY_MS)
    [order] = [d for d in api.get("/api/documents/documents").json if d["template"] == "self_study_sessions_order"]
    text = docx_text(api.get(f"/api/documents/documents/{order['id']}/file").data)
    assert text.count(f"№ {order['number']} г.") == 1
    assert "редовна изпитна сесия – ноември" in text
    for printed in ("06.11.2023", "09:00", "практически", "спортна зала"):
        assert printed in text
    assert "Стефка Иванова" in text
