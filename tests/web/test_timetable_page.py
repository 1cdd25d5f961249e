"""The timetable's page and the lessons not recorded, in a real browser on a phone-sized window:
the director imports the timetable, sees the day's lessons not recorded, follows one to its lesson
page; the teacher records it from their home page; it is gone from the director's list."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from services.register.timetable.importing import HEADINGS
from tests.support.lessons import TODAY, setup_class
from tests.web.browser import PASSWORD, check_quality, sign_in
from tests.web.conftest import assert_nothing_sticks_out

pytestmark = pytest.mark.integration

UNRECORDED = f"/register/lessons/unrecorded?date={TODAY.isoformat()}"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)  # a Wednesday of the test school year


@pytest.fixture
def school(api, make_user):
    found = setup_class(api, make_user, students=2)
    make_user("director", "Анна Директорова", password=PASSWORD)
    return found


def workbook(tmp_path: Path, rows, name: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADINGS))
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Изход").click()
    expect(page.get_by_label("Потребител")).to_be_visible()


def test_import_view_follow_an_unrecorded_lesson_and_record_it(page: Page, school, tmp_path):
    sign_in(page, "Анна Директорова", path="/register/timetable")
    expect(page.get_by_role("heading", name="Седмично разписание", level=1)).to_be_visible()
    expect(page.get_by_text("няма седмично разписание")).to_be_visible()
    check_quality(page)

    # A file with an unknown teacher and a lesson past the bells: named by row and column, nothing stored.
    bad = [("10а", "сряда", 1, "Математика", "Иван Никой"), ("10а", "сряда", 12, "Математика", school.teacher)]
    page.get_by_label("Файл с разписанието").set_input_files(workbook(tmp_path, bad, "лошо.xlsx"))
    page.get_by_role("button", name="Прегледай").click()
    expect(page.get_by_role("heading", name="Проблеми във файла")).to_be_visible()
    problems = page.get_by_role("row")
    expect(problems.filter(has_text="Няма учител с име „Иван Никой“")).to_contain_text("2")
    expect(problems.filter(has_text="според звънеца")).to_contain_text("3")
    check_quality(page)

    good = [("10а", "сряда", 1, "Математика", school.teacher), ("10а", "Сряда", 2, "Информатика", school.teacher),
            ("10а", 1, 1, "Математика", school.teacher)]
    page.goto("/register/timetable")
    page.get_by_label("Файл с разписанието").set_input_files(workbook(tmp_path, good, "разписание.xlsx"))
    page.get_by_role("button", name="Прегледай").click()
    expect(page.get_by_role("heading", name="Ще бъде записано")).to_be_visible()
    check_quality(page)
    page.get_by_label("В сила от").fill("2023-09-15")
    page.get_by_role("button", name="Импортирай").click()
    expect(page.get_by_text("Разписанието е внесено за 10а от 15.09.2023.")).to_be_visible()
    grid = page.get_by_role("table", name="10а клас")
    expect(grid.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(r"^1\."))))\
        .to_contain_text("Математика")
    check_quality(page)
    # On a phone the grid keeps its columns: it scrolls sideways in its own frame (the page does not), and the
    # lesson column stays in sight while it does.
    assert_nothing_sticks_out(page, scroller=".timetable-wrap")
    frame = page.get_by_role("region", name="Разписание на 10а клас")
    assert frame.evaluate("frame => frame.scrollWidth > frame.clientWidth")
    first = grid.get_by_role("rowheader", name=re.compile(r"^1\."))
    left = first.bounding_box()["x"]
    frame.evaluate("frame => { frame.scrollLeft = frame.scrollWidth; }")
    expect(grid.get_by_role("columnheader", name="Петък")).to_be_in_viewport()
    assert first.bounding_box()["x"] == left
    expect(first).to_be_in_viewport()

    # The lessons of the day the register does not have, by teacher, each linked to its lesson page.
    page.goto(UNRECORDED)
    expect(page.get_by_role("heading", name="Невписани часове", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=school.teacher)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("10а клас"))).to_have_count(2)
    check_quality(page)
    page.get_by_role("link", name="10а клас, 1. час – Математика").click()
    expect(page.get_by_role("heading", name="Отсъствия – 10а клас")).to_be_visible()
    expect(page.get_by_text("1. час", exact=False).first).to_be_visible()
    assert "lesson=1" in page.url
    sign_out(page)

    # The teacher's home lists today's lessons with their state; lesson 1 recorded, everybody present.
    sign_in(page, school.teacher)
    mine = page.get_by_role("list", name="Моите часове днес")
    expect(mine.get_by_role("link")).to_have_count(2)
    check_quality(page)
    mine.get_by_role("link", name=re.compile(r"^1\. час · 10а · Математика \(не е записан\)")).click()
    page.get_by_label("Предмет").select_option("Математика")
    page.get_by_role("button", name="Запиши").click()
    expect(page.get_by_role("status").filter(has_text="Записано")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("list", name="Моите часове днес").get_by_role("link", name=re.compile(
        r"^1\. час .*\(записан\)"))).to_be_visible()
    sign_out(page)

    # Recorded, it is gone from the director's list; the home card counts the one left.
    sign_in(page, "Анна Директорова", path=UNRECORDED)
    expect(page.get_by_role("link", name=re.compile("10а клас"))).to_have_count(1)
    expect(page.get_by_role("link", name="10а клас, 2. час – Информатика")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", name="Невписани часове днес")).to_be_visible()
    expect(page.locator(".home-timetable")).to_contain_text("1 невписан час")
    check_quality(page)
