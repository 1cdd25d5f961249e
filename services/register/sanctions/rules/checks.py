"""The checks each step of the sanction procedure makes before it is recorded (Чл. 53–60).

A mixin of :class:`~services.register.sanctions.rules.procedure.Sanction`: every refusal names the
field to correct and the article, in Bulgarian.
"""

from __future__ import annotations

import re
from datetime import date

from services.register.sanctions.rules.errors import SanctionError
from services.register.sanctions.rules.kinds import Role, SanctionType, age_on
from services.register.sanctions.rules.steps import AppealOutcome, HearingMode, StepName
from services.register.school.rules.dates import format_date

#: "Протокол № 7" in a note, for a council decision recorded without its protocol number.
_PROTOCOL_IN_NOTE = re.compile(r"№\s*([0-9][\w/.-]*)")


class StepChecks:
    """The refusals of :meth:`Sanction.complete_step`; reads the procedure it is mixed into."""
    def _refuse(self, field_name: str, message: str, article: str) -> SanctionError:
        return SanctionError(field_name, f"{message} ({article}).", article)

    def _check_age(self, day: date) -> None:
        minimum = self.policy.min_age(self.sanction_type)
        if minimum is not None and age_on(self.birth_date, day) < minimum:
            raise self._refuse(
                "birth_date",
                f"Санкцията „{self.sanction_type.name_bg}“ се прилага само за ученици, навършили {minimum} "
                f"години; на {format_date(day)} ученикът е на {age_on(self.birth_date, day)}",
                "Чл. 53, ал. 1",
            )

    def _check_child_protection(self, notified: bool) -> None:
        if self.sanction_type in self.policy.child_protection_types and not notified:
            raise self._refuse(
                "child_protection_notified",
                f"При откриване на процедура за „{self.sanction_type.name_bg}“ директорът уведомява и "
                "териториалните структури за закрила на детето",
                "Чл. 57, ал. 1",
            )

    def _check_hearing(self, present: frozenset[Role], mode: HearingMode | str, note: str) -> HearingMode:
        try:
            mode = HearingMode(mode)
        except ValueError:
            raise self._refuse("hearing_mode", f"Непознат начин на изслушване „{mode}“", "Чл. 57, ал. 3") from None
        if mode is HearingMode.WRITTEN:
            if not note.strip():
                raise self._refuse(
                    "note",
                    "Когато ученикът не е изслушан лично, впишете писменото му обяснение на фактите и "
                    "обстоятелствата или къде е приложено",
                    "Чл. 57, ал. 3",
                )
            return mode
        missing = [role.name_bg for role in (Role.CLASS_TEACHER, Role.PSYCHOLOGIST) if role not in present]
        if missing:
            raise self._refuse(
                "present",
                f"Изслушването задължително се извършва в присъствието на класния ръководител и училищния "
                f"психолог; липсва: {', '.join(missing)}",
                "Чл. 57, ал. 3",
            )
        return mode

    def _check_protocol(self, step: StepName, number: str, note: str) -> str:
        """The council decides at a meeting with a protocol: its number is kept (Чл. 20, ал. 1, т. 23; ал. 4)."""
        number = number.strip()
        if not number:
            found = _PROTOCOL_IN_NOTE.search(note)
            number = found.group(1) if found else ""
        if self.sanction_type is SanctionType.REMARK:
            return number
        if not number:
            raise self._refuse(
                "protocol_number",
                f"„{step.title_for(self.sanction_type)}“: впишете номера на протокола от заседанието на "
                "педагогическия съвет; датата на стъпката е датата на протокола",
                step.article(self.sanction_type),
            )
        return number

    def _check_letter(self, done_on: date, notified_on: date | None) -> dict:
        if notified_on is None:
            return {}
        if notified_on < done_on:
            raise self._refuse(
                "notified_on",
                f"Родителите не могат да са уведомени ({format_date(notified_on)}) преди изпращането на "
                f"писмото ({format_date(done_on)})",
                "Чл. 58, ал. 3",
            )
        return {"notified_on": notified_on.isoformat()}

    def _check_appeal(self, done_on: date, outcome: AppealOutcome | str | None) -> dict:
        try:
            outcome = AppealOutcome(outcome)
        except ValueError:
            raise self._refuse(
                "appeal_outcome",
                "Посочете какво стана със заповедта: не е обжалвана, подадена жалба, потвърдена или отменена",
                "Чл. 58, ал. 4",
            ) from None
        due = self.appeal_due
        if outcome is AppealOutcome.NONE and due is not None and done_on <= due:
            raise self._refuse(
                "done_on",
                f"Срокът за обжалване по АПК изтича на {format_date(due)} ({self.policy.appeal_days} дни от "
                f"уведомяването на {format_date(self.notified_on)}); „не е обжалвана“ се отбелязва след него",
                "Чл. 58, ал. 4",
            )
        facts = {"outcome": outcome.value}
        if outcome is not AppealOutcome.NONE:
            facts["filed_on"] = done_on.isoformat()
        return facts

    def _check_order(self, motives: str) -> None:
        if not motives.strip():
            raise self._refuse(
                "note",
                "В заповедта се посочват видът на санкцията, срокът и мотивите; впишете мотивите",
                "Чл. 58, ал. 2",
            )

    def _check_in_force(self, done_on: date) -> None:
        start = self.effective_from
        if start is not None and done_on < start:
            raise self._refuse(
                "done_on",
                f"Санкцията влиза в сила от {format_date(start)}, защото е наложена в последните "
                f"{self.policy.late_window_school_days} учебни дни на втория срок",
                "Чл. 55, ал. 3",
            )

    def _check_early_erasure(self, step: StepName, done_on: date, note: str) -> None:
        end = self.expires_on
        if end is not None and done_on >= end:
            raise self._refuse(
                "done_on",
                f"Санкцията изтича на {format_date(end)} и се заличава тогава без заповед",
                "Чл. 55, ал. 2; Чл. 60, ал. 1",
            )
        if step is StepName.ERASURE_ORDER and not note.strip():
            raise self._refuse(
                "note", "В заповедта за предсрочно заличаване се посочват мотивите; впишете ги", "Чл. 60, ал. 1"
            )

    def _check_erasure(self, done_on: date) -> None:
        end = self.expires_on
        order = self.record(StepName.ERASURE_ORDER)
        if (end is None or done_on < end) and order is None:
            raise self._refuse(
                "name",
                "Преди края на срока санкцията се заличава само по реда, по който е наложена: предложение, "
                "после заповед на директора за предсрочно заличаване",
                "Чл. 60, ал. 1",
            )
        if order is not None and done_on < order.done_on:
            raise self._refuse(
                "done_on",
                f"Заличаването се отбелязва след заповедта за него ({format_date(order.done_on)})",
                "Чл. 60, ал. 3",
            )
