"""Minimum current grades per term under both regimes of Чл. 129."""

from __future__ import annotations

from fractions import Fraction

import pytest

from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeKind
from services.register.assessment.rules.minimums import (
    AssessmentRegime,
    HourBand,
    MinimumRequirement,
    SubjectCategory,
    minimum_current_grades,
    regime_for_admission,
    shortfall,
)

LEGACY = AssessmentRegime.LEGACY
ZPUO = AssessmentRegime.ZPUO
ORAL, W, P = GradeKind.ORAL, GradeKind.WRITTEN, GradeKind.PRACTICAL


@pytest.mark.parametrize(
    ("hours", "total", "oral", "written", "point"),
    [(1, 2, 1, 1, 1), (2, 3, 2, 1, 2), (3, 4, 2, 2, 3), (4, 5, 2, 3, 4), (6, 5, 2, 3, 4)],
)
def test_legacy_regime_minimum_and_composition(hours: int, total: int, oral: int, written: int, point: int) -> None:
    req = minimum_current_grades(hours, LEGACY)
    assert (req.total, req.oral, req.written_or_practical) == (total, oral, written)
    assert req.article == f"Чл. 129, ал. 1, т. {point}"


@pytest.mark.parametrize("category", [SubjectCategory.PHYSICAL_EDUCATION, SubjectCategory.EDUCATIONAL_PRACTICE])
def test_legacy_pe_and_educational_practice_need_three_practical(category: SubjectCategory) -> None:
    req = minimum_current_grades(2, LEGACY, category)
    assert (req.total, req.practical, req.article) == (3, 3, "Чл. 129, ал. 1, т. 5")


@pytest.mark.parametrize(
    ("hours", "total", "point"),
    [(1, 2, 1), (2, 2, 1), ("2.5", 3, 2), (3, 3, 2), (3.5, 3, 2), (4, 4, 3), (6, 4, 3)],
)
def test_zpuo_regime_minimum_by_hour_band(hours: object, total: int, point: int) -> None:
    req = minimum_current_grades(hours, ZPUO)
    assert (req.total, req.oral, req.written_or_practical) == (total, 0, 0)
    assert req.article == f"Чл. 129, ал. 2, т. {point}"


def test_zpuo_pe_counts_by_hours_and_practice_has_its_own_row() -> None:
    assert minimum_current_grades(2, ZPUO, SubjectCategory.PHYSICAL_EDUCATION).total == 2
    practice = minimum_current_grades(6, ZPUO, SubjectCategory.EDUCATIONAL_PRACTICE)
    assert (practice.total, practice.article) == (3, "Чл. 129, ал. 2, т. 4")


def test_production_practice_has_only_an_annual_grade() -> None:
    req = minimum_current_grades(8, ZPUO, SubjectCategory.PRODUCTION_PRACTICE)
    assert req.annual_only
    assert (req.total, req.article) == (2, "Чл. 137, ал. 7")


@pytest.mark.parametrize(
    ("hours", "regime", "article"), [(1.5, LEGACY, "ал. 1"), ("3.75", ZPUO, "ал. 2"), (0, ZPUO, "ал. 2")]
)
def test_hours_in_a_gap_between_bands_are_refused_not_guessed(
    hours: object, regime: AssessmentRegime, article: str
) -> None:
    with pytest.raises(AssessmentError) as caught:
        minimum_current_grades(hours, regime)
    assert caught.value.article == f"Чл. 129, {article}"
    assert "настройките на училището" in caught.value.message


def test_bands_and_curriculum_override_are_parameters() -> None:
    custom = (HourBand(Fraction(0), None, MinimumRequirement(7, "учебен план")),)
    assert minimum_current_grades("3.75", ZPUO, zpuo_bands=custom).total == 7
    assert minimum_current_grades(4, LEGACY, curriculum_minimum=6).total == 6


def test_regime_follows_the_year_of_admission() -> None:
    assert regime_for_admission(2015) is LEGACY
    assert regime_for_admission(2016) is ZPUO
    assert regime_for_admission(2017, first_zpuo_year=2018) is LEGACY


def test_legacy_shortfall_checks_composition_not_only_total() -> None:
    req = minimum_current_grades(2, LEGACY)
    assert shortfall(req, [ORAL, ORAL, W]) == ()
    assert shortfall(req, [ORAL, ORAL, GradeKind.CONTROL]) == ()
    assert shortfall(req, [ORAL, W, W]) == ("има 1 от минимум 2 оценки от устно изпитване",)
    assert shortfall(req, [ORAL, ORAL, ORAL]) == ("има 0 от минимум 1 оценки от писмено или практическо изпитване",)
    assert shortfall(req, [ORAL]) == (
        "има 1 от минимум 3 текущи оценки",
        "има 1 от минимум 2 оценки от устно изпитване",
        "има 0 от минимум 1 оценки от писмено или практическо изпитване",
    )


def test_legacy_pe_counts_only_practical_grades() -> None:
    req = minimum_current_grades(2, LEGACY, SubjectCategory.PHYSICAL_EDUCATION)
    assert shortfall(req, [P, P, P]) == ()
    assert shortfall(req, [P, P, ORAL]) == ("има 2 от минимум 3 оценки от практическо изпитване",)


def test_zpuo_shortfall_counts_assessments_of_any_kind() -> None:
    req = minimum_current_grades(2, ZPUO)
    assert shortfall(req, [ORAL, ORAL]) == ()
    assert shortfall(req, [W]) == ("има 1 от минимум 2 текущи оценки",)
