"""The month's exports on schedule (issue 8, item 4): prepared on the 1st, the office told, the ЗАС
lists drawn up per class, "submitted by the 5th" tracked in planning until the office marks it."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from services.documents.rendering import docx_text
from services.planning.models import Procedure
from services.register.absences.rules.rulepack import Comparison
from services.register.exports import monthly, sweeps
from services.register.exports.benefit import BenefitCriterion
from services.register.models.people import Student
from shared.clock import Clock
from shared.settings import Settings
from tests.register.exports.test_exports import add_student, parse_like_the_importer, record
from tests.support.school import setup_small_school

FIRST_OF_NOVEMBER = dt.date(2023, 11, 1)


@pytest.fixture
def settings(settings):
    # The school that hands in its files on the 1st (the default waits until the 3rd).
    return settings.replace(today=FIRST_OF_NOVEMBER, monthly_export_day=1)


def _sweep(process) -> None:
    register = process.runtime("register")
    for sweep in register.definition.sweeps(register):
        sweep()


def _procedures(process) -> dict[str, Procedure]:
    planning = process.runtime("planning")
    with planning.db.sessions() as s:
        return {p.key: p for p in s.scalars(sa.select(Procedure).where(Procedure.key.like("D0_:2023-10")))}


def _month_with_six_unexcused(api, make_user):
    school = setup_small_school(api, make_user)
    for lesson in range(1, 7):
        record(api, school.teacher_token, school.student_id, "2023-10-02", lesson)
    record(api, school.teacher_token, school.student_id, "2023-10-03", 1, "late")
    secretary = make_user("secretary", "Секретар Тодорова")
    api.drain()  # the ladder's letter at 3 is drawn up and numbered before the month closes
    return school, secretary


def test_the_first_of_the_month_prepares_last_month_once_and_tells_the_office(api, make_user, process):
    school, (_secretary_id, secretary_token) = _month_with_six_unexcused(api, make_user)
    _sweep(process)
    _sweep(process)  # the scheduler may run twice: one preparation
    api.drain()

    months = api.as_(secretary_token).get("/api/register/exports/monthly")
    assert months.status_code == 200, months.json
    [prepared] = months.json
    assert (prepared["school_year"], prepared["month"], prepared["status"], prepared["scheduled"]) == (
        2023, 10, "ready", True)
    assert {f["kind"] for f in prepared["files"]} == {"neispuo", "benefit", "ruo"}
    [row] = prepared["benefit"]
    # Six absences and a lateness are six on the list: a lateness alone is no absence yet (Чл. 61, ал. 5);
    # the НЕИСПУО file below keeps its halves, as its format asks.
    assert (row["name"], row["unexcused"]) == ("Мария Петрова Иванова", 6)
    # the parents' notice before the list (L7, Чл. 97, т. 15) went out when the rule fired, on the school's today
    assert row["parents_notified_on"] == "2023-11-01"
    assert row["notice_number"].endswith("/01.11.2023")

    # the kept НЕИСПУО file is the one the importer accepts, and the same as asked for directly
    kept = api.get(f"/api/register/exports/monthly/{prepared['id']}/files/neispuo")
    assert kept.status_code == 200
    assert "2500603_2023_10_File.txt" in kept.headers["Content-Disposition"]
    [line] = parse_like_the_importer(kept.data, "2500603_2023_10_File.txt")
    assert line[14:] == ["0.00", "6.50"]
    direct = api.get("/api/register/exports/neispuo-absences", query_string={"year": 2023, "month": 10})
    assert kept.data == direct.data
    benefit = api.get(f"/api/register/exports/monthly/{prepared['id']}/files/benefit")
    sheet = openpyxl.load_workbook(io.BytesIO(benefit.data)).active
    assert "повече от 5" in sheet["A1"].value
    [listed] = list(sheet.iter_rows(min_row=3, values_only=True))
    assert listed[:4] == (1, "Мария Петрова Иванова", "10а", 6)
    assert listed[4] != "НЕ СА УВЕДОМЕНИ"

    # the secretary is told, once, in Bulgarian, with the deadline and who is on the list
    inbox = api.as_(secretary_token).get("/api/notifications/inbox").json
    told = [m for m in inbox if "месечните справки за октомври 2023" in m["subject"]]
    assert len(told) == 1
    assert "Срок за подаване: 05.11.2023." in told[0]["body"]
    assert ("Мария Петрова Иванова (10а клас): 6 ч., родителите са уведомени писмено на 01.11.2023 "
            f"(изх. № {row['notice_number']} г.)") in told[0]["body"]

    # the class teacher's Word list to ЗАС, citing the parents' notice (L7) by its outgoing number
    lists = api.get("/api/documents/documents", query_string={"template": "child_benefit_list"}).json
    [word_list] = lists
    assert word_list["status"] == "done", word_list
    letters = api.get("/api/documents/documents", query_string={"template": "child_benefit_notice"}).json
    letter_number = letters[0]["number"]  # e.g. 3/01.11.2023: printed once, in the register's form
    text = docx_text(api.get(f"/api/documents/documents/{word_list['id']}/file").data)
    assert "10а клас, допуснали повече от 5 отсъствия" in text
    assert "Мария Петрова Иванова" in text
    assert "Мария Петрова Иванова | 6 | Изх. №" in text  # the same count as the rule and the workbook
    assert letter_number.endswith("/01.11.2023")
    assert f"Изх. № {letter_number} г." in text

    # planning tracks both duties of the 5th until the office marks the month submitted
    procedures = _procedures(process)
    assert {key: (p.status, p.due) for key, p in procedures.items()} == {
        "D06:2023-10": ("open", dt.date(2023, 11, 5)), "D07:2023-10": ("open", dt.date(2023, 11, 5))}
    assert "secretary" in procedures["D06:2023-10"].responsible_roles
    assert api.as_(school.teacher_token).post(f"/api/register/exports/monthly/{prepared['id']}/submitted",
                                              json={"submitted_on": "2023-11-01"}).status_code == 403
    future = api.post(f"/api/register/exports/monthly/{prepared['id']}/submitted", json={"submitted_on": "2023-11-02"})
    assert future.status_code == 422
    assert "submitted_on" in future.json["errors"]
    done = api.as_(secretary_token).post(f"/api/register/exports/monthly/{prepared['id']}/submitted",
                                         json={"submitted_on": "2023-11-01"})
    assert done.status_code == 200, done.json
    assert done.json["submitted_on"] == "2023-11-01"
    api.drain()
    assert {p.status for p in _procedures(process).values()} == {"done"}
    again = api.post(f"/api/register/exports/monthly/{prepared['id']}/submitted", json={"submitted_on": "2023-11-01"})
    assert again.status_code == 409


def test_a_month_prepared_again_keeps_its_history(api, make_user, process):
    _month_with_six_unexcused(api, make_user)
    _sweep(process)
    api.drain()
    again = api.post("/api/register/exports/monthly", json={"year": 2023, "month": 10})
    assert again.status_code == 201, again.json
    assert again.json["scheduled"] is False
    history = api.get("/api/register/exports/monthly", query_string={"year": 2023, "month": 10}).json
    assert [h["id"] for h in history] == [again.json["id"], history[1]["id"]]
    digests = [{f["kind"]: f["sha256"] for f in h["files"]} for h in history]
    assert digests[0]["neispuo"] == digests[1]["neispuo"]  # nothing changed: the same bytes
    old = api.get(f"/api/register/exports/monthly/{history[1]['id']}/files/ruo")
    assert old.status_code == 200
    assert api.get("/api/register/exports/monthly/999/files/ruo").status_code == 404
    assert api.post("/api/register/exports/monthly", json={"year": 2023, "month": 13}).status_code == 422


def test_a_month_with_a_bad_name_withholds_the_neispuo_file_and_names_the_problem(api, make_user, process):
    _school, (_sid, secretary_token) = _month_with_six_unexcused(api, make_user)
    odd = add_student(api, "Зоя🙂", "Ли", "0851208761")
    _sweep(process)
    api.drain()
    [prepared] = api.get("/api/register/exports/monthly").json
    assert prepared["status"] == "problems"
    assert "U+1F642" in prepared["problems"][f"students.{odd}"][0]
    assert {f["kind"] for f in prepared["files"]} == {"benefit", "ruo"}
    assert api.get(f"/api/register/exports/monthly/{prepared['id']}/files/neispuo").status_code == 404
    assert api.post(f"/api/register/exports/monthly/{prepared['id']}/submitted",
                    json={"submitted_on": "2023-11-01"}).status_code == 409
    [told] = [m for m in api.as_(secretary_token).get("/api/notifications/inbox").json
              if "октомври 2023" in m["subject"]]
    assert told["subject"].startswith("Проблеми в")
    assert "U+1F642" in told["body"]


def test_by_default_the_month_is_prepared_on_the_3rd_once_class_teachers_finalised_it(api, make_user, process,
                                                                                      monkeypatch):
    _month_with_six_unexcused(api, make_user)
    register = process.runtime("register")
    default = register.settings.replace(monthly_export_day=Settings().monthly_export_day)
    assert default.monthly_export_day == 3
    for day, prepared in ((1, False), (2, False), (3, True), (4, False)):
        monkeypatch.setattr(register, "settings", default.replace(today=dt.date(2023, 11, day)))
        monkeypatch.setattr(register, "clock", Clock(dt.date(2023, 11, day)))
        assert (sweeps.prepare_scheduled(register) is not None) is prepared, day
    assert len(api.get("/api/register/exports/monthly").json) == 1


def test_nothing_is_prepared_without_a_school_year_or_after_the_summer(process):
    register = process.runtime("register")
    assert sweeps.prepare_scheduled(register) is None  # a fresh install: no school, no year
    assert monthly.previous_month(dt.date(2023, 9, 1)) is None  # August had no lessons
    assert monthly.previous_month(dt.date(2024, 1, 1)) == monthly.ExportMonth(2023, 12)
    assert monthly.ExportMonth(2023, 12).submit_by == dt.date(2024, 1, 5)
    assert monthly.criterion_words(BenefitCriterion(5, Comparison.AT_LEAST, "Чл. 61, ал. 6")) == "5 и повече"


@pytest.mark.backend("embedded")
def test_the_demo_schools_october_file_passes_the_checks_and_equals_the_summaries(process, api, backend):
    register = process.runtime("register")
    register.definition.load_demo(register)  # two months of absences up to 31.10.2023
    answer = api.get("/api/register/exports/neispuo-absences", query_string={"year": 2023, "month": 10})
    assert answer.status_code == 200, answer.json
    name = re.search(r'filename="([^"]+)"', answer.headers["Content-Disposition"]).group(1)
    rows = parse_like_the_importer(answer.data, name)
    with register.db.sessions() as s:
        students = {st.egn: st.id for st in s.scalars(sa.select(Student))}
    assert sorted(row[4] for row in rows) == sorted(students)  # every student once
    assert sum(float(row[15]) for row in rows) > 0
    for row in rows:
        summary = api.get(f"/api/register/students/{students[row[4]]}/absences/summary",
                          query_string={"from": "2023-10-01", "to": "2023-10-31"}).json
        assert (float(row[14]), float(row[15])) == (summary["excused"], summary["unexcused_total"])
    _sweep(process)
    [prepared] = api.get("/api/register/exports/monthly").json
    kept = api.get(f"/api/register/exports/monthly/{prepared['id']}/files/neispuo")
    assert kept.data == answer.data
