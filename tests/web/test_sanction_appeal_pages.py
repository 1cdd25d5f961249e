"""One whole procedure in a real browser on a phone, to its early erasure (Чл. 57–60; web-ui.md).

The director records every step of a remark from the procedure's page: the hearing by a written
explanation (refused without it, Чл. 57, ал. 3), the order, the letter with the day the parents were
notified, the appeal (refused inside the АПК's 14 days, Чл. 58, ал. 4), the entry into force, and the
early erasure by the route of the imposition: proposal, erasure order, entry (Чл. 60, ал. 1, ал. 3).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.support.school import SCHOOL, YEAR
from tests.web.browser import PASSWORD, check_quality, sign_in

pytestmark = pytest.mark.integration

TODAY = dt.date(2023, 12, 20)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def sanction_id(api, make_user) -> int:
    """A remark proposed by the class teacher of 10а on 02.10.2023."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    leader, token = make_user("class_teacher", "Мария Петрова", classes=["10а"], password=PASSWORD)
    make_user("director", "Иван Директоров", password=PASSWORD)
    assert api.post("/api/register/classes", json={"code": "10а", "grade": 10,
                                                   "class_teacher_id": leader}).status_code == 201
    student = api.post("/api/register/students", json={
        "first_name": "Ана", "middle_name": "Петрова", "last_name": "Алексиева", "egn": "0441011235",
        "class_code": "10а", "guardians": []})
    assert student.status_code == 201, student.json
    opened = api.as_(token).post("/api/register/sanctions", json={
        "student_id": student.json["id"], "type": "remark", "proposed_on": "2023-10-02",
        "reason": "Бягство от час по математика"})
    assert opened.status_code == 201, opened.json
    api.drain()
    return opened.json["id"]


def record(page: Page, done_on: str, expected: int = 303, **fields: str) -> None:
    """Fill the next step's form and send it; ``fields`` by label."""
    page.get_by_label("Дата", exact=True).fill(done_on)
    for label, value in fields.items():
        page.get_by_label(label.replace("_", " "), exact=True).fill(value)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Отбележи").click()
    assert answer.value.status == expected


def next_title(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", name=f"Следваща стъпка: {title}")).to_be_visible()


def test_the_director_walks_a_remark_through_appeal_to_early_erasure(page: Page, api, sanction_id: int):
    sign_in(page, "Иван Директоров", path=f"/register/sanctions/{sanction_id}")
    record(page, "2023-10-02")

    next_title(page, "Изслушване на ученика")
    page.get_by_label("Не е изслушан лично – писмено обяснение").check()
    record(page, "2023-10-03", expected=422)
    expect(page.locator("#field-note-error")).to_contain_text("Чл. 57, ал. 3")
    check_quality(page)
    page.get_by_label("Не е изслушан лично – писмено обяснение").check()
    page.get_by_label("Родителят присъства на изслушването (Чл. 57, ал. 4)").check()
    page.locator("#field-note").fill("Писмено обяснение от 03.10.2023, приложено към преписката")
    record(page, "2023-10-03")
    steps = page.locator("ol.steps > li")
    expect(steps.nth(2)).to_contain_text("Не е изслушан лично – писмено обяснение; родителят присъства")

    next_title(page, "Решение за налагане на санкцията")
    record(page, "2023-10-04")
    next_title(page, "Заповед на директора")
    record(page, "2023-10-05", Мотиви="Бягство от час и непристойно поведение")
    next_title(page, "Писмо до родителите по образец")
    record(page, "2023-10-06", **{"Дата на уведомяване на родителите (от нея тече срокът за обжалване)":
                                  "2023-10-09"})
    expect(page.get_by_text("Срок за обжалване по АПК: до 23.10.2023 (Чл. 58, ал. 4).")).to_be_visible()

    next_title(page, "Обжалване на заповедта по АПК")
    expect(page.get_by_role("link", name="Влизане в сила и отразяване в документацията")).to_be_visible()
    page.get_by_label("Обжалване по АПК (Чл. 58, ал. 4)").select_option("none")
    record(page, "2023-10-23", expected=422)
    expect(page.locator("#field-done_on-error")).to_contain_text("23.10.2023")
    check_quality(page)
    page.get_by_label("Обжалване по АПК (Чл. 58, ал. 4)").select_option("none")
    record(page, "2023-10-24")
    expect(page.get_by_text("Обжалване (Чл. 58, ал. 4): не е обжалвана в срока.")).to_be_visible()

    next_title(page, "Влизане в сила и отразяване в документацията")
    record(page, "2023-10-24")
    next_title(page, "Предложение за предсрочно заличаване")
    record(page, "2023-11-20", Бележка="Ученикът подобри поведението си")
    next_title(page, "Заповед за предсрочно заличаване")
    record(page, "2023-11-27", expected=422)
    expect(page.locator("#field-note-error")).to_contain_text("Чл. 60, ал. 1")
    record(page, "2023-11-27", Мотиви="Без нови нарушения от два месеца")
    next_title(page, "Заличаване на санкцията")
    record(page, "2023-11-28")
    expect(page.get_by_text("Санкцията е заличена предсрочно")).to_be_visible()
    expect(page.get_by_role("button", name="Отбележи")).to_have_count(0)
    check_quality(page)

    view = api.get(f"/api/register/sanctions/{sanction_id}").json
    assert (view["state"], view["erased_early"], view["appeal_outcome"]) == ("erased", True, "none")
    assert view["steps"][2]["facts"] == {"mode": "written", "parent_attended": True}
