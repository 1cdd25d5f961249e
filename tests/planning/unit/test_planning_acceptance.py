"""Acceptance on the real plan (seeds/000_…): issue 7 items 1–3 against spec annual-plan.md.

Marked ``seed``: it runs where ``../shared/seeds`` exists (CI) and is left out elsewhere, saying why;
``test_planning_sample.py`` checks the same hazards on the project's own sample plan everywhere.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from services.planning.plans.rules import (
    DeadlineKind,
    DeadlineStatus,
    ParsedPlan,
    ValueKind,
    parse_plan_text,
)
from tests.support.seeds import seed_plan

pytestmark = pytest.mark.seed

#: spec §4: every activity whose deadline is not "Учебна 2023/2024 година", with (kind, start, due)
_D = date
EXPECTED_DEADLINES: dict[str, tuple[DeadlineKind, date | None, date | None]] = {
    **dict.fromkeys(["I/1.1.4", "I/2.1", "I/5.3", "II/1.7", "II/1.8", "V/1.1", "V/1.6", "V/1.8", "V/2.1.2"],
                    (DeadlineKind.BY, None, _D(2023, 12, 31))),
    **dict.fromkeys(["I/3.1.1", "I/3.2.1", "II/8.1", "V/1.2", "V/1.3", "V/1.4"],
                    (DeadlineKind.BY, None, _D(2023, 11, 30))),
    **dict.fromkeys(["IV/1.2", "V/1.5"], (DeadlineKind.BY, None, _D(2023, 10, 31))),
    "V/1.7": (DeadlineKind.BY, None, _D(2023, 9, 30)),
    "I/1.1.3": (DeadlineKind.BY, None, _D(2023, 9, 1)),
    "II/1.6": (DeadlineKind.ON, None, _D(2023, 9, 25)),
    **dict.fromkeys(["II/1.1", "II/1.2"], (DeadlineKind.PERIOD, _D(2023, 9, 1), _D(2023, 10, 31))),
    "II/7.1": (DeadlineKind.PERIOD, _D(2024, 2, 1), _D(2024, 3, 31)),
    "II/7.2": (DeadlineKind.PERIOD, _D(2023, 10, 1), _D(2024, 4, 30)),
    "II/7.4": (DeadlineKind.PERIOD, _D(2024, 5, 1), _D(2024, 6, 30)),
    "VI/1.2": (DeadlineKind.PERIOD, _D(2024, 4, 1), _D(2024, 6, 30)),
    "I/1.2": (DeadlineKind.PERIOD, _D(2023, 9, 15), _D(2024, 9, 1)),
    "VI/1.1": (DeadlineKind.COMPOSITE, _D(2023, 9, 15), _D(2024, 6, 30)),
    "I/1.1.1": (DeadlineKind.LEGAL_REF, None, None),
    **dict.fromkeys(["I/4.1", "I/7.2", "II/4.1", "II/4.1.1", "II/5.1", "II/5.2", "V/3.1"],
                    (DeadlineKind.RELATIVE, None, None)),
    **dict.fromkeys(["I/1.1", "I/3.1", "I/3.2", "II/2.1", "II/3.1", "II/3.2", "IV/3.1", "V/2.1"],
                    (DeadlineKind.NONE, None, None)),
}


@pytest.fixture(scope="module")
def seed_text() -> str:
    return seed_plan().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan(seed_text: str) -> ParsedPlan:
    return parse_plan_text(seed_text, school_year_start=2023)


def _by_name(plan: ParsedPlan) -> dict[str, list]:
    named: dict[str, list] = {}
    for activity in plan.activities:
        named.setdefault(f"{activity.priority}/{activity.number}", []).append(activity)
    return named


def test_82_activities_by_priority(plan: ParsedPlan) -> None:
    assert len(plan.activities) == 82
    assert Counter(a.priority for a in plan.activities) == {"I": 22, "II": 32, "III": 3, "IV": 7, "V": 12, "VI": 6}
    assert [area.numeral for area in plan.priorities] == ["I", "II", "III", "IV", "V", "VI"]


def test_hierarchy_goals_measures_and_groups(plan: ParsedPlan) -> None:
    assert [len(area.goals) for area in plan.priorities] == [9, 8, 1, 3, 3, 3]
    assert all(len(goal.measures) == 1 for goal in plan.goals)
    named = _by_name(plan)
    parents = {a.parent_key for a in plan.activities if a.parent_key}
    groups = sorted(name for name, found in named.items() if found[0].key in parents)
    assert groups == sorted(["I/1.1", "I/3.1", "I/3.2", "II/2.1", "II/4.1", "IV/3.1", "V/2.1"])
    child = named["I/1.1.3"][0]
    assert (child.level, child.parent_key) == (2, named["I/1.1"][0].key)
    assert plan.goals[0].text.startswith("Максимално обхващане")
    assert plan.goals[0].text_raw.startswith("Цел: Максимално обхващане")
    # "Мерки:" in the № column (line 236) still becomes VI/1's measure
    assert plan.priorities[5].goals[0].measures[0].text == "Развитие на професионалното образование в област Търговище"


def test_deadlines_match_spec_section_4(plan: ParsedPlan) -> None:
    seen = Counter()
    for activity in plan.activities:
        name = f"{activity.priority}/{activity.number}"
        kind, start, due = EXPECTED_DEADLINES.get(
            name, (DeadlineKind.SCHOOL_YEAR, date(2023, 9, 15), date(2024, 6, 30)))
        deadline = activity.deadline
        assert (deadline.kind, deadline.start, deadline.due) == (kind, start, due), name
        seen[kind] += 1
    assert seen[DeadlineKind.SCHOOL_YEAR] == 38
    statuses = Counter(a.deadline.status for a in plan.activities)
    assert statuses == {DeadlineStatus.DATED: 66, DeadlineStatus.NEEDS_DATE: 8, DeadlineStatus.NONE: 8}


def test_composite_deadline_pairs_with_two_indicators(plan: ParsedPlan) -> None:
    activity = _by_name(plan)["VI/1.1"][0]
    assert activity.deadline.milestones == (date(2024, 5, 15),)
    assert activity.deadline.text == "Учебна 2023/2024 година До 15 май по график, съгласуван от РУО"
    first, second = activity.indicators
    assert first.unit.counted == "публикации в сайта на РУО"
    assert second.unit.counted == "участвали професионални гимназии"
    assert first.deadline.kind is DeadlineKind.SCHOOL_YEAR
    assert (second.deadline.due, second.deadline.qualifier) == (date(2024, 5, 15), "по график, съгласуван от РУО")
    assert first.target.number == second.target.number == 1
    assert activity.text.split("\n")[1] == "- дни на отворените врати, информационни кампании и др.;"


def test_page_break_continuations_are_joined(plan: ParsedPlan) -> None:
    named = _by_name(plan)
    cut = named["I/3.1.1"][0]
    assert cut.deadline.raw == "До края на ноември 2023 година"
    assert cut.target.text == "Според броя на заместванията"
    assert cut.source.rows == (22, 23)
    assert cut.source.lines == (74, 76)
    assert named["I/7.2"][0].deadline.text == "Съобразно националния календар на извънучилищните дейности"
    assert named["I/7.2"][0].deadline.raw == "Съобразно националния календар на извън- училищ- ните дейности"
    assert named["II/7.4"][0].text.endswith("в частта теория и частта практика на професията“.")
    v211 = named["V/2.1.1"][0]
    assert v211.unit.text == "% обучени педагогически специалисти съгласно квота от МОН"
    assert v211.current.qualifier == "обучени педагогически специалисти"
    assert [p.title for p in v211.responsible] == ["директор", "старши експерт по ОНГОР", "старши експерт за ОНЕ"]


def test_raw_text_is_kept_next_to_normalised_values(plan: ParsedPlan) -> None:
    named = _by_name(plan)
    i12 = named["I/1.2"][0]
    assert i12.number_raw == "1.2.."
    assert i12.number == "1.2"
    assert i12.deadline.raw == "15 септември и 2023 г. – 1 септември и 2024 година"
    assert i12.deadline.text == "15 септември 2023 г. – 1 септември 2024 година"
    unit = named["I/6.1"][0].unit
    assert (unit.raw, unit.text) == ("Брой консултиран и педагогически специалисти",
                                     "Брой консултирани педагогически специалисти")
    assert named["II/1.10"][0].responsible_raw == "Директор Учители по ПОО"
    assert named["VI/2.1"][0].responsible_raw == "Директор  Учители по ПОО"
    assert named["I/1.1.1"][0].deadline.text == "Съгл.ПМС №100/08.06. 2018"
    # oddities stay as written (spec §6)
    assert named["II/1.12"][0].current.kind is ValueKind.PERCENT
    assert named["III/1.2"][0].current.kind is ValueKind.RANGE


def test_only_real_doubts_are_warned(plan: ParsedPlan) -> None:
    assert [(w.code, w.source.rows if w.source else None) for w in plan.warnings] == [
        ("deadline_before_year", (10,)),
        ("deadline_after_year", (12,)),
        ("duplicate_number", (68,)),
    ]
    assert plan.warnings[0].message == (
        "Ред 61 от файла (ред 10 от таблицата): срокът на дейност I/1.1.3 (01.09.2023) е преди началото "
        "на учебната година (15.09.2023)")
    assert plan.unparsed == ()
    assert plan.declared_school_year == "2023/2024"


def test_parsing_twice_gives_equal_plans_and_unique_stable_keys(seed_text: str, plan: ParsedPlan) -> None:
    again = parse_plan_text(seed_text, school_year_start=2023)
    assert again == plan
    keys = [a.key for a in plan.activities]
    assert len(set(keys)) == 82
    duplicates = _by_name(plan)["II/1.9"]
    assert len(duplicates) == 2
    assert duplicates[0].key != duplicates[1].key
    # identical texts in different areas (I/4.1 = II/5.1) keep different keys
    assert _by_name(plan)["I/4.1"][0].text == _by_name(plan)["II/5.1"][0].text
    assert _by_name(plan)["I/4.1"][0].key != _by_name(plan)["II/5.1"][0].key


def test_reimport_of_an_edited_plan_matches_unchanged_activities(seed_text: str, plan: ParsedPlan) -> None:
    inserted = seed_text.replace(
        "1.1.4.\tУчастие в работни срещи",
        "1.1.5.\tНова дейност, добавена при актуализацията.\tДо края на май 2024 година\tБрой\t0\t1\tдиректор\t\n"
        "1.1.4.\tУчастие в работни срещи", 1)
    edited = parse_plan_text(inserted.replace("Модул 3 „Подкрепа", "Модул 3 „Подкрепа ", 1), school_year_start=2023)
    old, new = {a.key for a in plan.activities}, {a.key for a in edited.activities}
    assert new - old == {next(a.key for a in edited.activities if a.number == "1.1.5")}
    assert old <= new


def test_school_year_end_is_a_parameter(seed_text: str) -> None:
    plan = parse_plan_text(seed_text, school_year_start=2023, school_year_end=date(2024, 6, 28))
    ends = {a.deadline.due for a in plan.activities if a.deadline.kind is DeadlineKind.SCHOOL_YEAR}
    assert ends == {date(2024, 6, 28)}
    after = [w for w in plan.warnings if w.code == "deadline_after_year"]
    # "Май – юни 2024" now ends after the last day of classes, and is reported
    assert {w.source.rows for w in after if w.source} == {(12,), (105, 106), (167,)}
