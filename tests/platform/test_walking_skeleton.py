"""The walking skeleton: one absence goes through all four services on a real broker and SMTP server."""

from __future__ import annotations

import re

import pytest

from services.documents.rendering import docx_text
from tests.support.school import setup_small_school
from tests.support.smtp import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(settings, smtp):
    return settings.replace(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="school@example.bg")


def test_an_absence_is_mailed_drawn_up_and_tracked(api, make_user, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    recorded = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 2, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "unexcused"}],
    })
    assert recorded.status_code == 201, recorded.json
    api.drain()

    # notifications: the guardian's e-mail reached the SMTP server
    [mail] = smtp.to("petar@example.bg")
    assert "отсъствие по неуважителни причини в 2. час по Математика" in mail.get_content()

    # documents: the day's one-page notice is drawn up, numbered and downloadable
    [document] = api.get("/api/documents/documents", query_string={"student_id": school.student_id}).json
    assert document["template"] == "absence_notice"
    assert document["status"] == "done"
    assert re.fullmatch(r"1/\d{2}\.\d{2}\.\d{4}", document["number"])  # the first outgoing letter
    text = docx_text(api.get(f"/api/documents/documents/{document['id']}/file").data)
    assert "Мария Петрова Иванова" in text
    assert "02.10.2023" in text
    assert "Мария Петрова" in text  # the class teacher signs it

    # planning: the class teacher's duty to finalise the day's absences (Чл. 97, т. 9) is tracked
    overdue = api.get("/api/planning/overdue").json
    assert [(item["kind"], item["article"]) for item in overdue] == [("procedure", "Чл. 97, т. 9")]
    assert overdue[0]["due"] == "2023-10-09"
