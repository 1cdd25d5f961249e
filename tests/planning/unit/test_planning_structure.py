"""Row hazards of spec annual-plan.md §8 on small tables: nothing is dropped without a warning."""

from __future__ import annotations

from datetime import date

import pytest

from services.planning.plans.rules import DeadlineKind, PlanFormatError, parse_plan_text

HEADER = ("№\tЦели/мерки/дейности по:\tСрок за изпълнение\tИндикатори за изпълнение\t\t\tОтговорник\tЗабележка\n"
          "\t\t\tМерна единица (брой, %)\tТекуща стойност\tЦелева стойност\t\t\n")
PRIORITY = "<b>I.</b>\t<b>Първо направление</b>\t\t\t\t\t\t\n"
GOAL = "1.\t<b>Цел:</b> Първа цел.\t\t\t\t\t\t\n"
MEASURE = "\t<b>Мерки:</b> Първа мярка.\t\t\t\t\t\t\n"
LABEL = "\t<b>Дейности:</b>\t\t\t\t\t\t\n"
ACTIVITY = "1.1.\tПърва дейност.\tУчебна 2023/2024 година\tБрой\t0\t1\tдиректор\t\n"


def parse(body: str, *, preamble: str = "## ЗА УЧЕБНАТА 2023/2024 ГОДИНА\n\n"):
    return parse_plan_text(preamble + HEADER + body, school_year_start=2023)


def codes(plan) -> list[str]:
    return [warning.code for warning in plan.warnings]


def test_minimal_plan_has_no_warnings() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY)
    assert codes(plan) == []
    activity = plan.activities[0]
    assert (activity.priority, activity.goal_number, activity.number, activity.text) == ("I", "1", "1.1",
                                                                                         "Първа дейност.")
    assert activity.responsible_roles == ("director",)
    assert plan.goals[0].measures[0].text == "Първа мярка."


def test_header_repeated_on_a_new_page_is_skipped() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY + "\n" + HEADER
                 + "1.2.\tВтора дейност.\tДо края на май 2024 година\tБрой\t0\t1\tдиректор\t\n")
    assert [a.number for a in plan.activities] == ["1.1", "1.2"]
    assert codes(plan) == []
    assert plan.unparsed == ()


def test_unrecognised_number_is_kept_and_warned_with_its_line() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY + "а)\tНещо.\t\t\t\t\t\t\n")
    assert codes(plan) == ["unparsed_row"]
    assert plan.warnings[0].message == (
        "Ред 10 от файла (ред 8 от таблицата): номерът „а)“ не е разпознат; редът е запазен като невнесен")
    source, cells = plan.unparsed[0]
    assert (source.rows, cells[:2]) == ((8,), ("а)", "Нещо."))


def test_row_without_number_after_a_label_is_not_glued_anywhere() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL + "\tБез номер.\tУчебна 2023/2024 година\t\t\t\t\t\n")
    # whole-plan warnings come first
    assert codes(plan) == ["no_activities", "unparsed_row"]
    assert plan.activities == ()
    assert "не може да бъде отнесен" in plan.warnings[1].text


def test_page_break_in_a_goal_text_continues_the_goal() -> None:
    plan = parse(PRIORITY + "1.\t<b>Цел:</b> Начало на целта,\t\t\t\t\t\t\n\n\tкрай на целта.\t\t\t\t\t\t\n"
                 + MEASURE + LABEL + ACTIVITY)
    assert plan.goals[0].text == "Начало на целта, край на целта."
    assert plan.goals[0].source.rows == (4, 5)


def test_data_in_a_goal_row_is_reported() -> None:
    plan = parse(PRIORITY + "1.\t<b>Цел:</b> Цел.\tДо края на май 2024 година\t\t\t\t\t\n" + MEASURE + LABEL + ACTIVITY)
    assert codes(plan) == ["ignored_cell"]
    assert "„Срок за изпълнение“" in plan.warnings[0].text


def test_cell_count_surplus_goes_to_the_note_and_lost_trailing_cells_are_restored() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL
                 + "1.1.\tДейност.\tУчебна 2023/2024 година\tБрой\t0\t1\tдиректор\t\tизлишно\n"
                 + "1.2.\tКъса.\tУчебна 2023/2024 година\tБрой\t0\t1\n")
    assert codes(plan) == ["extra_cells"]
    first, second = plan.activities
    assert first.note == "излишно"
    assert (second.target.number, second.responsible) == (1, ())


def test_labels_and_measures_in_the_number_column() -> None:
    plan = parse(PRIORITY + GOAL + "<b>Мерки: Мярка в първата колона.</b>\t\t\t\t\t\t\t\n"
                 + "<b>Дейности:</b>\t\t\t\t\t\t\t\n" + ACTIVITY)
    assert codes(plan) == []
    assert plan.goals[0].measures[0].text == "Мярка в първата колона."
    assert plan.goals[0].measures[0].text_raw == "Мерки: Мярка в първата колона."


def test_numbering_oddities() -> None:
    plan = parse("І.\tНаправление с кирилско І\t\t\t\t\t\t\n" + "<b>3</b>\t<i>Цел:</i> Цел три.\t\t\t\t\t\t\n"
                 + MEASURE + LABEL
                 + "2.1\tЧужд номер.\tУчебна 2023/2024 година\tБрой\t0\t1\tдиректор\t\n"
                 + "3.4.2..\tБез родител.\tУчебна 2023/2024 година\tБрой\t0\t1\tдиректор\t\n"
                 + "III.\tСкок в номерацията\t\t\t\t\t\t\n")
    assert codes(plan) == ["goal_order", "activity_goal_mismatch", "parent_missing", "priority_order"]
    assert [area.numeral for area in plan.priorities] == ["I", "III"]
    orphan = plan.activities[1]
    assert (orphan.number, orphan.number_raw, orphan.level, orphan.parent_key) == ("3.4.2", "3.4.2..", 2, None)


def test_rows_before_their_parents_are_rejected() -> None:
    plan = parse(GOAL + ACTIVITY + PRIORITY + "\t<b>Цел:</b> Цел без номер.\t\t\t\t\t\t\n" + ACTIVITY)
    assert codes(plan) == ["unparsed_row", "unparsed_row", "goal_number_missing"]
    assert len(plan.unparsed) == 2
    assert plan.goals[0].number == "1"
    assert plan.goals[0].number_raw == ""
    assert len(plan.activities) == 1


def test_text_between_table_rows_is_reported() -> None:
    plan = parse(PRIORITY + GOAL + "Страница 2 от 9\n" + MEASURE + LABEL + ACTIVITY)
    assert codes(plan) == ["outside_table"]
    assert plan.warnings[0].source.lines == (7,)


def test_doubtful_values_are_reported() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL
                 + "1.1.\tДейност.\tПостоянен\tЧаса\t0\t1\tПредседател на УН\t\n")
    assert codes(plan) == ["deadline_unknown", "unit_unknown", "responsible_unknown"]
    assert plan.activities[0].deadline.kind is DeadlineKind.UNKNOWN
    assert "„Постоянен“" in plan.warnings[0].text


def test_title_year_must_match_the_import_year() -> None:
    plan = parse(PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY, preamble="ЗА УЧЕБНАТА 2024/2025 ГОДИНА\n")
    assert codes(plan) == ["school_year_mismatch"]
    assert plan.warnings[0].message == (
        "в заглавието на плана е посочена учебна 2024/2025 година, а планът се внася за 2023/2024")


def test_windows_line_endings_and_bom_change_nothing() -> None:
    body = PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY
    plain = parse(body)
    windows = parse_plan_text("\ufeff" + ("## ЗА УЧЕБНАТА 2023/2024 ГОДИНА\n\n" + HEADER + body).replace("\n", "\r\n"),
                              school_year_start=2023)
    assert windows == plain


def test_school_year_parameters_reach_every_deadline() -> None:
    plan = parse_plan_text(HEADER + PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY, school_year_start=2023,
                           school_year_end=date(2024, 6, 28), school_year_first_day=date(2023, 9, 14))
    deadline = plan.activities[0].deadline
    assert (deadline.start, deadline.due) == (date(2023, 9, 14), date(2024, 6, 28))


def test_text_without_a_table_is_refused() -> None:
    with pytest.raises(PlanFormatError, match="няма таблица"):
        parse_plan_text("ГОДИШЕН ПЛАН\n\nСамо текст.", school_year_start=2023)


def test_table_without_its_header_is_read_in_the_seed_column_order() -> None:
    plan = parse_plan_text(PRIORITY + GOAL + MEASURE + LABEL + ACTIVITY, school_year_start=2023)
    assert codes(plan) == ["no_header"]
    assert plan.activities[0].deadline.kind is DeadlineKind.SCHOOL_YEAR
