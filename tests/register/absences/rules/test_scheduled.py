from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.scheduled import (
    NonAttendance,
    dropout_report_date,
    due_deregistration_reviews,
    due_dropout_reports,
)

COUNTS = {"ivan": UnexcusedTotal(2 * 21), "maria": UnexcusedTotal(2 * 19)}


def test_dropout_report_is_due_a_month_before_the_term_ends_chl_97_t_17(pack, calendar):
    assert dropout_report_date(calendar, 1) == date(2025, 12, 30)
    assert dropout_report_date(calendar, 2) == date(2026, 5, 30)
    assert due_dropout_reports(pack, calendar, date(2026, 5, 29), COUNTS) == ()
    (due,) = due_dropout_reports(pack, calendar, date(2026, 6, 1), COUNTS)
    assert (due.student_id, due.firing.article, due.firing.period_key) == (
        "ivan",
        "Чл. 97, т. 17",
        "2025/2026/2",
    )
    assert "II срок на 2025/2026" in due.firing.message


def test_dropout_sweep_is_safe_to_run_twice_chl_97_t_17(pack, calendar):
    (first,) = due_dropout_reports(pack, calendar, date(2026, 6, 1), COUNTS)
    fired = {"ivan": {first.firing.key}}
    assert due_dropout_reports(pack, calendar, date(2026, 6, 2), COUNTS, fired=fired) == ()
    assert due_dropout_reports(pack, calendar, date(2026, 7, 1), COUNTS) == ()


def test_deregistration_review_after_more_than_two_months_chl_25_al_4_t_2(pack):
    streaks = [
        NonAttendance("ivan", date(2025, 10, 1)),
        NonAttendance("petar", date(2025, 10, 1), "self_study"),
    ]
    assert due_deregistration_reviews(pack, date(2025, 11, 30), streaks) == ()
    (due,) = due_deregistration_reviews(pack, date(2025, 12, 1), streaks)
    assert (due.student_id, due.firing.article, due.firing.count) == ("ivan", "Чл. 25, ал. 4, т. 2", 62)
    assert "от 01.10.2025 до 01.12.2025" in due.firing.message
    assert (
        due_deregistration_reviews(pack, date(2025, 12, 2), streaks, fired={"ivan": {due.firing.key}}) == ()
    )


def test_a_xii_class_reports_a_month_before_its_own_classes_end_chl_97_t_17_chl_113_al_1(pack, calendar):
    """XII's second term ends with its classes (15 May by default), so its report is due on 15 April."""
    twelfth = replace(calendar, classes_end=((12, date(2026, 5, 15)),)).for_grade(12)
    assert dropout_report_date(twelfth, 2) == date(2026, 4, 15)
    (due,) = due_dropout_reports(pack, twelfth, date(2026, 4, 15), COUNTS)
    assert due.firing.period_key == "2025/2026/2"
    assert due_dropout_reports(pack, calendar, date(2026, 4, 15), COUNTS) == ()
