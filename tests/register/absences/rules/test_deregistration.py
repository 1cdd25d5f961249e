"""The grounds of deregistration and the notices of a compulsory-age student (Чл. 25, ал. 4–5)."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.absences.rules.deregistration import Ground, decide

BORN = date(2008, 5, 10)  # 15 until 10.05.2024


def test_each_ground_cites_its_point_of_chl_25_al_4():
    assert [g.article for g in Ground] == [f"Чл. 25, ал. 4, т. {n}" for n in (1, 2, 3, 4)]


def test_a_compulsory_age_student_deregistered_for_nonattendance_is_notified_chl_25_al_5():
    decision = decide(Ground.NONATTENDANCE, BORN, date(2024, 1, 8))
    assert (decision.age, decision.compulsory_age, decision.notify_authorities) == (15, True, True)
    assert decide(Ground.MISSED_SESSIONS, BORN, date(2024, 1, 8)).notify_authorities
    # a transfer is no dropout: ал. 5 names only т. 2 and т. 3
    assert not decide(Ground.TRANSFER, BORN, date(2024, 1, 8)).notify_authorities


def test_from_sixteen_no_notice_is_due_chl_25_al_5():
    decision = decide(Ground.NONATTENDANCE, BORN, date(2024, 5, 10))
    assert (decision.age, decision.compulsory_age, decision.notify_authorities) == (16, False, False)
    # a school whose compulsory age is set higher still notifies
    assert decide(Ground.NONATTENDANCE, BORN, date(2024, 5, 10), compulsory_until=17).notify_authorities


def test_family_reasons_only_from_sixteen_chl_25_al_4_t_4():
    with pytest.raises(ValueError, match=r"Чл\. 25, ал\. 4, т\. 4"):
        decide(Ground.FAMILY, BORN, date(2024, 5, 9))
    assert decide(Ground.FAMILY, BORN, date(2024, 5, 10)).article == "Чл. 25, ал. 4, т. 4"
