"""The bell schedule's current lesson, the setting's checks and a timetable's checks (pure rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.register.timetable.rules.bells import current_lesson, parse_bells
from services.register.timetable.rules.day import DayLesson, lessons_of_day
from shared.settings import Settings, SettingsError, load_settings

BELLS = parse_bells(Settings().school_bells)


def at(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def test_the_default_bells_are_eight_40_minute_lessons_from_eight():
    assert len(BELLS) == 8
    assert (BELLS[0].start, BELLS[0].end) == (at("08:00"), at("08:40"))
    assert all((dt.datetime.combine(dt.date.today(), b.end) - dt.datetime.combine(dt.date.today(), b.start))
               == dt.timedelta(minutes=40) for b in BELLS)


@pytest.mark.parametrize(("time", "lessons", "expected"), [
    ("07:30", None, 1),      # before the first bell: the first lesson
    ("08:20", None, 1),      # in the first lesson
    ("08:45", None, 1),      # in the break: the lesson just finished
    ("10:50", None, 4),
    ("10:50", [3, 5], 3),    # the teacher's own lessons only
    ("12:00", [5, 3], 5),
    ("07:00", [6, 2], 2),
    ("12:00", [], None),     # no lesson of the teacher that day
])
def test_the_current_lesson(time, lessons, expected):
    assert current_lesson(BELLS, at(time), lessons) == expected


def test_a_bell_schedule_out_of_order_is_refused_at_start_up():
    with pytest.raises(SettingsError, match="SCHOOL_SCHOOL_BELLS"):
        load_settings({"SCHOOL_SCHOOL_BELLS": "08:00-08:40,08:30-09:10"})
    with pytest.raises(SettingsError, match="SCHOOL_SCHOOL_BELLS"):
        load_settings({"SCHOOL_SCHOOL_BELLS": "8-9"})
    assert len(parse_bells(load_settings({"SCHOOL_SCHOOL_BELLS": "07:30-08:10, 08:20-09:00"}).school_bells)) == 2


def test_a_days_changes_replace_cancel_and_add_lessons():
    slots = [(1, "Математика", 7), (2, "Физика", 8), (3, "История", 9)]
    changes = [(2, "Математика", 7, False), (3, None, None, True), (4, "Математика", 7, False)]
    assert lessons_of_day("10а", slots, changes) == [
        DayLesson("10а", 1, "Математика", 7), DayLesson("10а", 2, "Математика", 7, changed=True),
        DayLesson("10а", 4, "Математика", 7, changed=True)]
