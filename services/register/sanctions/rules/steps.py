"""Steps of the sanction procedure (процедура по налагане на санкция), spec §3.3.

The order of :data:`STEP_ORDER` is the order the steps must be completed in. The PC's proposal
is also its decision in the sense of Чл. 58, ал. 1, so the 14 days for the order run from the
proposal step for every type (this settles spec §10.B-7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.register.sanctions.rules.kinds import DayKind, Role, SanctionType


class StepName(StrEnum):
    """A step of the procedure; the value is the name used by the API."""

    PROPOSAL = "proposal"
    PARENT_NOTIFIED = "parent_notified"
    HEARING = "hearing"
    DECISION = "decision"
    ORDER = "order"
    LETTER = "letter"
    RUO_INFORMED = "ruo_informed"
    IN_FORCE = "in_force"
    ERASED = "erased"

    @property
    def title_bg(self) -> str:
        return _TITLES[self]

    def article(self, sanction_type: SanctionType) -> str:
        if self is StepName.PROPOSAL and sanction_type is SanctionType.REMARK:
            return "Чл. 56, ал. 1; Чл. 100, т. 4"
        if self is StepName.PROPOSAL:
            return "Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23"
        return _ARTICLES[self]

    def owner(self, sanction_type: SanctionType) -> Role:
        if self is StepName.PROPOSAL:
            return sanction_type.proposer
        if self in {StepName.IN_FORCE, StepName.ERASED}:
            # The class teacher records the sanction and its erasure (Чл. 59, ал. 1; Чл. 60, ал. 3).
            return Role.CLASS_TEACHER
        return Role.DIRECTOR


STEP_ORDER: tuple[StepName, ...] = tuple(StepName)

_TITLES = {
    StepName.PROPOSAL: "Предложение за налагане на санкция",
    StepName.PARENT_NOTIFIED: "Уведомяване на родителя за откриване на процедурата",
    StepName.HEARING: "Изслушване на ученика",
    StepName.DECISION: "Решение за налагане на санкцията",
    StepName.ORDER: "Заповед на директора",
    StepName.LETTER: "Писмо до родителите по образец",
    StepName.RUO_INFORMED: "Уведомяване на началника на РУО",
    StepName.IN_FORCE: "Влизане в сила и отразяване в документацията",
    StepName.ERASED: "Заличаване на санкцията",
}

_ARTICLES = {
    StepName.PARENT_NOTIFIED: "Чл. 57, ал. 1; Чл. 97, т. 8",
    StepName.HEARING: "Чл. 57, ал. 3–4",
    StepName.DECISION: "Чл. 54, ал. 2; Чл. 56, ал. 1",
    StepName.ORDER: "Чл. 58, ал. 1–2",
    StepName.LETTER: "Чл. 58, ал. 3",
    StepName.RUO_INFORMED: "Чл. 58, ал. 3",
    StepName.IN_FORCE: "Чл. 55, ал. 3; Чл. 59, ал. 1",
    StepName.ERASED: "Чл. 55, ал. 2; Чл. 60, ал. 1, ал. 3",
}


@dataclass(frozen=True)
class StepRecord:
    """A completed step as stored: when and with what note."""

    name: StepName
    done_on: date
    note: str = ""


@dataclass(frozen=True)
class Step:
    """A step as shown to people and trackers.

    Parameters:
      due_on: last day for the step, ``None`` when the правилник sets none or it is not known yet.
      day_kind: how the due date was counted, ``None`` for fixed dates or no deadline.
      deadline_bg: the deadline rule in Bulgarian, with the rulebook's day type.
    """

    name: StepName
    title_bg: str
    article: str
    owner: Role
    due_on: date | None
    day_kind: DayKind | None
    deadline_bg: str
    done_on: date | None = None
    note: str = ""

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: date) -> bool:
        """Not done and past its due date."""
        return self.done_on is None and self.due_on is not None and today > self.due_on
