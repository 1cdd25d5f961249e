"""Signing in and out in a real browser, on a phone-sized window (``../shared/spec/web-ui.md``)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import assert_accessible, assert_fits_a_phone, assert_page_basics

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"


@pytest.fixture
def teacher(make_user):
    make_user("class_teacher", "Мария Петрова", classes=["10а"], password=PASSWORD)
    return "Мария Петрова"


def sign_in(page: Page, name: str, password: str) -> None:
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(password)
    page.get_by_role("button", name="Вход").click()


def test_the_sign_in_page_is_where_an_anonymous_visitor_lands(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Вход")).to_be_visible()
    expect(page.get_by_label("Потребител")).to_be_visible()
    expect(page.get_by_label("Парола")).to_have_attribute("type", "password")
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_wrong_password_says_so_and_starts_no_session(page: Page, teacher):
    page.goto("/login")
    sign_in(page, teacher, "не-е-тази")
    expect(page.get_by_text("Грешно име или парола.")).to_be_visible()
    expect(page.get_by_label("Потребител")).to_have_value(teacher)
    assert_accessible(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_signing_in_opens_the_home_page_and_signing_out_ends_the_session(page: Page, teacher):
    page.goto("/")
    sign_in(page, teacher, PASSWORD)
    expect(page.get_by_role("heading", name=f"Здравейте, {teacher}")).to_be_visible()
    expect(page.get_by_text("Класен ръководител").first).to_be_visible()
    expect(page.get_by_role("heading", name="Дневник")).to_be_visible()  # the register's fragment, by htmx
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Изход").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_after_five_wrong_passwords_even_the_right_one_is_refused(page: Page, teacher):
    page.goto("/login")
    for _ in range(5):
        sign_in(page, teacher, "грешна-парола")
        expect(page.get_by_text("Грешно име или парола.")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        sign_in(page, teacher, PASSWORD)
    assert answer.value.status == 429
    expect(page.get_by_text("Твърде много неуспешни опити")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(page: Page, teacher):
    page.goto("/login")
    sign_in(page, teacher, PASSWORD)
    expect(page.get_by_role("button", name="Изход")).to_be_visible()
    refused = page.request.post("/logout", form={"anything": "1"})
    assert refused.status == 400
    assert "Формулярът е изтекъл" in refused.text()
    page.goto("/")
    expect(page.get_by_role("heading", name=f"Здравейте, {teacher}")).to_be_visible()


def test_an_unknown_page_answers_in_bulgarian_with_the_request_id(page: Page, teacher):
    page.goto("/login")
    sign_in(page, teacher, PASSWORD)
    answer = page.goto("/register/no-such-page")
    assert answer.status == 404
    expect(page.get_by_role("heading", name="Няма такава страница")).to_be_visible()
    expect(page.get_by_text("Номер на заявката")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(page)


def test_signing_in_returns_to_the_page_asked_for_with_its_whole_query(page: Page, teacher):
    page.goto("/register/fragments/home?month=2023-10&lesson=2")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page, teacher, PASSWORD)
    expect(page).to_have_url(re.compile(r"/register/fragments/home\?month=2023-10&lesson=2$"))
