"""Deadline phrases to dates (spec annual-plan.md §4) for the school year 2023/2024."""

from __future__ import annotations

from datetime import date

import pytest

from services.planning.plans.rules import DeadlineKind, DeadlineStatus, resolve_deadline

END = date(2024, 6, 30)


def resolve(phrase: str, **kwargs):
    return resolve_deadline(phrase, school_year_start=2023, school_year_end=kwargs.pop("end", END), **kwargs)


@pytest.mark.parametrize(("phrase", "text", "kind", "start", "due"), [
    ("Учебна 2023/2024 година", "Учебна 2023/2024 година", DeadlineKind.SCHOOL_YEAR, date(2023, 9, 15), END),
    ("До края на декември 2023 година", "До края на декември 2023 година", DeadlineKind.BY, None, date(2023, 12, 31)),
    ("До края на ноември 2023 година", "До края на ноември 2023 година", DeadlineKind.BY, None, date(2023, 11, 30)),
    ("До края на октомври\n2023 година", "До края на октомври 2023 година", DeadlineKind.BY, None,
     date(2023, 10, 31)),
    ("До края на септември и 2023 година", "До края на септември 2023 година", DeadlineKind.BY, None,
     date(2023, 9, 30)),
    ("До началото на септември 2023 година", "До началото на септември 2023 година", DeadlineKind.BY, None,
     date(2023, 9, 1)),
    ("25 септември и 2023 година", "25 септември 2023 година", DeadlineKind.ON, None, date(2023, 9, 25)),
    ("Септемвр и – октомври 2023 година", "Септември – октомври 2023 година", DeadlineKind.PERIOD,
     date(2023, 9, 1), date(2023, 10, 31)),
    ("Февруари – март 2024 година", "Февруари – март 2024 година", DeadlineKind.PERIOD, date(2024, 2, 1),
     date(2024, 3, 31)),
    ("Октомври 2023 година – април 2024 година", "Октомври 2023 година – април 2024 година",
     DeadlineKind.PERIOD, date(2023, 10, 1), date(2024, 4, 30)),
    ("Май – юни 2024 година", "Май – юни 2024 година", DeadlineKind.PERIOD, date(2024, 5, 1), date(2024, 6, 30)),
    ("Април - юни 2024 година", "Април - юни 2024 година", DeadlineKind.PERIOD, date(2024, 4, 1),
     date(2024, 6, 30)),
    ("15 септември и 2023 г. – 1 септември и 2024 година", "15 септември 2023 г. – 1 септември 2024 година",
     DeadlineKind.PERIOD, date(2023, 9, 15), date(2024, 9, 1)),
])
def test_dated_phrases_of_the_plan(phrase, text, kind, start, due) -> None:
    deadline = resolve(phrase)
    assert (deadline.text, deadline.kind, deadline.start, deadline.due) == (text, kind, start, due)
    assert deadline.raw == phrase
    assert deadline.status is DeadlineStatus.DATED


@pytest.mark.parametrize(("phrase", "kind"), [
    ("Съгл.ПМС №100/08.06. 2018", DeadlineKind.LEGAL_REF),
    ("Съгласно сроковете на програмата", DeadlineKind.RELATIVE),
    ("Съобразно националния календар на извън- училищ- ните дейности", DeadlineKind.RELATIVE),
    ("Съобразн о определен ите срокове по НП", DeadlineKind.RELATIVE),
    ("Съгласно сроковете и дейностите на НП", DeadlineKind.RELATIVE),
    ("Съгласно сроковете в НП", DeadlineKind.RELATIVE),
    ("Съгласно НП", DeadlineKind.RELATIVE),
    ("Съгласно заповед № 5 от 12.10.2023 г.", DeadlineKind.LEGAL_REF),
    ("Постоянен", DeadlineKind.UNKNOWN),
    ("До 31.02.2024", DeadlineKind.UNKNOWN),
    ("Учебна 2023/2025 година", DeadlineKind.UNKNOWN),
])
def test_phrases_without_a_date_keep_their_text(phrase, kind) -> None:
    deadline = resolve(phrase)
    assert deadline.kind is kind
    assert (deadline.start, deadline.due, deadline.status) == (None, None, DeadlineStatus.NEEDS_DATE)
    assert deadline.raw == phrase


def test_reversed_months_run_across_the_new_year() -> None:
    # "Юни – март 2024" can only mean June 2023 to March 2024, the reading the rule "first month
    # later than the second belongs to the previous year" gives
    deadline = resolve("Юни – март 2024 година")
    assert (deadline.start, deadline.due) == (date(2023, 6, 1), date(2024, 3, 31))
    assert "before_school_year" not in deadline.flags


def test_normalised_text_of_page_broken_relative_phrases() -> None:
    assert resolve("Съобразн о определен ите срокове по НП").text == "Съобразно определените срокове по НП"
    assert resolve("Съобразно националния календар на извън- училищ- ните дейности").text == (
        "Съобразно националния календар на извънучилищните дейности")


def test_empty_cell_is_no_deadline() -> None:
    for phrase in ("", "  ", "\n"):
        deadline = resolve(phrase)
        assert (deadline.kind, deadline.due, deadline.status) == (DeadlineKind.NONE, None, DeadlineStatus.NONE)


def test_composite_cell_gives_the_latest_due_and_milestones() -> None:
    deadline = resolve("Учебна 2023/2024 година\nДо 15 май по график, съгласуван от РУО")
    assert deadline.kind is DeadlineKind.COMPOSITE
    assert (deadline.start, deadline.due, deadline.milestones) == (date(2023, 9, 15), END, (date(2024, 5, 15),))
    assert [part.kind for part in deadline.parts] == [DeadlineKind.SCHOOL_YEAR, DeadlineKind.BY]
    assert deadline.parts[1].raw == "До 15 май по график, съгласуван от РУО"
    assert deadline.parts[1].qualifier == "по график, съгласуван от РУО"


def test_composite_of_references_only_needs_a_date() -> None:
    deadline = resolve("Съгласно НП\nСъгласно сроковете в НП")
    assert (deadline.kind, deadline.due, deadline.status) == (
        DeadlineKind.COMPOSITE, None, DeadlineStatus.NEEDS_DATE)


def test_missing_year_is_the_one_inside_the_school_year() -> None:
    assert resolve("До края на ноември").due == date(2023, 11, 30)
    assert resolve("До края на март").due == date(2024, 3, 31)
    assert resolve("До 15 януари").due == date(2024, 1, 15)
    assert resolve("Ноември – февруари").start == date(2023, 11, 1)
    assert resolve("Ноември – февруари").due == date(2024, 2, 29)


def test_numeric_dates_and_school_year_end_parameter() -> None:
    assert resolve("12.03.2024 г.").due == date(2024, 3, 12)
    assert resolve("До 20.12.2023 г.").due == date(2023, 12, 20)
    assert (resolve("01.10.2023 – 15.11.2023").start, resolve("01.10.2023 – 15.11.2023").due) == (
        date(2023, 10, 1), date(2023, 11, 15))
    classes_end = date(2024, 6, 28)
    assert resolve("Учебна 2023/2024 година", end=classes_end).due == classes_end
    assert resolve("До края на учебната година", end=classes_end).due == classes_end
    start = resolve("Учебна 2023/2024 година", school_year_first_day=date(2023, 9, 14)).start
    assert start == date(2023, 9, 14)


def test_dates_outside_the_school_year_are_flagged() -> None:
    assert resolve("До началото на септември 2023 година").flags == ("before_school_year",)
    assert resolve("15 септември 2023 г. – 1 септември 2024 година").flags == ("after_school_year",)
    other = resolve("Учебна 2024/2025 година")
    assert (other.start, other.due) == (date(2024, 9, 15), date(2025, 6, 30))
    assert other.flags == ("other_school_year", "after_school_year")
