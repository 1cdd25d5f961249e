"""Pure rules: the resumption month of a stopped scholarship (Чл. 26, ал. 1, т. 23) and the order on
the conditions of assessment with its extended term (Чл. 61, ал. 2)."""

from __future__ import annotations

from datetime import date

from services.register.absences.rules.assessment_conditions import (
    ExtendedGround,
    GroundPeriod,
    extended_term_ground,
    order_due,
)
from services.register.absences.rules.scholarship import holds_in, lifted, next_month, resumption


def test_chl_26_resumes_from_the_month_after_the_first_month_without_the_ground():
    assert resumption("2023-10", {"2023-10"}, "2023-11") is None  # November still running
    assert resumption("2023-10", {"2023-10"}, "2023-12") == ("2023-11", "2023-12")
    # A further stopped month continues the ground.
    assert resumption("2023-10", {"2023-10", "2023-11"}, "2024-01") == ("2023-12", "2024-01")
    assert next_month("2023-12") == "2024-01"


def test_chl_26_a_holder_in_part_of_the_month_counts():
    assert holds_in("2023-10", date(2023, 10, 20), None)
    assert holds_in("2023-10", date(2023, 9, 15), date(2023, 10, 1))
    assert not holds_in("2023-10", date(2023, 9, 15), date(2023, 9, 30))


def test_chl_61_al_2_order_due_over_25_percent_excused_when_the_grade_cannot_be_formed():
    assert order_due(5, 17, minimum_missing=True)  # 29 %
    assert not order_due(4, 17, minimum_missing=True)  # 23.5 %
    assert not order_due(5, 20, minimum_missing=True)  # exactly 25 %: not "more than"
    assert not order_due(10, 17, minimum_missing=False)  # the grade can be formed: no order


def test_chl_61_al_2_extended_term_after_20_consecutive_days():
    hospital = GroundPeriod(ExtendedGround.HOSPITAL, date(2023, 10, 2), date(2023, 10, 12))  # 11 days
    at_home = GroundPeriod(ExtendedGround.INCAPACITY, date(2023, 10, 13), date(2023, 10, 21))  # 9 more
    assert extended_term_ground([hospital], min_days=20) is None
    joined = extended_term_ground([at_home, hospital], min_days=20)
    assert (joined.ground, joined.days) == (ExtendedGround.HOSPITAL, 20)
    gap = GroundPeriod(ExtendedGround.INCAPACITY, date(2023, 10, 14), date(2023, 10, 22))
    assert extended_term_ground([hospital, gap], min_days=20) is None
    assert ExtendedGround.ABROAD_TREATMENT.label == "престой в чужбина по медицински причини"


def test_chl_26_a_stop_lifted_resumes_from_the_month_after_its_ground_ended():
    # excused in the stopped month itself: paid again from the next month
    assert lifted("2023-10", date(2023, 10, 31)) == ("2023-10", "2023-11")
    # excused in November: the ground ended in November
    assert lifted("2023-10", date(2023, 11, 14)) == ("2023-11", "2023-12")
    # a lifted month no longer continues another stop: October's ground ceased in November
    assert resumption("2023-10", {"2023-10"}, "2024-01") == ("2023-11", "2023-12")
