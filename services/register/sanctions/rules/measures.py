"""Removal measures (мерки по отстраняване), Чл. 52, ал. 2–4; and sanction effects across records.

Removals are measures, not sanctions: they are imposed independently of a sanction for the same
violation (Чл. 54, ал. 1, second sentence, read as spec §10.A-5), so they never count towards
"one sanction per violation". Who removes a student from school is not stated (§10.B-24).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.register.sanctions.rules.procedure import Sanction


@dataclass(frozen=True)
class LessonRemoval:
    """Removal until the end of the class hour (отстраняване до края на учебния час), Чл. 52, ал. 2.

    Parameters:
      referred_to_psychologist: the teacher sends the student to the school psychologist (ал. 2).
      follow_up_on: when motivation activities were discussed with the parent and the psychologist,
        due immediately after the hour (ал. 4).
    """

    student_id: str
    teacher_id: str
    on: date
    lesson_number: int
    referred_to_psychologist: bool = False
    follow_up_on: date | None = None

    #: The student may not leave the school grounds during the removal (Чл. 59, ал. 4).
    may_leave_school_grounds = False

    def pending_actions(self) -> tuple[str, ...]:
        """What is still owed, in Bulgarian with the article; empty when the record is complete."""
        pending = []
        if not self.referred_to_psychologist:
            pending.append("Ученикът трябва да бъде насочен към училищния психолог (Чл. 52, ал. 2).")
        if self.follow_up_on is None:
            pending.append(
                "Веднага след часа се предприемат дейности за мотивация, обсъдени с родителя и училищния "
                "психолог (Чл. 52, ал. 4)."
            )
        return tuple(pending)


class SchoolRemovalReason(StrEnum):
    """Grounds for removal from school (Чл. 52, ал. 3)."""

    APPEARANCE = "appearance"  # облекло или вид в нарушение на правилника
    CONDITION = "condition"  # състояние, което не позволява участие в учебния процес

    @property
    def name_bg(self) -> str:
        if self is SchoolRemovalReason.APPEARANCE:
            return "облекло или вид в нарушение на правилника"
        return "състояние, което не позволява участие в учебния процес"


@dataclass(frozen=True)
class SchoolRemoval:
    """Removal from school until its ground ceases (отстраняване от училище), Чл. 52, ал. 3.

    Times are datetimes because the parent and the psychologist must be told *before* the
    removal ("предварително"), usually on the same day.
    """

    student_id: str
    reason: SchoolRemovalReason
    removed_at: datetime
    parent_notified_at: datetime | None = None
    psychologist_notified_at: datetime | None = None
    follow_up_on: date | None = None
    ended_at: datetime | None = None

    def pending_actions(self) -> tuple[str, ...]:
        """Missing or late notices and follow-up, in Bulgarian with the article."""
        pending = []
        for who, at in (("родителят", self.parent_notified_at), ("училищният психолог", self.psychologist_notified_at)):
            if at is None or at > self.removed_at:
                pending.append(f"Преди отстраняването трябва да бъде уведомен {who} (Чл. 52, ал. 3).")
        if self.follow_up_on is None:
            pending.append(
                "След отстраняването се предприемат дейности за мотивация, обсъдени с родителя и училищния "
                "психолог (Чл. 52, ал. 4)."
            )
        return tuple(pending)


def excellence_scholarship_blockers(sanctions: Iterable[Sanction], on: date) -> tuple[Sanction, ...]:
    """The sanctions that deny the scholarship for excellent results on ``on`` (Чл. 59, ал. 3)."""
    return tuple(s for s in sanctions if s.blocks_excellence_scholarship(on))
