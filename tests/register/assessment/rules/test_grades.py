"""Grade scale, kinds and entry rules (Чл. 127, 130, 133, 134, 139)."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import (
    GradeEntry,
    GradeKind,
    GradeValue,
    TeachingAssignment,
    check_entry_deadline,
    check_formed_grade_entry,
    check_may_enter_grade,
    entry_deadline,
    validate_grade_entry,
)

MONDAY = date(2025, 11, 3)


def test_scale_has_the_five_bulgarian_names() -> None:
    assert [(g.value, g.name_bg) for g in GradeValue] == [
        (2, "слаб"),
        (3, "среден"),
        (4, "добър"),
        (5, "много добър"),
        (6, "отличен"),
    ]
    assert GradeValue.VERY_GOOD.display == "много добър (5)"


@pytest.mark.parametrize("raw", ["4", 4, " 6"])
def test_parse_accepts_integers_two_to_six(raw: object) -> None:
    assert GradeValue.parse(raw) in set(GradeValue)


@pytest.mark.parametrize("raw", [1, 7, "4.5", 4.5, "отличен", ""])
def test_parse_refuses_anything_off_the_scale_citing_the_article(raw: object) -> None:
    with pytest.raises(AssessmentError) as caught:
        GradeValue.parse(raw)
    assert caught.value.article == "Чл. 127, ал. 2"
    assert "от 2 до 6" in caught.value.message


def test_control_and_class_works_are_written_assessments() -> None:
    written = {kind for kind in GradeKind if kind.is_written}
    # the entry-level test is written (Чл. 128, ал. 2); the exit-level one is kept so (its form is not given)
    assert written == {GradeKind.WRITTEN, GradeKind.CONTROL, GradeKind.CLASSWORK, GradeKind.ENTRY_LEVEL,
                       GradeKind.EXIT_LEVEL}
    assert GradeKind.CLASSWORK.name_bg == "класна работа"


@pytest.mark.parametrize("kind", [GradeKind.ORAL, GradeKind.PRACTICAL])
def test_oral_and_practical_grades_are_entered_the_same_day(kind: GradeKind) -> None:
    assert entry_deadline(kind, MONDAY) == MONDAY
    assert check_entry_deadline(kind, MONDAY, MONDAY) == ()
    (late,) = check_entry_deadline(kind, MONDAY, date(2025, 11, 4))
    assert late.code == "grade.entry.late"
    assert late.article == "Чл. 139, ал. 2, т. 1"
    assert "03.11.2025" in late.message
    assert "04.11.2025" in late.message


@pytest.mark.parametrize("kind", [GradeKind.WRITTEN, GradeKind.CONTROL, GradeKind.CLASSWORK])
def test_written_grades_are_entered_within_a_week(kind: GradeKind) -> None:
    assert entry_deadline(kind, MONDAY) == date(2025, 11, 10)
    assert check_entry_deadline(kind, MONDAY, date(2025, 11, 10)) == ()
    (late,) = check_entry_deadline(kind, MONDAY, date(2025, 11, 11))
    assert late.article == "Чл. 139, ал. 2, т. 2"
    assert "до 10.11.2025 включително" in late.message


def test_written_entry_window_is_a_parameter() -> None:
    assert check_entry_deadline(GradeKind.WRITTEN, MONDAY, date(2025, 11, 7), written_entry_days=3)


def test_a_grade_cannot_be_entered_before_the_assessment() -> None:
    (early,) = check_entry_deadline(GradeKind.WRITTEN, MONDAY, date(2025, 11, 2))
    assert early.code == "grade.entry.before_assessment"


def test_term_and_annual_grades_are_entered_on_the_day_they_are_formed() -> None:
    assert check_formed_grade_entry(MONDAY, MONDAY) == ()
    (late,) = check_formed_grade_entry(MONDAY, date(2025, 11, 4))
    assert late.article == "Чл. 139, ал. 2, т. 3"


ASSIGNMENTS = (TeachingAssignment("t-math", "math", "10A"), TeachingAssignment("t-bel", "bel", "10A"))


def test_only_the_subject_teacher_of_that_class_enters_the_grade() -> None:
    assert check_may_enter_grade("t-math", "math", "10A", ASSIGNMENTS) == ()
    for teacher, subject, class_id in [("t-bel", "math", "10A"), ("t-math", "math", "11B")]:
        (refusal,) = check_may_enter_grade(teacher, subject, class_id, ASSIGNMENTS)
        assert refusal.article == "Чл. 139, ал. 1"
        assert "лично от учителя" in refusal.message


def test_validate_grade_entry_lists_every_refusal() -> None:
    entry = GradeEntry("s1", "math", "10A", "t-bel", GradeValue.GOOD, GradeKind.ORAL, MONDAY)
    codes = [v.code for v in validate_grade_entry(entry, ASSIGNMENTS, date(2025, 11, 5))]
    assert codes == ["grade.entry.not_subject_teacher", "grade.entry.late"]
    fine = GradeEntry("s1", "math", "10A", "t-math", GradeValue.GOOD, GradeKind.ORAL, MONDAY)
    assert validate_grade_entry(fine, ASSIGNMENTS, MONDAY) == ()
