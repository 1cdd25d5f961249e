"""What browser tests share: signing in through the form, and the checks every page must pass.

Use these rather than a test file's own copy, so that a change to the sign-in form is made once.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import assert_accessible, assert_fits_a_phone, assert_page_basics

#: The password the browser tests give the users they create (``make_user(..., password=PASSWORD)``).
PASSWORD = "дълга-парола-1"


def sign_in(page: Page, name: str, password: str = PASSWORD, path: str = "/login") -> None:
    """Open ``path`` (a protected page leads to the form and back), sign in, and wait for the answer.

    Parameters:
      path: the page to open first; after signing in the browser is back on it (or on the home page
        for ``/login``).
    """
    page.goto(path)
    page.get_by_label("Потребител").fill(name)
    page.get_by_label("Парола").fill(password)
    page.get_by_role("button", name="Вход").click()
    expect(page.get_by_role("button", name="Изход")).to_be_visible()


def open_menu(page: Page) -> Locator:
    """The main menu, unfolded: a long menu is folded under „Меню“ on a phone (tapped open here, if closed)."""
    fold = page.locator("header.site details.menu")
    if fold.count() and fold.locator("summary").is_visible() and fold.get_attribute("open") is None:
        fold.get_by_text("Меню", exact=True).click()
    return page.get_by_role("navigation", name="Основно меню")


def check_quality(page: Page) -> None:
    """Every page: lang, title, one h1 and a main; fits a phone held upright; WCAG 2.1 AA by axe-core."""
    assert_page_basics(page)
    assert_fits_a_phone(page)
    assert_accessible(page)
