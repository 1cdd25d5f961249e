"""The class's month at a glance in a real browser on a phone-sized window (``../shared/spec/web-ui.md``)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.lessons import PASSWORD, TODAY, YESTERDAY, lesson, setup_class
from tests.web.conftest import assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

OCTOBER = "/register/classes/10а/absences?month=2023-10"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def school(api, make_user):
    """Петър: 6 unexcused hours and a lateness (6,5, past the 3rd rung); Иван: 2 hours excused."""
    school = setup_class(api, make_user, students=3)
    ivan, petar, _georgi = school.students
    teacher = api.as_(school.teacher_token)
    for number in range(1, 7):
        assert teacher.post("/api/register/absences", json=lesson(YESTERDAY, number, {
            petar: "unexcused"})).status_code == 201
    teacher.post("/api/register/absences", json=lesson(TODAY, 1, {petar: "late", ivan: "unexcused"}))
    teacher.post("/api/register/absences", json=lesson(TODAY, 2, {ivan: "unexcused"}))
    excused = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        "student_id": ivan, "from": TODAY.isoformat(), "to": TODAY.isoformat(), "reason": "medical",
        "evidence": "Медицинска бележка № 7"})
    assert excused.status_code == 201, excused.json
    api.drain()
    return school


def sign_in(page: Page, name: str, path: str):
    page.goto(path)
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(PASSWORD)
    with page.expect_response(lambda r: "/absences" in r.url and r.request.method == "GET") as answer:
        page.get_by_role("button", name="Вход").click()
    return answer.value


def row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(name))))


def test_the_class_teacher_sees_the_month_with_halves_and_the_ladders_article(page: Page, school):
    sign_in(page, school.class_teacher, OCTOBER)
    expect(page.get_by_role("heading", name="Отсъствия – 10а клас")).to_be_visible()
    expect(page.get_by_text("октомври 2023 г. · от 01.10.2023 до 31.10.2023")).to_be_visible()
    petar = row(page, "Петър Александров")
    expect(petar.get_by_role("cell")).to_have_text(["0", "6,5", "1"])
    # The ladder's last rung passed this year, said as what it is (beside the month's 6,5 a bare „3“ read wrong).
    expect(petar).to_contain_text("писмо до родителя при 3 неизвинени за годината · Чл. 97, т. 8")
    expect(row(page, "Иван Александров").get_by_role("cell")).to_have_text(["2", "0", "0"])
    expect(row(page, "Иван Александров")).not_to_contain_text("Чл.")
    expect(page.get_by_role("link", name="Петър Александров")).to_have_attribute(
        "href", f"/register/students/{school.students[1]}")
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)

    page.get_by_role("link", name="← септември 2023 г.").click()
    expect(page.get_by_text("септември 2023 г. · от 01.09.2023 до 30.09.2023")).to_be_visible()
    expect(row(page, "Петър Александров").get_by_role("cell")).to_have_text(["0", "0", "0"])


def test_the_home_page_links_the_class_teacher_to_the_lesson_and_the_month(page: Page, school):
    page.goto("/login")
    page.get_by_label("Потребител").fill(school.class_teacher)
    page.get_by_label("Парола").fill(PASSWORD)
    page.get_by_role("button", name="Вход").click()
    page.get_by_role("link", name="Отсъствия на 10а клас за месеца").click()
    expect(page.get_by_role("heading", name="Отсъствия – 10а клас")).to_be_visible()
    expect(page.get_by_text("октомври 2023 г. · от 01.10.2023")).to_be_visible()
    page.goto("/")
    page.get_by_role("link", name="10а клас", exact=True).click()  # the next lesson not yet recorded
    expect(page.get_by_text("сряда, 4 октомври 2023 г. · 3. час")).to_be_visible()


def test_a_teacher_who_is_not_the_class_teacher_gets_403(page: Page, school):
    answer = sign_in(page, school.teacher, OCTOBER)
    assert answer.status == 403
    expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()
    expect(page.get_by_text("Петър Александров")).to_have_count(0)


def test_the_secretary_reads_the_month(page: Page, make_user, school):
    make_user("secretary", "Секретар Тестов", password=PASSWORD)
    answer = sign_in(page, "Секретар Тестов", OCTOBER)
    assert answer.status == 200
    expect(row(page, "Петър Александров").get_by_role("cell")).to_have_text(["0", "6,5", "1"])


def test_the_class_teacher_finalises_the_week_and_the_page_says_up_to_which_day(page: Page, make_user, school):
    """„Оформи седмицата“ (Чл. 97, т. 9): the class teacher's own button; a refused day is told next to the date."""
    sign_in(page, school.class_teacher, OCTOBER)
    expect(page.get_by_text("Отсъствията на паралелката още не са оформени.")).to_be_visible()
    date = page.get_by_label("Оформени до (включително)")
    expect(date).to_have_value("2023-10-01")  # the Sunday that ended last week
    date.fill("2023-10-05")
    page.get_by_role("button", name="Оформи седмицата").click()
    expect(page.locator("#field-through-error")).to_contain_text("не за бъдещи дни")
    page.get_by_label("Оформени до (включително)").fill("2023-10-03")
    page.get_by_role("button", name="Оформи седмицата").click()
    expect(page.get_by_text("Отсъствията на 10а клас са оформени до 03.10.2023 (Чл. 97, т. 9).")).to_be_visible()
    expect(page.locator("#finalised-state")).to_contain_text("Отсъствията са оформени до 03.10.2023 включително.")
    assert_fits_a_phone(page)
    assert_accessible(page)

    page.context.clear_cookies()
    make_user("secretary", "Секретар Тестов", password=PASSWORD)
    sign_in(page, "Секретар Тестов", OCTOBER)
    expect(page.locator("#finalised-state")).to_contain_text("оформени до 03.10.2023")
    expect(page.get_by_role("button", name="Оформи седмицата")).to_have_count(0)
