"""The grade book in a real browser (``../shared/spec/web-ui.md``; Чл. 129, 136, 137, 139).

"Today" is Wednesday 31.01.2024, the last day of the window for term grades of a term ending on
Friday 02.02 (Чл. 137, ал. 5) and inside the term's last two weeks, when class works are not held
(Чл. 136, ал. 1, т. 3). Maths has 2 hours a week: a student needs 2 current grades (Чл. 129, ал. 2).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.lessons import add_students
from tests.support.pages import counting_statements, signed_in
from tests.support.school import SCHOOL, YEAR
from tests.web.browser import PASSWORD, check_quality, sign_in
from tests.web.conftest import PHONE

pytestmark = pytest.mark.integration

TODAY = dt.date(2024, 1, 31)
MONDAY = dt.date(2024, 1, 29)
BOOK = "/register/classes/10%D0%B0/grades?subject=%D0%9C%D0%B0%D1%82%D0%B5%D0%BC%D0%B0%D1%82%D0%B8%D0%BA%D0%B0"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@dataclasses.dataclass
class Book:
    graded: int
    ungraded: int


@pytest.fixture
def book(api, make_user) -> Book:
    """10а: its class teacher, a maths and a physics teacher, two students; Monday's written maths grade."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher, _ = make_user("class_teacher", "Мария Петрова", classes=["10а"], password=PASSWORD)
    maths, maths_token = make_user("teacher", "Иван Математиков", classes=["10а"], password=PASSWORD)
    physics, _ = make_user("teacher", "Петя Физикова", classes=["10а"], password=PASSWORD)
    assert api.post("/api/register/classes", json={
        "code": "10а", "grade": 10, "class_teacher_id": class_teacher}).status_code == 201
    for teacher, subject in ((maths, "Математика"), (physics, "Физика и астрономия")):
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher, "class_code": "10а", "subject": subject,
            "weekly_hours": {"1": 2, "2": 2}}).status_code == 201
    ids = []
    for first, middle, last, egn in (("Ана", "Петрова", "Алексиева", "0441011235"),
                                     ("Борис", "Иванов", "Борисов", "0542024328")):
        answer = api.post("/api/register/students", json={
            "first_name": first, "middle_name": middle, "last_name": last, "egn": egn, "class_code": "10а",
            "guardians": []})
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["id"])
    written = api.as_(maths_token).post("/api/register/grades", json={
        "student_id": ids[0], "subject": "Математика", "value": 4, "kind": "written", "date": MONDAY.isoformat()})
    assert written.status_code == 201, written.json
    api.drain()
    return Book(ids[0], ids[1])


def row(page: Page, name: str):
    return page.locator("table.book tbody tr").filter(has=page.get_by_role("rowheader", name=name))


def test_the_teacher_adds_a_grade_and_forms_the_term_grade(page: Page, api, book: Book):
    sign_in(page, "Иван Математиков", path=BOOK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Оценки по Математика – 10а клас")
    ana, boris = row(page, "Ана Петрова Алексиева"), row(page, "Борис Иванов Борисов")
    expect(ana.locator("td.count")).to_contain_text("1 от 2")
    expect(ana.locator("abbr[title='писмено изпитване, 29.01.2024']")).to_have_text("4")
    # Ана has one grade of the two: the reason, with its article, instead of the button.
    expect(ana).to_contain_text("Чл. 129, ал. 2, т. 1")
    expect(ana.get_by_role("button", name="Оформи")).to_have_count(0)
    expect(boris.locator("td.count")).to_contain_text("0 от 2")
    check_quality(page)

    page.get_by_label("Ученик", exact=True).select_option(label="Ана Петрова Алексиева")
    page.get_by_label("Оценка", exact=True).select_option("6")
    page.get_by_label("Вид", exact=True).select_option("oral")
    page.get_by_label("Дата", exact=True).fill(TODAY.isoformat())
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Добави").click()
    assert answer.value.status == 303
    expect(page.get_by_text("Добавена оценка отличен (6).")).to_be_visible()
    expect(ana.locator("td.count")).to_contain_text("2 от 2")
    expect(ana.locator("abbr[title='устно изпитване, 31.01.2024']")).to_have_text("6")

    ana.get_by_label("Срочна оценка на Ана Петрова Алексиева").select_option("5")
    with page.expect_response(lambda r: r.url.endswith("/grades/term")) as answer:
        ana.get_by_role("button", name="Оформи").click()
    assert answer.value.status == 303
    expect(ana).to_contain_text("Срочна: 5")
    check_quality(page)

    grades = api.get(f"/api/register/students/{book.graded}/grades", query_string={"term": 1}).json
    assert grades["Математика"]["term"] == 5
    assert [g["value"] for g in grades["Математика"]["current"]] == [4, 6]


def test_a_class_work_in_the_last_two_weeks_is_refused_with_the_article(page: Page, api, book: Book):
    sign_in(page, "Иван Математиков", path=BOOK)
    page.get_by_label("Ученик", exact=True).select_option(label="Борис Иванов Борисов")
    page.get_by_label("Оценка", exact=True).select_option("5")
    page.get_by_label("Вид", exact=True).select_option("classwork")
    page.get_by_label("Дата", exact=True).fill(TODAY.isoformat())
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Добави").click()
    assert answer.value.status == 422
    expect(page.get_by_label("Дата", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-date-error")).to_contain_text("Чл. 136, ал. 1, т. 3")
    expect(page.locator("#field-date-error")).to_contain_text("последните две седмици")
    expect(page.get_by_label("Вид", exact=True)).to_have_value("classwork")
    check_quality(page)
    # Nothing stored: neither the grade nor the class work.
    assert api.get(f"/api/register/students/{book.ungraded}/grades").json["Математика"]["current"] == []
    assert api.get("/api/register/classes/10а/class-works").json == []

    # A control work is not barred in those weeks: the grade is stored and the work enters the schedule.
    page.get_by_label("Вид", exact=True).select_option("control")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Добави").click()
    assert answer.value.status == 303
    expect(page.get_by_text("31.01.2024 – контролна работа по Математика")).to_be_visible()
    assert [w["kind"] for w in api.get("/api/register/classes/10а/class-works").json] == ["control"]


def test_the_quick_entry_adds_one_written_work_for_several_students_all_or_none(page: Page, api, book: Book):
    sign_in(page, "Иван Математиков", path=BOOK)
    page.get_by_text("Бързо въвеждане").click()
    quick = page.locator("#quick-grades")
    quick.get_by_label("Вид на изпитването").select_option("classwork")
    quick.get_by_label("Ана Петрова Алексиева").select_option("5")
    quick.get_by_label("Борис Иванов Борисов").select_option("3")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Добави оценките").click()
    assert answer.value.status == 422
    expect(page.locator("#quick-date-error")).to_contain_text("Чл. 136, ал. 1, т. 3")
    expect(page.locator("#quick-grades")).to_have_attribute("open", "")
    expect(quick.get_by_label("Борис Иванов Борисов")).to_have_value("3")
    check_quality(page)
    assert api.get(f"/api/register/students/{book.ungraded}/grades").json["Математика"]["current"] == []

    quick.get_by_label("Вид на изпитването").select_option("written")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Добави оценките").click()
    assert answer.value.status == 303
    expect(page.get_by_text("Добавени оценки: 2.")).to_be_visible()
    expect(row(page, "Ана Петрова Алексиева").locator("td.count")).to_contain_text("2 от 2")
    expect(row(page, "Борис Иванов Борисов").locator("abbr[title='писмено изпитване, 31.01.2024']")).to_have_text("3")


def test_the_class_teacher_reads_and_a_teacher_of_another_subject_is_refused(chromium, live_server, book: Book):
    for name, status in (("Мария Петрова", 200), ("Петя Физикова", 403)):
        context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG")
        page = context.new_page()
        try:
            sign_in(page, name)
            answer = page.goto(BOOK)
            assert answer.status == status
            if status == 200:
                expect(row(page, "Ана Петрова Алексиева").locator("td.count")).to_contain_text("1 от 2")
                expect(page.get_by_role("button", name="Добави")).to_have_count(0)
                check_quality(page)
            else:
                expect(page.get_by_text("Нямате достъп")).to_be_visible()
                expect(page.get_by_text("Ана Петрова Алексиева")).to_have_count(0)
        finally:
            context.close()


def test_without_javascript_a_grade_posts_and_comes_back_to_the_book(chromium, live_server, api, book: Book):
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "Иван Математиков", path=BOOK)
        page.get_by_label("Ученик", exact=True).select_option(label="Борис Иванов Борисов")
        page.get_by_label("Оценка", exact=True).select_option("3")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Добави").click()
        assert answer.value.status == 303
        expect(page).to_have_url(re.compile(r"/grades\?subject="))
        expect(row(page, "Борис Иванов Борисов").locator("td.count")).to_contain_text("1 от 2")
    finally:
        context.close()
    assert [g["value"] for g in api.get(f"/api/register/students/{book.ungraded}/grades").json[
        "Математика"]["current"]] == [3]


def test_the_book_costs_the_same_statements_for_5_and_30_students(api, app, make_user, process):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    teacher, token = make_user("teacher", "Георги Димов", classes=["10а", "10б"], password=PASSWORD)
    sizes = {"10а": 5, "10б": 30}
    for seed, (code, size) in enumerate(sizes.items()):
        assert api.post("/api/register/classes", json={"code": code, "grade": 10}).status_code == 201
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher, "class_code": code, "subject": "Математика", "weekly_hours": {"1": 2},
        }).status_code == 201
        for student in add_students(api, size, code, seed=seed + 1):  # a grade and an absence each
            assert api.as_(token).post("/api/register/grades", json={
                "student_id": student, "subject": "Математика", "value": 5, "kind": "written",
                "date": MONDAY.isoformat()}).status_code == 201
            assert api.as_(token).post("/api/register/absences", json={
                "date": MONDAY.isoformat(), "lesson": 1, "subject": "Математика",
                "marks": [{"student_id": student, "kind": "unexcused"}]}).status_code == 201
    api.drain()
    client = signed_in(app, "Георги Димов", PASSWORD)
    engine = process.runtime("register").db.engine
    counts = {}
    for code, size in sizes.items():
        with counting_statements(engine, queries_only=True) as seen:
            answer = client.get(f"/register/classes/{code}/grades?subject=Математика")
        assert answer.status_code == 200
        assert answer.get_data(as_text=True).count("1 от 2") == size
        counts[code] = len(seen)
    assert counts["10а"] > 0, counts  # the listener sees them
    assert counts["10а"] == counts["10б"], counts
