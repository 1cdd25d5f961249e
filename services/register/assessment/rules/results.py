"""Annual and final grades and the pass rule (годишни и окончателни оценки), Чл. 138, 141, 142.

The правилник gives no formula for the annual grade: the teacher forms it "taking the term
grades into account" (Чл. 138, ал. 1). The system therefore suggests a value and asks for the
teacher's choice, except for a subject studied in one term only (ал. 2), where the term grade
is the annual grade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import TypeAlias

from services.register.assessment.rules.findings import AssessmentError, Violation, format_decimal
from services.register.assessment.rules.grades import GradeValue

ANNUAL_ARTICLE = "Чл. 138, ал. 1"
ONE_TERM_ARTICLE = "Чл. 138, ал. 2"
FINAL_ARTICLE = "Чл. 141, ал. 1"
FINAL_PE_ARTICLE = "Чл. 141, ал. 3"
COMPLETION_ARTICLE = "Чл. 142, ал. 1"
UNFORMED_ARTICLE = "Чл. 61, ал. 3"

#: Precision of final grades (Чл. 141, ал. 1: "с точност до 0,01").
FINAL_PRECISION = Decimal("0.01")

#: Qualitative names of non-integer grades; the правилник defers them to the state standard
#: (Чл. 127, ал. 3), so these are the bands of Наредба № 11/2016, as lower bounds.
NAREDBA_11_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("5.50"), "отличен"),
    (Decimal("4.50"), "много добър"),
    (Decimal("3.50"), "добър"),
    (Decimal("3.00"), "среден"),
    (Decimal("2.00"), "слаб"),
)


class Exempt(Enum):
    """A subject with no grade because the student was exempted (освободен), Чл. 137, ал. 3."""

    EXEMPT = "освободен"


EXEMPT = Exempt.EXEMPT
#: A subject's result in one term or year: a grade or "освободен".
Mark: TypeAlias = GradeValue | Exempt


@dataclass(frozen=True)
class AnnualGradeProposal:
    """What the system proposes as the annual grade; ``binding`` means the teacher cannot change it."""

    suggested: Mark
    binding: bool
    article: str


def propose_annual_grade(term_marks: Sequence[Mark]) -> AnnualGradeProposal:
    """Suggest the annual grade from the term marks (one per term the subject was studied in)."""
    if not term_marks:
        raise AssessmentError(
            "term_marks", f"Годишна оценка не се оформя без срочна оценка ({ANNUAL_ARTICLE}).", ANNUAL_ARTICLE
        )
    if len(term_marks) == 1:
        return AnnualGradeProposal(term_marks[0], binding=True, article=ONE_TERM_ARTICLE)
    grades = [mark for mark in term_marks if isinstance(mark, GradeValue)]
    if not grades:
        return AnnualGradeProposal(EXEMPT, binding=True, article=ANNUAL_ARTICLE)
    mean = (Decimal(sum(grades)) / len(grades)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return AnnualGradeProposal(GradeValue(int(mean)), binding=False, article=ANNUAL_ARTICLE)


def form_annual_grade(term_marks: Sequence[Mark], teacher_choice: GradeValue | None = None) -> Mark:
    """The annual grade: fixed for a one-term subject, otherwise the teacher's choice (Чл. 138)."""
    proposal = propose_annual_grade(term_marks)
    if proposal.binding:
        if teacher_choice is not None and teacher_choice != proposal.suggested:
            raise AssessmentError(
                "teacher_choice",
                "По предмет, изучаван само през един срок, годишната оценка се формира въз основа на "
                f"срочната оценка ({proposal.article}).",
                proposal.article,
            )
        return proposal.suggested
    if teacher_choice is None:
        raise AssessmentError(
            "teacher_choice",
            "Годишната оценка се оформя от учителя, като отчита срочните оценки; изберете оценка "
            f"(предложение: {proposal.suggested.display}) ({ANNUAL_ARTICLE}).",
            ANNUAL_ARTICLE,
        )
    return teacher_choice


@dataclass(frozen=True)
class FinalGrade:
    """A final grade (окончателна оценка) to 0.01 with its qualitative name."""

    value: Decimal
    name_bg: str

    @property
    def display(self) -> str:
        """As printed in documents: ``много добър 4,75``."""
        return f"{self.name_bg} {format_decimal(self.value)}"


def qualitative_name(value: Decimal, *, bands: tuple[tuple[Decimal, str], ...] = NAREDBA_11_BANDS) -> str:
    """The qualitative indicator of a non-integer grade (Чл. 127, ал. 3)."""
    for lower, name in bands:
        if value >= lower:
            return name
    raise AssessmentError("value", f"Оценката {format_decimal(value)} е под скалата (Чл. 127, ал. 2).")


def final_grade(
    annual_marks: Sequence[Mark],
    *,
    precision: Decimal = FINAL_PRECISION,
    bands: tuple[tuple[Decimal, str], ...] = NAREDBA_11_BANDS,
) -> FinalGrade | None:
    """Mean of the upper-secondary annual grades to 0.01 (Чл. 141, ал. 1–2).

    Years marked exempt are left out; when every year is exempt there is no final grade
    (``None``), as for PE under Чл. 141, ал. 3. A subject of one class gives that annual grade.
    """
    grades = [mark for mark in annual_marks if isinstance(mark, GradeValue)]
    if not grades:
        return None
    mean = (Decimal(sum(grades)) / len(grades)).quantize(precision, rounding=ROUND_HALF_UP)
    return FinalGrade(mean, qualitative_name(mean, bands=bands))


@dataclass(frozen=True)
class ClassCompletion:
    """Whether a student completed the class (завършване на клас), Чл. 142."""

    passed: bool
    failed_subjects: tuple[str, ...] = ()
    unformed_subjects: tuple[str, ...] = ()
    reasons: tuple[Violation, ...] = ()


def check_class_completion(
    annual_marks: Mapping[str, Mark | None], *, pass_minimum: GradeValue = GradeValue.SATISFACTORY
) -> ClassCompletion:
    """Pass when every subject of the class has an annual grade of at least „среден“ (3).

    Parameters:
      annual_marks: subject name → annual grade, ``EXEMPT``, or ``None`` when none was formed.
    """
    failed = tuple(s for s, m in annual_marks.items() if isinstance(m, GradeValue) and m < pass_minimum)
    unformed = tuple(subject for subject, mark in annual_marks.items() if mark is None)
    reasons = [
        Violation(
            "class.failed_subject",
            f"Годишна оценка под „{pass_minimum.name_bg}“ ({pass_minimum.value}) по {subject}; "
            f"ученикът полага поправителен изпит ({COMPLETION_ARTICLE}; Чл. 143, ал. 1).",
            COMPLETION_ARTICLE,
        )
        for subject in failed
    ]
    reasons += [
        Violation(
            "class.unformed_subject",
            f"Няма оформена годишна оценка по {subject}; без нея класът не е завършен "
            f"({COMPLETION_ARTICLE}; {UNFORMED_ARTICLE}).",
            COMPLETION_ARTICLE,
        )
        for subject in unformed
    ]
    return ClassCompletion(not reasons, failed, unformed, tuple(reasons))
