"""The plan's import page in a real browser (issue 21, item 3): a three-column Word plan with section
rows, previewed with its undated rows and their reasons, one given a date, one accepted as undated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.planning.plan_samples import three_column_docx
from tests.web.browser import PASSWORD, check_quality, open_menu, sign_in

pytestmark = pytest.mark.integration


@pytest.fixture
def deputy(make_user) -> str:
    make_user("deputy_director", "Зам Директорова", password=PASSWORD)
    return "Зам Директорова"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "годишен-план.docx"
    path.write_bytes(three_column_docx())
    return path


def test_preview_then_import_with_a_date_set_and_a_row_accepted_as_undated(page: Page, api, deputy, plan_file):
    sign_in(page, deputy, path="/planning/plans")
    expect(page.get_by_role("heading", name="Годишен план", exact=True)).to_be_visible()
    expect(open_menu(page).get_by_role("link", name="Годишен план")).to_be_visible()  # the menu's entry
    check_quality(page)

    # The names web-ui.md gives the form, exactly: „Файл“, „Учебна година“, „Импортирай“.
    expect(page.get_by_label("Файл", exact=True)).to_have_count(1)
    expect(page.get_by_label("Учебна година", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Импортирай", exact=True)).to_have_count(1)
    page.get_by_label("Учебна година").fill("2023-2024")
    page.get_by_label("Файл").set_input_files(plan_file)
    page.get_by_role("button", name="Импортирай", exact=True).click()
    expect(page.locator("#field-school_year-error")).to_contain_text("2023/2024")
    assert api.get("/api/planning/plans").json == []

    page.get_by_label("Учебна година").fill("2023/2024")
    page.get_by_label("Файл").set_input_files(plan_file)
    page.get_by_role("button", name="Импортирай", exact=True).click()
    expect(page).to_have_url(re.compile(r"/planning/plans/import/[0-9a-f]{32}$"))
    expect(page.get_by_role("heading", name="Преглед на плана за 2023/2024 г.")).to_be_visible()
    expect(page.get_by_text("„Отговорник“ — отговорник")).to_be_visible()
    expect(page.locator("tbody tr:not(.section-row)")).to_have_count(12)
    expect(page.locator("tr.section-row")).to_have_count(3)
    expect(page.get_by_role("heading", name="Дейности без дата (2)")).to_be_visible()
    expect(page.locator("fieldset", has_text="Работа по проекти")).to_contain_text(
        "Срок в плана: „ежемесечно“ — повтаряща се дейност — няма една крайна дата.")
    check_quality(page)
    assert api.get("/api/planning/plans").json == []  # nothing stored by the preview

    page.get_by_label("Срок за дейност II/8").fill("2024-02-09")
    page.locator("fieldset", has_text="Работа по проекти").get_by_label("Без срок").check()
    page.get_by_role("button", name="Импортирай", exact=True).click()
    expect(page).to_have_url(re.compile(r"/planning/plans$"))
    expect(page.get_by_text("Планът за 2023/2024 г. е внесен: 12 дейности.")).to_be_visible()
    expect(page.get_by_role("link", name="Учебна 2023/2024 година")).to_be_visible()
    check_quality(page)

    plan_id = api.get("/api/planning/plans").json[0]["id"]
    activities = {a["text"]: a for a in api.get(f"/api/planning/plans/{plan_id}/activities").json}
    assert len(activities) == 12
    assert activities["Анализ на резултатите от входните нива"]["due"] == "2024-02-09"
    assert (activities["Работа по проекти"]["due"], activities["Работа по проекти"]["status"]) == (None, "planned")
    assert activities["Коледен базар"]["due"] == "2023-12-15"


def test_a_teacher_gets_the_refusal_page_not_the_form(page: Page, make_user):
    make_user("teacher", "Учител Учителов", password=PASSWORD)
    sign_in(page, "Учител Учителов")
    answer = page.goto("/planning/plans")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_label("Файл")).to_have_count(0)
