"""The director deregisters a student on the card, in a real browser (отписване, Чл. 25, ал. 4).

The form „Отписване“ posts to the same decision as ``POST /api/register/students/{id}/deregistration``:
a ground that cannot apply (т. 4 before 16 years) is refused next to the field with its article,
nothing stored; the decision on т. 2 leaves the card saying so with the article, names the notices
of ал. 5 for a student of compulsory school age, and takes the form away. A teacher never sees it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser import PASSWORD, check_quality, sign_in
from tests.web.test_parent_pages import CHILD, CLASS_TEACHER, TODAY, _sign_in_elsewhere, school  # noqa: F401

pytestmark = pytest.mark.integration

DIRECTOR = "Иван Директоров"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def test_the_director_deregisters_a_student_on_the_card_by_the_grounds_of_chl_25_al_4(
        page: Page, school, api, make_user):  # noqa: F811
    make_user("director", DIRECTOR, password=PASSWORD)
    sign_in(page, DIRECTOR, path=f"/register/students/{school.child}")
    form = page.get_by_role("region", name="Отписване")
    for article in ("Чл. 25, ал. 4, т. 1", "Чл. 25, ал. 4, т. 2", "Чл. 25, ал. 4, т. 3", "Чл. 25, ал. 4, т. 4"):
        expect(form).to_contain_text(article)
    check_quality(page)
    # Ана is 15: family reasons need 16 years (Чл. 25, ал. 4, т. 4), refused next to the ground.
    form.get_by_label("семейни причини").check()
    form.get_by_role("button", name="Отпиши ученика").click()
    expect(page.locator("#field-ground-error")).to_contain_text("Чл. 25, ал. 4, т. 4")
    expect(page.locator("#deregistered")).to_have_count(0)
    check_quality(page)
    # A date in the future is refused next to the date.
    form = page.get_by_role("region", name="Отписване")
    form.get_by_label("по-дълъг от два месеца").check()
    form.get_by_label("Дата на отписване").fill("2024-01-15")
    form.get_by_role("button", name="Отпиши ученика").click()
    expect(page.locator("#field-date-error")).to_contain_text("бъдеща дата")
    # Non-attendance (т. 2) today: deregistered; 15 years old, so the notices of ал. 5 follow.
    form = page.get_by_role("region", name="Отписване")
    form.get_by_label("по-дълъг от два месеца").check()
    form.get_by_label("Дата на отписване").fill(TODAY.isoformat())
    form.get_by_role("button", name="Отпиши ученика").click()
    expect(page.get_by_text("Ученикът е отписан на основание Чл. 25, ал. 4, т. 2.")).to_be_visible()
    expect(page.get_by_text("Чл. 25, ал. 5")).to_be_visible()
    expect(page.locator("#deregistered")).to_contain_text(
        f"Отписан на {TODAY:%d.%m.%Y} г. на основание Чл. 25, ал. 4, т. 2")
    expect(page.get_by_role("region", name="Отписване")).to_have_count(0)
    check_quality(page)
    # Stored as the API's decision: a second one is refused there.
    again = api.post(f"/api/register/students/{school.child}/deregistration",
                     json={"ground": "transfer", "date": TODAY.isoformat()})
    assert again.status_code == 409, again.json


def test_a_teacher_does_not_see_the_deregistration_form(page: Page, school, api):  # noqa: F811
    sign_in(page, CLASS_TEACHER, path=f"/register/students/{school.child}")
    expect(page.get_by_role("heading", name=CHILD)).to_be_visible()
    expect(page.get_by_role("region", name="Отписване")).to_have_count(0)
    expect(page.get_by_role("button", name="Отпиши ученика")).to_have_count(0)
    # Posted anyway, with the session's CSRF token (the sign-out form's): refused.
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    answer = page.request.post(f"/register/students/{school.child}/deregistration",
                               form={"csrf_token": token, "ground": "transfer", "date": TODAY.isoformat()})
    assert answer.status == 403
    page.reload()
    expect(page.locator("#deregistered")).to_have_count(0)
