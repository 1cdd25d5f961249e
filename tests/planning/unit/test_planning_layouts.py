"""Plans in other layouts (issue 21, item 2): the header row says which column is which."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from services.planning.plans.rules import DeadlineStatus, parse_plan_docx, parse_plan_text
from services.planning.plans.rules.layouts import recognise
from services.planning.plans.rules.table import Cell
from tests.planning.plan_samples import THREE_COLUMN_TEXT, three_column_docx


def _docx(rows: list[list[str]], *, spans: tuple[int, ...] = ()) -> bytes:
    document = Document()
    table = document.add_table(rows=0, cols=len(rows[0]))
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        if index in spans:
            cells[0].merge(cells[-1]).text = values[0]
            continue
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_three_column_word_plan_with_section_rows_imports_every_row() -> None:
    plan = parse_plan_docx(three_column_docx(), school_year_start=2023)
    assert plan.declared_school_year == "2023/2024"
    assert plan.columns == (("Дейност", "дейност"), ("Срок", "срок"), ("Отговорник", "отговорник"))
    assert [(area.numeral, area.title) for area in plan.priorities] == [
        ("I", "I. Организационна дейност"), ("II", "II. Учебна дейност"),
        ("III", "III. Празници и извънкласни дейности")]
    assert [len(area.goals[0].activities) for area in plan.priorities] == [4, 4, 4]
    assert [a.number for a in plan.activities] == [str(n) for n in range(1, 13)]
    assert plan.unparsed == ()
    first = plan.activities[0]
    assert (first.text, first.deadline.due, first.deadline.qualifier, first.responsible_roles) == (
        "Откриване на учебната година", date(2023, 9, 15), "10:00 ч.", ("director",))
    undated = [a for a in plan.activities if a.deadline.status is DeadlineStatus.NEEDS_DATE]
    assert [(a.text, a.deadline.reason.split(" ")[0]) for a in undated] == [
        ("Анализ на резултатите от входните нива", "зависи"), ("Работа по проекти", "повтаряща")]


def test_the_same_plan_as_text_is_the_same_plan() -> None:
    from_text = parse_plan_text(THREE_COLUMN_TEXT.read_text(encoding="utf-8"), school_year_start=2023)
    assert from_text == parse_plan_docx(three_column_docx(), school_year_start=2023)
    assert from_text.activities[0].source.lines == (6,)


def test_columns_in_any_order_with_a_number_column_and_one_unknown() -> None:
    plan = parse_plan_docx(_docx([
        ["Отговорно лице", "№ по ред", "Мероприятие", "Участници", "Срок за изпълнение"],
        ["Раздел 1. Квалификация"],
        ["Директор", "1.", "Вътрешноучилищна квалификация", "учители", "м. ноември"],
        ["ЗДУД", "2.", "Обучение по безопасност", "", "до 30.09.2023 г."],
        ["Отговорно лице", "№ по ред", "Мероприятие", "Участници", "Срок за изпълнение"],
        ["Класни ръководители", "3.", "Родителски срещи", "родители", "м. февруари и м. юни"],
    ], spans=(1,)), school_year_start=2023)
    assert [meaning for _heading, meaning in plan.columns] == [
        "отговорник", "номер", "дейност", "не е разпозната; текстът ѝ се пази в забележката", "срок"]
    assert [a.number for a in plan.activities] == ["1", "2", "3"]
    assert plan.priorities[0].title == "Раздел 1. Квалификация"
    first, second, third = plan.activities
    assert (first.deadline.start, first.deadline.due, first.note) == (
        date(2023, 11, 1), date(2023, 11, 30), "Участници: учители")
    assert (second.deadline.due, second.responsible_roles) == (date(2023, 9, 30), ("deputy_director",))
    assert (third.deadline.due, third.deadline.milestones) == (date(2024, 6, 30), (date(2024, 2, 29),))


def test_roman_numeral_in_the_number_column_is_a_section_and_rows_before_it_are_kept() -> None:
    text = ("№\tДейности\tВреме\tОтговорници\n"
            "1\tПланиране\tм. септември\tДиректор\n"
            "II\tВтори раздел\t\t\n"
            "2\tОтчет\tдо края на учебната година\tДиректор\n")
    plan = parse_plan_text(text, school_year_start=2023)
    assert [(area.numeral, area.title) for area in plan.priorities] == [("I", ""), ("II", "Втори раздел")]
    assert [(a.priority, a.number, a.deadline.due) for a in plan.activities] == [
        ("I", "1", date(2023, 9, 30)), ("II", "2", date(2024, 6, 30))]


@pytest.mark.parametrize(("headings", "meanings"), [
    (["№", "Дейност", "Срок", "Отговорник"], ["номер", "дейност", "срок", "отговорник"]),
    (["Дейности", "Срок за изпълнение", "Отговорници"], ["дейност", "срок", "отговорник"]),
    (["Мероприятие", "Време", "Отговорно лице"], ["дейност", "срок", "отговорник"]),
    (["№ по ред", "Дейност/мероприятие", "Време на провеждане", "Отг.", "Забележка"],
     ["номер", "дейност", "срок", "отговорник", "забележка"]),
])
def test_header_names_schools_use(headings: list[str], meanings: list[str]) -> None:
    layout = recognise([Cell((heading,)) for heading in headings])
    assert layout is not None
    assert not layout.seed
    assert [meaning for _heading, meaning in layout.recognised()] == meanings


def test_a_row_of_data_or_the_seed_header_is_not_another_layout() -> None:
    assert recognise([Cell((text,)) for text in ("1.", "Откриване", "15.09.", "Директор")]) is None
    assert recognise([Cell((text,)) for text in ("Дейност", "Бележки")]) is None  # no deadline, no responsible
    seed = recognise([Cell((text,)) if text else Cell() for text in (
        "№", "Цели/мерки/дейности по:", "Срок за изпълнение", "Индикатори за изпълнение", "", "", "Отговорник",
        "Забележка")])
    assert seed is not None
    assert seed.seed
