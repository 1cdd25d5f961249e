"""Correcting a recorded lesson (поправка) through the API: the edit window, history, rules, announcements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.register.models.absences import Absence, AbsenceChange
from tests.support.lessons import TODAY, YESTERDAY, add_students, correction, lesson
from tests.support.school import setup_small_school

LADDER = "parent_notification_ladder"


@pytest.fixture
def edit_days() -> int:
    return 0


@pytest.fixture
def settings(settings, edit_days):
    # The school's "today" is a school day of the test year, so the same-day window can be met.
    return settings.replace(today=TODAY, absence_edit_days=edit_days)


def outbox(process, name: str) -> list[dict]:
    register = process.runtime("register")
    table = register.tables.outbox
    with register.db.sessions() as s:
        return [row["data"] for row in s.scalars(sa.select(table.payload).where(table.name == name)
                                                 .order_by(table.id))]


def marks_of(process, day, number) -> dict[int, tuple[int, str]]:
    with process.runtime("register").db.sessions() as s:
        return {a.student_id: (a.id, a.kind) for a in s.scalars(
            sa.select(Absence).where(Absence.date == day, Absence.lesson == number))}


def test_a_correction_removes_changes_and_adds_marks_and_leaves_their_history(api, make_user, process):
    school = setup_small_school(api, make_user)
    first, second, third = [school.student_id, *add_students(api, 2)]
    teacher = api.as_(school.teacher_token)
    recorded = teacher.post("/api/register/absences", json=lesson(TODAY, 2, {first: "unexcused",
                                                                             second: "unexcused"}))
    assert recorded.status_code == 201, recorded.json

    answer = teacher.post("/api/register/absences/corrections",
                          json=correction(TODAY, 2, {second: "late", third: "unexcused"}))

    assert answer.status_code == 200, answer.json
    assert answer.json == {"added": 1, "changed": 1, "removed": 1}
    marks = marks_of(process, TODAY, 2)
    assert {sid: kind for sid, (_id, kind) in marks.items()} == {second: "late", third: "unexcused"}
    summary = api.get(f"/api/register/students/{second}/absences/summary").json
    assert (summary["unexcused"], summary["late"], summary["unexcused_total"]) == (0, 1, 0.5)
    assert api.get(f"/api/register/students/{first}/absences/summary").json["unexcused_total"] == 0
    with process.runtime("register").db.sessions() as s:
        history = {(h.old_kind, h.new_kind) for h in s.scalars(sa.select(AbsenceChange))}
        audit = s.scalars(sa.select(process.runtime("register").tables.audit.action)).all()
    assert history == {("unexcused", None), ("unexcused", "late"), (None, "unexcused")}
    assert "absence.correct" in audit
    api.drain()
    # The forgotten mark is announced as a recorded absence, once; the others were announced before.
    events = outbox(process, "register.absence_recorded")
    assert [[m["student_id"] for m in e["marks"]] for e in events] == [[first, second], [third]]


def test_a_removed_absence_added_back_announces_nothing_again(api, make_user, process):
    """Чл. 97, т. 8: the parent told of the 3rd unexcused hour is not told again, nor is a letter drawn up twice."""
    school = setup_small_school(api, make_user)
    (classmate,) = add_students(api, 1)
    teacher = api.as_(school.teacher_token)
    for number in (1, 2, 3):
        assert teacher.post("/api/register/absences", json=lesson(TODAY, number, {
            school.student_id: "unexcused", classmate: "late"})).status_code == 201
    fired = [e for e in outbox(process, "register.rule_fired") if e["rule_id"] == LADDER]
    assert [(e["student_id"], e["threshold"]) for e in fired] == [(school.student_id, 3)]
    original_id = marks_of(process, TODAY, 3)[school.student_id][0]

    removed = teacher.post("/api/register/absences/corrections", json=correction(TODAY, 3, {classmate: "late"}))
    assert removed.json == {"added": 0, "changed": 0, "removed": 1}
    assert api.get(f"/api/register/students/{school.student_id}/absences/summary").json["unexcused"] == 2
    added_back = teacher.post("/api/register/absences/corrections", json=correction(
        TODAY, 3, {classmate: "late", school.student_id: "unexcused"}))
    assert added_back.json == {"added": 1, "changed": 0, "removed": 0}
    api.drain()

    assert [e["threshold"] for e in outbox(process, "register.rule_fired") if e["rule_id"] == LADDER] == [3]
    assert len(outbox(process, "register.absence_recorded")) == 3
    assert marks_of(process, TODAY, 3)[school.student_id] == (original_id, "unexcused")
    letters = api.get("/api/register/rule-firings", query_string={"student_id": school.student_id,
                                                                   "rule_id": LADDER}).json
    assert [f["threshold"] for f in letters] == [3]
    assert api.get(f"/api/register/students/{school.student_id}/absences/summary").json["unexcused"] == 3


def test_a_correction_that_crosses_a_rung_fires_it_once(api, make_user, process):
    school = setup_small_school(api, make_user)
    teacher = api.as_(school.teacher_token)
    for number in (1, 2):
        teacher.post("/api/register/absences", json=lesson(TODAY, number, {school.student_id: "unexcused"}))
    teacher.post("/api/register/absences", json=lesson(TODAY, 3, {school.student_id: "late"}))
    assert not [e for e in outbox(process, "register.rule_fired") if e["rule_id"] == LADDER]

    teacher.post("/api/register/absences/corrections", json=correction(TODAY, 3, {school.student_id: "unexcused"}))

    fired = [e for e in outbox(process, "register.rule_fired") if e["rule_id"] == LADDER]
    assert [(e["threshold"], e["count"]) for e in fired] == [(3, 3)]


def test_the_same_day_window_refuses_yesterdays_lesson_and_changes_nothing(api, make_user, process):
    school = setup_small_school(api, make_user)
    teacher = api.as_(school.teacher_token)
    teacher.post("/api/register/absences", json=lesson(YESTERDAY, 1, {school.student_id: "unexcused"}))

    answer = teacher.post("/api/register/absences/corrections", json=correction(YESTERDAY, 1, {}))

    assert answer.status_code == 409
    assert answer.json["errors"]["date"] == [
        "Отсъствията от 03.10.2023 могат да се поправят само в същия учебен ден; след това ги променя само "
        "извиняване от класния ръководител."]
    assert marks_of(process, YESTERDAY, 1)[school.student_id][1] == "unexcused"


@pytest.mark.parametrize("edit_days", [1])
def test_a_wider_window_set_by_the_school_lets_yesterday_be_corrected(api, make_user, process):
    school = setup_small_school(api, make_user)
    teacher = api.as_(school.teacher_token)
    teacher.post("/api/register/absences", json=lesson(YESTERDAY, 1, {school.student_id: "unexcused"}))

    answer = teacher.post("/api/register/absences/corrections",
                          json=correction(YESTERDAY, 1, {school.student_id: "late"}))

    assert answer.status_code == 200, answer.json
    assert marks_of(process, YESTERDAY, 1)[school.student_id][1] == "late"


def test_only_the_lessons_teacher_corrects_and_excused_marks_stay(api, make_user, process):
    school = setup_small_school(api, make_user)
    teacher = api.as_(school.teacher_token)
    teacher.post("/api/register/absences", json=lesson(TODAY, 1, {school.student_id: "unexcused"}))
    _other_id, other_token = make_user("teacher", "Учител Друг", classes=["10а"])

    refused = api.as_(other_token).post("/api/register/absences/corrections", json=correction(TODAY, 1, {}))
    assert refused.status_code == 403

    excused = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        "student_id": school.student_id, "from": TODAY.isoformat(), "to": TODAY.isoformat(), "reason": "medical",
        "evidence": "Медицинска бележка № 12"})
    assert excused.status_code == 201, excused.json
    changed = teacher.post("/api/register/absences/corrections",
                           json=correction(TODAY, 1, {school.student_id: "unexcused"}))
    assert changed.status_code == 422
    assert "извинено" in changed.json["errors"]["marks.0.kind"][0]
    kept = teacher.post("/api/register/absences/corrections", json=correction(TODAY, 1, {}))
    assert kept.json == {"added": 0, "changed": 0, "removed": 0}
    assert marks_of(process, TODAY, 1)[school.student_id][1] == "excused"


def test_a_lesson_not_recorded_has_nothing_to_correct(api, make_user):
    school = setup_small_school(api, make_user)
    answer = api.as_(school.teacher_token).post("/api/register/absences/corrections",
                                                json=correction(TODAY, 5, {school.student_id: "late"}))
    assert answer.status_code == 409
    assert answer.json["errors"]["_schema"] == ["5. час от 04.10.2023 не е записан: няма какво да се поправи."]
