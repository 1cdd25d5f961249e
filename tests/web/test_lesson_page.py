"""The lesson page in a real browser on a phone-sized window (``../shared/spec/web-ui.md``)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from services.register.models.absences import Absence
from tests.support.lessons import PASSWORD, SATURDAY, TODAY, YESTERDAY, lesson, setup_class
from tests.web.conftest import PHONE, assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

LESSON_3 = f"/register/classes/10а/lessons?date={TODAY.isoformat()}&lesson=3"


@pytest.fixture
def settings(settings):
    # "Today" is a Wednesday of the test school year: lessons can be recorded and corrected on it.
    return settings.replace(today=TODAY)


@pytest.fixture
def school(api, make_user):
    return setup_class(api, make_user, students=4)


def sign_in(page: Page, name: str, path: str) -> None:
    page.goto(path)
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(PASSWORD)
    page.get_by_role("button", name="Вход").click()
    expect(page.get_by_role("heading", name="Отсъствия – 10а клас")).to_be_visible()


def row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(name))))


def stored_marks(process) -> dict[tuple, str]:
    with process.runtime("register").db.sessions() as s:
        return {(a.student_id, a.date, a.lesson): a.kind for a in s.scalars(sa.select(Absence))}


def test_a_teacher_records_a_lesson_and_sees_it_again(page: Page, school, process):
    sign_in(page, school.teacher, LESSON_3)
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
    page.get_by_label("Предмет").select_option("Математика")
    row(page, "Георги Александров").get_by_label("Отсъства").check()
    row(page, "Иван Александров").get_by_label("Отсъства").check()
    row(page, "Петър Александров").get_by_label("Закъснял").check()
    box = row(page, "Петър Александров").get_by_text("Закъснял").bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 44
    page.get_by_role("button", name="Запиши").click()

    expect(page.get_by_text("Записано", exact=True)).to_be_visible()
    expect(page.get_by_text("отсъстващи: 2, закъснели: 1")).to_be_visible()
    assert sorted(stored_marks(process).values()) == ["late", "unexcused", "unexcused"]
    page.goto(LESSON_3)
    expect(page.get_by_text("Записано", exact=True)).to_be_visible()
    expect(row(page, "Георги Александров").get_by_label("Отсъства")).to_be_checked()
    expect(row(page, "Петър Александров").get_by_label("Закъснял")).to_be_checked()
    expect(row(page, "Никола Александров").get_by_label("Присъства")).to_be_checked()
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_without_a_date_and_lesson_the_page_opens_todays_next_unrecorded_lesson(page: Page, api, school):
    for number in (1, 2):
        api.as_(school.teacher_token).post("/api/register/absences", json=lesson(
            TODAY, number, {school.students[0]: "unexcused"}))
    sign_in(page, school.teacher, "/register/classes/10а/lessons")
    expect(page.get_by_text("сряда, 4 октомври 2023 г. · 3. час")).to_be_visible()
    page.get_by_role("link", name="← 2. час").click()
    expect(page.get_by_text("сряда, 4 октомври 2023 г. · 2. час")).to_be_visible()
    expect(page.get_by_text("Записано", exact=True)).to_be_visible()
    page.get_by_role("link", name="← 03.10.2023").click()
    expect(page.get_by_text("вторник, 3 октомври 2023 г. · 1. час")).to_be_visible()


def test_the_same_lesson_sent_twice_is_refused_and_stores_nothing_more(page: Page, api, school, process):
    sign_in(page, school.teacher, LESSON_3)
    # Another teacher's sheet for the same lesson arrives while this one is open.
    api.as_(school.teacher_token).post("/api/register/absences", json=lesson(TODAY, 3, {school.students[0]: "late"}))
    row(page, "Иван Александров").get_by_label("Отсъства").check()
    page.get_by_label("Предмет").select_option("Математика")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Запиши").click()
    assert answer.value.status == 422
    expect(page.get_by_text("3. час на 10а клас от 04.10.2023 вече е записан")).to_be_visible()
    assert list(stored_marks(process).values()) == ["late"]
    assert_accessible(page)


def test_a_day_that_is_not_a_school_day_is_refused_and_stores_nothing(page: Page, school, process):
    sign_in(page, school.teacher, f"/register/classes/10а/lessons?date={SATURDAY.isoformat()}&lesson=1")
    expect(page.get_by_text("30.09.2023 не е учебен ден.")).to_be_visible()
    expect(page.get_by_role("button", name="Запиши")).to_have_count(0)
    # A sheet opened on a school day and sent for the Saturday (an old tab, a forged form) is refused too.
    page.goto(LESSON_3)
    page.locator("input[name=date][type=hidden]").evaluate(f"(input) => input.value = '{SATURDAY.isoformat()}'")
    page.get_by_label("Предмет").select_option("Математика")
    row(page, "Иван Александров").get_by_label("Отсъства").check()
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Запиши").click()
    assert answer.value.status == 422
    expect(page.get_by_text("30.09.2023 не е учебен ден.")).to_be_visible()
    assert stored_marks(process) == {}


def test_a_teacher_corrects_the_lesson_within_the_edit_window(page: Page, api, school, process):
    api.as_(school.teacher_token).post("/api/register/absences", json=lesson(TODAY, 3, {
        school.students[0]: "unexcused", school.students[1]: "unexcused"}))
    sign_in(page, school.teacher, LESSON_3)
    expect(page.get_by_text("може да се поправи до 04.10.2023")).to_be_visible()
    row(page, "Иван Александров").get_by_label("Присъства").check()  # marked by mistake
    row(page, "Петър Александров").get_by_label("Закъснял").check()  # came late, not absent
    row(page, "Георги Александров").get_by_label("Отсъства").check()  # forgotten
    page.get_by_role("button", name="Запиши поправката").click()

    expect(page.get_by_text("Поправката е отразена.")).to_be_visible()
    expect(page.get_by_text("отсъстващи: 1, закъснели: 1")).to_be_visible()
    georgi, ivan, petar = school.students[2], school.students[0], school.students[1]
    assert stored_marks(process) == {(georgi, TODAY, 3): "unexcused", (petar, TODAY, 3): "late"}
    assert ivan not in {sid for sid, _day, _lesson in stored_marks(process)}
    assert_accessible(page)


def test_yesterdays_lesson_is_shown_read_only_with_the_reason(page: Page, api, school):
    api.as_(school.teacher_token).post("/api/register/absences", json=lesson(YESTERDAY, 2, {
        school.students[0]: "unexcused"}))
    sign_in(page, school.teacher, f"/register/classes/10а/lessons?date={YESTERDAY.isoformat()}&lesson=2")
    expect(page.get_by_text("могат да се поправят само в същия учебен ден")).to_be_visible()
    expect(row(page, "Иван Александров")).to_contain_text("Отсъства")
    expect(page.get_by_role("button", name="Запиши")).to_have_count(0)
    assert_accessible(page)


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(page: Page, school, process):
    sign_in(page, school.teacher, LESSON_3)
    page.locator("form[method=post] input[name=csrf_token]").last.evaluate("(input) => input.remove()")
    page.evaluate("document.body.removeAttribute('hx-headers')")
    page.get_by_label("Предмет").select_option("Математика")
    row(page, "Иван Александров").get_by_label("Отсъства").check()
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Запиши").click()
    assert answer.value.status in (400, 403)
    assert stored_marks(process) == {}


def test_a_teacher_of_another_class_gets_403(page: Page, make_user, school):
    make_user("teacher", "Учител Друг", classes=["11б"], password=PASSWORD)
    page.goto(LESSON_3)
    page.get_by_label("Потребител").fill("Учител Друг")
    page.get_by_label("Парола").fill(PASSWORD)
    with page.expect_response(lambda r: "/lessons" in r.url and r.request.method == "GET") as answer:
        page.get_by_role("button", name="Вход").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()
    expect(page.get_by_text("Александров")).to_have_count(0)


def test_the_lesson_page_works_with_javascript_switched_off(chromium, live_server, school, process):
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, school.teacher, LESSON_3)
        page.get_by_label("Предмет").select_option("Информатика")
        row(page, "Иван Александров").get_by_label("Отсъства").check()
        page.get_by_role("button", name="Запиши").click()
        expect(page).to_have_url(re.compile(r"/register/classes/.*/lessons\?date=2023-10-04&lesson=3$"))
        expect(page.get_by_text("Записано", exact=True)).to_be_visible()
        assert list(stored_marks(process).values()) == ["unexcused"]
    finally:
        context.close()


def test_the_director_reads_a_recorded_lesson_without_a_form(page: Page, api, make_user, school):
    api.as_(school.teacher_token).post("/api/register/absences", json=lesson(TODAY, 3, {
        school.students[0]: "unexcused", school.students[1]: "late"}))
    make_user("director", "Директор Иванов", password=PASSWORD)
    sign_in(page, "Директор Иванов", LESSON_3)
    expect(page.get_by_text("Записано", exact=True)).to_be_visible()
    expect(row(page, "Иван Александров")).to_contain_text("Отсъства")
    expect(row(page, "Петър Александров")).to_contain_text("Закъснял")
    expect(row(page, "Георги Александров")).to_contain_text("Присъства")
    expect(page.get_by_role("radio")).to_have_count(0)
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_lesson_with_everyone_present_says_so_and_stores_nothing(page: Page, school, process):
    sign_in(page, school.teacher, LESSON_3)
    page.get_by_label("Предмет").select_option("Математика")
    page.get_by_role("button", name="Запиши").click()
    expect(page.get_by_text("Всички ученици присъстват: няма отсъствия за записване.")).to_be_visible()
    assert stored_marks(process) == {}
