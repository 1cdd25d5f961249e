"""Sanction suggested by the count of unexcused absences (Чл. 52, ал. 1)."""

from __future__ import annotations

import pytest

from services.register.sanctions.rules.bands import UnexcusedBand, suggest_sanction
from services.register.sanctions.rules.kinds import SanctionType


@pytest.mark.parametrize("count", [0, 4])
def test_below_five_unexcused_nothing_is_suggested(count: int) -> None:
    assert suggest_sanction(count) is None


@pytest.mark.parametrize(
    ("count", "expected", "article"),
    [
        (5, SanctionType.REMARK, "Чл. 52, ал. 1, т. 1"),
        (10, SanctionType.REMARK, "Чл. 52, ал. 1, т. 1"),
        (11, SanctionType.WARNING_TRANSFER, "Чл. 52, ал. 1, т. 2"),
        (12, SanctionType.WARNING_TRANSFER, "Чл. 52, ал. 1, т. 2"),
        (15, SanctionType.WARNING_TRANSFER, "Чл. 52, ал. 1, т. 2"),
        (16, SanctionType.TRANSFER, "Чл. 52, ал. 1, т. 3, 5"),
    ],
)
def test_bands_map_counts_to_sanctions(count: int, expected: SanctionType, article: str) -> None:
    suggestion = suggest_sanction(count)
    assert suggestion is not None
    assert (suggestion.sanction_type, suggestion.article) == (expected, article)


def test_twelve_unexcused_suggest_a_warning_of_transfer_proposed_by_the_council() -> None:
    suggestion = suggest_sanction(12)
    assert suggestion.sanction_type is SanctionType.WARNING_TRANSFER
    assert suggestion.alternatives == ()
    assert suggestion.message == (
        "12 отсъствия по неуважителни причини: може да се предложи „предупреждение за преместване в друго "
        "училище“, ако е налице и нарушение на правилника (Чл. 52, ал. 1, т. 2). Предложението се прави от "
        "педагогическия съвет (Чл. 56, ал. 1)."
    )
    assert "класния ръководител" in suggest_sanction(5).message


def test_over_fifteen_offers_self_study_only_from_sixteen() -> None:
    assert suggest_sanction(20, age=16).alternatives == (SanctionType.SELF_STUDY,)
    assert suggest_sanction(20, age=15).alternatives == ()
    assert suggest_sanction(20).alternatives == ()


def test_bands_are_a_parameter() -> None:
    bands = (UnexcusedBand(3, None, (SanctionType.REMARK,), "Чл. 52, ал. 1, т. 1", "непристойно поведение"),)
    assert suggest_sanction(3, bands=bands).sanction_type is SanctionType.REMARK
