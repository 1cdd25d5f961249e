"""„Оформи седмицата“: the class teacher finalises the absences (Чл. 97, т. 9), planning closes its D05 duties."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.planning.models import TABLES as PLANNING_TABLES
from services.planning.models import Procedure
from tests.support.lessons import TODAY, YESTERDAY, lesson, setup_class

URL = "/api/register/classes/10а/absences/finalised"
MONDAY = dt.date(2023, 10, 2)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def _duties(process) -> dict[str, str]:
    with process.runtime("planning").db.sessions() as s:
        return {p.key: p.status for p in s.scalars(sa.select(Procedure).where(Procedure.key.like("D05:%")))}


def _closings(process) -> int:
    audit = PLANNING_TABLES.audit
    with process.runtime("planning").db.sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(audit).where(audit.action == "procedure.close"))


def test_chl_97_t_9_the_class_teacher_finalises_up_to_a_day_and_planning_closes_those_duties_once(
        api, make_user, process):
    school = setup_class(api, make_user, students=2)
    student = school.students[0]
    teacher = api.as_(school.teacher_token)
    for day in (MONDAY, YESTERDAY, TODAY):
        assert teacher.post("/api/register/absences", json=lesson(day, 1, {student: "unexcused"})).status_code == 201
    api.drain()
    assert set(_duties(process).values()) == {"open"}
    assert len(_duties(process)) == 3

    class_teacher = api.as_(school.class_teacher_token)
    done = class_teacher.post(URL, json={"through": YESTERDAY.isoformat()})
    assert done.status_code == 201, done.json
    assert (done.json["class_code"], done.json["through"]) == ("10а", "2023-10-03")
    api.drain()
    assert _duties(process) == {"D05:10а:2023-10-02": "done", "D05:10а:2023-10-03": "done",
                                "D05:10а:2023-10-04": "open"}
    assert _closings(process) == 2

    # The event handled again (a relay re-sends it) closes nothing more.
    register = process.runtime("register")
    outbox = register.tables.outbox
    with register.db.sessions() as s:
        [event] = [row["data"] for row in s.scalars(sa.select(outbox.payload).where(
            outbox.name == "register.absences_finalised"))]
    with register.db.transaction() as s:
        register.publish(s, "register.absences_finalised", event)
    api.drain()
    assert _closings(process) == 2

    # A mark added later for a finalised day opens no duty: that day is finalised already.
    assert teacher.post("/api/register/absences", json=lesson(MONDAY, 2, {student: "late"})).status_code == 201
    api.drain()
    assert _duties(process)["D05:10а:2023-10-02"] == "done"

    again = class_teacher.post(URL, json={"through": YESTERDAY.isoformat()})
    assert again.status_code == 409
    assert "вече са оформени до 03.10.2023" in again.json["errors"]["through"][0]
    future = class_teacher.post(URL, json={"through": "2023-10-05"})
    assert future.status_code == 422
    assert "through" in future.json["errors"]
    assert class_teacher.post("/api/register/classes/12я/absences/finalised",
                              json={"through": YESTERDAY.isoformat()}).status_code == 404
    # Only the class teacher of the class (Чл. 97, т. 9): not its subject teacher, not the director.
    assert teacher.post(URL, json={"through": TODAY.isoformat()}).status_code == 403
    assert api.post(URL, json={"through": TODAY.isoformat()}).status_code == 403
    assert class_teacher.post(URL, json={"through": TODAY.isoformat()}).status_code == 201
    api.drain()
    assert set(_duties(process).values()) == {"done"}
