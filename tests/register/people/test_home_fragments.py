"""The home page's cards as the browser fetches them, on both backends (the queries are plain
SQLAlchemy, but a window function and DISTINCT behave per database): the register's card for a
teacher, the class teacher and a parent, and the notices' card."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from services.register.models.absences import RuleFiring
from tests.support.school import setup_small_school

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
TODAY = dt.date(2023, 12, 1)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def signed_in(api, name: str):
    browser = api.as_(None)
    assert browser.post("/api/register/login", json={"name": name, "password": PASSWORD}).status_code == 200
    return browser


def card(browser, service: str) -> str:
    answer = browser.get(f"/{service}/fragments/home")
    assert answer.status_code == 200
    assert "HX-Request" in answer.headers["Vary"]
    return re.sub(r"\s+", " ", answer.get_data(as_text=True))


@pytest.fixture
def school(api, make_user):
    school = setup_small_school(api, make_user)
    make_user("parent", "Елена Иванова", students=[school.student_id], password=PASSWORD)
    make_user("class_teacher", "Втора Класна", classes=["10а"], password=PASSWORD)
    teacher = api.as_(school.teacher_token)
    for day, lesson, kind in [("2023-11-27", 1, "unexcused"), ("2023-11-27", 2, "unexcused"),
                              ("2023-11-27", 3, "unexcused"), ("2023-11-28", 1, "late"),
                              ("2023-12-01", 3, "unexcused")]:
        assert teacher.post("/api/register/absences", json={
            "date": day, "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": school.student_id, "kind": kind}]}).status_code == 201
    for value in (4, 5, 6, 3, 5, 6):  # six grades today: the card shows the newest five
        assert teacher.post("/api/register/grades", json={
            "student_id": school.student_id, "subject": "Математика", "value": value, "kind": "oral",
            "date": TODAY.isoformat()}).status_code == 201
    api.drain()
    return school


def test_the_parents_card_has_this_years_totals_and_the_newest_five_grades(api, school):
    parent = signed_in(api, "Елена Иванова")
    html = card(parent, "register")
    assert "Мария Петрова Иванова, 10а клас" in html
    assert "<dt>Неизвинени</dt><dd>4,5</dd>" in html.replace("> <", "><")  # a lateness is half an hour
    assert "<dt>Закъснения</dt><dd>1</dd>" in html.replace("> <", "><")
    assert re.findall(r"Математика: <strong>(\d)</strong>", html) == ["6", "5", "3", "6", "5"]
    assert f'href="/register/students/{school.student_id}"' in html
    notices = card(parent, "notifications")
    assert "Непрочетени известия: <strong>" in notices
    assert 'href="/notifications/inbox"' in notices


def test_a_teachers_card_has_todays_lessons_and_the_class_teachers_has_who_is_past_a_threshold(api, school):
    # the class teacher of setup_small_school has no password: another class teacher of 10а reads it
    html = card(signed_in(api, "Втора Класна"), "register")
    assert "10а клас" in html
    assert "/register/classes/10%D0%B0/lessons?date=2023-12-01&amp;lesson=3" in html
    assert "3. час · Математика (записан)" in html
    assert "над праг" not in html  # appointed class teacher is someone else
    assert card(signed_in(api, "Втора Класна"), "planning") == ""  # no card for those who do not watch deadlines



def test_the_class_teachers_card_names_the_latest_threshold_of_this_year_and_counts_the_rest(api, make_user,
                                                                                            process, school):
    """One line a student, for a phone: the latest rule's title, article and day, then how many thresholds more;
    a firing of an earlier school year stays on the student's card only."""
    class_teacher_id, _token = make_user("class_teacher", "Класна Единадесети", classes=["11б"], password=PASSWORD)
    assert api.post("/api/register/classes", json={"code": "11б", "grade": 11,
                                                   "class_teacher_id": class_teacher_id}).status_code == 201
    created = api.post("/api/register/students", json={
        "first_name": "Иво", "middle_name": "Петров", "last_name": "Колев", "egn": "0841021238", "class_code": "11б",
        "guardians": []})
    assert created.status_code == 201, created.json
    student = created.json["id"]
    register = process.runtime("register")
    with register.db.transaction() as s:
        s.add(RuleFiring(student_id=student, rule_id="sanction_warning", article="Чл. 52, ал. 1, т. 2",
                         action="suggest_sanction", threshold=11, count=11, period="2022/2023",
                         counted_to=dt.date(2023, 5, 30)))
    for lesson in range(1, 6):  # five unexcused hours: the ladder's 3 first, then the thresholds of 5
        assert api.post("/api/register/absences", json={
            "date": "2023-11-30", "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": student, "kind": "unexcused"}]}).status_code == 201
    api.drain()
    html = card(signed_in(api, "Класна Единадесети"), "register")
    [line] = re.findall(r'<ul class="flagged">(.*?)</ul>', html)
    assert "Иво Петров Колев</a>:" in line
    assert "Чл. 52, ал. 1, т. 2" not in line  # last school year's
    assert ("Предложение за санкция „забележка“ (Чл. 52, ал. 1, т. 1), 30.11.2023 "
            '<span class="muted">и още 1 праг</span>') in line  # the ladder's letter at 3 is the one more
