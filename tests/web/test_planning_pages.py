"""The planning pages in a real browser on a phone-sized window (``../shared/spec/web-ui.md``, issue 18, 3).

On 01.12.2023 (``SCHOOL_TODAY``) the seed plan has 13 activities past their deadline; the register
has announced an overdue step of a sanction procedure and a duty of a class teacher. The director
opens ``/planning/overdue``, filters it, follows an activity to its page, records progress with a
file as evidence and asks for the plan's execution report, which documents draws up; the office
opens the board too, a teacher is refused. The board's SQL does not grow with the number of items.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from services.planning.models import Procedure
from tests.conftest import drain
from tests.support.pages import counting_statements, csrf_of, signed_in
from tests.support.school import SCHOOL
from tests.web.browser import PASSWORD, check_quality, open_menu, sign_in

pytestmark = pytest.mark.integration

TODAY = dt.date(2023, 12, 1)
SEED = Path(__file__).resolve().parents[1] / "planning" / "fixtures" / "annual_plan_2023_2024.txt"
DIRECTOR = "Директор Планова"
SECRETARY = "Секретар Срокова"
TEACHER = "Учител Безплан"
#: Activities of the seed due before 01.12.2023 (tests/planning/integration/test_overdue.py).
OVERDUE_ACTIVITIES = 13
SANCTION_STEP = "Заповед за налагане на санкция: Мария Иванова, 10а клас"
DUTY = "Оформяне на отсъствията на 10а клас от 20.11.2023 в дневника"
#: Rendering runs in the background worker; a cold first render may take seconds.
READY_MS = 30_000


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def announce(process, key: str, title: str, due: str, roles: list[str], article: str, details: dict) -> None:
    """A procedural deadline as the register announces it (``procedure.deadline_set``)."""
    register = process.runtime("register")
    with register.db.transaction() as s:
        register.publish(s, "procedure.deadline_set", {
            "source": "register", "key": key, "title": title, "due": due, "responsible_roles": roles,
            "article": article, "student_id": 7, "details": details})


@pytest.fixture
def plan_id(api, make_user, process) -> int:
    """The seed plan imported, the school's letterhead known, a sanction step and a duty overdue."""
    for role, name in (("director", DIRECTOR), ("secretary", SECRETARY), ("teacher", TEACHER)):
        make_user(role, name, password=PASSWORD)
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    answer = api.request("POST", "/api/planning/plans/import", data={
        "file": (BytesIO(SEED.read_bytes()), "godishen-plan.txt"), "school_year": "2023/2024"})
    assert answer.status_code == 201, answer.json
    announce(process, "sanction:7:order", SANCTION_STEP, "2023-11-20", ["director"], "Чл. 58, ал. 1",
             {"sanction_id": 7, "step": "order", "class_code": "10а"})
    announce(process, "D05:10а:2023-11-20", DUTY, "2023-11-27", ["class_teacher"], "Чл. 97, т. 9",
             {"class_code": "10а"})
    api.drain()
    return answer.json["plan_id"]


def counts(page: Page) -> dict[str, str]:
    return {item.locator(".kind-title").inner_text(): item.locator(".count").inner_text()
            for item in page.locator(".overdue-counts li").all()}


def test_the_director_filters_the_board_and_records_progress_with_evidence(page: Page, plan_id, process):
    sign_in(page, DIRECTOR, path="/planning/overdue")
    expect(page.get_by_role("heading", name="Просрочени срокове", level=1)).to_be_visible()
    assert counts(page) == {"Дейности от годишния план": str(OVERDUE_ACTIVITIES),
                            "Стъпки на процедури за санкции": "1", "Задължения по правилника": "1"}
    assert page.locator("meta[http-equiv='refresh']").count() == 0
    expect(page.locator("#overdue-board")).to_have_attribute("hx-trigger", "every 60s")
    oldest = page.locator(".overdue-item").first  # the oldest first: I/1.1.3, due 01.09.2023
    expect(oldest).to_contain_text("I/1.1.3")
    expect(oldest).to_contain_text("01.09.2023")
    expect(oldest).to_contain_text("91 дни")
    step = page.locator(".overdue-item", has_text=SANCTION_STEP)
    expect(step.get_by_role("link", name=SANCTION_STEP)).to_have_attribute("href", "/register/sanctions/7")
    expect(step).to_contain_text("20.11.2023")
    expect(step).to_contain_text("11 дни")
    expect(step).to_contain_text("Директор")
    expect(step).to_contain_text("Чл. 58, ал. 1")
    check_quality(page)

    page.get_by_label("Вид", exact=True).select_option(label="Задължения по правилника")  # htmx swaps the board
    expect(page.locator(".overdue-item")).to_have_count(1)
    expect(page.locator(".overdue-item")).to_contain_text(DUTY)
    expect(page.locator(".overdue-item")).to_contain_text("Класен ръководител")
    expect(page).to_have_url(re.compile(r"/planning/overdue\?kind=duty(&|$)"))
    page.get_by_label("Вид", exact=True).select_option(label="Всички видове")
    page.get_by_label("Отговорник").select_option(label="Директор")
    expect(page.locator(".overdue-item", has_text=SANCTION_STEP)).to_have_count(1)
    expect(page.locator(".overdue-item", has_text=DUTY)).to_have_count(0)
    check_quality(page)
    # Without JavaScript the filters are a plain GET, and a reload keeps them.
    page.goto("/planning/overdue?kind=activity&responsible=teacher")
    expect(page.get_by_label("Вид", exact=True)).to_have_value("activity")
    expect(page.locator(".overdue-item", has_text=SANCTION_STEP)).to_have_count(0)
    teachers = page.locator(".overdue-item").count()
    assert 0 < teachers < OVERDUE_ACTIVITIES

    # The board refreshes itself: a step announced meanwhile appears when htmx asks for the board again.
    page.goto("/planning/overdue")
    announce(process, "sanction:8:hearing", "Изслушване на ученика: Петър Петров, 11б клас", "2023-11-29",
             ["director"], "Чл. 58, ал. 1", {"sanction_id": 8, "step": "hearing", "class_code": "11б"})
    drain(process)
    # What the poll does every 60 s, asked for now instead of waiting: the board's own request, swapped whole.
    page.evaluate("htmx.ajax('GET', location.href, {source: '#overdue-board', target: '#overdue-board', "
                  "swap: 'outerHTML'})")
    expect(page.locator(".overdue-item", has_text="Петър Петров")).to_have_count(1)
    expect(page.locator(".overdue-counts li", has_text="Стъпки на процедури за санкции")).to_contain_text("2")

    page.locator(".overdue-list").get_by_role("link", name=re.compile(r"^V\/1\.2 ")).click()
    expect(page.get_by_role("heading", name="Дейност V/1.2", level=1)).to_be_visible()
    expect(page.locator(".activity-meta")).to_contain_text("Просрочена")
    check_quality(page)
    page.get_by_label("Статус").select_option(label="Изпълнена")
    page.get_by_label("Бележка за напредъка").fill("Проведена среща с родителите, протокол № 3.")
    page.get_by_label("Доказателство (файл)").set_input_files(files=[{
        "name": "protokol-3.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 protokol 3"}])
    page.get_by_role("button", name="Запиши напредъка").click()
    expect(page.get_by_text("Напредъкът е записан.")).to_be_visible()
    expect(page.locator(".activity-meta")).to_contain_text("Изпълнена")
    expect(page.locator(".activity-meta div", has_text="Изпълнена на").locator("dd")).to_have_text("01.12.2023")
    evidence = page.get_by_role("link", name="protokol-3.pdf")
    expect(evidence).to_be_visible()
    expect(page.get_by_text("Проведена среща с родителите, протокол № 3.")).to_be_visible()
    expect(page.get_by_text("Статус: Просрочена")).to_have_count(0)  # the history keeps the stored status
    expect(page.get_by_text("Статус: Планирана → Изпълнена")).to_be_visible()
    check_quality(page)
    with page.expect_download() as download:
        evidence.click()
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.4 protokol 3"

    page.get_by_role("link", name="← Годишен план за 2023/2024 г.").click()
    expect(page.get_by_role("heading", name="Годишен план за 2023/2024 г.", level=1)).to_be_visible()
    done = page.locator(".activity-item").filter(has=page.get_by_role("link", name="V/1.2", exact=True))
    expect(done.locator(".activity-status")).to_have_text("Изпълнена")
    expect(page.get_by_role("link", name="← Годишни планове")).to_have_attribute("href", "/planning/plans")
    check_quality(page)
    page.goto("/planning/overdue")
    expect(page.locator(".overdue-counts li", has_text="Дейности")).to_contain_text(str(OVERDUE_ACTIVITIES - 1))

    # From the home page's card, the most overdue item is one click away too.
    page.goto("/")
    card = page.get_by_role("region", name="Просрочени срокове")
    card.get_by_role("link", name=re.compile(r"^I\/1\.1\.3 ")).click()
    expect(page.get_by_role("heading", name="Дейност I/1.1.3", level=1)).to_be_visible()
    page.goto("/")
    page.get_by_role("region", name="Просрочени срокове").get_by_role("link", name="Всички просрочени срокове").click()
    expect(page).to_have_url(re.compile(r"/planning/overdue$"))


def test_the_director_asks_for_the_execution_report_and_downloads_it(page: Page, plan_id):
    sign_in(page, DIRECTOR, path=f"/planning/plans/{plan_id}")
    expect(page.get_by_role("heading", name="Годишен план за 2023/2024 г.", level=1)).to_be_visible()
    priorities = page.locator(".plan-section > h2")
    expect(priorities).to_have_count(6)  # by priority, then goal
    expect(priorities.first).to_have_text(re.compile(r"^I\. Повишаване на обхвата"))
    check_quality(page)
    protocol = page.get_by_label("Протокол на педагогическия съвет")
    protocol.evaluate("input => input.removeAttribute('required')")
    with page.expect_response(lambda r: r.url.endswith("/reports") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Поискай отчета").click()
    assert answer.value.status == 422
    expect(page.locator("#field-council_protocol-error")).to_contain_text("Посочете протокола")
    expect(page.locator(".report-list")).to_have_count(0)  # nothing was asked of documents
    check_quality(page)

    page.get_by_label("Протокол на педагогическия съвет").fill("протокол № 14 от 28.06.2024 г.")
    page.get_by_label("Дата на отчета").fill("2024-06-28")
    page.get_by_role("button", name="Поискай отчета").click()
    expect(page.get_by_text("Отчетът е поискан.", exact=False)).to_be_visible()
    download = page.get_by_role("link", name="Изтегли отчета")
    expect(download).to_be_visible(timeout=READY_MS)  # htmx asked until documents had drawn it up
    expect(page.locator(".report-list")).to_contain_text("готов")
    check_quality(page)
    page.get_by_role("link", name="Отчетът в „Документи“").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.get_by_text("Документът е готов")).to_be_visible()
    with page.expect_download() as saved:
        page.get_by_role("link", name="Изтегли", exact=True).click()
    assert Path(saved.value.path()).read_bytes()[:2] == b"PK"  # a Word document


def test_the_office_opens_the_board_and_a_teacher_is_refused(page: Page, plan_id):
    sign_in(page, SECRETARY, path="/planning/overdue")
    expect(page.get_by_role("heading", name="Просрочени срокове", level=1)).to_be_visible()
    expect(open_menu(page).get_by_role("link", name="Просрочени срокове")).to_be_visible()
    # The secretary sees what GET /api/planning/overdue shows her: the deadlines she answers for (none here).
    expect(page.get_by_text("за които отговаряте", exact=False)).to_be_visible()
    expect(page.get_by_text("Няма просрочени срокове.")).to_be_visible()
    check_quality(page)
    page.get_by_role("button", name="Изход").click()
    sign_in(page, TEACHER)
    for path in ("/planning/overdue", f"/planning/plans/{plan_id}"):
        answer = page.goto(path)
        assert answer.status == 403
        expect(page.get_by_role("heading", name="Нямате достъп")).to_be_visible()
        check_quality(page)


def _add_overdue_procedures(process, first: int, count: int) -> None:
    """Overdue duties as the register's events leave them (set up directly: the page is measured, not the inbox)."""
    planning = process.runtime("planning")
    with planning.db.transaction() as s:
        for n in range(first, first + count):
            s.add(Procedure(source="register", key=f"D05:{n}:2023-11-01", title=f"Оформяне на отсъствията № {n}",
                            due=dt.date(2023, 11, 1), responsible_roles=["class_teacher"], article="Чл. 97, т. 9",
                            class_code="10а", status="open", details={"class_code": "10а"}))


def _statements(process, client, path: str) -> tuple[int, str]:
    with counting_statements(process.runtime("planning").db.engine, queries_only=True) as seen:
        answer = client.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return len(seen), answer.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/planning/overdue", "/planning/overdue?kind=duty&responsible=class_teacher"])
def test_the_board_asks_the_database_as_often_for_20_items_as_for_200(process, app, plan_id, path):
    client = signed_in(app, DIRECTOR, PASSWORD)
    _add_overdue_procedures(process, 1, 20)
    with_20, html = _statements(process, client, path)
    assert "Оформяне на отсъствията № 20" in html
    _add_overdue_procedures(process, 21, 180)
    with_200, html = _statements(process, client, path)
    assert "Оформяне на отсъствията № 200" in html
    assert with_200 == with_20
    assert with_20 <= 4  # the user, the activities, the procedures; nothing per item


def test_a_refused_progress_form_stores_nothing_and_names_the_field(app, api, plan_id):
    client = signed_in(app, DIRECTOR, PASSWORD)
    activities = api.get(f"/api/planning/plans/{plan_id}/activities").json
    percent = next(a for a in activities if (a["priority"], a["number"]) == ("I", "1.2"))
    url = f"/planning/plans/{plan_id}/activities/{percent['id']}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    answer = client.post(url, data={"csrf_token": token, "status": "done", "current": "120%", "note": "Отчетено",
                                    "file": (BytesIO(b"scan"), "scan.pdf")})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'id="field-current-error">Стойността е процент и не може да е над 100.' in html
    assert 'value="120%"' in html  # what was typed stays
    assert api.get(f"/api/planning/activities/{percent['id']}").json["status"] != "done"
    assert api.get(f"/api/planning/activities/{percent['id']}/history").json == {"changes": [], "evidence": []}
    # Another plan's path to the activity is a 404, not the activity.
    assert client.get(f"/planning/plans/{plan_id + 1}/activities/{percent['id']}").status_code == 404
