"""Acceptance: recording unexcused hours one by one drives the rule pack exactly as the правилник says."""

from __future__ import annotations

from datetime import date

from services.register.absences.rules.counting import AbsenceMark, MarkKind, unexcused_total
from services.register.absences.rules.evaluator import evaluate_change

YEAR = "2025/2026"


def record_one_by_one(pack, calendar, kinds):
    """Simulate the register: after every new mark, evaluate the school-year total before/after."""
    marks: list[AbsenceMark] = []
    fired: set[tuple[str, int, str]] = set()
    firings = []
    day = date(2025, 9, 15)
    for index, kind in enumerate(kinds):
        if index and index % 6 == 0:
            day = calendar.add_school_days(day, 1)
        before = unexcused_total(marks)
        marks.append(AbsenceMark(day, index % 6 + 1, "Математика", kind))
        new = evaluate_change(pack, before=before, after=unexcused_total(marks), period_key=YEAR, fired=fired)
        fired.update(f.key for f in new)
        firings.extend(new)
    return firings


def test_31_unexcused_hours_fire_the_ladder_once_per_rung_and_each_sanction_band(pack, calendar):
    firings = record_one_by_one(pack, calendar, [MarkKind.UNEXCUSED] * 31)
    ladder = [f for f in firings if f.rule_id == "parent_notification_ladder"]
    assert [(f.threshold, f.count, f.article) for f in ladder] == [
        (3, 3, "Чл. 97, т. 8"),
        (8, 8, "Чл. 97, т. 8"),
        (20, 20, "Чл. 97, т. 8"),
        (30, 30, "Чл. 97, т. 8"),
    ]
    bands = [(f.rule_id, f.count, f.article) for f in firings if f.rule_id.startswith("sanction_")]
    assert bands == [
        ("sanction_remark", 5, "Чл. 52, ал. 1, т. 1"),
        ("sanction_transfer_warning", 11, "Чл. 52, ал. 1, т. 2"),
        ("sanction_transfer", 16, "Чл. 52, ал. 1, т. 3 и т. 5"),
    ]
    assert len(firings) == 7


def test_two_latenesses_count_as_one_hour(pack, calendar):
    firings = record_one_by_one(pack, calendar, [MarkKind.UNEXCUSED, MarkKind.UNEXCUSED, MarkKind.LATE])
    assert firings == []
    firings = record_one_by_one(
        pack, calendar, [MarkKind.UNEXCUSED, MarkKind.UNEXCUSED, MarkKind.LATE, MarkKind.LATE]
    )
    assert [(f.threshold, f.count) for f in firings] == [(3, 3)]


def test_excused_hours_never_count(pack, calendar):
    assert record_one_by_one(pack, calendar, [MarkKind.EXCUSED] * 40) == []
    mixed = record_one_by_one(pack, calendar, [MarkKind.EXCUSED, MarkKind.UNEXCUSED] * 10)
    assert [f.threshold for f in mixed if f.rule_id == "parent_notification_ladder"] == [3, 8]
