"""Paper that goes out: documents as one PDF to print, each from a new page, the addressee in the envelope's window.

The paper letters notifications asks for (a guardian no other channel reaches) are gathered each
day by the documents' sweep into that day's print set; the office also makes sets of its own,
by choosing documents or by a filter (a class's letters, a day's, those of families without e-mail).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pypdf import PdfReader

from services.documents.catalogue.layouts.kit import WINDOW_HEIGHT_MM, WINDOW_LEFT_MM, WINDOW_TOP_MM, WINDOW_WIDTH_MM
from services.documents.models import PrintSet
from services.documents.printing.sets import gather_paper_letters
from tests.notifications.support import publish_from_register, rule_fired
from tests.support.pages import signed_in
from tests.support.school import setup_small_school

NO_EMAIL = [{"name": "Стоян Колев", "phone": "+359888000003"}]
MM_PER_POINT = 25.4 / 72


def window_text(page) -> str:
    """The text a left-window DL envelope shows of the folded page (what lies inside the window)."""
    height_mm = float(page.mediabox.height) * MM_PER_POINT
    found = []

    def visit(text, cm, tm, _font, _size):
        x = (tm[4] * cm[0] + cm[4]) * MM_PER_POINT
        top = height_mm - (tm[5] * cm[3] + cm[5]) * MM_PER_POINT
        if WINDOW_LEFT_MM <= x <= WINDOW_LEFT_MM + WINDOW_WIDTH_MM and \
                WINDOW_TOP_MM <= top <= WINDOW_TOP_MM + WINDOW_HEIGHT_MM:
            found.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(found)


def sofia(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Europe/Sofia")).astimezone(dt.UTC)


def test_a_days_paper_letters_print_as_one_pdf_with_each_addressee_in_the_window(api, make_user, process):
    school = setup_small_school(api, make_user, guardians=NO_EMAIL)
    for rung in (3, 8):  # two ladder letters (Чл. 97, т. 8) to a family without e-mail: both on paper
        publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, rung))
    api.drain()
    documents = process.runtime("documents")
    today = dt.date.today()
    assert gather_paper_letters(documents, sofia(today, 7, 0)) == 0  # before SCHOOL_PAPER_PRINT_TIME (07:30)
    assert gather_paper_letters(documents, sofia(today, 7, 31)) == 2
    assert gather_paper_letters(documents, sofia(today, 7, 32)) == 0  # the sweep again: the same one set

    [paper] = api.get("/api/documents/print-sets").json
    assert paper["kind"] == "paper"
    letters = api.get("/api/documents/documents", query_string={"student_id": school.student_id,
                                                                  "template": "absence_letter"}).json
    # Documents draws up each ladder letter for the class teacher too; the set holds the two paper ones.
    assert len(paper["document_ids"]) == 2
    assert set(paper["document_ids"]) < {letter["id"] for letter in letters}
    answer = api.get(f"/api/documents/print-sets/{paper['id']}/file")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(answer.data)).pages
    assert len(pages) == 2  # each letter on its own page
    for page in pages:
        shown = window_text(page)
        assert "Стоян Колев" in shown
        assert "чрез ученика" in shown
        assert "УВЕДОМИТЕЛНО" not in shown  # the letter's text stays out of the window
    assert "3 отсъствия" in pages[0].extract_text() + pages[1].extract_text()

    # Letters drawn up after the day's set wait for the next day's.
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 20))
    api.drain()
    assert gather_paper_letters(documents, sofia(today, 15)) == 0
    assert gather_paper_letters(documents, sofia(today + dt.timedelta(days=1), 7, 30)) == 1


def test_the_office_prints_chosen_documents_or_a_filter_and_a_wrong_request_stores_nothing(
        api, make_user, process):
    school = setup_small_school(api, make_user)
    for rung in (3, 8):
        publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, rung))
    api.drain()
    ids = [d["id"] for d in api.get("/api/documents/documents", query_string={"template": "absence_letter"}).json]
    assert len(ids) >= 2

    chosen = api.post("/api/documents/print-sets", json={"document_ids": ids[:1]})
    assert chosen.status_code == 201, chosen.json
    assert chosen.json["kind"] == "selection"
    assert chosen.json["document_ids"] == ids[:1]
    by_class = api.post("/api/documents/print-sets", json={"filter": {"class_code": "10а",
                                                                      "template": "absence_letter"}})
    assert by_class.status_code == 201, by_class.json
    assert sorted(by_class.json["document_ids"]) == sorted(ids)
    pdf = api.get(f"/api/documents/print-sets/{by_class.json['id']}/file")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == len(ids)  # one-page letters, each from a new page

    # This family has e-mail: the filter for families without it finds nothing.
    refused = api.post("/api/documents/print-sets", json={"filter": {"class_code": "10а", "without_email": True}})
    assert refused.status_code == 422
    assert "filter" in refused.json["errors"]
    unknown = api.post("/api/documents/print-sets", json={"document_ids": [ids[0], 999_999]})
    assert unknown.status_code == 422
    assert unknown.json["errors"]["document_ids"] == ["Няма документ № 999999."]
    both = api.post("/api/documents/print-sets", json={"document_ids": ids, "filter": {}})
    assert both.status_code == 422
    with process.runtime("documents").db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(PrintSet)) == 2

    # Printing is the office's: the class teacher of the class is refused, the set's file too.
    teacher = api.as_(school.class_teacher_token)
    assert teacher.post("/api/documents/print-sets", json={"document_ids": ids}).status_code == 403
    assert teacher.get(f"/api/documents/print-sets/{by_class.json['id']}/file").status_code == 403
    assert api.get("/api/documents/print-sets/999999/file").status_code == 404


POSTED = [{"name": "Стоян Колев", "phone": "+359888000003", "address": "гр. Търговище, ул. „Рила“ 5"},
          {"name": "Гергана Колева"}]


def test_a_paper_letter_carries_the_guardians_postal_address_and_the_list_says_who_has_none(
        api, make_user, process):
    """Чл. 97, т. 8: a ladder letter on paper to each guardian no channel reaches; the one with a postal
    address gets it in the envelope's window, the one without is „чрез ученика“ and the office's list
    of the set says „няма адрес“ next to her, so the secretary asks for one."""
    school = setup_small_school(api, make_user, guardians=POSTED)
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert gather_paper_letters(process.runtime("documents"), sofia(dt.date.today(), 7, 31)) == 2
    [paper] = api.get("/api/documents/print-sets").json
    pages = PdfReader(io.BytesIO(api.get(f"/api/documents/print-sets/{paper['id']}/file").data)).pages
    windows = {"".join(window_text(page).split()) for page in pages}  # the words, wherever a line breaks
    posted = "гр.Търговище,ул.„Рила“5"
    assert any("СтоянКолев" in w and posted in w and "чрезученика" not in w for w in windows), windows
    assert any("ГерганаКолева" in w and "чрезученика" in w for w in windows), windows

    make_user("secretary", "Севда Стоянова", password="дълга-парола-1")
    html = signed_in(api.app, "Севда Стоянова", "дълга-парола-1").get("/documents/print-sets").get_data(as_text=True)
    listed = {re.search(r"<td>([^<]*)</td>\s*<td>([^<]*)</td>", row).group(2): row for row in re.findall(
        r'<tr id="print-set-\d+-document-\d+">(.*?)</tr>', html, re.S)}
    assert set(listed) == {"Стоян Колев", "Гергана Колева"}
    assert "Мария Петрова Иванова, 10а" in listed["Стоян Колев"]
    assert "гр. Търговище, ул. „Рила“ 5" in listed["Стоян Колев"]
    assert "няма адрес" not in listed["Стоян Колев"]
    assert "няма адрес" in listed["Гергана Колева"]
    assert "1 без адрес" in html
