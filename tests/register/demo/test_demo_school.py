"""The demo school a newcomer gets with ``schoolctl up --demo``: modelled on the seeds, rules at work."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.register.absences import finalising
from services.register.models.absences import Absence, AbsenceFinalisation
from services.register.models.assessment import Grade
from services.register.models.people import Guardian, SchoolClass, Student, User
from services.register.people.identification import identify
from shared.auth.roles import ROLES


@pytest.mark.backend("embedded")
def test_demo_school_has_classes_students_absences_and_fired_rules(process, api, backend):
    register = process.runtime("register")
    accounts = register.definition.load_demo(register)
    with register.db.sessions() as s:
        classes = s.scalars(sa.select(SchoolClass.code).order_by(SchoolClass.id)).all()
        students = s.scalars(sa.select(Student)).all()
        marks = s.scalar(sa.select(sa.func.count(Absence.id)))
    assert classes == ["8а", "8б", "9а", "9б", "10а", "10б", "11а", "11б", "12а", "12б"]
    assert len(students) == 300
    assert all(identify(st.egn, None)[1] == {} for st in students)  # valid-format fake ЕГН
    # Most families gave a postal address for the letters on paper, one for both parents; the rest get
    # theirs „чрез ученика“.
    with register.db.sessions() as s:
        families: dict[int, set] = {}
        for student_id, address in s.execute(sa.select(Guardian.student_id, Guardian.address)):
            families.setdefault(student_id, set()).add(address)
    assert all(len(addresses) == 1 for addresses in families.values())
    with_address = [a for (a,) in families.values() if a is not None]
    assert 0.7 * len(families) < len(with_address) < len(families)
    assert all(a.startswith("ул. „") and a.endswith(", гр. Русе") for a in with_address)
    assert marks > 1000
    ladder = api.get("/api/register/rule-firings", query_string={"rule_id": "parent_notification_ladder"}).json
    assert ladder
    assert {f["article"] for f in ladder} == {"Чл. 97, т. 8"}
    years = api.get("/api/register/school-years").json
    assert len(years) == 1
    assert years[0]["classes_end"] == {"12": f"{years[0]['end'][:4]}-05-15"}  # XII finishes in May
    for code in ("12а", "12б", "10а"):  # XII's results answered 500 before it had its own end of classes
        results = api.get(f"/api/register/classes/{code}/results")
        assert results.status_code == 200, (code, results.json)
    # Loading again never duplicates or overwrites a school, nor shows new passwords.
    assert register.definition.load_demo(register) == []
    with register.db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count(Student.id))) == 300

    # Each class teacher has finalised the weeks before this one (Чл. 97, т. 9), so planning closes their D05
    # duties (tests/register/absences/test_finalising.py) and the overdue board shows no duty per class and
    # school day of the two months; the duties of this week are not due yet.
    through = finalising.last_week_end(register.clock.today())
    with register.db.sessions() as s:
        finalised = dict(s.execute(sa.select(AbsenceFinalisation.class_code, AbsenceFinalisation.through)).all())
        outbox = register.tables.outbox
        announced = s.scalar(sa.select(sa.func.count()).select_from(outbox).where(
            outbox.name == "register.absences_finalised"))
    assert finalised == dict.fromkeys(classes, through)
    assert announced == len(classes)

    # One account of each role signs in, each with something to see.
    assert sorted(a.role for a in accounts) == sorted(ROLES)
    anonymous = api.as_(None)
    for account in accounts:
        answer = anonymous.post("/api/register/login", json={"name": account.name, "password": account.password})
        assert answer.status_code == 200, (account, answer.json)
    parent = next(a for a in accounts if a.role == "parent")
    with register.db.sessions() as s:
        child_id = s.scalar(sa.select(User.student_ids).where(User.name == parent.name, User.role == "parent"))[0]
        assert s.scalar(sa.select(sa.func.count(Absence.id)).where(Absence.student_id == child_id)) > 0
        assert s.scalar(sa.select(sa.func.count(Grade.id)).where(Grade.student_id == child_id)) > 0
        led = s.scalar(sa.select(SchoolClass.code).join(User, User.id == SchoolClass.class_teacher_id).where(
            User.name == next(a.name for a in accounts if a.role == "class_teacher")))
        assert s.scalar(sa.select(sa.func.count(Absence.id)).join(Student, Student.id == Absence.student_id)
                        .where(Student.class_code == led, Absence.kind == "unexcused")) > 0
