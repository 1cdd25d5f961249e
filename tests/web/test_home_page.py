"""The home page by role in a real browser (``../shared/spec/web-ui.md``, `/`): each service's card
loaded by htmx — the register's, the notices' and planning's overdue items."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from services.register.absences import deregistration
from tests.planning.integration.conftest import SEED, upload
from tests.support.pages import counting_served_statements
from tests.support.school import SCHOOL, YEAR
from tests.web.conftest import assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
#: A Friday of the first term: a school day, with the seed plan's autumn activities overdue.
TODAY = dt.date(2023, 12, 1)
CLASS_URL = "/register/classes/10%D0%B0"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def school(api, make_user) -> dict:
    """10а with its class teacher, a maths teacher, one student with five unexcused hours and a 5 in maths, her
    parent with an account, the secretary and the director; the seed plan imported."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher_id, _ = make_user("class_teacher", "Мария Петрова", classes=["10а"], password=PASSWORD)
    teacher_id, teacher_token = make_user("teacher", "Георги Учителов", classes=["10а"], password=PASSWORD)
    assert api.post("/api/register/classes", json={"code": "10а", "grade": 10,
                                                   "class_teacher_id": class_teacher_id}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": "10а", "subject": "Математика", "weekly_hours": {"1": 4, "2": 4},
    }).status_code == 201
    created = api.post("/api/register/students", json={
        "first_name": "Ана", "middle_name": "Петрова", "last_name": "Иванова", "egn": "0841011230",
        "class_code": "10а",
        "guardians": [{"name": "Елена Иванова", "email": "elena@example.bg", "phone": "+359888000002"}]})
    assert created.status_code == 201, created.json
    student_id = created.json["id"]
    make_user("parent", "Елена Иванова", students=[student_id], password=PASSWORD)
    make_user("secretary", "Секретар Тодорова", password=PASSWORD)
    make_user("director", "Директор Иванов", password=PASSWORD)
    teacher = api.as_(teacher_token)
    for day, lesson in [("2023-11-27", 1), ("2023-11-27", 2), ("2023-11-27", 3), ("2023-11-27", 4),
                        ("2023-12-01", 2)]:
        answer = teacher.post("/api/register/absences", json={
            "date": day, "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": student_id, "kind": "unexcused"}]})
        assert answer.status_code == 201, answer.json
    graded = teacher.post("/api/register/grades", json={
        "student_id": student_id, "subject": "Математика", "value": 5, "kind": "oral", "date": "2023-12-01"})
    assert graded.status_code == 201, graded.json
    assert upload(api, SEED.read_bytes(), "godishen-plan.txt").status_code == 201
    api.drain()
    return {"student_id": student_id}


def open_home(page: Page, name: str) -> None:
    """Sign in and wait until every card has replaced its placeholder (or left, having nothing to show)."""
    page.goto("/login")
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(PASSWORD)
    page.get_by_role("button", name="Вход").click()
    expect(page.get_by_role("heading", name=f"Здравейте, {name}")).to_be_visible()
    expect(page.locator(".home-placeholder")).to_have_count(0)


def assert_good_page(page: Page) -> None:
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_teacher_sees_their_classes_with_todays_lessons(page: Page, school):
    open_home(page, "Георги Учителов")
    register = page.get_by_role("region", name="Дневник")
    expect(register.get_by_role("heading", name="10а клас")).to_be_visible()
    expect(register.get_by_text("Математика", exact=True)).to_be_visible()
    recorded = register.get_by_role("link", name="2. час · Математика (записан)")
    expect(recorded).to_have_attribute("href", f"{CLASS_URL}/lessons?date=2023-12-01&lesson=2")
    expect(register.get_by_role("link", name="3. час", exact=True)).to_have_attribute(
        "href", f"{CLASS_URL}/lessons?date=2023-12-01&lesson=3")
    expect(register.get_by_text("над праг")).to_have_count(0)  # not the class teacher
    expect(page.get_by_role("region", name="Известия")).to_be_visible()
    expect(page.get_by_role("region", name="Просрочени срокове")).to_have_count(0)  # no card, not an empty one
    expect(page.locator(".cards > *")).to_have_count(2)
    assert_good_page(page)


def test_the_class_teacher_sees_the_students_past_a_threshold(page: Page, school):
    open_home(page, "Мария Петрова")
    register = page.get_by_role("region", name="Дневник")
    expect(register.get_by_role("heading", name="10а клас (класен ръководител)")).to_be_visible()
    student = register.get_by_role("link", name="Ана Петрова Иванова")
    expect(student).to_have_attribute("href", f"/register/students/{school['student_id']}")
    expect(register.locator(".flagged li")).to_contain_text("Чл.")
    expect(register.get_by_role("link", name="Отсъствия на 10а клас за месеца")).to_have_attribute(
        "href", f"{CLASS_URL}/absences")
    assert_good_page(page)


def test_the_secretary_sees_the_monthly_files_to_do(page: Page, school):
    open_home(page, "Секретар Тодорова")
    register = page.get_by_role("region", name="Дневник")
    expect(register.get_by_role("heading", name="Месечни справки за ноември 2023 г.")).to_be_visible()
    expect(register).to_contain_text("Не са изготвени; срок за подаване 05.12.2023.")
    register.get_by_role("link", name="Към месечните справки").click()
    expect(page).to_have_url(re.compile(r"/register/exports$"))
    expect(page.get_by_role("heading", name="Месечни справки")).to_be_visible()
    page.goto("/")
    expect(page.locator(".home-placeholder")).to_have_count(0)
    expect(page.get_by_role("region", name="Просрочени срокове")).to_be_visible()
    assert_good_page(page)


def test_the_director_sees_the_overdue_items(page: Page, school, api):
    overdue = api.get("/api/planning/overdue").json
    activities = [item for item in overdue if item["kind"] == "activity"]
    open_home(page, "Директор Иванов")
    planning = page.get_by_role("region", name="Просрочени срокове")
    expect(planning.locator("dt", has_text="Дейности от плана").locator("+ dd")).to_have_text(str(len(activities)))
    first = planning.locator(".overdue li").first
    expect(first).to_contain_text(overdue[0]["title"])
    expect(first).to_contain_text(f"срок {dt.date.fromisoformat(overdue[0]['due']):%d.%m.%Y}")
    expect(first).to_contain_text(f"просрочено с {overdue[0]['days_overdue']} дни")
    expect(planning.locator(".overdue li")).to_have_count(3)
    assert_good_page(page)


def _read_at(api, delivery_id: int) -> str | None:
    """When the notice was read, as the sender sees it in the deliveries' log."""
    [delivery] = [d for d in api.get("/api/notifications/deliveries").json if d["id"] == delivery_id]
    return delivery["read_at"]


def test_a_parent_sees_their_child_and_opening_a_notice_marks_it_read(page: Page, school, api):
    open_home(page, "Елена Иванова")
    register = page.get_by_role("region", name="Дневник")
    expect(register.get_by_role("heading", name="Ана Петрова Иванова, 10а клас")).to_be_visible()
    expect(register.locator("dt", has_text="Неизвинени").locator("+ dd")).to_have_text("5")
    expect(register.locator(".grades")).to_contain_text("Математика: 5 (01.12.2023)")
    notices = page.get_by_role("region", name="Известия")
    unread = notices.locator(".unread-count strong")
    expect(unread).to_have_text(re.compile(r"^\d+$"))
    before = int(unread.inner_text())
    assert before > 0
    assert_good_page(page)

    notices.get_by_role("link", name="Всички известия").click()
    expect(page.get_by_role("heading", name="Известия")).to_be_visible()
    assert_good_page(page)
    page.locator(".inbox .unread button").first.click()
    expect(page).to_have_url(re.compile(r"/notifications/inbox/\d+$"))
    opened = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_text("прочетено на")).to_be_visible()
    assert_good_page(page)
    assert _read_at(api, opened) is not None

    page.goto("/")
    expect(page.locator(".home-placeholder")).to_have_count(0)
    expect(page.get_by_role("region", name="Известия").locator(".unread-count")).to_contain_text(
        str(before - 1) if before > 1 else "Няма непрочетени")


def test_a_parent_cannot_open_another_users_notice(page: Page, school, make_user, api):
    make_user("parent", "Друг Родител", password=PASSWORD)
    someone_elses = next(d["id"] for d in api.get("/api/notifications/deliveries").json if d["channel"] == "inbox")
    open_home(page, "Друг Родител")
    assert page.goto(f"/notifications/inbox/{someone_elses}").status == 404
    refused = page.request.post(f"/notifications/inbox/{someone_elses}/read")
    assert refused.status == 400  # no CSRF token: refused before anything else
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    with_token = page.request.post(f"/notifications/inbox/{someone_elses}/read", form={"csrf_token": token})
    assert with_token.status == 404
    assert "Няма такова съобщение" in with_token.text()
    assert _read_at(api, someone_elses) is None


def test_each_fragment_answers_without_a_layout_and_varies_by_htmx(page: Page, school):
    open_home(page, "Директор Иванов")
    for service in ("register", "notifications", "planning"):
        answer = page.request.get(f"/{service}/fragments/home")
        assert answer.status == 200
        assert "HX-Request" in answer.headers["vary"]
        assert "<html" not in answer.text()
        assert "<section" in answer.text()


def _queries_for(page: Page, process, path: str) -> int:
    """SQL statements the register runs to answer ``path`` (the session's user lookup included)."""
    with counting_served_statements(process.runtime("register").db.engine) as statements:
        assert page.request.get(path).status == 200
    return len(statements)


def test_the_register_card_takes_as_many_queries_for_a_large_class_as_for_one_student(page: Page, school, api,
                                                                                      process):
    open_home(page, "Мария Петрова")
    # The register consumes documents' answers (``documents.document_ready``) too: let the earlier
    # documents' answers be handled first, so that only the fragment's statements are counted.
    api.drain()
    one_student = _queries_for(page, process, "/register/fragments/home")
    for n, egn in enumerate(("0841021238", "0841031236", "0841041234")):
        created = api.post("/api/register/students", json={
            "first_name": f"Ученик{n}", "middle_name": "", "last_name": "Тестов", "egn": egn, "class_code": "10а",
            "guardians": []})
        assert created.status_code == 201, created.json
        for lesson in (1, 2, 3, 4):
            assert api.post("/api/register/absences", json={
                "date": "2023-11-28", "lesson": lesson, "subject": "Математика",
                "marks": [{"student_id": created.json["id"], "kind": "unexcused"}]}).status_code == 201
    api.drain()
    page.reload()
    expect(page.locator(".flagged li")).to_have_count(4)
    assert _queries_for(page, process, "/register/fragments/home") == one_student


def test_the_director_sees_the_pending_permissions_and_the_reviews_for_deregistration_in_constant_queries(
        page: Page, school, api, process):
    """Чл. 61, ал. 1, т. 4 (the applications waiting for the director) and Чл. 25, ал. 4, т. 2 (the
    students past two months of non-attendance), each linked to the student's card; the card takes
    as many queries with them as without."""
    student = school["student_id"]
    open_home(page, "Директор Иванов")
    register = page.get_by_role("region", name="Дневник")
    expect(register.locator(".pending-permissions")).to_have_text("0")
    expect(register).to_contain_text("Няма ученици за преглед за отписване (Чл. 25, ал. 4, т. 2).")
    api.drain()
    nothing_waiting = _queries_for(page, process, "/register/fragments/home")

    for day in ("2023-12-04", "2023-12-11"):
        answer = api.post("/api/register/director-permissions", json={
            "student_id": student, "from": day, "to": day, "reasons": "Лечение в санаториум по направление"})
        assert answer.status_code == 201, answer.json
    # Absent the whole day on 18.09 too: with 27.11 and 01.12 missed whole, the streak passes two months.
    assert api.post("/api/register/absences", json={
        "date": "2023-09-18", "lesson": 1, "subject": "Математика",
        "marks": [{"student_id": student, "kind": "unexcused"}]}).status_code == 201
    assert deregistration.review_due(process.runtime("register")) == 1
    api.drain()

    page.reload()
    expect(page.locator(".home-placeholder")).to_have_count(0)
    register = page.get_by_role("region", name="Дневник")
    expect(register.locator(".pending-permissions")).to_have_text("2")
    permissions = register.get_by_role("list", name="Заявления за разрешение").get_by_role("link")
    expect(permissions).to_have_count(2)
    expect(permissions.first).to_have_attribute("href", f"/register/students/{student}#permissions")
    expect(permissions.first).to_contain_text("Ана Петрова Иванова, 10а клас: 04.12.2023")
    reviews = register.get_by_role("list", name="Преглед за отписване").get_by_role("link")
    expect(reviews).to_have_count(1)
    expect(reviews).to_have_attribute("href", f"/register/students/{student}#deregistration")
    expect(reviews).to_contain_text("Ана Петрова Иванова, 10а клас: от 18.09.2023 г.")
    assert_good_page(page)
    assert _queries_for(page, process, "/register/fragments/home") == nothing_waiting

    # Deregistered (Чл. 25, ал. 4, т. 2): the review is no longer waiting.
    assert api.post(f"/api/register/students/{student}/deregistration",
                    json={"ground": "nonattendance", "date": "2023-12-01"}).status_code == 201
    page.reload()
    expect(page.locator(".home-placeholder")).to_have_count(0)
    expect(page.get_by_role("region", name="Дневник")).to_contain_text("Няма ученици за преглед за отписване")


def test_a_teacher_sees_no_decisions_of_the_director(page: Page, school):
    open_home(page, "Георги Учителов")
    expect(page.locator(".home-director")).to_have_count(0)
