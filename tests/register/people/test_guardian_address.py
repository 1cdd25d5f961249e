"""A guardian's postal address, for the letters on paper: entered, imported, corrected, read by whom it concerns.

The address is optional and additive to the contract's ``guardians: [{"name", "email", "phone"}]``;
it is trimmed, at most 300 characters, refused naming ``guardians.N.address`` with nothing stored.
The office, the student's class teacher and the student's own parents read it; a correction reaches
notifications and documents (their replicas address the next letter); the audit log never holds it.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from services.documents.models import StudentCard
from services.notifications.models import Guardian as NotifiedGuardian
from services.register.models import TABLES
from services.register.models.people import Guardian, Student
from tests.notifications.support import publish_from_register
from tests.register.people.test_student_import import csv_bytes, upload, xlsx_bytes
from tests.support.school import setup_small_school

ADDRESS = "гр. Търговище, ул. „Васил Левски“ № 12, вх. Б, ап. 4"
NO_EMAIL = [{"name": "Стоян Колев", "phone": "+359888000003", "address": f"  {ADDRESS}  "},
            {"name": "Гергана Колева"}]


def students_count(process) -> int:
    with process.runtime("register").db.sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Student))


def test_an_address_is_entered_trimmed_returned_and_reaches_the_replicas(api, make_user, process):
    school = setup_small_school(api, make_user, guardians=NO_EMAIL)
    found = api.get(f"/api/register/students/{school.student_id}/guardians")
    assert found.status_code == 200, found.json
    assert [(g["name"], g["address"]) for g in found.json] == [("Стоян Колев", ADDRESS), ("Гергана Колева", None)]
    assert found.json[0]["phone"] == "+359888000003"
    with process.runtime("notifications").db.sessions() as s:
        assert s.scalar(sa.select(NotifiedGuardian.address).where(NotifiedGuardian.name == "Стоян Колев")) == ADDRESS
    with process.runtime("documents").db.sessions() as s:
        assert [g["address"] for g in s.get(StudentCard, school.student_id).guardians] == [ADDRESS, None]


def test_the_contracts_guardians_without_an_address_still_work(api, make_user):
    school = setup_small_school(api, make_user)  # guardians of name, e-mail and phone only
    found = api.get(f"/api/register/students/{school.student_id}/guardians").json
    assert [g["address"] for g in found] == [None, None]
    assert found[0]["email"] == "petar@example.bg"


def test_a_wrong_address_is_refused_naming_the_field_and_nothing_is_stored(api, make_user, process):
    school = setup_small_school(api, make_user)
    before = students_count(process)
    student = {"first_name": "Иван", "middle_name": "Петров", "last_name": "Стоянов", "egn": "0847151239",
               "class_code": "10а"}
    for address, message in (("а" * 301, "Адресът е най-много 300 знака."), (12, None)):
        refused = api.post("/api/register/students", json={**student, "guardians": [
            {"name": "Петър Стоянов"}, {"name": "Мария Стоянова", "address": address}]})
        assert refused.status_code == 422, refused.json
        assert list(refused.json["errors"]) == ["guardians.1.address"]
        if message:
            assert refused.json["errors"]["guardians.1.address"] == [message]
    assert students_count(process) == before
    first = api.get(f"/api/register/students/{school.student_id}/guardians").json[0]
    too_long = api.put(f"/api/register/students/{school.student_id}/guardians/{first['id']}",
                       json={"name": first["name"], "address": "б" * 301})
    assert too_long.status_code == 422
    assert list(too_long.json["errors"]) == ["address"]
    assert api.get(f"/api/register/students/{school.student_id}/guardians").json[0]["address"] is None


def test_the_office_and_the_class_teacher_correct_an_address_which_the_audit_log_never_holds(
        api, make_user, process):
    school = setup_small_school(api, make_user)
    guardian = api.get(f"/api/register/students/{school.student_id}/guardians").json[0]
    path = f"/api/register/students/{school.student_id}/guardians/{guardian['id']}"
    changed = api.as_(school.class_teacher_token).put(path, json={
        "name": guardian["name"], "email": guardian["email"], "phone": guardian["phone"], "address": ADDRESS})
    assert changed.status_code == 200, changed.json
    assert changed.json["address"] == ADDRESS
    api.drain()
    assert api.get(f"/api/register/students/{school.student_id}/guardians").json[0]["address"] == ADDRESS
    with process.runtime("notifications").db.sessions() as s:
        assert s.get(NotifiedGuardian, guardian["id"]).address == ADDRESS
    with process.runtime("documents").db.sessions() as s:
        assert s.get(StudentCard, school.student_id).guardians[0]["address"] == ADDRESS
    # A subject teacher neither corrects nor reads it; another student's guardian is not this one's.
    assert api.as_(school.teacher_token).put(path, json={"name": "Друг"}).status_code == 403
    assert api.as_(school.teacher_token).get(f"/api/register/students/{school.student_id}/guardians"
                                              ).status_code == 403
    assert api.put(f"/api/register/students/{school.student_id}/guardians/999999",
                   json={"name": "Друг"}).status_code == 404
    with process.runtime("register").db.sessions() as s:
        audited = [json.dumps([row.before, row.after], ensure_ascii=False)
                   for row in s.scalars(sa.select(TABLES.audit).where(TABLES.audit.action == "guardian.update"))]
    assert len(audited) == 1
    assert ADDRESS not in audited[0]
    assert "***" in audited[0]


def test_who_reads_the_guardians(api, make_user):
    school = setup_small_school(api, make_user)
    path = f"/api/register/students/{school.student_id}/guardians"
    _parent, parent = make_user("parent", "Петър Иванов", students=[school.student_id])
    _other, other_parent = make_user("parent", "Друг Родител", students=[school.student_id + 1])
    _psy, psychologist = make_user("psychologist", "Психолог Тестов")
    _sec, secretary = make_user("secretary", "Секретар Тестов")
    for token, status in ((secretary, 200), (school.class_teacher_token, 200), (parent, 200),
                          (other_parent, 403), (school.teacher_token, 403), (psychologist, 403)):
        assert api.as_(token).get(path).status_code == status, token
    assert api.get("/api/register/students/999999/guardians").status_code == 404


def test_the_import_takes_the_guardians_addresses_and_names_a_wrong_one_by_row_and_column(
        api, make_user, process):
    setup_small_school(api, make_user)
    heading = ["Име", "Презиме", "Фамилия", "ЕГН/ЛНЧ", "Паралелка", "Родител", "Телефон", "Адрес на родителя",
               "Родител 2", "Адрес 2"]
    rows = [["Иван", "Петров", "Стоянов", "0847151239", "10а", "Петър Стоянов", "+359888111222", f" {ADDRESS} ",
             "Мария Стоянова", "гр. Омуртаг, ул. „Рила“ 3"],
            ["Елена", "Георгиева", "Колева", "0851208761", "10а", "Георги Колев", "+359888333444", "", "", ""]]
    before = students_count(process)
    wrong = upload(api, xlsx_bytes([heading, [*rows[0][:7], "а" * 301, *rows[0][8:]], rows[1]]), "10а.xlsx")
    assert wrong.status_code == 422
    assert wrong.json["errors"]["ред 2.Адрес 1"] == ["Адресът е най-много 300 знака."]
    assert students_count(process) == before
    answer = upload(api, csv_bytes([heading, *rows]), "10а.csv")
    assert answer.status_code == 201, answer.json
    with process.runtime("register").db.sessions() as s:
        addresses = [(g.name, g.address) for g in s.scalars(sa.select(Guardian).where(
            Guardian.student_id.in_(answer.json["ids"])).order_by(Guardian.id))]
    assert addresses == [("Петър Стоянов", ADDRESS), ("Мария Стоянова", "гр. Омуртаг, ул. „Рила“ 3"),
                         ("Георги Колев", None)]


def test_an_event_from_before_the_address_is_handled_as_no_address(api, make_user, process):
    """A ``register.student_saved`` still on the broker from before the upgrade names no address."""
    publish_from_register(process, "register.student_saved", {
        "student_id": 41, "first_name": "Иван", "middle_name": "", "last_name": "Стоянов", "class_code": "10а",
        "active": True, "guardians": [{"guardian_id": 77, "name": "Петър Стоянов", "email": None,
                                       "phone": "+359888111222"}]})
    api.drain()
    with process.runtime("notifications").db.sessions() as s:
        assert s.get(NotifiedGuardian, 77).address is None
    with process.runtime("documents").db.sessions() as s:
        assert s.get(StudentCard, 41).guardians == [
            {"name": "Петър Стоянов", "email": None, "phone": "+359888111222", "address": None}]
