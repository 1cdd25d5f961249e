"""The director's prior permission on the student's card, in a real browser (Чл. 61, ал. 1, т. 4).

The parent applies before the absence with the reasons in detail (an application for today is
refused next to the field, with the article), downloads the blank forms A1 and A2; the director
opens the card and grants; the days become excused as the teacher records them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser import PASSWORD, check_quality, sign_in
from tests.web.test_parent_pages import CHILD, PARENT, TODAY, _sign_in_elsewhere, school  # noqa: F401

pytestmark = pytest.mark.integration

DIRECTOR = "Иван Директоров"
REASONS = "Лечение в санаториум в гр. Велинград по направление на личния лекар, с придружител"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def test_the_parent_applies_before_the_absence_and_the_director_grants_on_the_card(
        page: Page, school, chromium, live_server, api, make_user):  # noqa: F811
    make_user("director", DIRECTOR, password=PASSWORD)
    sign_in(page, PARENT, path=f"/register/students/{school.child}")
    permissions = page.get_by_role("region", name="Заявления до директора за отсъствие")
    expect(permissions).to_contain_text("до 7 учебни дни в учебната година")
    permissions.get_by_label("От", exact=True).fill(TODAY.isoformat())
    permissions.get_by_label("До", exact=True).fill(TODAY.isoformat())
    permissions.get_by_label("Подробно описание на причините").fill(REASONS)
    permissions.get_by_role("button", name="Подай заявлението до директора").click()
    expect(page.locator("#permission-from-error")).to_contain_text("Чл. 61, ал. 1, т. 4")
    expect(page.locator("#permission-from-error")).to_contain_text("преди отсъствието")
    check_quality(page)
    permissions = page.get_by_role("region", name="Заявления до директора за отсъствие")
    permissions.get_by_label("От", exact=True).fill("2023-12-04")
    permissions.get_by_label("До", exact=True).fill("2023-12-05")
    permissions.get_by_label("Подробно описание на причините").fill(REASONS)
    permissions.get_by_role("button", name="Подай заявлението до директора").click()
    expect(page.get_by_text("Заявлението до директора е подадено.")).to_be_visible()
    expect(page.locator("#permissions .application.status-pending")).to_contain_text("Чака решение на директора")
    blank = page.request.get("/documents/forms/director_permission_form")
    assert blank.status == 200
    assert blank.body()[:2] == b"PK"  # a .docx
    check_quality(page)

    director = _sign_in_elsewhere(chromium, live_server, DIRECTOR)
    try:
        director.goto(f"/register/students/{school.child}")
        expect(director.get_by_role("heading", name=CHILD)).to_be_visible()
        director.locator("#permissions").get_by_role("button", name="Разреши").click()
        expect(director.get_by_text("Отсъствието е разрешено.")).to_be_visible()
        expect(director.locator("#permissions .application.status-granted")).to_contain_text("Разрешено")
        check_quality(director)
    finally:
        director.context.close()
    granted = api.get("/api/register/director-permissions", query_string={"student_id": school.child}).json
    assert [(p["status"], p["school_days"]) for p in granted] == [("granted", 2)]
