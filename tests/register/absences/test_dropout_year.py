"""A school year replayed day by day (issue 19, point 2): the early warning of dropout (Чл. 97, т. 17)
and the review for deregistration (Чл. 25, ал. 4, т. 2) run by the register's sweeps on their days,
once, with their duties in planning, their documents and the parents told; the director's decision
(Чл. 25, ал. 4) and the notices of a compulsory-age student (Чл. 25, ал. 5)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.documents.rendering import docx_text
from services.notifications.models import Delivery
from services.planning.models import Procedure
from services.register.absences import deregistration, dropout
from services.register.models.absences import RuleFiring
from services.register.school.rules.dates import add_months
from services.register.school.years import calendar_for
from shared.clock import Clock
from tests.support.pages import signed_in
from tests.support.school import setup_small_school
from tests.web.browser import PASSWORD

YEAR_START, YEAR_END = dt.date(2023, 9, 15), dt.date(2024, 6, 30)
#: A month before the first term ends (02.02.2024); the second ends 30.06.2024, XII's classes 15.05.2024.
TERM_1_REPORT, XII_TERM_2_REPORT, TERM_2_REPORT = dt.date(2024, 1, 2), dt.date(2024, 4, 15), dt.date(2024, 5, 30)
DECISION_DAY = dt.date(2024, 1, 8)


@pytest.fixture
def settings(settings):
    # Every lesson of the year can be entered (none is in the future); each replayed day sets the register's clock.
    return settings.replace(today=YEAR_END)


def _student(api, first, last, egn, class_code, guardians=()):
    answer = api.post("/api/register/students", json={"first_name": first, "middle_name": "", "last_name": last,
                                                      "egn": egn, "class_code": class_code,
                                                      "guardians": list(guardians)})
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _lesson(api, token, day, lesson, marks, subject="Математика"):
    answer = api.as_(token).post("/api/register/absences", json={
        "date": day.isoformat(), "lesson": lesson, "subject": subject,
        "marks": [{"student_id": sid, "kind": kind} for sid, kind in marks]})
    assert answer.status_code == 201, answer.json


def _school_days(register, start, count):
    with register.db.sessions() as s:
        calendar = calendar_for(s, start)
    days, day = [], start
    while len(days) < count:
        if calendar.is_school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _year(api, make_user, process):
    """10а: Мария (19, 20 unexcused in November), Борис (present), Даниел (15, gone since 06.11.2023);
    12а: Цветан (20 unexcused in October, then back) and Елена (present)."""
    register = process.runtime("register")
    school = setup_small_school(api, make_user)
    maria = school.student_id
    boris = _student(api, "Борис", "Борисов", "0841017897", "10а")
    daniel = _student(api, "Даниел", "Данов", "0845101239", "10а",
                      [{"name": "Дана Данова", "email": "dana@example.bg", "phone": "+359888000003"}])
    teacher_12, teacher_12_token = make_user("teacher", "Учител Физика", classes=["12а"])
    class_teacher_12, _ = make_user("class_teacher", "Класен Дванадесети", classes=["12а"])
    assert api.post("/api/register/classes", json={"code": "12а", "grade": 12,
                                                   "class_teacher_id": class_teacher_12}).status_code == 201
    assert api.post("/api/register/assignments", json={"teacher_id": teacher_12, "class_code": "12а",
                                                       "subject": "Физика", "weekly_hours": {"1": 2, "2": 2}}
                    ).status_code == 201
    tsvetan = _student(api, "Цветан", "Цветанов", "0543034568", "12а")
    elena = _student(api, "Елена", "Еленова", "0542024565", "12а")
    for day in _school_days(register, dt.date(2023, 10, 2), 20):
        _lesson(api, teacher_12_token, day, 1, [(tsvetan, "unexcused")], "Физика")
    _lesson(api, teacher_12_token, dt.date(2023, 10, 30), 1, [(elena, "late")], "Физика")  # Цветан is back
    _lesson(api, school.teacher_token, dt.date(2023, 11, 3), 1, [(boris, "late")])  # Даниел's last day at school
    for number, day in enumerate(_school_days(register, dt.date(2023, 11, 6), 33)):
        marks = [(daniel, "unexcused")] + ([(maria, "unexcused")] if number < 20 else [(boris, "late")])
        _lesson(api, school.teacher_token, day, 1, marks)
    api.drain()
    return school, {"maria": maria, "boris": boris, "daniel": daniel, "tsvetan": tsvetan, "elena": elena}


def _replay(api, process, monkeypatch, students):
    """Each day of the year, each sweep twice (the scheduler may run twice); the director decides on 08.01."""
    register = process.runtime("register")
    sweeps = {getattr(sweep, "__name__", "") for sweep in register.definition.sweeps(register)}
    assert {"dropout_reports", "deregistration_reviews"} <= sweeps  # the scheduler runs them every minute
    reports, reviews = {}, {}
    day = YEAR_START
    while day <= YEAR_END:
        monkeypatch.setattr(register, "clock", Clock(day))
        if found := dropout.report_due(register):
            reports[day] = found
        if found := deregistration.review_due(register):
            reviews[day] = found
        assert (dropout.report_due(register), deregistration.review_due(register)) == (0, 0), day
        if day == DECISION_DAY:
            api.drain()
            decided = api.post(f"/api/register/students/{students['daniel']}/deregistration",
                               json={"ground": "nonattendance", "date": DECISION_DAY.isoformat()})
            assert decided.status_code == 201, decided.json
            assert decided.json["article"] == "Чл. 25, ал. 4, т. 2"
            assert (decided.json["age"], decided.json["compulsory_age"], decided.json["authorities_notified"]) == (
                15, True, True)
        day += dt.timedelta(days=1)
    api.drain()
    return reports, reviews


def test_a_replayed_year_reports_dropout_risk_and_reviews_deregistration_on_their_days_once(
        api, make_user, process, monkeypatch, app):
    _school, students = _year(api, make_user, process)
    reports, reviews = _replay(api, process, monkeypatch, students)

    # Чл. 97, т. 17: a month before each term ends, per grade; 10а: Мария and Даниел, 12а: Цветан; in the
    # second term Даниел is deregistered and XII reports a month before its classes end (15.05).
    assert reports == {TERM_1_REPORT: 3, XII_TERM_2_REPORT: 1, TERM_2_REPORT: 1}
    # Чл. 25, ал. 4, т. 2: more than two months since Даниел's first missed day (06.11.2023), once.
    since = dt.date(2023, 11, 6)
    assert reviews == {add_months(since, 2): 1}

    # planning: the class teachers' reports and the director's review, with their deadlines
    planning = process.runtime("planning")
    with planning.db.sessions() as s:
        duties = {p.key: p for p in s.scalars(sa.select(Procedure).where(sa.or_(
            Procedure.key.like("dropout_report:%"), Procedure.key.like("deregistration:%"))))}
    assert {key: (p.due, p.responsible_roles, p.article) for key, p in duties.items()} == {
        "dropout_report:2023/2024/1:10а": (TERM_1_REPORT, ["class_teacher"], "Чл. 97, т. 17"),
        "dropout_report:2023/2024/1:12а": (TERM_1_REPORT, ["class_teacher"], "Чл. 97, т. 17"),
        "dropout_report:2023/2024/2:12а": (XII_TERM_2_REPORT, ["class_teacher"], "Чл. 97, т. 17"),
        "dropout_report:2023/2024/2:10а": (TERM_2_REPORT, ["class_teacher"], "Чл. 97, т. 17"),
        f"deregistration:{students['daniel']}:{since.isoformat()}": (
            add_months(since, 2) + dt.timedelta(days=7), ["director"], "Чл. 25, ал. 4, т. 2"),
    }
    review = duties[f"deregistration:{students['daniel']}:{since.isoformat()}"]
    assert (review.status, review.done_on) == ("done", DECISION_DAY)  # the decision closed it

    # documents: one report per class and term, one letter per student and term, three notices (ал. 5)
    def documents(template):
        found = api.get("/api/documents/documents", query_string={"template": template}).json
        assert all(d["status"] == "done" for d in found), found
        return found

    assert len(documents("dropout_report")) == 4
    letters = documents("dropout_letter")
    # one per student and term, and one more for each guardian on paper (Цветан has none)
    assert {d["student_id"] for d in letters} == {students["maria"], students["daniel"], students["tsvetan"]}
    assert len([d for d in letters if d["student_id"] == students["tsvetan"]]) == 2
    assert len([d for d in letters if d["student_id"] == students["maria"]]) == 2 + 2 * 2
    first_report = next(d for d in documents("dropout_report")
                        if "10а" in (text := docx_text(api.get(f"/api/documents/documents/{d['id']}/file").data))
                        and "02.01.2024" in text)
    text = docx_text(api.get(f"/api/documents/documents/{first_report['id']}/file").data)
    assert "Мария Петрова Иванова" in text
    assert "Даниел Данов" in text
    assert "Борис" not in text
    assert "10а-1/02.01.2024" in text
    assert "10а-2/02.01.2024" in text
    assert "20 отсъствия по неуважителни причини" in text
    assert "Писмено уведомяване на родителя" in text  # the ladder's letters are the activities so far
    maria_letter = next(d for d in letters if d["student_id"] == students["maria"] and "02.01.2024" in d["number"])
    letter_text = docx_text(api.get(f"/api/documents/documents/{maria_letter['id']}/file").data)
    assert "застрашено от отпадане" in letter_text
    assert "Писмото е регистрирано в дневника на класа под № 10а-" in letter_text
    notices = documents("deregistration_notice")
    assert len(notices) == 3
    notice_texts = [docx_text(api.get(f"/api/documents/documents/{d['id']}/file").data) for d in notices]
    assert all("Даниел Данов" in t and "Чл. 25, ал. 4, т. 2" in t and "08.01.2024" in t for t in notice_texts)
    assert any("ДО НАЧАЛНИКА НА РЕГИОНАЛНОТО УПРАВЛЕНИЕ НА ОБРАЗОВАНИЕТО" in t for t in notice_texts)
    assert any("ЗАКРИЛА НА ДЕТЕТО" in t for t in notice_texts)

    # the letter is registered in the class register: the API and the student's card show it
    entries = api.get(f"/api/register/students/{students['maria']}/register-entries")
    assert entries.status_code == 200, entries.json
    assert [(e["date"], e["article"]) for e in entries.json] == [
        ("2024-01-02", "Чл. 97, т. 17"), ("2024-05-30", "Чл. 97, т. 17")]
    make_user("class_teacher", "Класна Картонова", classes=["10а"], password=PASSWORD)
    client = signed_in(app, "Класна Картонова", PASSWORD)
    card = client.get(f"/register/students/{students['maria']}")
    html = card.get_data(as_text=True)
    assert card.status_code == 200
    assert f"№ {entries.json[0]['number']} г." in html
    assert "Писма, регистрирани в дневника на класа" in html

    # the parents are told once per student and term, on every channel they chose (Чл. 97, т. 17)
    notifications = process.runtime("notifications")
    with notifications.db.sessions() as s:
        told = s.execute(sa.select(Delivery.about_key, Delivery.channel, Delivery.recipient).where(
            Delivery.about_key.like("dropout:%"))).all()
    assert len(told) == len(set(told))
    assert {key for key, _channel, _address in told} == {
        f"dropout:{students['maria']}:2023/2024/1", f"dropout:{students['maria']}:2023/2024/2",
        f"dropout:{students['daniel']}:2023/2024/1"}  # Цветан has no guardian to tell
    # no channel reaches Даниел's mother in this school: the letter goes on paper, as the ladder's do
    assert [(channel, address) for key, channel, address in told if key.startswith(f"dropout:{students['daniel']}")
            ] == [("paper", "на хартия: Дана Данова")]

    # a deregistered student leaves the class lists but keeps his history
    with process.runtime("register").db.sessions() as s:
        kept = s.scalar(sa.select(sa.func.count()).select_from(RuleFiring).where(
            RuleFiring.student_id == students["daniel"]))
    assert kept >= 4  # the ladder's rungs, the dropout report, the review
    summary = api.get(f"/api/register/students/{students['daniel']}/absences/summary",
                      query_string={"from": "2023-09-15", "to": "2024-06-30"})
    assert summary.status_code == 200
    assert summary.json["unexcused_total"] == 33
    daniel_card = client.get(f"/register/students/{students['daniel']}").get_data(as_text=True)
    assert "Отписан на 08.01.2024 г. на основание Чл. 25, ал. 4, т. 2" in daniel_card
    assert "дни без посещение (повече от 2 месеца)" in daniel_card
    again = api.post(f"/api/register/students/{students['daniel']}/deregistration",
                     json={"ground": "nonattendance", "date": "2024-01-09"})
    assert again.status_code == 409
