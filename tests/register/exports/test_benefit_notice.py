"""The parents' prior written notice before the ЗАС list (L7, Чл. 97, т. 15; issue 19, point 3).

A student over the list's threshold in a month gets one notice to the parents, numbered as an outgoing
letter and sent through notifications; the register records its number and date, the month's workbook
and the class teacher's Word list cite it, and a student whose notice did not go out before the list is
shown as such.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa

from services.documents.rendering import docx_text
from services.register.models.exports import BenefitNotice
from shared.clock import Clock
from tests.register.exports.test_exports import record
from tests.support.school import setup_small_school

NOTICE = "child_benefit_notice"
RULE = "child_benefit_list"


@pytest.fixture
def settings(settings):
    return settings.replace(today=dt.date(2023, 10, 20))


def _six_unexcused_in_october(api, make_user):
    school = setup_small_school(api, make_user)
    for lesson in range(1, 7):  # six: „повече от 5“ (Чл. 97, т. 15)
        record(api, school.teacher_token, school.student_id, "2023-10-02", lesson)
    api.drain()
    return school


def _notices(api) -> list[dict]:
    return api.get("/api/documents/documents", query_string={"template": NOTICE}).json


def _deliveries(api, student_id: int) -> list[tuple[str, str]]:
    return sorted((d["channel"], d["recipient"]) for d in api.get(
        "/api/notifications/deliveries", query_string={"student_id": student_id, "rule_id": RULE}).json)


def _sweep(process) -> None:
    register = process.runtime("register")
    for sweep in register.definition.sweeps(register):
        sweep()


def _prepare_on(api, process, monkeypatch, day: dt.date) -> dict:
    register = process.runtime("register")
    monkeypatch.setattr(register, "clock", Clock(day))
    answer = api.post("/api/register/exports/monthly", json={"year": 2023, "month": 10})
    assert answer.status_code == 201, answer.json
    api.drain()
    return answer.json


def _workbook_row(api, export_id: int) -> tuple:
    content = api.get(f"/api/register/exports/monthly/{export_id}/files/benefit").data
    [row] = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=3, values_only=True))
    return row


def test_chl_97_t_15_one_notice_goes_to_the_parents_before_the_list_and_the_list_cites_it(api, make_user, process,
                                                                                         monkeypatch):
    school = _six_unexcused_in_october(api, make_user)
    drawn_up = _notices(api)
    notice = min(drawn_up, key=lambda n: n["id"])
    assert notice["status"] == "done", notice
    # Guardians no channel reaches get it on paper: the same letter, under the same number.
    assert {n["number"] for n in drawn_up} == {notice["number"]}
    number = notice["number"]
    assert number.endswith("/20.10.2023")  # an outgoing number of the day it was drawn up
    text = docx_text(api.get(f"/api/documents/documents/{notice['id']}/file").data)
    assert f"Изх. № {number} г." in text
    assert "чл. 97, т. 15" in text
    assert "допуснало 6 отсъствия по неуважителни причини през месец октомври 2023 г., т.е. повече от 5" in text
    assert "до 05.11.2023 г. в ЗАС за Дирекция „Социално подпомагане“" in text
    sent = _deliveries(api, school.student_id)
    assert sent, "the notice reached no guardian"
    assert len(sent) == len(set(sent))
    subjects = {d["subject"] for d in api.get("/api/notifications/deliveries", query_string={
        "student_id": school.student_id, "rule_id": RULE}).json if d["audience"] == "guardian"}
    assert subjects == {f"Уведомление преди справката до ЗАС за октомври 2023 г.: Мария Петрова Иванова "
                        f"(изх. № {number} г.)"}

    # Announced again (a sweep, a relay that re-sends): nothing is drawn up or sent twice.
    register = process.runtime("register")
    table = register.tables.outbox
    with register.db.sessions() as s:
        fired = [row["data"] for row in s.scalars(sa.select(table.payload).where(table.name == "register.rule_fired"))
                 if row["data"]["rule_id"] == RULE]
    assert len(fired) == 1
    with register.db.transaction() as s:
        register.publish(s, "register.rule_fired", fired[0])
    _sweep(process)
    _sweep(process)
    api.drain()
    assert sorted(n["id"] for n in _notices(api)) == sorted(n["id"] for n in drawn_up)
    assert _deliveries(api, school.student_id) == sent
    with register.db.sessions() as s:
        [kept] = s.scalars(sa.select(BenefitNotice)).all()
    assert (kept.student_id, kept.month, kept.number, kept.sent_on) == (
        school.student_id, "2023-10", number, dt.date(2023, 10, 20))

    # The list of 01.11.2023 cites the notice: the workbook, the event and the class teacher's Word list.
    prepared = _prepare_on(api, process, monkeypatch, dt.date(2023, 11, 1))
    [row] = prepared["benefit"]
    assert (row["notice_number"], row["notice_sent_on"], row["parents_notified_on"]) == (
        number, "2023-10-20", "2023-10-20")
    assert _workbook_row(api, prepared["id"])[4] == f"Изх. № {number} г."
    [word_list] = api.get("/api/documents/documents", query_string={"template": "child_benefit_list"}).json
    listed = docx_text(api.get(f"/api/documents/documents/{word_list['id']}/file").data)
    assert f"Мария Петрова Иванова | 6 | Изх. № {number} г." in listed


def test_chl_97_t_15_a_student_whose_notice_went_out_after_the_list_is_shown_as_not_notified(api, make_user, process,
                                                                                           monkeypatch):
    _six_unexcused_in_october(api, make_user)
    notice = min(_notices(api), key=lambda n: n["id"])
    register = process.runtime("register")
    with register.db.transaction() as s:  # as if the notice had gone out only after the list's day
        s.execute(sa.update(BenefitNotice).values(sent_on=dt.date(2023, 11, 2)))
    prepared = _prepare_on(api, process, monkeypatch, dt.date(2023, 11, 1))
    [row] = prepared["benefit"]
    assert row["parents_notified_on"] is None
    assert _workbook_row(api, prepared["id"])[4] == f"НЕ Е ИЗПРАТЕНО ПРЕДИ СПРАВКАТА (Изх. № {notice['number']} г.)"
    # Left off the Word list (the notice is a precondition); the office is told who and why.
    assert api.get("/api/documents/documents", query_string={"template": "child_benefit_list"}).json == []
    secretary_token = make_user("secretary", "Секретар Тодорова")[1]
    _prepare_on(api, process, monkeypatch, dt.date(2023, 11, 1))
    inbox = api.as_(secretary_token).get("/api/notifications/inbox").json
    [told] = [m for m in inbox if "октомври 2023" in m["subject"]]
    assert "РОДИТЕЛИТЕ НЕ СА УВЕДОМЕНИ писмено преди справката" in told["body"]
