"""Minimum number of current grades per term (минимален брой текущи оценки), Чл. 129.

Two regimes exist side by side, chosen per student by the law under which the student was
admitted: the legacy one (ЗНП and Наредба № 3/2003, Чл. 129, ал. 1) counts graded items by kind,
the ЗПУО one (Наредба № 11/2016, Чл. 129, ал. 2) counts assessments. The hour bands leave gaps
(1.5 hours under ал. 1; 2–2.5 and 3.5–4 under ал. 2, spec §10.B-20), so the bands are parameters
and an hour value in a gap is refused instead of guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeKind

LEGACY_ARTICLE = "Чл. 129, ал. 1"
ZPUO_ARTICLE = "Чл. 129, ал. 2"
PRODUCTION_PRACTICE_ARTICLE = "Чл. 137, ал. 7"

#: First school year (its starting calendar year) whose admissions fall under ЗПУО and Наредба № 11.
#: ЗПУО took effect on 01.08.2016 and Наредба № 11 on 01.09.2016; the правилник gives no year.
FIRST_ZPUO_ADMISSION_YEAR = 2016


class AssessmentRegime(StrEnum):
    """Assessment regime of a student (режим на оценяване), by year of admission (spec §4.4)."""

    LEGACY = "legacy"  # ЗНП + Наредба № 3/2003, Чл. 129, ал. 1
    ZPUO = "zpuo"  # ЗПУО + Наредба № 11/2016, Чл. 129, ал. 2


class SubjectCategory(StrEnum):
    """What the minimum depends on beside the hours (вид учебен предмет)."""

    GENERAL = "general"
    PHYSICAL_EDUCATION = "physical_education"  # физическо възпитание и спорт
    EDUCATIONAL_PRACTICE = "educational_practice"  # учебна практика
    PRODUCTION_PRACTICE = "production_practice"  # производствена практика


@dataclass(frozen=True)
class MinimumRequirement:
    """The minimum for one subject and term.

    Parameters:
      total: minimum number of current grades (ал. 1) or assessments (ал. 2).
      oral: of which from oral assessments (legacy regime only).
      written_or_practical: of which from written or practical assessments (legacy regime only).
      practical: of which from practical assessments (legacy PE and educational practice).
      annual_only: production practice: no term grade at all, only an annual one (Чл. 137, ал. 7).
      article: where the number comes from.
    """

    total: int
    article: str
    oral: int = 0
    written_or_practical: int = 0
    practical: int = 0
    annual_only: bool = False


@dataclass(frozen=True)
class HourBand:
    """Weekly hours ``low``…``high`` inclusive (``high=None``: and more) mapped to a requirement."""

    low: Fraction
    high: Fraction | None
    requirement: MinimumRequirement

    def contains(self, hours: Fraction) -> bool:
        return self.low <= hours and (self.high is None or hours <= self.high)


def _legacy(total: int, oral: int, written: int, point: int) -> MinimumRequirement:
    return MinimumRequirement(total, f"{LEGACY_ARTICLE}, т. {point}", oral=oral, written_or_practical=written)


LEGACY_BANDS: tuple[HourBand, ...] = (
    HourBand(Fraction(1), Fraction(1), _legacy(2, 1, 1, 1)),
    HourBand(Fraction(2), Fraction(2), _legacy(3, 2, 1, 2)),
    HourBand(Fraction(3), Fraction(3), _legacy(4, 2, 2, 3)),
    HourBand(Fraction(4), None, _legacy(5, 2, 3, 4)),
)

ZPUO_BANDS: tuple[HourBand, ...] = (
    # "до два учебни часа": any positive load up to 2 hours.
    HourBand(Fraction(0), Fraction(2), MinimumRequirement(2, f"{ZPUO_ARTICLE}, т. 1")),
    HourBand(Fraction(5, 2), Fraction(7, 2), MinimumRequirement(3, f"{ZPUO_ARTICLE}, т. 2")),
    HourBand(Fraction(4), None, MinimumRequirement(4, f"{ZPUO_ARTICLE}, т. 3")),
)

LEGACY_PRACTICAL = MinimumRequirement(3, f"{LEGACY_ARTICLE}, т. 5", practical=3)
ZPUO_PRACTICE = MinimumRequirement(3, f"{ZPUO_ARTICLE}, т. 4")
PRODUCTION_PRACTICE = MinimumRequirement(2, PRODUCTION_PRACTICE_ARTICLE, annual_only=True)


def regime_for_admission(admission_year: int, *, first_zpuo_year: int = FIRST_ZPUO_ADMISSION_YEAR) -> AssessmentRegime:
    """The regime for a student admitted in the school year starting in ``admission_year``."""
    return AssessmentRegime.ZPUO if admission_year >= first_zpuo_year else AssessmentRegime.LEGACY


def as_hours(value: Fraction | Decimal | int | float | str) -> Fraction:
    """Weekly hours as an exact fraction; floats go through ``str`` so 2.5 stays 5/2."""
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


def minimum_current_grades(
    weekly_hours: Fraction | Decimal | int | float | str,
    regime: AssessmentRegime,
    category: SubjectCategory = SubjectCategory.GENERAL,
    *,
    legacy_bands: tuple[HourBand, ...] = LEGACY_BANDS,
    zpuo_bands: tuple[HourBand, ...] = ZPUO_BANDS,
    curriculum_minimum: int | None = None,
) -> MinimumRequirement:
    """The minimum current grades per term for a subject (Чл. 129).

    Parameters:
      weekly_hours: hours per week in the school curriculum (училищен учебен план).
      regime: the student's regime (:func:`regime_for_admission`).
      category: PE and practice subjects have their own rows.
      curriculum_minimum: a number set by the subject curriculum, which takes precedence
        ("освен ако в съответната учебна програма не е определено друго").
    """
    if category is SubjectCategory.PRODUCTION_PRACTICE:
        return PRODUCTION_PRACTICE
    if curriculum_minimum is not None:
        article = LEGACY_ARTICLE if regime is AssessmentRegime.LEGACY else ZPUO_ARTICLE
        return MinimumRequirement(curriculum_minimum, f"{article} (учебна програма)")
    if regime is AssessmentRegime.LEGACY and category in {
        SubjectCategory.PHYSICAL_EDUCATION,
        SubjectCategory.EDUCATIONAL_PRACTICE,
    }:
        return LEGACY_PRACTICAL
    if regime is AssessmentRegime.ZPUO and category is SubjectCategory.EDUCATIONAL_PRACTICE:
        return ZPUO_PRACTICE
    hours = as_hours(weekly_hours)
    bands = legacy_bands if regime is AssessmentRegime.LEGACY else zpuo_bands
    for band in bands:
        if hours > 0 and band.contains(hours):
            return band.requirement
    article = LEGACY_ARTICLE if regime is AssessmentRegime.LEGACY else ZPUO_ARTICLE
    shown = str(float(hours)).replace(".", ",").removesuffix(",0")
    raise AssessmentError(
        "weekly_hours",
        f"{article} не определя минимален брой текущи оценки при {shown} учебни часа седмично; "
        "задайте го в настройките на училището.",
        article,
    )


def shortfall(requirement: MinimumRequirement, kinds: Iterable[GradeKind]) -> tuple[str, ...]:
    """What is missing to reach the minimum, as Bulgarian phrases; empty when it is reached.

    Under the legacy regime the composition counts, not only the total: two oral grades do not
    stand in for a written one (Чл. 129, ал. 1, т. 1–5).
    """
    counts = Counter(kind for kind in kinds if kind.counts_toward_minimum)
    total = sum(counts.values())
    oral = counts[GradeKind.ORAL]
    practical = counts[GradeKind.PRACTICAL]
    missing = []
    if total < requirement.total:
        missing.append(f"има {total} от минимум {requirement.total} текущи оценки")
    if oral < requirement.oral:
        missing.append(f"има {oral} от минимум {requirement.oral} оценки от устно изпитване")
    written_or_practical = total - oral
    if written_or_practical < requirement.written_or_practical:
        missing.append(
            f"има {written_or_practical} от минимум {requirement.written_or_practical} оценки "
            "от писмено или практическо изпитване"
        )
    if practical < requirement.practical:
        missing.append(f"има {practical} от минимум {requirement.practical} оценки от практическо изпитване")
    return tuple(missing)
