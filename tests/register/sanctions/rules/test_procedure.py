"""The sanction procedure as a state machine (Чл. 52–60)."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.sanctions.rules.errors import SanctionError
from services.register.sanctions.rules.kinds import DayKind, Role, SanctionPolicy, SanctionType
from services.register.sanctions.rules.procedure import Sanction
from services.register.sanctions.rules.steps import StepName

BORN = date(2009, 1, 10)
BOTH = (Role.CLASS_TEACHER, Role.PSYCHOLOGIST)


@pytest.fixture
def open_sanction(calendar, year):
    def build(kind=SanctionType.TRANSFER, **kwargs) -> Sanction:
        params = {
            "student_id": "s1",
            "violation_id": "v1",
            "birth_date": BORN,
            "opened_on": date(2026, 3, 2),
            "year": year,
            "calendar": calendar,
        }
        return Sanction.open(kind, **(params | kwargs))

    return build


def run_until_order(sanction: Sanction, order_on: date = date(2026, 3, 16)) -> Sanction:
    return (
        sanction.complete_step("proposal", date(2026, 3, 5), "Протокол на ПС № 7")
        .complete_step("parent_notified", date(2026, 3, 6), child_protection_notified=True)
        .complete_step("hearing", date(2026, 3, 10), present=BOTH)
        .complete_step("decision", date(2026, 3, 12), protocol_number="7")
        .complete_step("order", order_on, "Системни отсъствия и груби нарушения")
    )


def test_full_transfer_procedure_with_due_dates(open_sanction) -> None:
    opened = open_sanction()
    assert opened.state == "opened"
    done = run_until_order(opened)
    done = done.complete_step("ruo_informed", date(2026, 3, 17)).complete_step("letter", date(2026, 3, 18))
    done = done.complete_step("in_force", date(2026, 3, 19))
    done = done.complete_step("appeal", date(2026, 4, 20), appeal_outcome="none")
    done = done.complete_step("erased", date(2026, 6, 30))
    steps = {step.name: step for step in done.steps()}
    assert list(steps) == list(StepName)
    assert steps[StepName.PROPOSAL].owner is Role.PEDAGOGICAL_COUNCIL
    assert steps[StepName.PROPOSAL].due_on is None
    assert steps[StepName.DECISION].owner is Role.PEDAGOGICAL_COUNCIL
    assert steps[StepName.DECISION].facts == {"protocol_number": "7"}
    assert steps[StepName.ORDER].due_on == date(2026, 3, 26)  # 14 days from the council's decision of 12.03
    assert steps[StepName.ORDER].day_kind is DayKind.CALENDAR
    assert "календарни дни" in steps[StepName.ORDER].deadline_bg
    assert "решението на педагогическия съвет" in steps[StepName.ORDER].deadline_bg
    assert steps[StepName.ORDER].article == "Чл. 58, ал. 1–2"
    assert steps[StepName.HEARING].due_on is None
    assert steps[StepName.LETTER].due_on == date(2026, 3, 19)
    assert steps[StepName.RUO_INFORMED].due_on == date(2026, 3, 19)
    assert steps[StepName.APPEAL].due_on == date(2026, 4, 1)  # 14 days from the letter of 18.03
    assert steps[StepName.IN_FORCE].due_on == date(2026, 3, 16)
    assert steps[StepName.ERASED].due_on == date(2026, 6, 30)
    assert {name for name, step in steps.items() if not step.done} == {
        StepName.ERASURE_PROPOSAL, StepName.ERASURE_ORDER}  # erased at the end of the term, not early
    assert done.state == "erased"
    assert not done.erased_early


def test_remark_is_proposed_by_the_class_teacher_and_skips_ruo(open_sanction) -> None:
    remark = open_sanction(SanctionType.REMARK)
    assert StepName.RUO_INFORMED not in remark.applicable_steps()
    proposal = remark.steps()[0]
    assert (proposal.owner, proposal.article) == (Role.CLASS_TEACHER, "Чл. 56, ал. 1; Чл. 100, т. 4")
    with pytest.raises(SanctionError) as caught:
        remark.complete_step("ruo_informed", date(2026, 3, 5))
    assert "не се прилага" in caught.value.message


def test_steps_completed_out_of_order_are_refused_in_bulgarian(open_sanction) -> None:
    sanction = open_sanction()
    with pytest.raises(SanctionError) as caught:
        sanction.complete_step("order", date(2026, 3, 5), "мотиви")
    assert caught.value.message == (
        "Стъпката „Заповед на директора“ не може да бъде отбелязана преди „Предложение за налагане на "
        "санкция“ (Чл. 58, ал. 1–2)."
    )
    proposed = sanction.complete_step("proposal", date(2026, 3, 5))
    with pytest.raises(SanctionError, match="преди „Уведомяване на родителя"):
        proposed.complete_step("hearing", date(2026, 3, 6), present=BOTH)


def test_completing_a_step_returns_a_new_value(open_sanction) -> None:
    sanction = open_sanction()
    proposed = sanction.complete_step("proposal", date(2026, 3, 5), "Протокол № 7")
    assert sanction.records == ()
    assert proposed.record(StepName.PROPOSAL).note == "Протокол № 7"
    assert proposed.state == "proposal"


def test_dates_cannot_go_backwards_and_steps_cannot_repeat(open_sanction) -> None:
    proposed = open_sanction().complete_step("proposal", date(2026, 3, 5))
    with pytest.raises(SanctionError, match="преди предходната стъпка"):
        proposed.complete_step("parent_notified", date(2026, 3, 4), child_protection_notified=True)
    with pytest.raises(SanctionError, match="вече е отбелязана"):
        proposed.complete_step("proposal", date(2026, 3, 6))
    with pytest.raises(SanctionError, match="Непозната стъпка"):
        proposed.complete_step("cassation", date(2026, 3, 6))
    with pytest.raises(SanctionError, match="преди предходната стъпка"):
        open_sanction().complete_step("proposal", date(2026, 3, 1))


def test_opening_notice_includes_child_protection_where_required(open_sanction) -> None:
    proposed = open_sanction(SanctionType.WARNING_TRANSFER).complete_step("proposal", date(2026, 3, 5))
    with pytest.raises(SanctionError) as caught:
        proposed.complete_step("parent_notified", date(2026, 3, 6))
    assert caught.value.article == "Чл. 57, ал. 1"
    remark = open_sanction(SanctionType.REMARK).complete_step("proposal", date(2026, 3, 5))
    assert remark.complete_step("parent_notified", date(2026, 3, 6)).state == "parent_notified"


def test_hearing_needs_class_teacher_and_psychologist(open_sanction) -> None:
    notified = (
        open_sanction(SanctionType.REMARK)
        .complete_step("proposal", date(2026, 3, 5))
        .complete_step("parent_notified", date(2026, 3, 6))
    )
    with pytest.raises(SanctionError) as caught:
        notified.complete_step("hearing", date(2026, 3, 9), present=(Role.CLASS_TEACHER, Role.PARENT))
    assert caught.value.article == "Чл. 57, ал. 3"
    assert "училищен психолог" in caught.value.message
    assert notified.complete_step("hearing", date(2026, 3, 9), present=(*BOTH, Role.PARENT)).state == "hearing"


def test_order_must_state_the_motives(open_sanction) -> None:
    decided = (
        open_sanction(SanctionType.REMARK)
        .complete_step("proposal", date(2026, 3, 5))
        .complete_step("parent_notified", date(2026, 3, 6))
        .complete_step("hearing", date(2026, 3, 9), present=BOTH)
        .complete_step("decision", date(2026, 3, 10), protocol_number="7")
    )
    with pytest.raises(SanctionError) as caught:
        decided.complete_step("order", date(2026, 3, 11), "  ")
    assert caught.value.article == "Чл. 58, ал. 2"


def test_overdue_steps_are_reported(open_sanction) -> None:
    proposed = open_sanction(SanctionType.REMARK).complete_step("proposal", date(2026, 3, 5))
    assert proposed.overdue_steps(date(2026, 3, 19)) == ()
    overdue = proposed.overdue_steps(date(2026, 3, 20))
    assert [s.name for s in overdue] == [StepName.PARENT_NOTIFIED, StepName.HEARING, StepName.DECISION, StepName.ORDER]


def test_day_kinds_of_the_deadlines_are_policy(open_sanction) -> None:
    policy = SanctionPolicy(order_day_kind=DayKind.WORK, letter_day_kind=DayKind.SCHOOL)
    sanction = open_sanction(SanctionType.REMARK, opened_on=date(2026, 2, 27), policy=policy)
    proposed = sanction.complete_step("proposal", date(2026, 2, 27))
    assert proposed.order_due == date(2026, 3, 20)  # 03.03 is a holiday
    ordered = (
        proposed.complete_step("parent_notified", date(2026, 3, 2))
        .complete_step("hearing", date(2026, 3, 4), present=BOTH)
        .complete_step("decision", date(2026, 3, 5), protocol_number="7")
        .complete_step("order", date(2026, 4, 2), "мотиви")
    )
    letter = next(s for s in ordered.steps() if s.name is StepName.LETTER)
    assert (letter.due_on, letter.day_kind) == (date(2026, 4, 15), DayKind.SCHOOL)  # spring vacation


def test_no_sanction_when_a_medical_document_explains_the_behaviour(open_sanction) -> None:
    with pytest.raises(SanctionError) as caught:
        open_sanction(behaviour_explained_by_medical_document=True)
    assert caught.value.article == "Чл. 53, ал. 3"


def test_one_sanction_per_violation(open_sanction) -> None:
    first = open_sanction(SanctionType.REMARK)
    with pytest.raises(SanctionError) as caught:
        open_sanction(SanctionType.WARNING_TRANSFER, other_sanctions=[first])
    assert caught.value.article == "Чл. 54, ал. 1"
    assert "„забележка“" in caught.value.message
    assert open_sanction(violation_id="v2", other_sanctions=[first]).violation_id == "v2"


def test_move_to_self_study_needs_sixteen_years(open_sanction) -> None:
    with pytest.raises(SanctionError) as caught:
        open_sanction(SanctionType.SELF_STUDY, birth_date=date(2010, 3, 3))
    assert caught.value.article == "Чл. 53, ал. 1"
    assert "навършили 16 години" in caught.value.message
    assert open_sanction(SanctionType.SELF_STUDY, birth_date=date(2010, 3, 2)).sanction_type is SanctionType.SELF_STUDY
    assert open_sanction(SanctionType.WARNING_SELF_STUDY, birth_date=date(2012, 1, 1)).state == "opened"


def test_self_study_age_limit_is_policy(open_sanction) -> None:
    policy = SanctionPolicy(self_study_min_age=17)
    with pytest.raises(SanctionError, match=r"навършили 17 години; на 02\.03\.2026 ученикът е на 16"):
        open_sanction(SanctionType.SELF_STUDY, birth_date=date(2009, 3, 3), policy=policy)
    warning_policy = SanctionPolicy(warning_self_study_min_age=16)
    with pytest.raises(SanctionError, match="навършили 16 години"):
        open_sanction(SanctionType.WARNING_SELF_STUDY, birth_date=date(2012, 1, 1), policy=warning_policy)


def test_in_force_step_waits_for_letter_and_ruo_notice(open_sanction) -> None:
    ordered = run_until_order(open_sanction()).complete_step("letter", date(2026, 3, 17))
    with pytest.raises(SanctionError, match="преди „Уведомяване на началника на РУО“"):
        ordered.complete_step("in_force", date(2026, 3, 18))


def test_heavy_sanction_imposed_in_the_last_thirty_school_days_starts_next_year(open_sanction) -> None:
    on_time = run_until_order(open_sanction(), date(2026, 5, 18))  # 31 school days left
    assert on_time.effective_from == date(2026, 5, 18)
    late = run_until_order(open_sanction(), date(2026, 5, 19))  # 30 school days left
    assert late.effective_from == date(2026, 9, 15)
    assert late.expires_on == date(2027, 6, 30)
    late = late.complete_step("letter", date(2026, 5, 20)).complete_step("ruo_informed", date(2026, 5, 20))
    with pytest.raises(SanctionError) as caught:
        late.complete_step("in_force", date(2026, 5, 21))
    assert caught.value.article == "Чл. 55, ал. 3"
    assert "15.09.2026" in caught.value.message
    assert late.complete_step("in_force", date(2026, 9, 15)).state == "in_force"


def test_a_late_remark_takes_effect_at_once(open_sanction) -> None:
    remark = open_sanction(SanctionType.REMARK)
    remark = run_until_order(remark, date(2026, 6, 1))
    assert remark.effective_from == date(2026, 6, 1)
    assert remark.expires_on == date(2026, 6, 30)


def test_effects_while_in_force_and_after_erasure(open_sanction) -> None:
    ordered = run_until_order(open_sanction(SanctionType.WARNING_TRANSFER, opened_on=date(2026, 3, 2)))
    assert not ordered.is_in_force(date(2026, 3, 15))
    assert ordered.blocks_excellence_scholarship(date(2026, 4, 1))
    assert not ordered.blocks_excellence_scholarship(date(2026, 7, 1))  # expired at year end
    in_force = ordered.complete_step("letter", date(2026, 3, 17)).complete_step("in_force", date(2026, 3, 17))
    with pytest.raises(SanctionError) as caught:
        in_force.complete_step("erased", date(2026, 5, 4), "Заповед № 88/04.05.2026")
    assert caught.value.article == "Чл. 60, ал. 1"
    erased = (
        in_force.complete_step("erasure_proposal", date(2026, 4, 28), protocol_number="12")
        .complete_step("erasure_order", date(2026, 5, 4), "Ученикът подобри поведението си")
        .complete_step("erased", date(2026, 5, 4))
    )
    assert erased.is_in_force(date(2026, 5, 3))
    assert not erased.blocks_excellence_scholarship(date(2026, 5, 4))


def test_a_remark_never_blocks_the_scholarship(open_sanction) -> None:
    remark = open_sanction(SanctionType.REMARK)
    remark = run_until_order(remark)
    assert remark.is_in_force(date(2026, 4, 1))
    assert not remark.blocks_excellence_scholarship(date(2026, 4, 1))


def test_ruo_notice_deadline_can_be_separated_from_the_letter(open_sanction) -> None:
    ordered = run_until_order(open_sanction(policy=SanctionPolicy(ruo_same_deadline=False)))
    ruo = next(s for s in ordered.steps() if s.name is StepName.RUO_INFORMED)
    assert ruo.due_on is None
    assert ruo.owner is Role.DIRECTOR
    default = next(s for s in run_until_order(open_sanction()).steps() if s.name is StepName.RUO_INFORMED)
    assert default.due_on == date(2026, 3, 19)
