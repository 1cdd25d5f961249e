"""A ladder letter (Чл. 97, т. 8) that goes on paper keeps its one outgoing number.

Documents draws up the letter when the rule fires; notifications asks for the same letter on paper for
each guardian no channel reaches. The copies are the same letter of the register of outgoing letters:
they carry its number and date, whichever of them is rendered first, and the series moves on by one.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from services.documents.catalogue.examples import absence_letter
from services.documents.models import Document, PaperLetter
from tests.notifications.support import publish_from, publish_from_register, rule_fired
from tests.support.pages import signed_in
from tests.support.school import setup_small_school

PASSWORD = "дълга-парола-1"

#: A family no channel reaches (no e-mail; SMS is not configured): both parents get the letter on paper.
ON_PAPER = [{"name": "Стоян Колев", "phone": "+359888000003"}, {"name": "Яна Колева", "phone": "+359888000004"}]


def ladder_letters(process, student_id: int) -> list[tuple[int, str | None, bool, str]]:
    """(rung, number, on paper, addressee) of every ladder letter of the student."""
    documents = process.runtime("documents")
    with documents.db.sessions() as s:
        rows = s.execute(sa.select(Document, PaperLetter.document_id).outerjoin(
            PaperLetter, PaperLetter.document_id == Document.id).where(
            Document.template == "absence_letter", Document.student_id == student_id).order_by(Document.id)).all()
        for document, _paper in rows:
            assert document.status == "done", (document.id, document.error)
        return [(d.context["rung"], d.number, paper is not None, d.context["parent"]["name"]) for d, paper in rows]


def test_the_paper_copies_of_a_ladder_letter_carry_the_letters_one_number(api, make_user, process):
    school = setup_small_school(api, make_user, guardians=ON_PAPER)
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    threes = ladder_letters(process, school.student_id)
    # Documents' own letter and one paper copy for each parent, addressed to that parent.
    assert sorted((paper, name) for _r, _n, paper, name in threes) == [
        (False, "Стоян Колев и Яна Колева"), (True, "Стоян Колев"), (True, "Яна Колева")]
    assert {number for _r, number, _p, _a in threes} == {threes[0][1]}
    first = threes[0][1]
    assert first.startswith("1/")

    # The paper copy may be drawn up before documents' own letter (the two services handle the event
    # in either order): the letter then keeps the copy's number.
    early = {key: value for key, value in absence_letter(8).items() if key not in ("school", "outgoing_number",
                                                                                 "sent_on")}
    early.update(student={"name": "Мария Петрова Иванова", "class_name": "10а"},
                 parent={"name": "Стоян Колев", "address": "чрез ученика"}, period_from="2023-09-15",
                 period_to="2023-11-03")
    publish_from(process, "notifications", "documents.document_requested", {
        "template": "absence_letter", "context": early, "student_id": school.student_id, "on_paper": True,
        "reason": "писмо на хартия"})
    api.drain()
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 8))
    api.drain()
    eights = [row for row in ladder_letters(process, school.student_id) if row[0] == 8]
    assert len(eights) == 4  # the early copy, documents' letter, and the two copies notifications asked for
    assert {number for _r, number, _p, _a in eights} == {eights[0][1]}
    assert eights[0][1].startswith("2/")  # the series moved on by one for each letter, not for each copy

    # The office's next letter takes the next number.
    letter = {key: value for key, value in absence_letter(3).items()
              if key not in ("school", "outgoing_number", "sent_on")}
    answer = api.post("/api/documents/documents", json={"template": "absence_letter", "context": letter})
    assert answer.status_code == 202, answer.json
    api.drain()
    assert api.get(f"/api/documents/documents/{answer.json['id']}").json["number"].startswith("3/")


def test_the_documents_list_tells_a_letter_and_its_paper_copies_apart_by_their_addressee(
        api, make_user, process, app):
    """One number, three documents of the same title: the secretary reads to whom and how each one goes."""
    school = setup_small_school(api, make_user, guardians=ON_PAPER)
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    make_user("secretary", "Секретар Тестов", password=PASSWORD)
    page = signed_in(app, "Секретар Тестов", PASSWORD).get("/documents/?template=absence_letter")
    assert page.status_code == 200
    addressees = re.findall(r"<p>До ([^<]+)</p>", page.get_data(as_text=True))
    # Documents' own letter to both parents, and the paper copy for each.
    assert sorted(addressees) == ["Стоян Колев и Яна Колева, чрез ученика", "Стоян Колев, чрез ученика",
                                  "Яна Колева, чрез ученика"]
