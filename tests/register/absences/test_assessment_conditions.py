"""More than 25 % excused absences in a subject (Чл. 61, ал. 2): the director's order on the conditions
and procedure of assessment is due once, as a duty in planning and a drawn-up order, with the extended
term when the excuse proves 20 consecutive days in hospital."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.documents.models import Document
from services.planning.models import Procedure
from services.register.models.absences import AssessmentConditionsOrder
from tests.support.school import setup_small_school

pytestmark = pytest.mark.integration

#: The Monday the student returns after a month in hospital.
TODAY = dt.date(2023, 10, 30)
HISTORY = "История и цивилизации"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def test_over_25_percent_excused_without_the_minimum_makes_the_order_due_with_the_extended_term(
        api, make_user, process):
    school = setup_small_school(api, make_user)
    assert api.post("/api/register/assignments", json={
        "teacher_id": school.teacher_id, "class_code": "10а", "subject": HISTORY,
        "weekly_hours": {"1": 1, "2": 1}}).status_code == 201
    sid = school.student_id
    for day in (2, 9, 16, 23, 27):  # 5 of 18 hours of the term: more than 25 %
        answer = api.as_(school.teacher_token).post("/api/register/absences", json={
            "date": f"2023-10-{day:02d}", "lesson": 6, "subject": HISTORY,
            "marks": [{"student_id": sid, "kind": "unexcused"}]})
        assert answer.status_code == 201, answer.json
    excuse = {"student_id": sid, "from": "2023-10-02", "to": "2023-10-27", "reason": "medical",
              "evidence": "Епикриза от УМБАЛ – Русе № 1234", "extended_ground": "hospital"}
    class_teacher = api.as_(school.class_teacher_token)
    assert class_teacher.post("/api/register/excuses", json={**excuse, "extended_ground": "vacation"}
                              ).status_code == 422
    made = class_teacher.post("/api/register/excuses", json=excuse)
    assert made.status_code == 201, made.json
    assert made.json["excused"] == 5
    api.drain()
    with process.runtime("register").db.sessions() as s:
        cases = [(c.subject, c.term, c.excused_hours, c.extended_ground)
                 for c in s.scalars(sa.select(AssessmentConditionsOrder))]
    assert cases == [(HISTORY, 1, 5, "hospital")]  # maths: 0 of 68 hours
    orders = api.get("/api/documents/documents", query_string={"template": "assessment_conditions_order"}).json
    assert len(orders) == 1
    assert orders[0]["student_id"] == sid
    assert orders[0]["status"] == "done", orders[0]
    assert orders[0]["number"]  # an order takes its register number
    with process.runtime("documents").db.sessions() as s:
        context = s.get(Document, orders[0]["id"]).context
    assert context["extended_days"] == 26
    assert context["extended_ground"] == "престой в болнично заведение"
    assert context["subjects"] == [{"subject": HISTORY, "excused_hours": 5, "planned_hours": 18}]
    # The director's duty in planning, due by the end of the term.
    with process.runtime("planning").db.sessions() as s:
        duties = [(p.article, p.responsible_roles, p.due, p.student_id) for p in s.scalars(
            sa.select(Procedure).where(Procedure.key.like("O5:%")))]
    assert duties == [("Чл. 61, ал. 2", ["director"], dt.date(2024, 2, 2), sid)]
    # A later excuse in the same term does not draw the order up again.
    answer = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-30", "lesson": 6, "subject": HISTORY, "marks": [{"student_id": sid, "kind": "unexcused"}]})
    assert answer.status_code == 201
    assert class_teacher.post("/api/register/excuses", json={**excuse, "from": "2023-10-30", "to": "2023-10-30",
                                                              "extended_ground": None}).status_code == 201
    api.drain()
    assert len(api.get("/api/documents/documents",
                       query_string={"template": "assessment_conditions_order"}).json) == 1
