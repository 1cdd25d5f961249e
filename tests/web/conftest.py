"""Browser tests: the real system served on a free port, driven by Debian's Chromium through Playwright.

Playwright cannot download its own browsers here; ``make system-deps`` installs ``chromium`` and
the tests launch it through ``executable_path``, headless. They never skip: without Chromium they
fail, saying what to install.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from shared.web.combined import create_combined_app

CHROMIUM = "/usr/bin/chromium"
#: A phone held upright: every page must fit it without horizontal scrolling.
PHONE = {"width": 390, "height": 844}
#: WCAG 2.1 A and AA, as axe-core tags them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def chromium():
    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def backend():
    # Browser tests run on the embedded default, the installation a school gets without a server.
    return "embedded"


@pytest.fixture
def live_server(process):
    """The combined app (every service's API and pages) on a real HTTP port, in a thread."""
    server = make_server("127.0.0.1", 0, create_combined_app(process.runtimes), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def page(chromium, live_server) -> Page:
    context = chromium.new_context(viewport=PHONE, base_url=live_server, locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def touch_page(chromium, live_server) -> Page:
    """A phone's window that is touched, not clicked: ``locator.tap()`` sends touch events."""
    context = chromium.new_context(viewport=PHONE, has_touch=True, base_url=live_server, locale="bg-BG")
    page = context.new_page()
    yield page
    context.close()


def assert_nothing_sticks_out(page: Page, scroller: str | None = None) -> None:
    """No element reaches past the phone's right edge, except inside ``scroller`` (a CSS selector): the
    container meant to scroll sideways, which must itself fit. Finds what ``assert_fits_a_phone`` cannot see,
    such as an element cut off by an ``overflow: hidden`` ancestor or a table squeezed past its cell."""
    out = page.evaluate("""([width, scroller]) => [...document.body.querySelectorAll("*")].filter(el => {
        const box = el.getBoundingClientRect();
        if (!el.checkVisibility() || box.width === 0 || box.right <= width + 0.5) return false;
        return !(scroller && el.parentElement && el.parentElement.closest(scroller));
      }).map(el => `${el.tagName.toLowerCase()}.${el.className}: ${Math.round(el.getBoundingClientRect().right)}px`)""",
                        [PHONE["width"], scroller])
    assert not out, f"{page.url}: past the right edge of a {PHONE['width']}px phone: {out[:10]}"


def assert_fits_a_phone(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {PHONE['width']}px"


def assert_accessible(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def assert_page_basics(page: Page) -> None:
    """What every page holds: lang, a title, one h1, a main."""
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.title()
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1
