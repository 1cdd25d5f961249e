"""Annual grade, final grade to 0.01, pass rule (Чл. 138, 141, 142)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.rules.results import (
    EXEMPT,
    check_class_completion,
    final_grade,
    form_annual_grade,
    propose_annual_grade,
    qualitative_name,
)

G = GradeValue


def test_one_term_subject_takes_the_term_grade_as_annual() -> None:
    proposal = propose_annual_grade([G.GOOD])
    assert (proposal.suggested, proposal.binding, proposal.article) == (G.GOOD, True, "Чл. 138, ал. 2")
    assert form_annual_grade([G.GOOD]) is G.GOOD
    with pytest.raises(AssessmentError) as caught:
        form_annual_grade([G.GOOD], teacher_choice=G.EXCELLENT)
    assert caught.value.article == "Чл. 138, ал. 2"


def test_two_terms_need_the_teachers_choice_with_a_suggestion() -> None:
    proposal = propose_annual_grade([G.GOOD, G.VERY_GOOD])
    assert (proposal.suggested, proposal.binding) == (G.VERY_GOOD, False)
    with pytest.raises(AssessmentError) as caught:
        form_annual_grade([G.GOOD, G.VERY_GOOD])
    assert caught.value.article == "Чл. 138, ал. 1"
    assert "много добър (5)" in caught.value.message
    assert form_annual_grade([G.GOOD, G.VERY_GOOD], teacher_choice=G.GOOD) is G.GOOD


def test_exempt_in_every_term_gives_no_annual_grade() -> None:
    assert form_annual_grade([EXEMPT, EXEMPT]) is EXEMPT
    assert propose_annual_grade([EXEMPT, G.EXCELLENT]).suggested is G.EXCELLENT


def test_annual_grade_needs_a_term_mark() -> None:
    with pytest.raises(AssessmentError):
        propose_annual_grade([])


def test_final_grade_is_the_mean_to_a_hundredth_rounded_half_up() -> None:
    grade = final_grade([G.VERY_GOOD] * 5 + [G.GOOD] * 3)  # 37 / 8 = 4.625
    assert grade is not None
    assert grade.value == Decimal("4.63")
    assert grade.name_bg == "много добър"
    assert grade.display == "много добър 4,63"
    assert final_grade([G.VERY_GOOD, G.VERY_GOOD, G.EXCELLENT]).value == Decimal("5.33")


def test_final_grade_of_a_one_class_subject_is_its_annual_grade() -> None:
    grade = final_grade([G.SATISFACTORY])
    assert (grade.value, grade.name_bg) == (Decimal("3.00"), "среден")


def test_exempt_years_are_left_out_and_all_exempt_means_no_final_grade() -> None:
    assert final_grade([EXEMPT, G.EXCELLENT, G.VERY_GOOD]).value == Decimal("5.50")
    assert final_grade([EXEMPT, EXEMPT, EXEMPT]) is None


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("2.99", "слаб"),
        ("3.00", "среден"),
        ("3.49", "среден"),
        ("3.50", "добър"),
        ("4.50", "много добър"),
        ("5.50", "отличен"),
    ],
)
def test_qualitative_names_of_non_integer_grades(value: str, name: str) -> None:
    assert qualitative_name(Decimal(value)) == name


def test_class_is_passed_with_at_least_average_in_every_subject() -> None:
    result = check_class_completion({"математика": G.SATISFACTORY, "физическо възпитание и спорт": EXEMPT})
    assert result.passed
    assert result.reasons == ()


def test_a_poor_annual_grade_or_a_missing_one_fails_the_class() -> None:
    result = check_class_completion({"математика": G.POOR, "химия": None, "история": G.EXCELLENT})
    assert not result.passed
    assert result.failed_subjects == ("математика",)
    assert result.unformed_subjects == ("химия",)
    assert [r.article for r in result.reasons] == ["Чл. 142, ал. 1", "Чл. 142, ал. 1"]
    assert "поправителен изпит" in result.reasons[0].message
