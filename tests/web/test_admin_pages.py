"""The administrator's pages in a real browser (``../shared/spec/web-ui.md``: /register/users, /admin/system).

The IT administrator adds a user, gives a new one-time password (shown once; the user signs in
with it and must change it before any page opens), deactivates the user, who is then refused by
every service's pages and API; a parent is linked to a child found by a search; a director may
not touch an administrator's account. ``/admin/system`` shows the four services working and a
dead letter (a message that really failed) that „Изпрати отново“ sends back to its queue.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import pytest
import sqlalchemy as sa
from dramatiq import Message
from playwright.sync_api import Browser, Page, expect

from services.register.models import TABLES
from tests.support.school import setup_small_school
from tests.web.browser import PASSWORD, check_quality, open_menu, sign_in

pytestmark = pytest.mark.integration

ADMIN = "Администратор Иванов"
#: One page and one API operation of each service that any signed-in user may reach.
PAGES = ("/", "/documents/fragments/home", "/notifications/inbox", "/planning/fragments/home")
API = ("/api/register/school-years", "/api/documents/templates", "/api/notifications/inbox",
       "/api/planning/overdue")


@pytest.fixture
def school(api, make_user):
    setup_small_school(api, make_user)
    make_user("it_admin", ADMIN, password=PASSWORD)
    make_user("director", "Директор Стоянов", password=PASSWORD)
    api.drain()


def _one_time_password(page: Page, region: str) -> str:
    shown = page.get_by_role("region", name=region)
    expect(shown).to_be_visible()
    return shown.locator("code").inner_text().strip()


def _user_card(page: Page, name: str):
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=name, exact=True))


def _signed_in_as(browser: Browser, base_url: str, name: str, password: str) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url, locale="bg-BG")
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(password)
    page.get_by_role("button", name="Вход").click()
    return page


def test_the_administrator_adds_resets_and_deactivates_a_user_refused_then_everywhere(
        page: Page, chromium, live_server, school):
    sign_in(page, ADMIN)
    open_menu(page).get_by_role("link", name="Потребители").click()
    expect(page.get_by_role("heading", name="Потребители", level=1)).to_be_visible()
    check_quality(page)

    page.get_by_label("Име", exact=True).fill("Учител Новаков")
    page.get_by_label("Роля", exact=True).select_option(label="Учител")
    page.get_by_role("group", name="Паралелки").get_by_label("10а").check()
    page.get_by_role("button", name="Добави").click()
    first = _one_time_password(page, "Добавен: Учител Новаков")
    card = _user_card(page, "Учител Новаков")
    expect(card).to_contain_text("Паралелки: 10а")
    expect(card).to_contain_text("не е влизал(а)")
    check_quality(page)
    page.goto("/register/users")
    expect(page.get_by_text(first)).to_have_count(0)  # shown once, never again

    _user_card(page, "Учител Новаков").get_by_role("button", name="Нова парола").click()
    second = _one_time_password(page, "Нова парола за Учител Новаков")
    assert second != first
    check_quality(page)

    # The user signs in with the one-time password (the first no longer works) and must change it.
    refused = _signed_in_as(chromium, live_server, "Учител Новаков", first)
    expect(refused.get_by_text("Грешно име или парола.")).to_be_visible()
    teacher = _signed_in_as(chromium, live_server, "Учител Новаков", second)
    expect(teacher.get_by_role("heading", name="Смяна на паролата")).to_be_visible()
    check_quality(teacher)
    for path in ("/", "/notifications/inbox", "/planning/fragments/home"):
        teacher.goto(path)
        expect(teacher).to_have_url(re.compile(r"/password$"))
    teacher.get_by_label("Текуща парола").fill(second)
    teacher.get_by_label("Нова парола", exact=True).fill("моята-парола-7")
    teacher.get_by_label("Повторете новата парола").fill("моята-парола-7")
    teacher.get_by_role("button", name="Смени паролата").click()
    expect(teacher.get_by_text("Паролата е сменена.")).to_be_visible()
    for path in PAGES:
        assert teacher.goto(path).status == 200, path
    for path in API:
        assert teacher.request.get(path).status != 401, path

    page.goto("/register/users?q=новаков")
    expect(_user_card(page, "Учител Новаков")).to_contain_text("последно влизане")
    _user_card(page, "Учител Новаков").get_by_role("button", name="Деактивирай").click()
    expect(page.get_by_text("Да деактивирам ли Учител Новаков?")).to_be_visible()  # a second step asks first
    check_quality(page)
    page.get_by_role("button", name="Да, деактивирай").click()
    expect(page.get_by_text("Учител Новаков е деактивиран(а) във всички услуги.")).to_be_visible()
    expect(_user_card(page, "Учител Новаков")).to_contain_text("неактивен")

    # The deactivated user's open session: every service's pages send them to sign in, the API says 401.
    for path in PAGES:
        teacher.goto(path)
        expect(teacher).to_have_url(re.compile(r"/login"))
    teacher.context.close()
    again = _signed_in_as(chromium, live_server, "Учител Новаков", "моята-парола-7")
    expect(again.get_by_text("Грешно име или парола.")).to_be_visible()
    again.context.close()
    refused.context.close()


def test_the_session_of_a_deactivated_user_is_refused_by_every_service_api(page: Page, chromium, live_server,
                                                                          school, process):
    sign_in(page, ADMIN, path="/register/users")
    page.get_by_label("Име", exact=True).fill("Родител Георгиев")
    page.get_by_label("Роля", exact=True).select_option(label="Родител")
    page.get_by_label("Търсене на ученик").fill("мария ива")
    page.get_by_role("button", name="Търси").click()
    page.get_by_role("group", name="Деца").get_by_label("Мария Петрова Иванова, 10а клас").check()
    page.get_by_role("button", name="Добави").click()
    password = _one_time_password(page, "Добавен: Родител Георгиев")
    expect(_user_card(page, "Родител Георгиев")).to_contain_text("Деца: Мария Петрова Иванова (10а)")

    parent = _signed_in_as(chromium, live_server, "Родител Георгиев", password)
    expect(parent.get_by_role("heading", name="Смяна на паролата")).to_be_visible()
    for path in API:  # a one-time password locks the API as well: 403 until it is changed
        answer = parent.request.get(path)
        assert answer.status == 403, path
        assert "еднократната си парола" in answer.json()["message"], path
    page.goto("/register/users?q=георгиев")
    _user_card(page, "Родител Георгиев").get_by_role("button", name="Деактивирай").click()
    page.get_by_role("button", name="Да, деактивирай").click()
    expect(page.get_by_text("Родител Георгиев е деактивиран(а) във всички услуги.")).to_be_visible()
    for path in API:
        assert parent.request.get(path).status == 401, path
    parent.context.close()
    with process.runtime("register").db.sessions() as s:
        actions = [row.action for row in s.query(TABLES.audit).order_by(TABLES.audit.id)]
    assert "user.create" in actions
    assert "user.deactivate" in actions


def test_a_director_manages_users_but_not_an_administrator(page: Page, school, process):
    sign_in(page, "Директор Стоянов", path="/register/users")
    roles = page.get_by_label("Роля", exact=True).locator("option").all_inner_texts()
    assert "Администратор" not in roles
    assert "Учител" in roles
    admin_card = _user_card(page, ADMIN)
    expect(admin_card.get_by_role("button", name="Деактивирай")).to_have_count(0)
    with process.runtime("register").db.sessions() as s:
        admin_id = s.scalar(sa.select(TABLES.principal.id).where(TABLES.principal.name == ADMIN))
    assert page.goto(f"/register/users/{admin_id}").status == 403
    # A forged form is refused as well, and the administrator stays active.
    page.goto("/register/users")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.content()).group(1)
    answer = page.request.post(f"/register/users/{admin_id}/deactivate", form={"csrf_token": csrf})
    assert answer.status == 403
    forged = page.request.post("/register/users", form={
        "csrf_token": csrf, "name": "Втори Администратор", "role": "it_admin", "action": "add"})
    assert forged.status == 422
    assert "Изберете роля от списъка." in forged.text()
    # Signing in is by name, so a second active user of the same name is refused beside the field.
    twin = page.request.post("/register/users", form={
        "csrf_token": csrf, "name": "Учител  Математика ", "role": "teacher", "action": "add"})
    assert twin.status == 422
    assert "Вече има активен потребител с това име" in twin.text()
    with process.runtime("register").db.sessions() as s:
        assert s.get(TABLES.principal, admin_id).active
        names = list(s.scalars(sa.select(TABLES.principal.name)))
    assert "Втори Администратор" not in names
    assert names.count("Учител Математика") == 1


def _dead_letter(process) -> str:
    """A message that really fails: an event whose payload breaks its contract, with no retries."""
    wire = {"id": str(uuid.uuid4()), "type": "register.school_saved", "version": 1, "producer": "register",
            "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "payload": {"name": 42}}
    message = Message(queue_name="planning", actor_name="planning.handle_event", args=(wire,), kwargs={},
                      options={"max_retries": 0})
    process.broker.enqueue(message)
    return message.message_id


def _errors(process) -> float:
    value = process.metrics.registry.get_sample_value(
        "dramatiq_message_errors_total", {"queue_name": "planning", "actor_name": "planning.handle_event"})
    return value or 0.0


def _until(condition, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def test_the_system_page_shows_the_services_and_retries_a_dead_letter(page: Page, school, process):
    _dead_letter(process)
    _until(lambda: process.broker.client.zcard("dramatiq:planning.XQ") == 1, "the dead letter")
    sign_in(page, ADMIN)
    home = page.locator("#home-register")
    expect(home).to_contain_text("Има проблеми: неуспели съобщения: 1.")
    home.get_by_role("link", name="Към състоянието на системата").click()
    expect(page.get_by_role("heading", name="Състояние на системата", level=1)).to_be_visible()
    for title in ("Дневник", "Документи", "Известия", "Планиране и срокове"):
        expect(page.get_by_role("listitem").filter(
            has=page.get_by_role("heading", name=title, exact=True))).to_contain_text("Работи")
    expect(page.get_by_role("row", name=re.compile(r"^planning 0 0 1$"))).to_be_visible()
    letter = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="planning.handle_event"))
    expect(letter).to_contain_text("Опашка planning")
    expect(letter).to_contain_text("грешката е в журнала на услугата")
    check_quality(page)

    assert _errors(process) == 1
    letter.get_by_role("button", name="Изпрати отново").click()
    expect(page.get_by_text("Съобщението е върнато в опашката planning.")).to_be_visible()
    # It ran again (and, still breaking its contract, failed again into the dead letters).
    _until(lambda: _errors(process) == 2, "the retried message to run")
    _until(lambda: process.broker.client.zcard("dramatiq:planning.XQ") == 1, "the message to fail again")
    with process.runtime("register").db.sessions() as s:
        assert s.query(TABLES.audit).filter_by(action="dead_letter.retry").count() == 1


def test_a_changed_role_and_class_hold_on_every_service_when_the_page_answers(page: Page, school, process):
    sign_in(page, ADMIN, path="/register/users?role=teacher")
    _user_card(page, "Учител Математика").get_by_role("link", name="Учител Математика").click()
    expect(page.get_by_role("heading", name="Учител Математика", level=1)).to_be_visible()
    expect(page.get_by_text("Преподава (от разпределението): Математика (10а)")).to_be_visible()
    check_quality(page)
    page.get_by_label("Роля", exact=True).select_option(label="Класен ръководител")
    page.get_by_role("group", name="Паралелки").get_by_label("10а").uncheck()
    page.get_by_role("button", name="Запази").click()
    expect(page.get_by_text("Изберете паралелката на класния ръководител.")).to_be_visible()
    check_quality(page)  # the refusal, beside its field
    page.get_by_role("group", name="Паралелки").get_by_label("10а").check()
    page.get_by_role("button", name="Запази").click()
    expect(page.get_by_text("Промените са записани.")).to_be_visible()
    with process.runtime("register").db.sessions() as s:
        user_id = s.scalar(sa.select(TABLES.principal.id).where(TABLES.principal.name == "Учител Математика"))
    for service in ("documents", "notifications", "planning"):  # no waiting: the page waited for them
        runtime = process.runtime(service)
        with runtime.db.sessions() as s:
            replica = s.get(runtime.tables.principal, user_id)
            assert (replica.role, replica.class_codes) == ("class_teacher", ["10а"]), service
