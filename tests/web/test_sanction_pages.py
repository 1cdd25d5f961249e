"""The sanction procedures' pages in a real browser (``../shared/spec/web-ui.md``; Чл. 52–60).

The class teacher proposes a remark (Чл. 56, ал. 1) from the list page; the director notifies the
parent and records the hearing, which is refused without the class teacher and the psychologist
(Чл. 57, ал. 3); a class teacher of another class neither lists nor opens the procedure.
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

#: A Thursday of the first term.
TODAY = dt.date(2023, 10, 5)
#: Long enough ago for the director's order (14 days from the proposal, Чл. 58, ал. 1) to be overdue.
LONG_AGO = dt.date(2023, 9, 18)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@dataclasses.dataclass
class School:
    student_id: int
    other_student_id: int
    class_teacher_token: str


@pytest.fixture
def school(api, make_user) -> School:
    """10а and 10б with their class teachers, a student each, and the director who signs in."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    leader, token = make_user("class_teacher", "Мария Петрова", classes=["10а"], password=PASSWORD)
    other, _ = make_user("class_teacher", "Илия Тодоров", classes=["10б"], password=PASSWORD)
    make_user("director", "Иван Директоров", password=PASSWORD)
    ids = []
    for code, teacher, first, egn in (("10а", leader, "Ана", "0441011235"), ("10б", other, "Борис", "0542024328")):
        assert api.post("/api/register/classes", json={
            "code": code, "grade": 10, "class_teacher_id": teacher}).status_code == 201
        answer = api.post("/api/register/students", json={
            "first_name": first, "middle_name": "Петрова" if first == "Ана" else "Иванов",
            "last_name": "Алексиева" if first == "Ана" else "Борисов", "egn": egn, "class_code": code,
            "guardians": []})
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["id"])
    api.drain()
    return School(ids[0], ids[1], token)


def test_the_class_teacher_opens_a_remark_and_the_director_advances_it(page: Page, api, school: School):
    sign_in(page, "Мария Петрова", path="/register/sanctions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Процедури за налагане на санкции")
    expect(page.get_by_text("Няма процедури за учениците от вашата паралелка.")).to_be_visible()
    check_quality(page)

    page.get_by_label("Ученик", exact=True).select_option(label="Ана Петрова Алексиева, 10а клас")
    expect(page.get_by_label("Вид санкция", exact=True)).to_have_value("remark")
    page.get_by_label("Основание", exact=True).fill("Бягство от час по математика")
    page.get_by_role("button", name="Открий процедура").click()
    expect(page).to_have_url(re.compile(r"/register/sanctions/\d+$"))
    sanction_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Забележка – Ана Петрова Алексиева")
    steps = page.locator("ol.steps > li")
    expect(steps.first).to_contain_text("Чл. 56, ал. 1; Чл. 100, т. 4")
    expect(steps.first).to_contain_text("Отбелязана на 05.10.2023")
    expect(steps.nth(1)).to_contain_text("Чл. 57, ал. 1; Чл. 97, т. 8")
    # The parent's notice is the director's step: the class teacher is told so, with no form.
    expect(page.get_by_text("се отбелязва от директора")).to_be_visible()
    expect(page.get_by_role("button", name="Отбележи")).to_have_count(0)
    link = page.get_by_role("link", name="Документите на Ана Петрова Алексиева")
    assert link.get_attribute("href").startswith("/documents/?student=")
    check_quality(page)
    page.get_by_role("button", name="Изход").click()

    sign_in(page, "Иван Директоров", path=f"/register/sanctions/{sanction_id}")
    page.get_by_label("Дата", exact=True).fill(TODAY.isoformat())
    page.get_by_label("Бележка", exact=True).fill("Писмо по електронната поща")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Отбележи").click()
    assert answer.value.status == 303
    expect(steps.nth(1)).to_contain_text("Отбелязана на 05.10.2023: Писмо по електронната поща")
    expect(page.get_by_role("heading", name="Следваща стъпка: Изслушване на ученика")).to_be_visible()

    page.get_by_label("Класният ръководител").check()
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Отбележи").click()
    assert answer.value.status == 422
    expect(page.locator("#field-present-error")).to_contain_text("Чл. 57, ал. 3")
    expect(page.locator("#field-present-error")).to_contain_text("психолог")
    check_quality(page)
    page.get_by_label("Класният ръководител").check()
    page.get_by_label("Психологът").check()
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Отбележи").click()
    assert answer.value.status == 303
    expect(steps.nth(2)).to_contain_text("Отбелязана на 05.10.2023")

    view = api.get(f"/api/register/sanctions/{sanction_id}").json
    assert [s["name"] for s in view["steps"] if s["done_at"]] == ["proposal", "parent_notified", "hearing"]


def test_the_list_marks_the_overdue_step_and_another_class_teacher_sees_nothing(
        chromium, live_server, api, school: School):
    opened = api.as_(school.class_teacher_token).post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "remark", "proposed_on": LONG_AGO.isoformat(),
        "reason": "Неизпълнение на задълженията"})
    assert opened.status_code == 201, opened.json
    sanction_id = opened.json["id"]
    api.drain()
    for name, sees in (("Иван Директоров", True), ("Илия Тодоров", False)):
        context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG")
        page = context.new_page()
        try:
            sign_in(page, name, path="/register/sanctions")
            if sees:
                item = page.locator("li.procedure")
                expect(item).to_have_count(1)
                expect(item).to_contain_text("Ана Петрова Алексиева")
                expect(item).to_contain_text("Уведомяване на родителя за откриване на процедурата")
                expect(item.locator(".overdue-mark")).to_have_text("просрочена")
                # The director proposes what the pedagogical council decides, not a remark (Чл. 56, ал. 1).
                kinds = page.get_by_label("Вид санкция", exact=True).locator("option")
                values = [option.get_attribute("value") for option in kinds.all()]
                assert values == ["warning_transfer", "transfer", "warning_self_study", "self_study"]
                check_quality(page)
            else:
                expect(page.locator("li.procedure")).to_have_count(0)
                expect(page.get_by_text("Ана Петрова Алексиева")).to_have_count(0)
                answer = page.goto(f"/register/sanctions/{sanction_id}")
                assert answer.status == 403
                expect(page.get_by_text("Ана Петрова Алексиева")).to_have_count(0)
        finally:
            context.close()


def test_without_javascript_the_director_completes_a_step(chromium, live_server, api, school: School):
    opened = api.as_(school.class_teacher_token).post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "remark", "proposed_on": TODAY.isoformat(),
        "reason": "Бягство от час"})
    assert opened.status_code == 201, opened.json
    path = f"/register/sanctions/{opened.json['id']}"
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "Иван Директоров", path=path)
        page.get_by_label("Бележка", exact=True).fill("Обаждане по телефона")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Отбележи").click()
        assert answer.value.status == 303
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_text("Стъпката е отбелязана.")).to_be_visible()
    finally:
        context.close()
    steps = api.get(f"/api/register/sanctions/{opened.json['id']}").json["steps"]
    assert steps[1]["name"] == "parent_notified"
    assert steps[1]["done_at"] == TODAY.isoformat()


def test_the_list_costs_the_same_statements_for_2_and_8_procedures(api, app, make_user, process, school: School):
    client = signed_in(app, "Иван Директоров", PASSWORD)
    engine = process.runtime("register").db.engine
    students = [school.student_id, *add_students(api, 7, "10а", seed=3)]
    counts = {}
    opened = 0
    for size in (2, 8):
        for student in students[opened:size]:
            assert api.as_(school.class_teacher_token).post("/api/register/sanctions", json={
                "student_id": student, "type": "remark", "proposed_on": TODAY.isoformat(),
                "reason": "Бягство от час"}).status_code == 201
        opened = size
        with counting_statements(engine, queries_only=True) as seen:
            answer = client.get("/register/sanctions")
        assert answer.status_code == 200
        assert answer.get_data(as_text=True).count('class="card procedure') == size
        counts[size] = len(seen)
    assert counts[2] > 0, counts  # the listener sees them
    assert counts[2] == counts[8], counts
