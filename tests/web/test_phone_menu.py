"""The main menu on a phone: the director's long menu folds under „Меню“ (a <details>, no script), every
link is reachable by touch and by the keyboard alone; on a wide screen the menu is simply there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from shared.web.navigation import MENU
from tests.support.lessons import setup_class
from tests.web.browser import PASSWORD, check_quality, open_menu, sign_in
from tests.web.conftest import PHONE, assert_nothing_sticks_out

pytestmark = pytest.mark.integration

DIRECTOR_MENU = [entry.title for entry in MENU if "director" in entry.roles]


@pytest.fixture
def school(api, make_user):
    setup_class(api, make_user, students=1)
    make_user("director", "Анна Директорова", password=PASSWORD)


def test_the_directors_menu_folds_on_a_phone_and_opens_by_touch_and_keyboard(touch_page: Page, school):
    page = touch_page
    sign_in(page, "Анна Директорова")
    nav = page.get_by_role("navigation", name="Основно меню")
    fold = page.locator("header.site details.menu")
    # Folded, the header is two rows (brand and „Меню“; the name and „Изход“), not a screenful of links.
    for title in DIRECTOR_MENU:
        expect(nav.get_by_role("link", name=title, exact=True)).to_be_hidden()
    assert page.locator("header.site").bounding_box()["height"] <= 150
    check_quality(page)
    assert_nothing_sticks_out(page)

    summary = fold.get_by_text("Меню", exact=True)
    where = summary.bounding_box()
    summary.tap()
    for title in DIRECTOR_MENU:  # every link, at least a thumb high, inside the screen
        link = nav.get_by_role("link", name=title, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["height"] >= 44, title
        assert 0 <= box["x"] <= box["x"] + box["width"] <= PHONE["width"], title
    assert summary.bounding_box() == where  # „Меню“ has not moved under the thumb
    check_quality(page)
    assert_nothing_sticks_out(page)
    summary.tap()
    expect(nav.get_by_role("link", name="Изпити")).to_be_hidden()

    # The keyboard alone: Tab reaches „Меню“, Enter unfolds it, Tab walks the links in order.
    page.reload()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    for title in DIRECTOR_MENU:
        page.keyboard.press("Tab")
        expect(nav.get_by_role("link", name=title, exact=True)).to_be_focused()
    page.keyboard.press("Enter")  # the last one, „Изпити“
    expect(page.get_by_role("heading", name="Изпити", level=1)).to_be_visible()
    expect(page.locator('header.site nav a[aria-current="page"]')).to_have_text("Изпити")  # folded again


def test_on_a_wide_screen_the_menu_is_open_and_menu_is_not_shown(page: Page, school):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "Анна Директорова")
    nav = page.get_by_role("navigation", name="Основно меню")
    expect(page.locator("header.site details.menu > summary")).to_be_hidden()
    for title in DIRECTOR_MENU:
        link = nav.get_by_role("link", name=title, exact=True)
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 24, title  # a mouse's target (WCAG 2.5.8)
    # The brand and the signed-in user share the first row, the menu's links the rows under it: three in all.
    brand, sign_out = page.locator("header.site .brand"), page.get_by_role("button", name="Изход")
    assert abs(brand.bounding_box()["y"] - sign_out.bounding_box()["y"]) <= 8
    assert nav.bounding_box()["y"] >= sign_out.bounding_box()["y"] + sign_out.bounding_box()["height"]
    assert page.locator("header.site").bounding_box()["height"] <= 140
    check_quality(page)
    nav.get_by_role("link", name="Разписание").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Седмично разписание", level=1)).to_be_visible()


def test_a_teachers_short_menu_is_not_folded(page: Page, school):
    sign_in(page, "Георги Димов")
    expect(page.locator("header.site details.menu")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Основно меню").get_by_role("link", name="Известия")).to_be_visible()
    assert_nothing_sticks_out(page)


def test_a_class_teachers_menu_of_four_folds_on_a_phone(touch_page: Page, school):
    page = touch_page
    sign_in(page, "Мария Петрова")
    expect(page.get_by_role("navigation", name="Основно меню").get_by_role("link", name="Санкции")).to_be_hidden()
    assert page.locator("header.site").bounding_box()["height"] <= 150  # not four rows over the page
    check_quality(page)
    menu = open_menu(page)
    for title in ("Начало", "Известия", "Документи", "Санкции"):
        expect(menu.get_by_role("link", name=title, exact=True)).to_be_visible()
