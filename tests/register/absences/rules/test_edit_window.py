"""The edit window of a lesson's marks (setting ``absence_edit_days``): pure, on the test year's calendar."""

from __future__ import annotations

import datetime as dt

from services.register.absences.rules.edit_window import edit_window
from services.register.school.years import build_calendar
from shared.settings import load_settings
from tests.support.school import YEAR

CALENDAR = build_calendar(YEAR)
WEDNESDAY, THURSDAY, FRIDAY, MONDAY = (dt.date(2023, 10, d) for d in (4, 5, 6, 9))


def test_by_default_a_lesson_is_corrected_only_on_its_own_school_day():
    assert edit_window(CALENDAR, WEDNESDAY, WEDNESDAY, 0).open
    closed = edit_window(CALENDAR, WEDNESDAY, THURSDAY, 0)
    assert not closed.open
    assert closed.reason == ("Отсъствията от 04.10.2023 могат да се поправят само в същия учебен ден; след това ги "
                             "променя само извиняване от класния ръководител.")


def test_a_wider_window_counts_school_days_and_skips_the_weekend():
    assert edit_window(CALENDAR, FRIDAY, MONDAY, 1).open
    assert edit_window(CALENDAR, FRIDAY, MONDAY, 1).last_day == MONDAY
    late = edit_window(CALENDAR, FRIDAY, dt.date(2023, 10, 10), 1)
    assert not late.open
    assert "изтече на 09.10.2023" in late.reason


def test_a_window_past_the_years_end_closes_with_the_year():
    last = edit_window(CALENDAR, dt.date(2024, 6, 28), dt.date(2024, 6, 30), 5)
    assert last.open
    assert last.last_day == dt.date(2024, 6, 30)


def test_the_setting_is_school_absence_edit_days_and_defaults_to_the_same_day():
    assert load_settings({}).absence_edit_days == 0
    assert load_settings({"SCHOOL_ABSENCE_EDIT_DAYS": "2"}).absence_edit_days == 2
