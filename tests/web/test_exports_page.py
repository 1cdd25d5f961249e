"""The monthly exports page in a real browser (``../shared/spec/web-ui.md``, /register/exports): the
secretary prepares a month, downloads its files, marks it submitted and prepares it again."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.register.exports.test_exports import record
from tests.support.school import setup_small_school
from tests.web.browser import open_menu
from tests.web.conftest import assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
#: Early November: October is the month to hand in, and the day the office marks it submitted.
TODAY = dt.date(2023, 11, 3)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def october(api, make_user):
    """The small school with three unexcused hours and a lateness in October, and its secretary."""
    school = setup_small_school(api, make_user)
    for lesson in (1, 2, 3):
        record(api, school.teacher_token, school.student_id, "2023-10-02", lesson)
    record(api, school.teacher_token, school.student_id, "2023-10-03", 1, "late")
    make_user("secretary", "Секретар Тодорова", password=PASSWORD)
    api.drain()
    return school


def sign_in(page: Page, name: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(password)
    page.get_by_role("button", name="Вход").click()
    expect(page.get_by_role("button", name="Изход")).to_be_visible()


def _prepare_october(page: Page) -> None:
    open_menu(page).get_by_role("link", name="Месечни справки").click()
    expect(page.get_by_role("heading", name="Месечни справки")).to_be_visible()
    page.get_by_label("Месец", exact=True).fill("2023-10")
    page.get_by_role("button", name="Подготви", exact=True).click()
    expect(page.get_by_text("Справките за октомври 2023 г. са изготвени.")).to_be_visible()


def test_the_secretary_prepares_a_month_downloads_it_and_marks_it_submitted(page: Page, october, api):
    sign_in(page, "Секретар Тодорова")
    page.goto("/register/exports")
    expect(page.get_by_text("Още няма изготвени справки.")).to_be_visible()
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)

    _prepare_october(page)
    month = page.get_by_role("region", name="Октомври 2023 г.")
    expect(month.get_by_text("Изготвена")).to_be_visible()
    for title in ("НЕИСПУО (.txt)", "ЗАС (.xlsx)", "РУО (.xlsx)"):
        expect(month.get_by_role("link", name=title)).to_be_visible()
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)

    with page.expect_download() as downloading:
        month.get_by_role("link", name="НЕИСПУО (.txt)").click()
    download = downloading.value
    assert download.suggested_filename == "2500603_2023_10_File.txt"
    [line] = [row for row in Path(download.path()).read_bytes().decode("cp1251").splitlines() if row]
    fields = line.split("|")
    assert fields[5:8] == ["Мария", "Петрова", "Иванова"]
    assert fields[11] == "10а"
    assert fields[15] == "3.50"  # three hours and a lateness

    expect(month.get_by_label("Дата на подаване")).to_have_value("2023-11-03")
    month.get_by_role("button", name="Отбележи като подадено").click()
    expect(page.get_by_text("Справките за октомври 2023 г. са отбелязани като подадени.")).to_be_visible()
    month = page.get_by_role("region", name="Октомври 2023 г.")
    expect(month).to_contain_text("Подадена на 03.11.2023 от Секретар Тодорова")
    expect(month.get_by_role("button", name="Отбележи като подадено")).to_have_count(0)
    assert_accessible(page)

    # the page and the API are one: the month is submitted there too
    [listed] = api.get("/api/register/exports/monthly").json
    assert (listed["month"], listed["status"], listed["submitted_on"]) == (10, "ready", "2023-11-03")


def test_prepare_again_keeps_the_earlier_version(page: Page, october, api):
    sign_in(page, "Секретар Тодорова")
    page.goto("/")
    _prepare_october(page)
    month = page.get_by_role("region", name="Октомври 2023 г.")
    month.get_by_role("button", name="Подготви отново").click()
    month = page.get_by_role("region", name="Октомври 2023 г.")
    expect(month.get_by_text("Предишни версии (1)")).to_be_visible()
    assert [m["month"] for m in api.get("/api/register/exports/monthly").json] == [10, 10]
    assert_accessible(page)


def test_a_future_submission_date_is_refused_beside_its_field(page: Page, october, api):
    sign_in(page, "Секретар Тодорова")
    _prepare_october(page)
    month = page.get_by_role("region", name="Октомври 2023 г.")
    month.get_by_label("Дата на подаване").fill("2023-11-30")
    with page.expect_response(lambda r: r.url.endswith("/submitted")) as answer:
        month.get_by_role("button", name="Отбележи като подадено").click()
    assert answer.value.status == 422
    month = page.get_by_role("region", name="Октомври 2023 г.")
    expect(month.get_by_text("Датата на подаване не може да е в бъдещето.")).to_be_visible()
    expect(month.get_by_label("Дата на подаване")).to_have_attribute("aria-invalid", "true")
    assert api.get("/api/register/exports/monthly").json[0]["submitted_on"] is None
    assert_accessible(page)


def test_without_javascript_the_forms_still_work(chromium, live_server, october):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, base_url=live_server,
                                   java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "Секретар Тодорова")
        _prepare_october(page)
        expect(page).to_have_url(re.compile(r"/register/exports$"))
        page.get_by_role("button", name="Отбележи като подадено").click()
        expect(page.get_by_role("region", name="Октомври 2023 г.")).to_contain_text("Подадена на 03.11.2023")
    finally:
        context.close()


def test_a_teacher_gets_the_403_page_and_no_menu_entry(page: Page, make_user):
    make_user("teacher", "Учител Иванов", classes=["10а"], password=PASSWORD)
    sign_in(page, "Учител Иванов")
    expect(page.get_by_role("link", name="Месечни справки")).to_have_count(0)
    answer = page.goto("/register/exports")
    assert answer.status == 403
    expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()
    expect(page.get_by_text("Изготвяне на месец")).to_have_count(0)
    assert page.request.post("/register/exports/prepare", form={"month": "2023-10"}).status in (400, 403)
    assert_page_basics(page)
    assert_accessible(page)


def test_a_post_without_the_csrf_token_is_refused_and_prepares_nothing(page: Page, october, api):
    sign_in(page, "Секретар Тодорова")
    refused = page.request.post("/register/exports/prepare", form={"month": "2023-10"})
    assert refused.status == 400
    assert "Формулярът е изтекъл" in refused.text()
    assert api.get("/api/register/exports/monthly").json == []


def test_a_month_that_cannot_be_prepared_says_why_and_stores_nothing(page: Page, make_user, api):
    make_user("secretary", "Секретар Тодорова", password=PASSWORD)  # no school entered yet
    sign_in(page, "Секретар Тодорова")
    page.goto("/register/exports")
    page.get_by_label("Месец", exact=True).fill("2023-10")
    with page.expect_response(lambda r: r.url.endswith("/register/exports/prepare")) as answer:
        page.get_by_role("button", name="Подготви", exact=True).click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Данните на училището (код по НЕИСПУО) не са въведени.")
    expect(page.get_by_label("Месец", exact=True)).to_have_value("2023-10")
    assert api.get("/api/register/exports/monthly").json == []
    assert_accessible(page)
