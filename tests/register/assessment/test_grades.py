"""Grades through the API (Чл. 127–143): who enters them, by when, the term check, the window, class works."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.school import setup_small_school

#: Inside the term-grade window of term 1 (ends Friday 02.02.2024: window 29.01–31.01, Чл. 137, ал. 5).
IN_WINDOW = dt.date(2024, 1, 30)


@pytest.fixture
def today() -> dt.date:
    return IN_WINDOW


@pytest.fixture
def absence_alone() -> bool:
    """The reading of Чл. 137, ал. 2 (setting ``term_grade_absence_alone``): as the text says by default."""
    return False


@pytest.fixture
def settings(settings, today, absence_alone):
    return settings.replace(today=today, term_grade_absence_alone=absence_alone)


@pytest.fixture
def school(api, make_user):
    school = setup_small_school(api, make_user)
    for subject, hours in (("История и цивилизации", 1), ("Физическо възпитание и спорт", 2)):
        assert api.post("/api/register/assignments", json={
            "teacher_id": school.teacher_id, "class_code": "10а", "subject": subject,
            "weekly_hours": {"1": hours, "2": hours}}).status_code == 201
    return school


def grade(api, token, student_id, value=5, kind="oral", day=IN_WINDOW, subject="Математика"):
    return api.as_(token).post("/api/register/grades", json={
        "student_id": student_id, "subject": subject, "value": value, "kind": kind, "date": day.isoformat()})


def text(answer) -> str:
    return " ".join(t for texts in answer.json["errors"].values() for t in texts)


def subject_view(api, student_id, subject="Математика", term=1) -> dict:
    answer = api.get(f"/api/register/students/{student_id}/grades", query_string={"term": term})
    assert answer.status_code == 200, answer.json
    return answer.json[subject]


def test_only_the_subjects_teacher_of_the_class_enters_a_grade(api, make_user, school):
    entered = grade(api, school.teacher_token, school.student_id, 6)
    assert entered.status_code == 201, entered.json
    assert entered.json["name"] == "отличен"
    _other_id, other = make_user("teacher", "Друг учител", classes=["10а"])
    refused = grade(api, other, school.student_id)
    assert refused.status_code == 403
    assert "Чл. 139, ал. 1" in refused.json["message"]
    assert grade(api, school.class_teacher_token, school.student_id).status_code == 403
    assert grade(api, api.token, school.student_id).status_code == 403  # the director does not enter grades
    view = subject_view(api, school.student_id)
    assert [(g["value"], g["name"], g["kind"]) for g in view["current"]] == [(6, "отличен", "oral")]
    assert set(subject_view(api, school.student_id)) == {"current", "term", "annual", "can_form_term_grade",
                                                          "reasons"}


def test_entry_deadlines_same_day_and_one_week(api, school):
    token, student = school.teacher_token, school.student_id
    late_oral = grade(api, token, student, kind="oral", day=IN_WINDOW - dt.timedelta(days=1))
    assert late_oral.status_code == 422
    assert "Чл. 139, ал. 2, т. 1" in text(late_oral)
    assert grade(api, token, student, kind="practical", day=IN_WINDOW).status_code == 201
    assert grade(api, token, student, kind="written", day=IN_WINDOW - dt.timedelta(days=7)).status_code == 201
    late_written = grade(api, token, student, kind="written", day=IN_WINDOW - dt.timedelta(days=8))
    assert late_written.status_code == 422
    assert "Чл. 139, ал. 2, т. 2" in text(late_written)
    assert grade(api, token, student, value=7).status_code == 422


def test_minimum_current_grades_under_both_regimes(api, school):
    token, student = school.teacher_token, school.student_id
    for kind in ("oral", "oral", "written"):
        assert grade(api, token, student, kind=kind, day=IN_WINDOW - dt.timedelta(days=1)
                     if kind == "written" else IN_WINDOW).status_code == 201
    three = subject_view(api, student)
    assert three["can_form_term_grade"] is False
    assert "Чл. 129, ал. 2, т. 3" in " ".join(three["reasons"])  # 4 hours a week: 4 assessments (ЗПУО)
    assert grade(api, token, student, kind="written", day=IN_WINDOW).status_code == 201
    assert subject_view(api, student)["can_form_term_grade"] is True
    # admitted under the old law: 2 oral + 3 written or practical for 4 hours (Чл. 129, ал. 1, т. 4)
    answer = api.put(f"/api/register/students/{student}/assessment-regime", json={"admission_year": 2015})
    assert answer.status_code == 200, answer.json
    assert answer.json["regime"] == "legacy"
    legacy = subject_view(api, student)
    assert legacy["can_form_term_grade"] is False
    assert "Чл. 129, ал. 1, т. 4" in " ".join(legacy["reasons"])
    assert "писмено или практическо" in " ".join(legacy["reasons"])


def absences(api, student_id, count, subject="История и цивилизации"):
    days = [dt.date(2023, 10, 2) + dt.timedelta(days=i) for i in range(31)]
    for day in [d for d in days if d.weekday() < 5][:count]:
        answer = api.post("/api/register/absences", json={
            "date": day.isoformat(), "lesson": 2, "subject": subject,
            "marks": [{"student_id": student_id, "kind": "excused"}]})
        assert answer.status_code == 201, answer.json


@pytest.mark.parametrize("absence_alone", [True])
def test_stricter_reading_more_than_a_quarter_of_the_hours_missed_alone_blocks_the_term_grade(api, school):
    """Чл. 137, ал. 2 read strictly (``term_grade_absence_alone=true``): the absences alone withhold the grade."""
    token, student = school.teacher_token, school.student_id
    for _ in range(2):  # 1 hour a week: 2 assessments are the minimum
        assert grade(api, token, student, subject="История и цивилизации").status_code == 201
    absences(api, student, 4)  # 4 of about 17 hours: under 25 %
    assert subject_view(api, student, "История и цивилизации")["can_form_term_grade"] is True
    absences_fifth = api.post("/api/register/absences", json={
        "date": "2023-11-06", "lesson": 2, "subject": "История и цивилизации",
        "marks": [{"student_id": student, "kind": "unexcused"}]})
    assert absences_fifth.status_code == 201
    view = subject_view(api, student, "История и цивилизации")
    assert view["can_form_term_grade"] is False
    assert "Чл. 137, ал. 2" in " ".join(view["reasons"])
    exams = api.get("/api/register/classes/10а/term-exams", query_string={"term": 1}).json
    assert {(e["student_id"], e["subject"]) for e in exams} >= {(student, "История и цивилизации")}
    refused = api.as_(token).post("/api/register/term-grades", json={
        "student_id": student, "subject": "История и цивилизации", "term": 1, "value": 4})
    assert refused.status_code == 422
    assert "изпит" in text(refused)


def test_chl_137_al_2_as_the_text_says_absence_withholds_the_grade_only_without_the_minimum(api, school):
    """"Срочна оценка не се формира без наличието на минималния брой текущи изпитвания поради отсъствие
    ... в повече от 25 %": with the minimum reached, more than 25 % absence does not withhold it."""
    token, student = school.teacher_token, school.student_id
    assert grade(api, token, student, subject="История и цивилизации").status_code == 201
    absences(api, student, 5)  # 5 of about 17 hours: more than 25 %
    view = subject_view(api, student, "История и цивилизации")
    assert view["can_form_term_grade"] is False  # one of the 2 assessments missing, because of the absences
    assert "Чл. 137, ал. 2" in " ".join(view["reasons"])
    assert grade(api, token, student, subject="История и цивилизации").status_code == 201
    view = subject_view(api, student, "История и цивилизации")
    assert view["can_form_term_grade"] is True
    assert not view["reasons"]


def test_term_grade_inside_the_window_and_the_exam_when_it_cannot_be_formed(api, school):
    token, student = school.teacher_token, school.student_id
    for kind in ("oral", "oral", "written", "written"):
        assert grade(api, token, student, kind=kind).status_code == 201
    formed = api.as_(token).post("/api/register/term-grades", json={
        "student_id": student, "subject": "Математика", "term": 1, "value": 5})
    assert formed.status_code == 201, formed.json
    assert (formed.json["value"], formed.json["name"]) == (5, "много добър")
    assert subject_view(api, student)["term"] == 5
    again = api.as_(token).post("/api/register/term-grades", json={
        "student_id": student, "subject": "Математика", "term": 1, "value": 4})
    assert again.status_code == 409
    no_grades = api.as_(token).post("/api/register/term-grades", json={
        "student_id": student, "subject": "История и цивилизации", "term": 1, "value": 4})
    assert no_grades.status_code == 422
    assert "Чл. 137, ал. 1" in text(no_grades)
    exams = api.get("/api/register/classes/10а/term-exams", query_string={"term": 1}).json
    assert (student, "История и цивилизации") in {(e["student_id"], e["subject"]) for e in exams}
    assert (student, "Математика") not in {(e["student_id"], e["subject"]) for e in exams}


@pytest.mark.parametrize("today", [dt.date(2024, 1, 25)])
def test_term_grade_outside_the_window_is_refused(api, school, today):
    token, student = school.teacher_token, school.student_id
    for kind in ("oral", "oral", "oral", "oral"):
        assert grade(api, token, student, kind=kind, day=today).status_code == 201
    early = api.as_(token).post("/api/register/term-grades", json={
        "student_id": student, "subject": "Математика", "term": 1, "value": 5})
    assert early.status_code == 422
    assert "Чл. 137, ал. 5" in text(early)
    assert "29.01.2024" in text(early)


def test_pe_exemption_shows_exempt(api, school):
    order = api.post("/api/register/pe-exemptions", json={
        "student_id": school.student_id, "start": "2023-09-15", "end": "2024-06-30", "order_ref": "№ 1061"})
    assert order.status_code == 201, order.json
    assert api.as_(school.teacher_token).post("/api/register/pe-exemptions", json={
        "student_id": school.student_id, "start": "2023-09-15", "end": "2024-06-30"}).status_code == 403
    view = subject_view(api, school.student_id, "Физическо възпитание и спорт")
    assert view["term"] == "освободен"
    assert "Чл. 137, ал. 3" in " ".join(view["reasons"])
    formed = api.as_(school.teacher_token).post("/api/register/term-grades", json={
        "student_id": school.student_id, "subject": "Физическо възпитание и спорт", "term": 1})
    assert formed.status_code == 201, formed.json
    assert (formed.json["value"], formed.json["name"]) == (None, "освободен")


def work(api, token, day, kind="classwork", subject="Математика"):
    return api.as_(token).post("/api/register/class-works", json={
        "class_code": "10а", "subject": subject, "kind": kind, "date": day})


def test_class_work_schedule_limits(api, make_user, school):
    token = school.teacher_token
    assert work(api, token, "2024-01-08").status_code == 201
    same_day = work(api, token, "2024-01-08", kind="control", subject="История и цивилизации")
    assert same_day.status_code == 422
    assert "Чл. 136, ал. 1, т. 1" in text(same_day)
    assert work(api, token, "2024-01-09", subject="История и цивилизации").status_code == 201
    third = work(api, token, "2024-01-10")
    assert third.status_code == 422
    assert "Чл. 136, ал. 1, т. 2" in text(third)
    assert work(api, token, "2024-01-10", kind="control").status_code == 201  # controls are not class works
    last_weeks = work(api, token, "2024-01-22")
    assert last_weeks.status_code == 422
    assert "Чл. 136, ал. 1, т. 3" in text(last_weeks)
    _other, other = make_user("teacher", "Друг учител", classes=["10а"])
    assert work(api, other, "2024-01-15").status_code == 403
    listed = api.get("/api/register/classes/10а/class-works").json
    assert [(w["date"], w["kind"]) for w in listed] == [
        ("2024-01-08", "classwork"), ("2024-01-09", "classwork"), ("2024-01-10", "control")]


def test_a_class_work_grade_through_the_api_keeps_to_the_schedule_of_article_136(api, school):
    """``POST /grades`` of a class work goes through the same check as the grade book (Чл. 136, ал. 1, т. 3:
    none in a term's last two weeks): 422 naming ``date`` with the article, and nothing stored."""
    refused = grade(api, school.teacher_token, school.student_id, kind="classwork", day=dt.date(2024, 1, 29))
    assert refused.status_code == 422
    assert "date" in refused.json["errors"]
    assert "Чл. 136, ал. 1, т. 3" in text(refused)
    assert subject_view(api, school.student_id)["current"] == []
    assert api.get("/api/register/classes/10а/class-works").json == []
    # An oral grade in those weeks is no class work: it goes in.
    assert grade(api, school.teacher_token, school.student_id, kind="oral").status_code == 201
