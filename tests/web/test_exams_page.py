"""The exams page in a real browser on a phone-sized window: the director schedules an exam for a term
grade with its commission, is told what is wrong with a late date (Чл. 137, ал. 4), enters the result
and sees it become the term grade, on the exams page and on the student's card."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.support.lessons import setup_class
from tests.web.browser import PASSWORD, check_quality, open_menu, sign_in
from tests.web.conftest import assert_nothing_sticks_out

pytestmark = pytest.mark.integration

#: A week after the first term's end (2 February 2024): inside the exam's second date (Чл. 137, ал. 4).
TODAY = dt.date(2024, 2, 9)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def school(api, make_user):
    found = setup_class(api, make_user, students=2)
    make_user("director", "Анна Директорова", password=PASSWORD)
    return found


def test_schedule_an_exam_enter_its_result_and_see_the_outcome(touch_page: Page, school):
    page = touch_page  # on a phone, touched: the commission and the students are ticked, not multi-selected
    sign_in(page, "Анна Директорова")
    open_menu(page).get_by_role("link", name="Изпити").tap()
    expect(page.get_by_role("heading", name="Изпити през 2023/2024", level=1)).to_be_visible()
    expect(page.get_by_text("Още няма насрочени изпити.")).to_be_visible()
    check_quality(page)
    assert_nothing_sticks_out(page)

    page.get_by_label("Вид").select_option("term_grade")
    students = page.get_by_role("group", name="Ученици")
    first_name = "Иван Александров"  # the first student setup_class adds
    expect(students.get_by_label(first_name)).to_be_hidden()  # folded by class until the class is chosen
    page.get_by_label("Паралелка").select_option("10а")  # htmx opens 10а's students at the top
    expect(students.get_by_label(first_name)).to_be_visible()
    page.get_by_label("Предмет").fill("Математика")
    page.get_by_label("Дата").fill("2024-02-20")
    page.get_by_label("Срок (само за изпит за срочна оценка)").select_option("1")
    page.get_by_label("Председател на комисията").select_option(label="Георги Димов")
    members = page.get_by_role("group", name="Членове на комисията")
    members.get_by_label("Мария Петрова").tap()
    students.get_by_label(first_name).tap()
    for box in (members.get_by_label("Мария Петрова"), students.get_by_label(first_name)):
        expect(box).to_be_checked()
        assert box.locator("xpath=..").bounding_box()["height"] >= 44  # the whole label is a thumb's target
    assert_nothing_sticks_out(page)
    page.get_by_role("button", name="Насрочи").tap()
    expect(page.locator("#field-date-error")).to_contain_text("Чл. 137, ал. 4")
    # refused, the form comes back as it was filled in: the ticks stay
    expect(page.get_by_role("group", name="Членове на комисията").get_by_label("Мария Петрова")).to_be_checked()
    expect(page.get_by_role("group", name="Ученици").get_by_label(first_name)).to_be_checked()
    check_quality(page)

    page.get_by_label("Дата").fill(TODAY.isoformat())
    page.get_by_role("button", name="Насрочи").tap()
    expect(page.get_by_text("Изпитът е насрочен.")).to_be_visible()
    exam = page.get_by_role("region", name="09.02.2024 · Изпит за определяне на срочна оценка · Математика · 10а")
    expect(exam).to_contain_text("председател Георги Димов; членове Мария Петрова")
    check_quality(page)

    exam.get_by_label("Резултат на").first.select_option("5")
    exam.get_by_role("button", name="Впиши резултатите").click()
    expect(page.get_by_text("Резултатите са вписани.")).to_be_visible()
    expect(exam).to_contain_text("много добър (5)")
    expect(exam).to_contain_text("Срочна оценка за 1. срок: много добър (5) (Чл. 137).")
    expect(exam).to_contain_text("Проведен.")
    check_quality(page)
    assert_nothing_sticks_out(page)

    # the outcome is on the student's card too
    page.goto(f"/register/students/{school.students[0]}")
    expect(page.get_by_role("heading", name="Изпити")).to_be_visible()
    expect(page.locator("#exams")).to_contain_text("Математика: Срочна оценка за 1. срок: много добър (5)")
    check_quality(page)
