"""Removal from a lesson or from school (Чл. 52, ал. 2–4) and scholarship effects (Чл. 59, ал. 3)."""

from __future__ import annotations

from datetime import date, datetime

from services.register.sanctions.rules.kinds import SanctionType
from services.register.sanctions.rules.measures import (
    LessonRemoval,
    SchoolRemoval,
    SchoolRemovalReason,
    excellence_scholarship_blockers,
)
from services.register.sanctions.rules.procedure import Sanction


def test_lesson_removal_needs_the_psychologist_and_a_follow_up() -> None:
    removal = LessonRemoval("s1", "t1", date(2026, 3, 4), lesson_number=3)
    assert not removal.may_leave_school_grounds
    pending = removal.pending_actions()
    assert len(pending) == 2
    assert "(Чл. 52, ал. 2)" in pending[0]
    assert "(Чл. 52, ал. 4)" in pending[1]
    done = LessonRemoval("s1", "t1", date(2026, 3, 4), 3, referred_to_psychologist=True, follow_up_on=date(2026, 3, 4))
    assert done.pending_actions() == ()


def test_school_removal_needs_the_parent_and_psychologist_told_in_advance() -> None:
    removed_at = datetime(2026, 3, 4, 9, 0)
    late = SchoolRemoval(
        "s1",
        SchoolRemovalReason.CONDITION,
        removed_at,
        parent_notified_at=datetime(2026, 3, 4, 9, 30),
        psychologist_notified_at=datetime(2026, 3, 4, 8, 50),
        follow_up_on=date(2026, 3, 5),
    )
    assert late.pending_actions() == ("Преди отстраняването трябва да бъде уведомен родителят (Чл. 52, ал. 3).",)
    silent = SchoolRemoval("s1", SchoolRemovalReason.APPEARANCE, removed_at)
    assert len(silent.pending_actions()) == 3
    assert SchoolRemovalReason.APPEARANCE.name_bg == "облекло или вид в нарушение на правилника"


def test_only_heavy_sanctions_in_force_block_the_excellence_scholarship(calendar, year) -> None:
    def imposed(kind: SanctionType, violation: str) -> Sanction:
        sanction = Sanction.open(
            kind,
            student_id="s1",
            violation_id=violation,
            birth_date=date(2009, 1, 1),
            opened_on=date(2026, 3, 2),
            year=year,
            calendar=calendar,
        )
        return (
            sanction.complete_step("proposal", date(2026, 3, 2))
            .complete_step("parent_notified", date(2026, 3, 2), child_protection_notified=True)
            .complete_step("hearing", date(2026, 3, 4), present=("class_teacher", "psychologist"))
            .complete_step("decision", date(2026, 3, 5), protocol_number="7")
            .complete_step("order", date(2026, 3, 6), "мотиви")
        )

    remark = imposed(SanctionType.REMARK, "v1")
    warning = imposed(SanctionType.WARNING_TRANSFER, "v2")
    assert excellence_scholarship_blockers([remark, warning], date(2026, 3, 10)) == (warning,)
    assert excellence_scholarship_blockers([remark, warning], date(2026, 3, 5)) == ()
