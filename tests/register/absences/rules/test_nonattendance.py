"""The streaks of unexcused non-attendance the deregistration review reads (Чл. 25, ал. 4, т. 2)."""

from __future__ import annotations

from datetime import date

from services.register.absences.rules.nonattendance import day_missed, streak_broken_on, streak_since


def test_a_day_is_missed_only_when_every_lesson_held_is_an_unexcused_absence_chl_25_al_4_t_2():
    assert day_missed({1, 2, 3}, set(), {1, 2, 3})
    assert day_missed({1, 2}, set(), {1, 2})  # nobody else recorded: his marks alone
    assert not day_missed({1, 2}, set(), {1, 2, 3})  # he came to the third lesson
    assert not day_missed({1, 2}, {3}, {1, 2, 3})  # late or excused for one: he was accounted for
    assert not day_missed(set(), set(), {1, 2})


def test_the_streak_runs_from_the_first_missed_day_after_the_last_attended_one_chl_25_al_4_t_2():
    days = {date(2023, 9, 15): False, date(2023, 9, 18): True, date(2023, 9, 19): False,
            date(2023, 9, 20): True, date(2023, 9, 21): True}
    assert streak_since(days) == date(2023, 9, 20)
    assert streak_since({**days, date(2023, 9, 22): False}) is None  # he came back: no streak
    assert streak_since({}) is None


def test_a_reviewed_streak_is_broken_by_the_first_day_he_attended_after_its_start_chl_25_al_4_t_2():
    since = date(2023, 10, 2)
    days = {date(2023, 9, 29): False, since: True, date(2023, 11, 6): True, date(2023, 12, 4): True}
    assert streak_broken_on(days, since) is None  # still away: the review stands
    back = {**days, date(2024, 1, 8): False, date(2024, 1, 9): True}
    assert streak_broken_on(back, since) == date(2024, 1, 8)  # a new streak after it does not revive the old one
    assert streak_broken_on({**days, date(2023, 11, 6): False}, since) == date(2023, 11, 6)  # a day excused later
