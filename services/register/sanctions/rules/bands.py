"""Which sanction the unexcused absences point to (Чл. 52, ал. 1, т. 1–3, 5).

Each threshold in the правилник is joined by "и" to a conduct element (improper behaviour,
breach of the правилник, gross violations), so the count alone only *suggests* a sanction; a
person still makes the proposal (spec §10.B-3). Over 15 both transfer types apply and the PC
chooses (§10.B-5); the move to self-study needs the age of Чл. 53, ал. 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.register.sanctions.rules.kinds import SanctionType


@dataclass(frozen=True)
class UnexcusedBand:
    """Unexcused absences ``low``…``high`` inclusive (``high=None``: and more) → sanction types."""

    low: int
    high: int | None
    types: tuple[SanctionType, ...]
    article: str
    conduct_bg: str

    def contains(self, count: int) -> bool:
        return self.low <= count and (self.high is None or count <= self.high)


DEFAULT_BANDS: tuple[UnexcusedBand, ...] = (
    UnexcusedBand(5, 10, (SanctionType.REMARK,), "Чл. 52, ал. 1, т. 1", "непристойно поведение"),
    UnexcusedBand(11, 15, (SanctionType.WARNING_TRANSFER,), "Чл. 52, ал. 1, т. 2", "нарушение на правилника"),
    UnexcusedBand(
        16,
        None,
        (SanctionType.TRANSFER, SanctionType.SELF_STUDY),
        "Чл. 52, ал. 1, т. 3, 5",
        "груби нарушения на правилника",
    ),
)


@dataclass(frozen=True)
class SanctionSuggestion:
    """A suggested sanction; ``alternatives`` are the other types the PC may choose instead."""

    sanction_type: SanctionType
    alternatives: tuple[SanctionType, ...]
    article: str
    message: str


def suggest_sanction(
    unexcused: int,
    *,
    age: int | None = None,
    self_study_min_age: int = 16,
    bands: tuple[UnexcusedBand, ...] = DEFAULT_BANDS,
) -> SanctionSuggestion | None:
    """The sanction the count of unexcused absences points to, or ``None`` below the first band.

    Parameters:
      unexcused: unexcused absences in the counting period (a school year by default, §10.B-2).
      age: the student's age; under ``self_study_min_age`` the move to self-study is left out.
    """
    band = next((b for b in bands if b.contains(unexcused)), None)
    if band is None:
        return None
    types = tuple(
        t for t in band.types if t is not SanctionType.SELF_STUDY or (age is not None and age >= self_study_min_age)
    )
    primary, *others = types
    return SanctionSuggestion(
        primary,
        tuple(others),
        band.article,
        f"{unexcused} отсъствия по неуважителни причини: може да се предложи „{primary.name_bg}“, ако е "
        f"налице и {band.conduct_bg} ({band.article}). Предложението се прави от "
        f"{primary.proposer.definite_bg} (Чл. 56, ал. 1).",
    )
