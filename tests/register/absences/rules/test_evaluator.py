from __future__ import annotations

import re
from datetime import date

import pytest

from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.evaluator import dry_run, evaluate_change, period_label
from services.register.absences.rules.periods import PeriodKind
from services.register.school.rules.errors import RuleViolation

YEAR = "2025/2026"


def absences(n: int) -> UnexcusedTotal:
    return UnexcusedTotal(2 * n)


def test_jump_from_2_to_31_fires_every_rung_crossed(pack):
    fired = evaluate_change(pack, before=absences(2), after=absences(31), period_key=YEAR)
    assert [(f.rule_id, f.threshold) for f in fired] == [
        ("parent_notification_ladder", 3),
        ("parent_notification_ladder", 8),
        ("parent_notification_ladder", 20),
        ("parent_notification_ladder", 30),
        ("sanction_remark", 5),
        ("sanction_transfer_warning", 11),
        ("sanction_transfer", 15),
    ]
    assert all(f.count == 31 and f.period_key == YEAR for f in fired)


def test_excusing_below_a_threshold_and_crossing_again_does_not_refire(pack):
    first = evaluate_change(pack, before=absences(2), after=absences(3), period_key=YEAR)
    assert [f.key for f in first] == [("parent_notification_ladder", 3, YEAR)]
    fired = {f.key for f in first}
    assert evaluate_change(pack, before=absences(3), after=absences(2), period_key=YEAR, fired=fired) == ()
    assert evaluate_change(pack, before=absences(2), after=absences(3), period_key=YEAR, fired=fired) == ()


def test_a_new_period_fires_again(pack):
    fired = {("parent_notification_ladder", 3, YEAR)}
    again = evaluate_change(pack, before=absences(2), after=absences(3), period_key="2026/2027", fired=fired)
    assert [f.threshold for f in again] == [3]


def test_monthly_rules_only_for_the_month_period_with_their_comparisons(pack):
    assert (
        evaluate_change(
            pack, before=absences(4), after=absences(5), period_key="2025-10", period=PeriodKind.MONTH
        )[0].rule_id
        == "scholarship_suspension"
    )
    six = evaluate_change(
        pack, before=absences(5), after=absences(6), period_key="2025-10", period=PeriodKind.MONTH
    )
    assert [(f.rule_id, f.article) for f in six] == [("child_benefit_list", "Чл. 97, т. 15; Чл. 61, ал. 6")]
    assert evaluate_change(pack, before=absences(4), after=absences(5), period_key=YEAR) != ()
    assert all(
        f.rule_id not in {"scholarship_suspension", "child_benefit_list"}
        for f in evaluate_change(pack, before=absences(0), after=absences(9), period_key=YEAR)
    )


def test_a_lone_lateness_does_not_cross_a_threshold(pack):
    assert evaluate_change(pack, before=absences(2), after=UnexcusedTotal(5), period_key=YEAR) == ()
    crossed = evaluate_change(pack, before=UnexcusedTotal(5), after=UnexcusedTotal(6), period_key=YEAR)
    assert [f.threshold for f in crossed] == [3]


def test_firing_message_is_bulgarian_and_cites_the_article(pack):
    (firing,) = evaluate_change(pack, before=absences(7), after=absences(8), period_key=YEAR)
    assert firing.message.startswith(
        "Ученикът е допуснал 8 отсъствия по неуважителни причини (учебна 2025/2026"
    )
    assert "(Чл. 97, т. 8)" in firing.message
    assert firing.message.endswith("програма за индивидуално психологическо въздействие.")


def test_period_labels():
    assert period_label(PeriodKind.TERM, "2025/2026/2") == "II срок на 2025/2026"
    assert period_label(PeriodKind.MONTH, "2025-10") == "м. 10.2025"


def test_dry_run_lists_firings_day_by_day(pack, calendar):
    daily = {
        "ivan": {
            date(2025, 10, 6): absences(2),
            date(2025, 10, 7): absences(3),
            date(2025, 10, 8): UnexcusedTotal(1),
        },
        "maria": {date(2025, 10, 7): absences(1)},
    }
    opening = {"maria": {PeriodKind.SCHOOL_YEAR: absences(7)}}
    result = dry_run(pack, calendar, daily, opening=opening)
    summary = [(r.day.day, r.student_id, r.firing.rule_id, r.firing.threshold) for r in result]
    assert summary == [
        (7, "ivan", "parent_notification_ladder", 3),
        (7, "ivan", "sanction_remark", 5),
        (7, "ivan", "scholarship_suspension", 5),
        (7, "maria", "parent_notification_ladder", 8),
    ]
    assert (
        dry_run(
            pack, calendar, daily, opening=opening, fired={"maria": {("parent_notification_ladder", 8, YEAR)}}
        )[-1].student_id
        == "ivan"
    )


def test_dry_run_refuses_absences_on_days_off(pack, calendar):
    with pytest.raises(RuleViolation, match=re.escape("22.09.2025 не е учебен ден")):
        dry_run(pack, calendar, {"ivan": {date(2025, 9, 22): absences(1)}})
