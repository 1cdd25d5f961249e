"""The rulebook's windows for entering grades and for the level tests are the school's settings
(``SCHOOL_WRITTEN_GRADE_ENTRY_DAYS``, ``SCHOOL_ENTRY_LEVEL_WEEKS``), the rulebook's values their defaults,
and the refusal words the window the school set."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.school import setup_small_school

#: A Wednesday of the fourth week of the test year (it starts on Friday 15.09.2023).
TODAY = dt.date(2023, 10, 11)
#: Monday of the fourth week: past the rulebook's three weeks for the entry-level test (to 05.10.2023).
FOURTH_WEEK = dt.date(2023, 10, 9)
#: A written paper nine days ago: past the rulebook's week for entering its grade.
NINE_DAYS_AGO = dt.date(2023, 10, 2)


@pytest.fixture
def settings(settings, request):
    return settings.replace(today=TODAY, **getattr(request, "param", {}))


def grade(api, school, kind: str, day: dt.date):
    return api.as_(school.teacher_token).post("/api/register/grades", json={
        "student_id": school.student_id, "subject": "Математика", "value": 5, "kind": kind, "date": day.isoformat()})


def refused(api, school, kind: str, day: dt.date) -> list[str]:
    """The grade refused with 422, nothing stored: what it says of the date."""
    answer = grade(api, school, kind, day)
    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == ["date"]
    return answer.json["errors"]["date"]


def test_the_rulebooks_windows_refuse_saying_them(api, make_user):
    school = setup_small_school(api, make_user)
    assert refused(api, school, "entry", FOURTH_WEEK) == [
        "Входното равнище се провежда до три седмици от началото на учебната година, т.е. от 15.09.2023 "
        "до 05.10.2023 (Чл. 128, ал. 2)."]
    assert "трябва да бъде вписана до една седмица след изпитването, т.е. до 09.10.2023 включително" in (
        refused(api, school, "written", NINE_DAYS_AGO)[0])


@pytest.mark.parametrize("settings", [{"entry_level_weeks": 4, "written_grade_entry_days": 10}], indirect=True)
def test_a_schools_own_windows_are_kept_and_said(api, make_user):
    school = setup_small_school(api, make_user)
    assert grade(api, school, "entry", FOURTH_WEEK).status_code == 201
    assert grade(api, school, "written", NINE_DAYS_AGO).status_code == 201
    twelve_days_ago = dt.date(2023, 9, 29)
    assert "до 10 дни след изпитването, т.е. до 09.10.2023 включително" in (
        refused(api, school, "written", twelve_days_ago)[0])


@pytest.mark.parametrize("settings", [{"entry_level_weeks": 1}], indirect=True)
def test_a_shorter_window_refuses_in_its_own_words(api, make_user):
    school = setup_small_school(api, make_user)
    assert refused(api, school, "entry", FOURTH_WEEK) == [
        "Входното равнище се провежда до една седмица от началото на учебната година, т.е. от 15.09.2023 "
        "до 21.09.2023 (Чл. 128, ал. 2)."]
