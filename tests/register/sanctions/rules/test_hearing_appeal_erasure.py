"""The procedure to the letter: hearing, council protocol, order deadline, appeal, early erasure (Чл. 57–60)."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.sanctions.procedures import policy_of
from services.register.sanctions.rules.errors import SanctionError
from services.register.sanctions.rules.kinds import Role, SanctionType
from services.register.sanctions.rules.procedure import Sanction
from services.register.sanctions.rules.steps import AppealOutcome, StepName
from shared.settings import Settings

BOTH = (Role.CLASS_TEACHER, Role.PSYCHOLOGIST)


@pytest.fixture
def notified(calendar, year):
    """A procedure opened on 02.03.2026, proposed on 05.03 and the parent notified on 06.03."""

    def build(kind: SanctionType = SanctionType.WARNING_TRANSFER) -> Sanction:
        opened = Sanction.open(kind, student_id="s1", violation_id="v1", birth_date=date(2009, 1, 10),
                               opened_on=date(2026, 3, 2), year=year, calendar=calendar)
        return (opened.complete_step("proposal", date(2026, 3, 5), "Предложение")
                .complete_step("parent_notified", date(2026, 3, 6), child_protection_notified=True))

    return build


def ordered(sanction: Sanction, order_on: date = date(2026, 3, 16)) -> Sanction:
    return (sanction.complete_step("hearing", date(2026, 3, 9), present=BOTH)
            .complete_step("decision", date(2026, 3, 12), protocol_number="7")
            .complete_step("order", order_on, "Мотиви"))


def _step(sanction: Sanction, name: StepName):
    return next(s for s in sanction.steps() if s.name is name)


def test_chl_57_al_3_a_written_explanation_replaces_the_hearing_in_person(notified) -> None:
    sanction = notified()
    with pytest.raises(SanctionError) as caught:
        sanction.complete_step("hearing", date(2026, 3, 9), hearing_mode="written")
    assert (caught.value.field, caught.value.article) == ("note", "Чл. 57, ал. 3")
    written = sanction.complete_step("hearing", date(2026, 3, 9), "Обяснение от 09.03.2026, приложено",
                                     hearing_mode="written")
    assert written.record(StepName.HEARING).facts == {"mode": "written", "parent_attended": False}
    with pytest.raises(SanctionError, match="класния ръководител и училищния психолог"):
        sanction.complete_step("hearing", date(2026, 3, 9), hearing_mode="both", present=(Role.CLASS_TEACHER,))


def test_chl_57_al_4_whether_the_parent_attended_is_recorded(notified) -> None:
    by_flag = notified().complete_step("hearing", date(2026, 3, 9), present=BOTH, parent_attended=True)
    by_presence = notified().complete_step("hearing", date(2026, 3, 9), present=(*BOTH, Role.PARENT))
    alone = notified().complete_step("hearing", date(2026, 3, 9), present=BOTH)
    assert [s.record(StepName.HEARING).facts["parent_attended"] for s in (by_flag, by_presence, alone)] == [
        True, True, False]


def test_chl_20_al_1_t_23_the_council_decision_carries_its_protocol_number(notified) -> None:
    heard = notified().complete_step("hearing", date(2026, 3, 9), present=BOTH)
    with pytest.raises(SanctionError) as caught:
        heard.complete_step("decision", date(2026, 3, 12))
    assert caught.value.field == "protocol_number"
    assert "Чл. 20, ал. 1, т. 23" in caught.value.article
    from_note = heard.complete_step("decision", date(2026, 3, 12), "Протокол на ПС № 5/12.03.2026")
    assert from_note.record(StepName.DECISION).facts == {"protocol_number": "5/12.03.2026"}
    assert _step(from_note, StepName.DECISION).title_bg == "Решение на педагогическия съвет след изслушването"


def test_chl_58_al_1_order_due_14_days_from_the_council_decision_s2_to_s5(notified) -> None:
    heard = notified().complete_step("hearing", date(2026, 3, 9), present=BOTH)
    assert heard.order_due is None  # unknown until the council decides
    decided = heard.complete_step("decision", date(2026, 3, 20), protocol_number="8")
    assert decided.order_due == date(2026, 4, 3)


def test_chl_58_al_1_order_due_14_days_from_the_class_teachers_proposal_s1(notified) -> None:
    remark = notified(SanctionType.REMARK)
    assert remark.order_due == date(2026, 3, 19)
    decided = remark.complete_step("hearing", date(2026, 3, 9), present=BOTH).complete_step(
        "decision", date(2026, 3, 12))
    assert decided.order_due == date(2026, 3, 19)


def test_chl_58_al_4_the_appeal_term_runs_14_days_from_the_notification(notified) -> None:
    order = ordered(notified())
    with pytest.raises(SanctionError) as caught:
        order.complete_step("letter", date(2026, 3, 18), notified_on=date(2026, 3, 17))
    assert (caught.value.field, caught.value.article) == ("notified_on", "Чл. 58, ал. 3")
    sent = order.complete_step("letter", date(2026, 3, 18), notified_on=date(2026, 3, 23))
    appeal = _step(sent, StepName.APPEAL)
    assert (appeal.due_on, appeal.article) == (date(2026, 4, 6), "Чл. 58, ал. 4")
    assert "АПК" in appeal.deadline_bg
    with pytest.raises(SanctionError) as early:
        sent.complete_step("appeal", date(2026, 4, 6), appeal_outcome="none")
    assert early.value.article == "Чл. 58, ал. 4"
    assert "06.04.2026" in early.value.message
    assert sent.complete_step("appeal", date(2026, 4, 7), appeal_outcome="none").appeal_outcome is AppealOutcome.NONE
    with pytest.raises(SanctionError, match="преди „Писмо до родителите"):
        order.complete_step("appeal", date(2026, 4, 7), appeal_outcome="filed")


def test_chl_58_al_4_a_filed_appeal_is_decided_upheld_or_revoked(notified) -> None:
    sent = ordered(notified()).complete_step("letter", date(2026, 3, 18))
    filed = sent.complete_step("appeal", date(2026, 3, 25), "Жалба вх. № 14", appeal_outcome="filed")
    assert filed.record(StepName.APPEAL).facts == {"outcome": "filed", "filed_on": "2026-03-25"}
    with pytest.raises(SanctionError) as caught:
        filed.complete_step("appeal", date(2026, 4, 20), appeal_outcome="none")
    assert caught.value.field == "appeal_outcome"
    in_force = filed.complete_step("in_force", date(2026, 3, 26))
    upheld = in_force.complete_step("appeal", date(2026, 4, 20), appeal_outcome="upheld")
    assert upheld.appeal_outcome is AppealOutcome.UPHELD
    assert upheld.is_in_force(date(2026, 4, 21))
    revoked = in_force.complete_step("appeal", date(2026, 4, 20), appeal_outcome="revoked")
    assert revoked.revoked
    assert not revoked.is_in_force(date(2026, 4, 21))
    assert revoked.effective_from is None
    assert StepName.IN_FORCE not in revoked.applicable_steps()
    assert revoked.record(StepName.IN_FORCE) is None
    with pytest.raises(SanctionError, match="не се прилага"):
        revoked.complete_step("erasure_proposal", date(2026, 4, 21))


def test_chl_60_al_1_early_erasure_goes_the_route_of_the_imposition(notified) -> None:
    in_force = ordered(notified(SanctionType.REMARK)).complete_step("letter", date(2026, 3, 17)).complete_step(
        "in_force", date(2026, 3, 17))
    proposal = _step(in_force, StepName.ERASURE_PROPOSAL)
    assert (proposal.owner, proposal.due_on) == (Role.CLASS_TEACHER, None)
    with pytest.raises(SanctionError, match="преди „Предложение за предсрочно заличаване“"):
        in_force.complete_step("erasure_order", date(2026, 5, 4), "Мотиви")
    proposed = in_force.complete_step("erasure_proposal", date(2026, 4, 27), "Подобрено поведение")
    assert _step(proposed, StepName.ERASURE_ORDER).due_on == date(2026, 5, 11)
    with pytest.raises(SanctionError) as no_motives:
        proposed.complete_step("erasure_order", date(2026, 5, 4))
    assert no_motives.value.article == "Чл. 60, ал. 1"
    erased = proposed.complete_step("erasure_order", date(2026, 5, 4), "Мотиви").complete_step(
        "erased", date(2026, 5, 5))
    assert erased.erased_early
    assert erased.is_in_force(date(2026, 5, 4))
    assert not erased.is_in_force(date(2026, 5, 5))
    assert _step(erased, StepName.ERASED).article == "Чл. 55, ал. 2; Чл. 60, ал. 1, ал. 3"


def test_chl_60_al_1_the_council_proposes_erasure_of_s2_to_s5_with_its_protocol(notified) -> None:
    in_force = ordered(notified()).complete_step("letter", date(2026, 3, 17)).complete_step(
        "in_force", date(2026, 3, 17))
    assert _step(in_force, StepName.ERASURE_PROPOSAL).owner is Role.PEDAGOGICAL_COUNCIL
    with pytest.raises(SanctionError) as caught:
        in_force.complete_step("erasure_proposal", date(2026, 4, 27))
    assert caught.value.field == "protocol_number"


def test_chl_55_al_2_no_erasure_order_once_the_term_has_ended(notified) -> None:
    in_force = ordered(notified()).complete_step("letter", date(2026, 3, 17)).complete_step(
        "in_force", date(2026, 3, 17))
    with pytest.raises(SanctionError) as caught:
        in_force.complete_step("erasure_proposal", date(2026, 6, 30), protocol_number="20")
    assert "30.06.2026" in caught.value.message
    assert in_force.complete_step("erased", date(2026, 6, 30)).state == "erased"


def test_chl_58_al_4_the_appeal_term_is_the_schools_setting(calendar, year) -> None:
    assert Settings().sanction_appeal_days == 14  # АПК чл. 149, ал. 1
    policy = policy_of(Settings().replace(sanction_appeal_days=7))
    opened = Sanction.open(SanctionType.REMARK, student_id="s1", violation_id="v1", birth_date=date(2009, 1, 10),
                           opened_on=date(2026, 3, 2), year=year, calendar=calendar, policy=policy)
    sent = ordered(opened.complete_step("proposal", date(2026, 3, 5)).complete_step(
        "parent_notified", date(2026, 3, 6))).complete_step("letter", date(2026, 3, 17))
    assert sent.appeal_due == date(2026, 3, 24)
