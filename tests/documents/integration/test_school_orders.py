"""Orders and letters drawn up where their event happens (issue 19, point 8): each event one document."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import sqlalchemy as sa

from services.documents import waiting_orders
from services.documents.catalogue.examples import PE_EXEMPTION
from services.documents.catalogue.families.school_organisation import ATTENDANCE_DAYS_ORDER
from services.documents.models import Document
from services.documents.rendering import docx_text
from services.documents.waiting_orders import draw_up
from tests.documents.integration.test_documents_events import deliver_to_documents
from tests.documents.integration.test_print_sets import sofia
from tests.support.lessons import TODAY
from tests.support.school import setup_small_school


@pytest.fixture
def settings(settings, request):
    return settings.replace(today=TODAY, **getattr(request, "param", {}))


def _documents(api, template: str) -> list[dict]:
    return [d for d in api.get("/api/documents/documents").json if d["template"] == template]


def _change(teacher_id: int, lesson: int, **extra) -> dict:
    return {"date": TODAY.isoformat(), "lesson": lesson, "subject": "Математика", "teacher_id": teacher_id,
            "ground": 2, "circumstances": f"Учителят по физика е в болничен ({lesson}. час).", **extra}


def test_a_days_timetable_changes_make_one_deviation_order_with_the_circumstances_art_114(
        api, make_user, process):
    """Чл. 114, ал. 1–2: one order for the school day, naming the circumstances; nothing twice."""
    setup_small_school(api, make_user)
    substitute_id, _token = make_user("teacher", "Стоян Заместников", classes=["11б"])
    for lesson in (2, 3):
        answer = api.post("/api/register/classes/10а/timetable/changes", json=_change(substitute_id, lesson))
        assert answer.status_code == 201, answer.json
    api.drain()
    [order] = _documents(api, "timetable_deviation_order")
    assert order["status"] == "queued"  # waits for SCHOOL_DEVIATION_ORDER_TIME of the day before
    documents = process.runtime("documents")
    assert draw_up(documents, sofia(TODAY - dt.timedelta(days=1), 15, 59)) == 0
    assert draw_up(documents, sofia(TODAY - dt.timedelta(days=1), 16, 0)) == 1
    api.drain()
    assert draw_up(documents, sofia(TODAY - dt.timedelta(days=1), 16, 1)) == 0
    [order] = _documents(api, "timetable_deviation_order")
    assert order["status"] == "done", order
    assert order["number"] == "1/03.10.2023"
    text = docx_text(api.get(f"/api/documents/documents/{order['id']}/file").data)
    assert "На 04.10.2023 г. учебните часове" in text
    assert text.count("Математика – Стоян Заместников") == 2
    assert "Учителят по физика е в болничен (2. час)." in text
    assert "Учителят по физика е в болничен (3. час)." in text
    assert text.count(f"№ {order['number']} г.") == 1

    # Recorded again as it was: nothing new to order. A change recorded on the day: a further order, only it.
    assert api.post("/api/register/classes/10а/timetable/changes",
                    json=_change(substitute_id, 3)).status_code == 201
    api.drain()
    assert len(_documents(api, "timetable_deviation_order")) == 1
    cancel = {"date": TODAY.isoformat(), "lesson": 5, "cancelled": True, "ground": 1,
              "circumstances": "Регионално външно оценяване по указание на началника на РУО."}
    assert api.post("/api/register/classes/10а/timetable/changes", json=cancel).status_code == 201
    api.drain()
    assert draw_up(documents, sofia(TODAY, 8, 5)) == 1
    api.drain()
    first, second = sorted(_documents(api, "timetable_deviation_order"), key=lambda d: d["id"])
    assert first["id"] == order["id"]
    assert second["status"] == "done", second
    assert second["number"] == "2/04.10.2023"
    later = docx_text(api.get(f"/api/documents/documents/{second['id']}/file").data)
    assert "часът не се провежда" in later
    assert "Регионално външно оценяване" in later
    assert "Стоян Заместников" not in later


def test_a_redelivered_timetable_event_makes_no_second_order_art_114(api, make_user, process):
    setup_small_school(api, make_user)
    payload = {"date": TODAY.isoformat(), "changes": [
        {"class_code": "10а", "lesson": 1, "subject": "Математика", "teacher": "Стоян Заместников",
         "cancelled": False, "ground": 3, "circumstances": "Класна работа в два последователни часа."}]}
    deliver_to_documents(process, "register.timetable_changed", payload, times=2)
    api.drain()
    assert draw_up(process.runtime("documents"), sofia(TODAY, 7, 0)) == 1
    api.drain()
    deliver_to_documents(process, "register.timetable_changed", payload, times=1)
    api.drain()
    [order] = _documents(api, "timetable_deviation_order")
    assert order["status"] == "done", order


def test_the_pe_exemption_order_is_followed_by_a_notice_to_each_parent_art_27(api, make_user):
    """Чл. 27, ал. 5: after the order, the parents are told in writing what the student does in PE hours."""
    school = setup_small_school(api, make_user)
    context = {key: value for key, value in PE_EXEMPTION.items() if key not in ("school", "number", "issued_on")}
    context["students"] = [{**PE_EXEMPTION["students"][0], "name": "Мария Петрова Иванова", "class_name": "10а"}]
    answer = api.post("/api/documents/documents", json={"template": "pe_exemption_order", "context": context})
    assert answer.status_code == 202, answer.json
    api.drain()
    order = api.get(f"/api/documents/documents/{answer.json['id']}").json
    assert order["status"] == "done", order
    [letter] = _documents(api, "pe_exemption_letter")
    assert letter["status"] == "done", letter
    assert letter["student_id"] == school.student_id
    text = docx_text(api.get(f"/api/documents/documents/{letter['id']}/file").data)
    assert f"заповед на директора № {order['number']} г." in text
    assert "Петър Иванов и Елена Иванова" in text
    assert PE_EXEMPTION["activity"] in text
    api.drain()
    assert len(_documents(api, "pe_exemption_letter")) == 1


@pytest.mark.parametrize("settings", [{"consent_documents_on_enrolment": True}], indirect=True)
def test_a_student_enrolled_gets_the_parents_personal_data_consent_once_art_152(api, make_user, process):
    """Чл. 152: on enrolment the parents fill in the consent to process their and the student's data."""
    school = setup_small_school(api, make_user)
    [consent] = _documents(api, "personal_data_consent_declaration")
    assert consent["status"] == "done", consent
    assert consent["student_id"] == school.student_id
    text = docx_text(api.get(f"/api/documents/documents/{consent['id']}/file").data)
    assert "Петър Иванов и Елена Иванова, родител (настойник) на Мария Петрова Иванова" in text
    assert "постъпил/а за обучение в училището на 04.10.2023 г." in text
    # The student saved again (a change of class, a redelivery): no second declaration.
    again = {"student_id": school.student_id, "first_name": "Мария", "middle_name": "Петрова",
             "last_name": "Иванова", "class_code": "10а", "guardians": [], "active": True}
    deliver_to_documents(process, "register.student_saved", again, times=2)
    api.drain()
    assert len(_documents(api, "personal_data_consent_declaration")) == 1


def test_a_saved_timetable_makes_the_terms_approval_order_3_days_before_it_art_113(api, make_user, process):
    """Чл. 113, ал. 3: the weekly timetable is approved by order no later than 3 days before the term."""
    school = setup_small_school(api, make_user)
    week = {"valid_from": "2023-09-15", "lessons": [
        {"weekday": day, "lesson": 1, "subject": "Математика", "teacher_id": school.teacher_id} for day in (1, 2, 3)]}
    assert api.put("/api/register/classes/10а/timetable", json=week).status_code == 200
    assert api.put("/api/register/classes/10а/timetable", json=week).status_code == 200  # the same, again
    api.drain()
    [order] = _documents(api, "timetable_approval_order")
    assert order["status"] == "queued"
    documents = process.runtime("documents")
    assert draw_up(documents, sofia(dt.date(2023, 9, 11), 23, 59)) == 0
    assert draw_up(documents, sofia(dt.date(2023, 9, 12), 0, 1)) == 1
    api.drain()
    [order] = _documents(api, "timetable_approval_order")
    assert order["status"] == "done", order
    assert order["number"] == "1/12.09.2023"
    text = docx_text(api.get(f"/api/documents/documents/{order['id']}/file").data)
    assert "за 1 учебен срок на учебната 2023/2024 година, който започва на 15.09.2023 г." in text
    assert "10а" in text
    assert "решение на педагогическия съвет" in text


def test_scheduled_papers_make_the_terms_schedule_order_within_two_weeks_art_136(api, make_user, process):
    """Чл. 136, ал. 2: the schedule of class and test papers is approved within 2 weeks of the term's start."""
    setup_small_school(api, make_user)
    for day, kind in (("2023-10-18", "control"), ("2023-11-08", "classwork")):
        answer = api.post("/api/register/class-works", json={
            "class_code": "10а", "subject": "Математика", "kind": kind, "date": day})
        assert answer.status_code == 201, answer.json
    api.drain()
    documents = process.runtime("documents")
    assert draw_up(documents, sofia(dt.date(2023, 9, 27), 12, 0)) == 0
    assert draw_up(documents, sofia(dt.date(2023, 9, 28), 8, 0)) == 1
    api.drain()
    [order] = _documents(api, "class_works_schedule_order")
    assert order["status"] == "done", order
    text = docx_text(api.get(f"/api/documents/documents/{order['id']}/file").data)
    assert "контролна работа" in text
    assert "класна работа" in text
    assert "18.10.2023" in text
    assert "08.11.2023" in text


def test_the_attendance_days_order_is_followed_by_the_notice_to_the_head_of_ruo_art_116(api, make_user):
    """Чл. 116, ал. 4: the director declares up to 3 such days and notifies the head of РУО."""
    setup_small_school(api, make_user)
    context = {key: value for key, value in ATTENDANCE_DAYS_ORDER.items()
               if key not in ("school", "number", "issued_on")}
    four = [*context["days"], {"date": "2024-03-01", "activity": "Баба Марта"},
            {"date": "2024-04-01", "activity": "Ден на хумора"}]
    refused = api.post("/api/documents/documents", json={"template": "attendance_days_order",
                                                        "context": {**context, "days": four}})
    assert refused.status_code == 422
    answer = api.post("/api/documents/documents", json={"template": "attendance_days_order", "context": context})
    assert answer.status_code == 202, answer.json
    api.drain()
    order = api.get(f"/api/documents/documents/{answer.json['id']}").json
    assert order["status"] == "done", order
    [letter] = _documents(api, "attendance_days_letter")
    assert letter["status"] == "done", letter
    text = docx_text(api.get(f"/api/documents/documents/{letter['id']}/file").data)
    assert f"със заповед № {order['number']} г." in text
    assert "НА РУО – Русе" in text
    assert "01.11.2023" in text


def test_the_pe_notices_find_each_student_by_the_registers_id_never_a_namesake_art_27(api, make_user):
    """Чл. 27, ал. 5: each notice goes to the parents of the student the order names, found by id.

    A name typed otherwise still finds the student by id; a row without one finds a student by name
    and class only when exactly one has them, else its notice fails saying why (never a namesake's family)."""
    school = setup_small_school(api, make_user)
    namesake = api.post("/api/register/students", json={
        "first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": "0442021238",
        "class_code": "10а", "guardians": [{"name": "Димитър Тасев", "email": "tasev@example.bg"}]})
    assert namesake.status_code == 201, namesake.json
    namesake_id = namesake.json["id"]
    api.drain()
    row = {key: value for key, value in PE_EXEMPTION["students"][0].items() if key not in ("name", "class_name")}
    context = {key: value for key, value in PE_EXEMPTION.items() if key not in ("school", "number", "issued_on")}
    context["students"] = [
        {**row, "name": "Мария Иванова", "class_name": "10а", "student_id": school.student_id},  # typed short
        {**row, "name": "Мария Петрова Иванова", "class_name": "10а", "student_id": namesake_id},
        {**row, "name": "Мария Петрова Иванова", "class_name": "10а"},  # which of the two?
        {**row, "name": "Непознат Ученик", "class_name": "10а"},
    ]
    answer = api.post("/api/documents/documents", json={"template": "pe_exemption_order", "context": context})
    assert answer.status_code == 202, answer.json
    api.drain()
    assert api.get(f"/api/documents/documents/{answer.json['id']}").json["status"] == "done"
    first, second, ambiguous, unknown = sorted(_documents(api, "pe_exemption_letter"), key=lambda d: d["id"])
    assert (first["status"], first["student_id"]) == ("done", school.student_id)
    assert "Петър Иванов и Елена Иванова" in docx_text(api.get(f"/api/documents/documents/{first['id']}/file").data)
    assert (second["status"], second["student_id"]) == ("done", namesake_id)
    assert "Димитър Тасев" in docx_text(api.get(f"/api/documents/documents/{second['id']}/file").data)
    for failed, why in ((ambiguous, "повече от един ученик с това име"), (unknown, "няма ученик с това име")):
        assert (failed["status"], failed["student_id"]) == ("failed", None)
        assert failed["error"].startswith(f"Ученикът от ред {3 if failed is ambiguous else 4} на заповедта")
        assert why in failed["error"]

    # An order asked for from the namesake's page names her: her parents get its notice.
    context["students"] = [{**row, "name": "Мария Петрова Иванова", "class_name": "10а"}]
    answer = api.post("/api/documents/documents", json={"template": "pe_exemption_order", "context": context,
                                                        "student_id": namesake_id})
    assert answer.status_code == 202, answer.json
    api.drain()
    [letter] = [d for d in _documents(api, "pe_exemption_letter") if d["id"] > unknown["id"]]
    assert (letter["status"], letter["student_id"]) == ("done", namesake_id)


@pytest.mark.backend("server")
def test_a_change_announced_while_its_order_is_drawn_up_goes_into_a_further_order_art_114(
        api, make_user, process):
    """PostgreSQL: the render holds the waiting order's row while it numbers it; a change announced meanwhile
    waits for it and goes into a further order, and the order drawn up keeps its number and its changes
    (SQLite has one writer for the whole file: there the two never overlap)."""
    setup_small_school(api, make_user)
    documents = process.runtime("documents")
    day = TODAY.isoformat()
    rows = [{"class_name": "10а", "lesson": lesson, "change": "Математика – Стоян Заместников", "ground": 3,
             "circumstances": f"Класна работа ({lesson}. час)."} for lesson in (1, 2)]

    def announce(changes: list[dict]) -> None:
        with documents.db.transaction() as s:
            waiting_orders.gather(s, documents, waiting_orders.DEVIATION, day, {"date": day}, changes)

    def orders() -> list[Document]:
        with documents.db.sessions() as s:
            return list(s.scalars(sa.select(Document).where(Document.template == "timetable_deviation_order")
                                  .order_by(Document.id)))

    announce(rows[:1])
    errors: list[BaseException] = []

    def announce_both() -> None:
        try:
            announce(rows)  # the day's event carries the whole day: the change already ordered and the new one
        except BaseException as exc:
            errors.append(exc)

    with documents.db.transaction() as rendering:  # as ``tasks._render`` does: the row locked, numbered, done
        [order] = rendering.scalars(sa.select(Document).where(Document.template == "timetable_deviation_order")
                                    .with_for_update()).all()
        order.context = {**order.context, "issued_on": day, "number": "1/04.10.2023"}
        order.status, order.number = "done", "1/04.10.2023"
        rendering.flush()
        announced = threading.Thread(target=announce_both)
        announced.start()
        time.sleep(0.5)  # the announcement reaches the order's row and waits for it
    announced.join(30)
    assert not announced.is_alive()
    assert not errors, errors
    first, further = orders()
    assert (first.status, first.context["number"], first.context["changes"]) == ("done", "1/04.10.2023", rows[:1])
    assert (further.status, further.source_key, further.context["changes"]) == (
        "queued", f"timetable_deviation:{day}:2", rows[1:])
