"""The parent's application to excuse (Чл. 61, ал. 1, т. 3) through the API: the yearly quota counted
with the applications still pending, the class teacher's decision once, the excuse it becomes, audited."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.support.school import setup_small_school

pytestmark = pytest.mark.integration

#: A Friday of October 2023: the week's absences are within the parent's 3 school days after return.
TODAY = dt.date(2023, 10, 6)
MONDAY, TUESDAY, WEDNESDAY = (dt.date(2023, 10, d) for d in (2, 3, 4))
APPLICATIONS = "/api/register/excuse-applications"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture
def world(api, make_user):
    school = setup_small_school(api, make_user)
    _pid, parent = make_user("parent", "Петър Иванов", students=[school.student_id])
    teacher = api.as_(school.teacher_token)
    for day in (MONDAY, TUESDAY, WEDNESDAY):
        for lesson in (1, 2):
            assert teacher.post("/api/register/absences", json={
                "date": day.isoformat(), "lesson": lesson, "subject": "Математика",
                "marks": [{"student_id": school.student_id, "kind": "unexcused"}]}).status_code == 201
    return school, api.as_(parent), api.as_(school.class_teacher_token)


def apply(parent, student_id: int, start: dt.date, end: dt.date):
    return parent.post(APPLICATIONS, json={"student_id": student_id, "from": start.isoformat(), "to": end.isoformat(),
                                           "reason": "Семейни причини"})


def messages(answer) -> str:
    return " ".join(text for texts in answer.json["errors"].values() for text in texts)


def test_pending_applications_count_against_the_yearly_quota(world, api):
    school, parent, _ct = world
    assert apply(parent, school.student_id, MONDAY, TUESDAY).status_code == 201
    refused = apply(parent, school.student_id, WEDNESDAY, dt.date(2023, 10, 5))
    assert refused.status_code == 422
    assert "Чл. 61, ал. 1, т. 3" in messages(refused)
    assert "остават 1, а се искат 2" in messages(refused)
    assert apply(parent, school.student_id, WEDNESDAY, WEDNESDAY).status_code == 201
    twice = apply(parent, school.student_id, TUESDAY, WEDNESDAY)
    assert twice.status_code == 409
    assert "вече има заявление" in twice.json["errors"]["from"][0]
    listed = parent.get(APPLICATIONS, query_string={"student_id": school.student_id}).json
    assert [(a["from"], a["school_days"], a["status"]) for a in listed] == [
        ("2023-10-04", 1, "pending"), ("2023-10-02", 2, "pending")]


def test_a_day_without_school_and_a_late_application_are_refused_with_the_article(world):
    school, parent, _ct = world
    weekend = apply(parent, school.student_id, dt.date(2023, 10, 7), dt.date(2023, 10, 8))
    assert weekend.status_code == 422
    assert "не съдържа учебни дни" in messages(weekend)
    late = apply(parent, school.student_id, dt.date(2023, 9, 18), dt.date(2023, 9, 18))
    assert late.status_code == 422
    assert "след крайния срок" in messages(late)
    assert "from" in late.json["errors"]


def test_the_class_teacher_accepts_once_and_the_excuse_is_the_one_post_excuses_makes(world, api, process):
    school, parent, class_teacher = world
    application = apply(parent, school.student_id, MONDAY, TUESDAY).json["id"]
    assert class_teacher.post(f"{APPLICATIONS}/{application}/refuse", json={}).status_code == 422
    accepted = class_teacher.post(f"{APPLICATIONS}/{application}/accept")
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted"
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary").json
    assert (summary["excused"], summary["unexcused"]) == (4, 2)
    again = class_teacher.post(f"{APPLICATIONS}/{application}/refuse", json={"reason": "Късно"})
    assert again.status_code == 409
    # The quota is the excuses' own: one more school day is left for this school year.
    direct = class_teacher.post("/api/register/excuses", json={
        "student_id": school.student_id, "from": WEDNESDAY.isoformat(), "to": "2023-10-05", "reason": "parent",
        "evidence": "Молба"})
    assert direct.status_code == 422
    assert "остават 1, а се искат 2" in messages(direct)
    register = process.runtime("register")
    with register.db.sessions() as s:
        audit = register.tables.audit
        actions = s.scalars(sa.select(audit.action).where(audit.action.like("excuse%")).order_by(audit.id)).all()
        evidence = s.scalar(sa.text("SELECT evidence FROM excuses WHERE id = :id"), {"id": accepted.json["excuse_id"]})
    assert actions == ["excuse_application.submit", "excuse.create", "excuse_application.accept"]
    assert evidence.startswith(f"Заявление от родителя № {application} от 06.10.2023: Семейни причини")


def test_a_refusal_carries_the_class_teachers_reason_to_the_parent(world):
    school, parent, class_teacher = world
    application = apply(parent, school.student_id, WEDNESDAY, WEDNESDAY).json["id"]
    refused = class_teacher.post(f"{APPLICATIONS}/{application}/refuse",
                                 json={"reason": "Няма предварително уведомяване"})
    assert refused.status_code == 200
    [seen] = parent.get(APPLICATIONS).json
    assert (seen["status"], seen["refusal_reason"]) == ("refused", "Няма предварително уведомяване")
    assert parent.post(f"{APPLICATIONS}/{application}/accept").status_code == 403
