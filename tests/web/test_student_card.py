"""The student's card and its excuse form in a real browser (``../shared/spec/web-ui.md``, Чл. 61)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.school import GUARDIANS, SCHOOL, YEAR
from tests.web.conftest import PHONE, assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
#: Thursday of the first October week: Monday's absence is within every deadline of Чл. 61, ал. 1.
TODAY = dt.date(2023, 10, 5)
MONDAY, TUESDAY = dt.date(2023, 10, 2), dt.date(2023, 10, 3)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@dataclasses.dataclass
class Card:
    student_id: int
    other_student_id: int
    teacher_token: str


@pytest.fixture
def card(api, make_user) -> Card:
    """10а with its class teacher, a maths teacher, two students; Monday's three unexcused hours and a lateness."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher_id, _ = make_user("class_teacher", "Мария Петрова", classes=["10а"], password=PASSWORD)
    teacher_id, teacher_token = make_user("teacher", "Иван Математиков", classes=["10а"], password=PASSWORD)
    assert api.post("/api/register/classes", json={
        "code": "10а", "grade": 10, "class_teacher_id": class_teacher_id}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": "10а", "subject": "Математика",
        "weekly_hours": {"1": 4, "2": 4}}).status_code == 201
    ids = []
    for first, egn in (("Мария", "0441011235"), ("Георги", "0542024328")):
        answer = api.post("/api/register/students", json={
            "first_name": first, "middle_name": "Петрова" if first == "Мария" else "Иванов",
            "last_name": "Иванова" if first == "Мария" else "Георгиев", "egn": egn, "class_code": "10а",
            "guardians": GUARDIANS if first == "Мария" else []})
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["id"])
    teacher = api.as_(teacher_token)
    for lesson in (1, 2, 3):
        assert teacher.post("/api/register/absences", json={
            "date": MONDAY.isoformat(), "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": ids[0], "kind": "unexcused"}]}).status_code == 201
    assert teacher.post("/api/register/absences", json={
        "date": TUESDAY.isoformat(), "lesson": 1, "subject": "Математика",
        "marks": [{"student_id": ids[0], "kind": "late"}]}).status_code == 201
    graded = teacher.post("/api/register/grades", json={
        "student_id": ids[0], "subject": "Математика", "value": 5, "kind": "oral", "date": TODAY.isoformat()})
    assert graded.status_code == 201, graded.json
    api.drain()
    return Card(ids[0], ids[1], teacher_token)


def sign_in(page: Page, name: str, path: str) -> None:
    page.goto(path)
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(PASSWORD)
    page.get_by_role("button", name="Вход").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def summary(api, student_id: int) -> dict:
    return api.get(f"/api/register/students/{student_id}/absences/summary").json


def totals(page: Page):
    return page.locator("#totals")


def test_the_class_teacher_excuses_monday_and_sees_the_new_totals_at_once(page: Page, api, card: Card):
    sign_in(page, "Мария Петрова", f"/register/students/{card.student_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мария Петрова Иванова")
    expect(page.get_by_text("10а клас")).to_be_visible()
    # Three hours and a lateness: 3,5, past the first rung of the ladder, so coloured (yellow).
    expect(totals(page).locator(".unexcused dd")).to_have_text("3,5")
    expect(totals(page)).to_have_class(re.compile(r"\bladder-1\b"))
    expect(totals(page).get_by_text("Преминат праг 3 неизвинени отсъствия (Чл. 97, т. 8)")).to_be_visible()
    expect(page.locator("#firings").get_by_text("Чл. 97, т. 8")).to_be_visible()
    expect(page.locator("#firings").get_by_text("05.10.2023").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Математика"))).to_contain_text("5")
    expect(page.get_by_role("heading", name="Извиняване")).to_be_visible()
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)

    page.get_by_label("От", exact=True).fill(MONDAY.isoformat())
    page.get_by_label("До", exact=True).fill(MONDAY.isoformat())
    page.get_by_label("Причина", exact=True).select_option("medical")
    page.get_by_label("Документ", exact=True).fill("Медицинска бележка № 123")
    with page.expect_response(lambda r: r.url.endswith("/excuses")) as answer:
        page.get_by_role("button", name="Извини").click()
    assert answer.value.status == 200
    expect(page.get_by_text("Извинени учебни часове: 3.")).to_be_visible()
    expect(totals(page).locator(".unexcused dd")).to_have_text("0,5")
    expect(totals(page).locator(".total").nth(1).locator("dd")).to_have_text("3")
    expect(totals(page)).to_have_class(re.compile(r"\bladder-0\b"))
    assert page.url.endswith(f"/register/students/{card.student_id}")  # htmx swapped, no navigation
    assert_accessible(page)
    assert summary(api, card.student_id) == {"excused": 3, "unexcused": 0, "late": 1, "unexcused_total": 0.5}


def test_without_javascript_the_excuse_posts_and_comes_back_to_the_card(chromium, live_server, api, card: Card):
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "Мария Петрова", f"/register/students/{card.student_id}")
        page.get_by_label("От", exact=True).fill(MONDAY.isoformat())
        page.get_by_label("До", exact=True).fill(MONDAY.isoformat())
        page.get_by_label("Документ", exact=True).fill("Медицинска бележка № 7")
        with page.expect_response(lambda r: r.url.endswith("/excuses")) as answer:
            page.get_by_role("button", name="Извини").click()
        assert answer.value.status == 303
        expect(page).to_have_url(re.compile(rf"/register/students/{card.student_id}$"))
        expect(page.get_by_text("Извинени учебни часове: 3.")).to_be_visible()
        expect(totals(page).locator(".unexcused dd")).to_have_text("0,5")
    finally:
        context.close()
    assert summary(api, card.student_id)["excused"] == 3


def test_a_parents_note_beyond_three_school_days_is_refused_with_the_article(page: Page, api, card: Card):
    sign_in(page, "Мария Петрова", f"/register/students/{card.student_id}")
    page.get_by_label("От", exact=True).fill(MONDAY.isoformat())
    page.get_by_label("До", exact=True).fill(TODAY.isoformat())  # Monday to Thursday: four school days
    page.get_by_label("Причина", exact=True).select_option("parent")
    page.get_by_label("Документ", exact=True).fill("Заявление от родителя")
    with page.expect_response(lambda r: r.url.endswith("/excuses")) as answer:
        page.get_by_role("button", name="Извини").click()
    assert answer.value.status == 422
    to = page.get_by_label("До", exact=True)
    expect(to).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-to-error")).to_contain_text("Чл. 61, ал. 1, т. 3")
    expect(page.locator("#field-to-error")).to_contain_text("до 3 учебни дни")
    expect(page.get_by_label("Документ", exact=True)).to_have_value("Заявление от родителя")
    assert_accessible(page)
    assert summary(api, card.student_id)["unexcused"] == 3  # nothing stored


def test_an_empty_document_is_named_next_to_its_field(page: Page, api, card: Card):
    sign_in(page, "Мария Петрова", f"/register/students/{card.student_id}")
    page.get_by_label("Документ", exact=True).fill("")
    # The browser's own check would stop an empty required field: post the form as a script would.
    page.locator("#field-evidence").evaluate("field => field.removeAttribute('required')")
    with page.expect_response(lambda r: r.url.endswith("/excuses")) as answer:
        page.get_by_role("button", name="Извини").click()
    assert answer.value.status == 422
    expect(page.locator("#field-evidence-error")).to_have_text("Задължително поле.")
    assert summary(api, card.student_id)["unexcused"] == 3


def test_a_teacher_of_the_class_reads_the_card_without_the_form_and_may_not_post_it(page: Page, api, card: Card):
    sign_in(page, "Иван Математиков", f"/register/students/{card.student_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мария Петрова Иванова")
    expect(totals(page).locator(".unexcused dd")).to_have_text("3,5")
    expect(page.get_by_role("heading", name="Извиняване")).to_have_count(0)
    expect(page.get_by_role("button", name="Извини")).to_have_count(0)
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
    token = page.locator("header form input[name=csrf_token]").get_attribute("value")
    refused = page.request.post(f"/register/students/{card.student_id}/excuses", form={
        "csrf_token": token, "from": MONDAY.isoformat(), "to": MONDAY.isoformat(), "reason": "medical",
        "evidence": "Медицинска бележка"})
    assert refused.status == 403
    assert "Нямате достъп" in refused.text()
    assert summary(api, card.student_id)["unexcused"] == 3


def test_a_post_without_the_csrf_token_stores_nothing(page: Page, api, card: Card):
    sign_in(page, "Мария Петрова", f"/register/students/{card.student_id}")
    refused = page.request.post(f"/register/students/{card.student_id}/excuses", form={
        "from": MONDAY.isoformat(), "to": MONDAY.isoformat(), "reason": "medical", "evidence": "Бележка"})
    assert refused.status == 400
    assert summary(api, card.student_id)["unexcused"] == 3


def test_a_parent_sees_their_own_child_and_not_another(page: Page, api, make_user, card: Card):
    for lesson in range(1, 6):  # five more on Wednesday: 8,5, past the ladder's second rung
        assert api.as_(card.teacher_token).post("/api/register/absences", json={
            "date": "2023-10-04", "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": card.student_id, "kind": "unexcused"}]}).status_code == 201
    make_user("parent", "Петър Иванов", students=[card.student_id], password=PASSWORD)
    sign_in(page, "Петър Иванов", f"/register/students/{card.student_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мария Петрова Иванова")
    expect(totals(page).locator(".unexcused dd")).to_have_text("8,5")
    expect(totals(page)).to_have_class(re.compile(r"\bladder-2\b"))  # red
    expect(totals(page).get_by_text("Преминат праг 8 неизвинени отсъствия (Чл. 97, т. 8)")).to_be_visible()
    expect(page.get_by_role("button", name="Извини")).to_have_count(0)
    assert_page_basics(page)
    assert_accessible(page)
    answer = page.goto(f"/register/students/{card.other_student_id}")
    assert answer.status == 403
    expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()
    expect(page.get_by_text("Георги")).to_have_count(0)
    assert_page_basics(page)


ADDRESS = "гр. Търговище, ул. „Васил Левски“ № 12, ап. 4"


def guardians_of(api, student_id: int) -> list[dict]:
    answer = api.get(f"/api/register/students/{student_id}/guardians")
    assert answer.status_code == 200, answer.json
    return answer.json


def test_the_class_teacher_enters_a_guardians_postal_address_on_the_card(page: Page, api, card: Card):
    sign_in(page, "Мария Петрова", f"/register/students/{card.student_id}")
    guardians = page.locator("#guardians")
    expect(guardians.get_by_role("heading", name="Родители")).to_be_visible()
    petar = guardians.locator("li", has_text="Петър Иванов")
    expect(petar).to_contain_text("petar@example.bg")
    expect(petar).to_contain_text("няма адрес")
    petar.get_by_text("Поправи данните на Петър Иванов").click()
    assert_accessible(page)
    petar.get_by_label("Адрес (за писмата на хартия)").fill(f"  {ADDRESS} ")
    with page.expect_response(lambda r: "/guardians/" in r.url) as answer:
        petar.get_by_role("button", name="Запази").click()
    assert answer.value.status == 303
    expect(page.get_by_text("Данните на родителя Петър Иванов са запазени.")).to_be_visible()
    expect(guardians.locator("li", has_text="Петър Иванов")).to_contain_text(f"Адрес: {ADDRESS}")
    assert [g["address"] for g in guardians_of(api, card.student_id)] == [ADDRESS, None]

    # A wrong e-mail comes back next to its field (422), the address typed is kept in the form, nothing stored.
    petar = guardians.locator("li", has_text="Петър Иванов")
    petar.get_by_text("Поправи данните на Петър Иванов").click()
    petar.get_by_label("Имейл").evaluate("field => field.type = 'text'")  # past the browser's own check
    petar.get_by_label("Имейл").fill("не-е-имейл")
    petar.get_by_label("Адрес (за писмата на хартия)").fill("гр. Омуртаг")
    with page.expect_response(lambda r: "/guardians/" in r.url) as answer:
        petar.get_by_role("button", name="Запази").click()
    assert answer.value.status == 422
    petar = page.locator("#guardians li", has_text="Петър Иванов")
    expect(petar.locator(".field.invalid")).to_contain_text("Имейл")
    expect(petar.get_by_label("Адрес (за писмата на хартия)")).to_have_value("гр. Омуртаг")
    assert_accessible(page)
    assert guardians_of(api, card.student_id)[0]["address"] == ADDRESS
    assert guardians_of(api, card.student_id)[0]["email"] == "petar@example.bg"


def test_a_subject_teacher_sees_no_guardians_and_may_not_correct_them(page: Page, api, card: Card):
    guardian = guardians_of(api, card.student_id)[0]
    assert api.put(f"/api/register/students/{card.student_id}/guardians/{guardian['id']}",
                   json={**{k: guardian[k] for k in ("name", "email", "phone")}, "address": ADDRESS}).status_code == 200
    sign_in(page, "Иван Математиков", f"/register/students/{card.student_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мария Петрова Иванова")
    expect(page.locator("#guardians")).to_have_count(0)
    expect(page.get_by_text("Петър Иванов")).to_have_count(0)
    assert ADDRESS not in page.content()
    token = page.locator("header form input[name=csrf_token]").get_attribute("value")
    refused = page.request.post(f"/register/students/{card.student_id}/guardians/{guardian['id']}", form={
        "csrf_token": token, "name": "Друг", "address": "гр. Попово"})
    assert refused.status == 403
    assert guardians_of(api, card.student_id)[0]["address"] == ADDRESS


def test_a_parent_reads_their_childs_guardians_without_the_form(page: Page, api, make_user, card: Card):
    make_user("parent", "Петър Иванов", students=[card.student_id], password=PASSWORD)
    sign_in(page, "Петър Иванов", f"/register/students/{card.student_id}")
    expect(page.locator("#guardians")).to_contain_text("Елена Иванова")
    expect(page.get_by_text("Поправи данните на Петър Иванов")).to_have_count(0)
