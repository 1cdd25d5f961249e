"""The grade book at the end of the year: the second term grade, then the annual one (Чл. 137, ал. 5; Чл. 138).

"Today" is in the window of term 2 (24.06–26.06.2024); the first term's grade was formed in its own
window by a register whose clock stood on that day, over the same databases, as
``tests/register/assessment/test_grades_results.py`` does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.register.assessment.test_grades_results import grades, register_on, term_grade
from tests.support.school import SCHOOL, YEAR
from tests.web.browser import PASSWORD, check_quality, sign_in

pytestmark = pytest.mark.integration

TERM_1_WINDOW = dt.date(2024, 1, 30)
TODAY = dt.date(2024, 6, 25)
BOOK = "/register/classes/10%D0%B0/grades?subject=%D0%9C%D0%B0%D1%82%D0%B5%D0%BC%D0%B0%D1%82%D0%B8%D0%BA%D0%B0"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def test_the_teacher_forms_the_second_term_grade_and_then_the_annual(page: Page, api, make_user, settings, plugins):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    teacher_id, token = make_user("teacher", "Учител Математика", classes=["10а"], password=PASSWORD)
    assert api.post("/api/register/classes", json={"code": "10а", "grade": 10}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": "10а", "subject": "Математика", "weekly_hours": {"1": 4, "2": 4},
    }).status_code == 201
    student = api.post("/api/register/students", json={
        "first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": "0441011235",
        "class_code": "10а", "guardians": []}).json["id"]
    with register_on(settings, plugins, token, TERM_1_WINDOW) as then:
        grades(then, student, "Математика", TERM_1_WINDOW, 4)
        term_grade(then, student, "Математика", 1, 4)
    grades(api.as_(token), student, "Математика", TODAY, 4)  # 4 hours a week: 4 grades
    api.drain()

    sign_in(page, "Учител Математика", path=BOOK + "&term=2")
    row = page.locator("table.book tbody tr").first
    expect(row.locator("td.count")).to_contain_text("4 от 4")
    row.get_by_label("Срочна оценка на Мария Петрова Иванова").select_option("6")
    row.get_by_role("button", name="Оформи").click()
    expect(row).to_contain_text("Срочна: 6")
    check_quality(page)

    # Term grades 4 and 6: the teacher chooses the annual grade, taking both into account (Чл. 138, ал. 1).
    row.get_by_label("Годишна оценка на Мария Петрова Иванова").select_option("5")
    with page.expect_response(lambda r: r.url.endswith("/grades/annual")) as answer:
        row.get_by_role("button", name="Оформи годишна").click()
    assert answer.value.status == 303
    expect(row).to_contain_text("Годишна: 5")
    answer = api.get(f"/api/register/students/{student}/grades", query_string={"term": 2}).json
    assert (answer["Математика"]["term"], answer["Математика"]["annual"]) == (6, 5)
