"""The sanction procedure as an immutable state machine (санкция, Правилник Чл. 52–60)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from services.register.sanctions.rules.checks import StepChecks
from services.register.sanctions.rules.errors import SanctionError
from services.register.sanctions.rules.kinds import DayKind, Role, SanctionPolicy, SanctionType, add_days
from services.register.sanctions.rules.ports import SanctionCalendar
from services.register.sanctions.rules.steps import STEP_ORDER, AppealOutcome, HearingMode, Step, StepName, StepRecord
from services.register.school.rules.dates import format_date

#: Steps that need not wait for an earlier one (they may come in either order or be skipped):
#: the РУО notice and the letter share their 3 days (Чл. 58, ал. 3); the appeal does not hold
#: the recording back; an erasure at the end of the term needs no erasure proposal or order (Чл. 55, ал. 2).
_MAY_SKIP = {
    StepName.RUO_INFORMED: frozenset({StepName.LETTER}),
    StepName.APPEAL: frozenset({StepName.RUO_INFORMED}),
    StepName.IN_FORCE: frozenset({StepName.APPEAL}),
    StepName.ERASURE_PROPOSAL: frozenset({StepName.APPEAL}),
    StepName.ERASURE_ORDER: frozenset({StepName.APPEAL}),
    StepName.ERASED: frozenset({StepName.APPEAL, StepName.ERASURE_PROPOSAL, StepName.ERASURE_ORDER}),
}
#: Steps that do not happen once the order is revoked on appeal (Чл. 58, ал. 4).
_AFTER_APPEAL = frozenset({StepName.IN_FORCE, StepName.ERASURE_PROPOSAL, StepName.ERASURE_ORDER, StepName.ERASED})


@dataclass(frozen=True)
class SanctionYear:
    """The school-year dates a sanction depends on.

    Parameters:
      second_term_end: last day of term 2, for the 30-school-day window (Чл. 55, ал. 3).
      year_end: end of the school year, when sanctions expire (Чл. 55, ал. 2).
      next_year_start: when late heavy sanctions take effect (Чл. 55, ал. 3).
      next_year_end: end of the next school year, when such sanctions expire; ``None`` if unknown.
    """

    second_term_end: date
    year_end: date
    next_year_start: date
    next_year_end: date | None = None


@dataclass(frozen=True)
class Sanction(StepChecks):
    """One sanction procedure for one violation; every change returns a new value.

    Open it with :meth:`open`, advance it with :meth:`complete_step`, read it with :meth:`steps`.
    """

    sanction_type: SanctionType
    student_id: str
    violation_id: str
    birth_date: date
    opened_on: date
    year: SanctionYear
    calendar: SanctionCalendar = field(repr=False, compare=False)
    policy: SanctionPolicy = field(default_factory=SanctionPolicy)
    records: tuple[StepRecord, ...] = ()

    @classmethod
    def open(
        cls,
        sanction_type: SanctionType | str,
        *,
        student_id: str,
        violation_id: str,
        birth_date: date,
        opened_on: date,
        year: SanctionYear,
        calendar: SanctionCalendar,
        policy: SanctionPolicy | None = None,
        behaviour_explained_by_medical_document: bool = False,
        other_sanctions: Iterable[Sanction] = (),
    ) -> Sanction:
        """Open a procedure after checking the conditions of Чл. 53 and Чл. 54, ал. 1."""
        kind = SanctionType(sanction_type)
        if behaviour_explained_by_medical_document:
            raise SanctionError(
                "behaviour_explained_by_medical_document",
                "Санкция не се налага, когато поведението на ученика е резултат от увреждане или нарушение "
                "на здравето, посочено в медицински документ (Чл. 53, ал. 3).",
                "Чл. 53, ал. 3",
            )
        for other in other_sanctions:
            if other.student_id == student_id and other.violation_id == violation_id:
                raise SanctionError(
                    "violation_id",
                    "За едно нарушение не може да бъде наложена повече от една санкция; за това нарушение вече "
                    f"има процедура за „{other.sanction_type.name_bg}“ (Чл. 54, ал. 1).",
                    "Чл. 54, ал. 1",
                )
        sanction = cls(
            kind, student_id, violation_id, birth_date, opened_on, year, calendar, policy or SanctionPolicy()
        )
        sanction._check_age(opened_on)
        return sanction

    # -- reading -------------------------------------------------------------------------------

    def applicable_steps(self) -> tuple[StepName, ...]:
        """The steps of this type; only a transfer informs the head of РУО (Чл. 58, ал. 3).

        An order revoked on appeal (Чл. 58, ал. 4) ends the procedure: nothing comes into force.
        """
        return tuple(
            s
            for s in STEP_ORDER
            if (s is not StepName.RUO_INFORMED or self.sanction_type is SanctionType.TRANSFER)
            and not (self.revoked and s in _AFTER_APPEAL)
        )

    @property
    def appeal_outcome(self) -> AppealOutcome | None:
        appeal = self.record(StepName.APPEAL)
        return AppealOutcome(appeal.facts["outcome"]) if appeal and appeal.facts.get("outcome") else None

    @property
    def revoked(self) -> bool:
        """The order was revoked on appeal under the АПК (Чл. 58, ал. 4)."""
        return self.appeal_outcome is AppealOutcome.REVOKED

    @property
    def erased_early(self) -> bool:
        """Erased before the end of its term by an erasure order (Чл. 60, ал. 1)."""
        return self.record(StepName.ERASURE_ORDER) is not None and self.record(StepName.ERASED) is not None

    @property
    def notified_on(self) -> date | None:
        """When the parents were notified of the order: the recorded date, else the letter's (Чл. 58, ал. 3)."""
        letter = self.record(StepName.LETTER)
        if letter is None:
            return None
        recorded = letter.facts.get("notified_on")
        return date.fromisoformat(recorded) if recorded else letter.done_on

    @property
    def appeal_due(self) -> date | None:
        """Last day to appeal: 14 days from the notification under the АПК (Чл. 58, ал. 4; АПК чл. 149)."""
        notified = self.notified_on
        if notified is None:
            return None
        return add_days(self.calendar, notified, self.policy.appeal_days, self.policy.appeal_day_kind)

    def record(self, name: StepName) -> StepRecord | None:
        return next((r for r in self.records if r.name is name), None)

    @property
    def state(self) -> str:
        """The last completed step, or ``opened``."""
        return self.records[-1].name.value if self.records else "opened"

    @property
    def order_due(self) -> date | None:
        """Last day for the director's order (Чл. 58, ал. 1; spec §10.B-7).

        14 days from the class teacher's proposal for a remark; for the other types from the
        pedagogical council's decision after the hearing, unknown until it is taken.
        """
        start = self.record(StepName.PROPOSAL if self.sanction_type is SanctionType.REMARK else StepName.DECISION)
        if start is None:
            return None
        policy = self.policy
        return add_days(self.calendar, start.done_on, policy.order_deadline_days, policy.order_day_kind)

    @property
    def erasure_order_due(self) -> date | None:
        """Early erasure goes the route of the imposition: the order within the same 14 days (Чл. 60, ал. 1)."""
        proposal = self.record(StepName.ERASURE_PROPOSAL)
        if proposal is None:
            return None
        policy = self.policy
        return add_days(self.calendar, proposal.done_on, policy.order_deadline_days, policy.order_day_kind)

    @property
    def effective_from(self) -> date | None:
        """When the sanction takes effect: the order's day, or next year when late (Чл. 55, ал. 3)."""
        order = self.record(StepName.ORDER)
        if order is None or self.revoked:
            return None
        if self.sanction_type.takes_effect_next_year_if_late and self._imposed_late(order.done_on):
            return self.year.next_year_start
        return order.done_on

    @property
    def expires_on(self) -> date | None:
        """End of the school year in which the sanction is in force (Чл. 55, ал. 2)."""
        start = self.effective_from
        if start is None:
            return None
        return self.year.next_year_end if start >= self.year.next_year_start else self.year.year_end

    def is_in_force(self, day: date) -> bool:
        """Imposed, already effective, not expired and not erased early on ``day``."""
        start, end = self.effective_from, self.expires_on
        erased = self.record(StepName.ERASED)
        if start is None or day < start or (erased is not None and day >= erased.done_on):
            return False
        return end is None or day <= end

    def blocks_excellence_scholarship(self, day: date) -> bool:
        """No scholarship for excellent results while a heavy sanction is in force (Чл. 59, ал. 3)."""
        return self.sanction_type.blocks_excellence_scholarship and self.is_in_force(day)

    def available_steps(self) -> tuple[StepName, ...]:
        """Steps that may be recorded now: not done and every step they wait for done.

        After the order several may be open at once (the letter and the РУО notice, the appeal,
        the recording, an early erasure); a filed appeal stays open for its result (Чл. 58, ал. 4).
        """
        open_now = [
            name
            for name in self.applicable_steps()
            if self.record(name) is None and all(self.record(p) is not None for p in self._prerequisites(name))
        ]
        if self.appeal_outcome is AppealOutcome.FILED:
            open_now.append(StepName.APPEAL)
        if self.record(StepName.ERASED) is not None:
            open_now = [n for n in open_now if n is StepName.APPEAL]
        return tuple(sorted(set(open_now), key=STEP_ORDER.index))

    def steps(self) -> tuple[Step, ...]:
        """Every applicable step with owner, article, due date and completion."""
        return tuple(self._step(name) for name in self.applicable_steps())

    def overdue_steps(self, today: date) -> tuple[Step, ...]:
        return tuple(step for step in self.steps() if step.overdue(today))

    # -- changing ------------------------------------------------------------------------------

    def complete_step(
        self,
        name: StepName | str,
        done_on: date,
        note: str = "",
        *,
        present: Iterable[Role] = (),
        child_protection_notified: bool = False,
        hearing_mode: HearingMode | str = HearingMode.IN_PERSON,
        parent_attended: bool = False,
        protocol_number: str = "",
        notified_on: date | None = None,
        appeal_outcome: AppealOutcome | str | None = None,
    ) -> Sanction:
        """Record a step as done and return the new procedure; refusals say why, in Bulgarian.

        Parameters:
          present: who attended, for the hearing (Чл. 57, ал. 3).
          child_protection_notified: for the opening notice of the types in
            ``policy.child_protection_types`` (Чл. 57, ал. 1).
          hearing_mode: heard in person and/or a written explanation (Чл. 57, ал. 3).
          parent_attended: the parent attended the hearing (Чл. 57, ал. 4); also when ``present`` names them.
          protocol_number: the council's protocol, for its decision and an erasure by it (Чл. 56, ал. 1;
            Чл. 20, ал. 1, т. 23); a ``№ …`` in ``note`` stands for it.
          notified_on: for the letter, when the parents were notified; the appeal term runs from it.
          appeal_outcome: for the appeal step (Чл. 58, ал. 4); a filed appeal is recorded again with its result.
        """
        if self._updates_filed_appeal(name):
            return self._decide_appeal(done_on, note, appeal_outcome)
        step = self._known_step(name)
        self._check_sequence(step, done_on)
        facts: dict = {}
        if step is StepName.PARENT_NOTIFIED:
            self._check_child_protection(child_protection_notified)
        elif step is StepName.HEARING:
            mode = self._check_hearing(frozenset(present), hearing_mode, note)
            facts = {"mode": mode.value, "parent_attended": parent_attended or Role.PARENT in frozenset(present)}
        elif step in {StepName.DECISION, StepName.ERASURE_PROPOSAL}:
            number = self._check_protocol(step, protocol_number, note)
            facts = {"protocol_number": number} if number else {}
        elif step is StepName.ORDER:
            self._check_order(note)
        elif step is StepName.LETTER:
            facts = self._check_letter(done_on, notified_on)
        elif step is StepName.APPEAL:
            facts = self._check_appeal(done_on, appeal_outcome)
        elif step is StepName.IN_FORCE:
            self._check_in_force(done_on)
        elif step is StepName.ERASED:
            self._check_erasure(done_on)
        if step in {StepName.ERASURE_PROPOSAL, StepName.ERASURE_ORDER}:
            self._check_early_erasure(step, done_on, note)
        return replace(self, records=(*self.records, StepRecord(step, done_on, note, facts)))

    # -- internals -----------------------------------------------------------------------------

    def _imposed_late(self, order_on: date) -> bool:
        end = self.year.second_term_end
        if order_on > end:
            return True
        return self.calendar.school_days_between(order_on, end) <= self.policy.late_window_school_days

    def _known_step(self, name: StepName | str) -> StepName:
        try:
            step = StepName(name)
        except ValueError:
            raise self._refuse("name", f"Непозната стъпка „{name}“", "Чл. 56–60") from None
        if step not in self.applicable_steps():
            raise self._refuse(
                "name", f"Стъпката „{step.title_bg}“ не се прилага за „{self.sanction_type.name_bg}“", "Чл. 58, ал. 3"
            )
        if self.record(step) is not None:
            raise self._refuse(
                "name", f"Стъпката „{step.title_bg}“ вече е отбелязана", step.article(self.sanction_type)
            )
        return step

    def _prerequisites(self, step: StepName) -> tuple[StepName, ...]:
        """Steps that must be done first; the letter and the РУО notice may go in either order."""
        earlier = self.applicable_steps()[: self.applicable_steps().index(step)]
        skipped = _MAY_SKIP.get(step, frozenset())
        return tuple(s for s in earlier if s not in skipped)

    def _check_sequence(self, step: StepName, done_on: date) -> None:
        article = step.article(self.sanction_type)
        prerequisites = self._prerequisites(step)
        for earlier in prerequisites:
            if self.record(earlier) is None:
                raise self._refuse(
                    "name",
                    f"Стъпката „{step.title_bg}“ не може да бъде отбелязана преди „{earlier.title_bg}“",
                    article,
                )
        previous = max((self.record(s).done_on for s in prerequisites), default=self.opened_on)
        if done_on < previous:
            raise self._refuse(
                "done_on",
                f"Датата {format_date(done_on)} е преди предходната стъпка на процедурата ({format_date(previous)})",
                article,
            )

    def _updates_filed_appeal(self, name: StepName | str) -> bool:
        appeal = self.record(StepName.APPEAL)
        return name == StepName.APPEAL.value and appeal is not None and self.appeal_outcome is AppealOutcome.FILED

    def _decide_appeal(self, done_on: date, note: str, outcome: AppealOutcome | str | None) -> Sanction:
        """The court's or РУО's result on a filed appeal replaces the pending record (Чл. 58, ал. 4)."""
        filed = self.record(StepName.APPEAL)
        if outcome not in (AppealOutcome.UPHELD, AppealOutcome.REVOKED):
            raise self._refuse(
                "appeal_outcome", "Жалбата вече е отбелязана; посочете дали заповедта е потвърдена или отменена",
                "Чл. 58, ал. 4",
            )
        if done_on < filed.done_on:
            raise self._refuse(
                "done_on",
                f"Решението по жалбата не може да е преди подаването ѝ ({format_date(filed.done_on)})",
                "Чл. 58, ал. 4",
            )
        if outcome == AppealOutcome.REVOKED and self.record(StepName.ERASED) is not None:
            raise self._refuse("appeal_outcome", "Санкцията вече е заличена", "Чл. 60, ал. 1")
        decided = StepRecord(
            StepName.APPEAL, done_on, note or filed.note, {**filed.facts, "outcome": AppealOutcome(outcome).value}
        )
        kept = tuple(r for r in self.records if r.name is not StepName.APPEAL)
        if outcome == AppealOutcome.REVOKED:
            kept = tuple(r for r in kept if r.name not in _AFTER_APPEAL)
        return replace(self, records=(*kept, decided))

    def _step(self, name: StepName) -> Step:
        due, kind, text = self._deadline(name)
        done = self.record(name)
        return Step(
            name,
            name.title_for(self.sanction_type),
            name.article(self.sanction_type),
            name.owner(self.sanction_type),
            due,
            kind,
            text,
            done.done_on if done else None,
            done.note if done else "",
            dict(done.facts) if done else {},
        )

    def _deadline(self, name: StepName) -> tuple[date | None, DayKind | None, str]:
        policy = self.policy
        order = self.record(StepName.ORDER)
        if name is StepName.PROPOSAL:
            return None, None, "Правилникът не определя срок за предложението."
        remark = self.sanction_type is SanctionType.REMARK
        if name in {StepName.PARENT_NOTIFIED, StepName.HEARING, StepName.DECISION} and remark:
            return self.order_due, policy.order_day_kind, "Преди заповедта за налагане на санкцията (Чл. 57)."
        if name in {StepName.PARENT_NOTIFIED, StepName.HEARING}:
            return None, None, "Преди решението на педагогическия съвет и заповедта (Чл. 57)."
        if name is StepName.DECISION:
            return None, None, "На заседание на педагогическия съвет след изслушването (Чл. 20, ал. 1, т. 23; ал. 4)."
        if name is StepName.ORDER:
            start = "предложението на класния ръководител" if remark else "решението на педагогическия съвет"
            return (
                self.order_due,
                policy.order_day_kind,
                f"В {policy.order_deadline_days}-дневен срок от {start}; правилникът не посочва вида на "
                f"дните, броят се {policy.order_day_kind.name_bg}.",
            )
        if name is StepName.APPEAL:
            return (
                self.appeal_due,
                policy.appeal_day_kind,
                f"Заповедта може да се обжалва по АПК в {policy.appeal_days}-дневен срок от уведомяването на "
                f"родителите ({policy.appeal_day_kind.name_bg}); правилникът не определя срок.",
            )
        if name is StepName.ERASURE_PROPOSAL:
            return None, None, "По желание, докато санкцията е в сила; по реда, по който е наложена (Чл. 60, ал. 1)."
        if name is StepName.ERASURE_ORDER:
            return (
                self.erasure_order_due,
                policy.order_day_kind,
                f"По реда на налагането: в {policy.order_deadline_days}-дневен срок от предложението за "
                f"заличаване ({policy.order_day_kind.name_bg}).",
            )
        if name is StepName.LETTER or (name is StepName.RUO_INFORMED and policy.ruo_same_deadline):
            due = (
                add_days(self.calendar, order.done_on, policy.letter_deadline_days, policy.letter_day_kind)
                if order
                else None
            )
            return (
                due,
                policy.letter_day_kind,
                f"В {policy.letter_deadline_days}-дневен срок от издаването на заповедта; правилникът не "
                f"посочва вида на дните, броят се {policy.letter_day_kind.name_bg}.",
            )
        if name is StepName.RUO_INFORMED:
            return None, None, "Правилникът не определя отделен срок за уведомяването на РУО."
        if name is StepName.IN_FORCE:
            return (
                self.effective_from,
                None,
                "От датата на заповедта; наложените в последните "
                f"{policy.late_window_school_days} учебни дни на втория срок тежки санкции влизат в сила от "
                "началото на следващата учебна година.",
            )
        return self.expires_on, None, "С изтичане на срока — края на учебната година — или предсрочно."
