"""Steps of the sanction procedure (процедура по налагане на санкция), spec §3.3.

The order of :data:`STEP_ORDER` is the order the steps are listed in; which earlier steps each one
waits for is the procedure's (``Sanction._prerequisites``). The 14 days for the order run from the
class teacher's proposal for a remark and from the pedagogical council's decision after the
hearing for the other types (Чл. 58, ал. 1; spec §10.B-7). The appeal under the АПК (Чл. 58,
ал. 4) follows the parents' letter; an early erasure (Чл. 60, ал. 1) goes the route of the
imposition: a proposal or a council decision, then the director's order, then the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    APPEAL = "appeal"
    IN_FORCE = "in_force"
    ERASURE_PROPOSAL = "erasure_proposal"
    ERASURE_ORDER = "erasure_order"
    ERASED = "erased"

    @property
    def title_bg(self) -> str:
        return _TITLES[self]

    def article(self, sanction_type: SanctionType) -> str:
        if self is StepName.PROPOSAL and sanction_type is SanctionType.REMARK:
            return "Чл. 56, ал. 1; Чл. 100, т. 4"
        if self is StepName.PROPOSAL:
            return "Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23"
        if self is StepName.DECISION and sanction_type is not SanctionType.REMARK:
            return "Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23; Чл. 58, ал. 1"
        if self is StepName.ERASURE_PROPOSAL and sanction_type is SanctionType.REMARK:
            return "Чл. 60, ал. 1; Чл. 56, ал. 1; Чл. 100, т. 4"
        if self is StepName.ERASURE_PROPOSAL:
            return "Чл. 60, ал. 1; Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23"
        return _ARTICLES[self]

    def title_for(self, sanction_type: SanctionType) -> str:
        """The title, naming the pedagogical council where the step is its decision (Чл. 56, ал. 1)."""
        if self is StepName.DECISION and sanction_type is not SanctionType.REMARK:
            return "Решение на педагогическия съвет след изслушването"
        if self is StepName.ERASURE_PROPOSAL and sanction_type is not SanctionType.REMARK:
            return "Решение на педагогическия съвет за предсрочно заличаване"
        return _TITLES[self]

    def owner(self, sanction_type: SanctionType) -> Role:
        if self in {StepName.PROPOSAL, StepName.ERASURE_PROPOSAL}:
            # Early erasure goes the route of the imposition, from the same proposer (Чл. 60, ал. 1).
            return sanction_type.proposer
        if self is StepName.DECISION and sanction_type.proposer is Role.PEDAGOGICAL_COUNCIL:
            return Role.PEDAGOGICAL_COUNCIL
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
    StepName.APPEAL: "Обжалване на заповедта по АПК",
    StepName.IN_FORCE: "Влизане в сила и отразяване в документацията",
    StepName.ERASURE_PROPOSAL: "Предложение за предсрочно заличаване",
    StepName.ERASURE_ORDER: "Заповед за предсрочно заличаване",
    StepName.ERASED: "Заличаване на санкцията",
}

_ARTICLES = {
    StepName.PARENT_NOTIFIED: "Чл. 57, ал. 1; Чл. 97, т. 8",
    StepName.HEARING: "Чл. 57, ал. 3–4",
    StepName.DECISION: "Чл. 54, ал. 2; Чл. 56, ал. 1",
    StepName.ORDER: "Чл. 58, ал. 1–2",
    StepName.LETTER: "Чл. 58, ал. 3",
    StepName.RUO_INFORMED: "Чл. 58, ал. 3",
    StepName.APPEAL: "Чл. 58, ал. 4",
    StepName.IN_FORCE: "Чл. 55, ал. 3; Чл. 59, ал. 1",
    StepName.ERASURE_ORDER: "Чл. 60, ал. 1; Чл. 58, ал. 1–2",
    StepName.ERASED: "Чл. 55, ал. 2; Чл. 60, ал. 1, ал. 3",
}


class AppealOutcome(StrEnum):
    """What became of the appeal of the order under the АПК (Чл. 58, ал. 4)."""

    NONE = "none"  # не е обжалвана в срока
    FILED = "filed"  # подадена жалба, чака решение
    UPHELD = "upheld"  # заповедта е потвърдена
    REVOKED = "revoked"  # заповедта е отменена

    @property
    def name_bg(self) -> str:
        return {"none": "не е обжалвана в срока", "filed": "подадена жалба – чака решение",
                "upheld": "заповедта е потвърдена", "revoked": "заповедта е отменена"}[self.value]


class HearingMode(StrEnum):
    """How the student was heard before the sanction (Чл. 57, ал. 3: изслушан и/или писмено обяснение)."""

    IN_PERSON = "in_person"  # изслушан лично
    WRITTEN = "written"  # писмено обяснение
    BOTH = "both"  # изслушан и дал писмено обяснение

    @property
    def name_bg(self) -> str:
        return {"in_person": "изслушан лично", "written": "писмено обяснение на фактите",
                "both": "изслушан лично и дал писмено обяснение"}[self.value]


@dataclass(frozen=True)
class StepRecord:
    """A completed step as stored: when, with what note and the facts the step records.

    ``facts`` by step: hearing — ``mode`` (:class:`HearingMode`), ``parent_attended``; council decision
    and erasure proposal — ``protocol_number``; letter — ``notified_on`` (ISO date); appeal —
    ``outcome`` (:class:`AppealOutcome`), ``filed_on``.
    """

    name: StepName
    done_on: date
    note: str = ""
    facts: dict = field(default_factory=dict, compare=False)


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
    facts: dict = field(default_factory=dict, compare=False)

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: date) -> bool:
        """Not done and past its due date."""
        return self.done_on is None and self.due_on is not None and today > self.due_on
