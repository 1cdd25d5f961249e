"""The documents list asks the database the same number of times for 20 documents as for 200 (no n+1).

Gibbon's attendance page had n+1 queries that users felt (web-ui.md, notes); the list joins the
student's name and leaves the files out, so a page costs the same whatever the register holds.
"""

from __future__ import annotations

import datetime as dt

import pytest

from services.documents.models import Document, StudentCard
from tests.support.pages import counting_statements, signed_in

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"


def _add_documents(process, first: int, count: int) -> None:
    """Documents as the render job leaves them, each for a student of its own (set up directly: 200 renders
    would test the renderer, not the list)."""
    documents = process.runtime("documents")
    with documents.db.transaction() as s:
        for n in range(first, first + count):
            s.add(StudentCard(id=n, name=f"Ученик Номер{n} Тестов", class_code="10а", guardians=[]))
            s.add(Document(id=n, template="student_certificate", context={}, status="done",
                           number=f"{n}/02.10.2023", student_id=n, content=b"x" * 2000,
                           created_at=dt.datetime(2023, 10, 2, tzinfo=dt.UTC)))


def _statements(process, client, path: str) -> tuple[int, str]:
    """SQL statements this request runs on the documents database (the relays' and worker's threads excluded)."""
    with counting_statements(process.runtime("documents").db.engine, queries_only=True) as seen:
        answer = client.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return len(seen), answer.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/documents/", "/documents/?student=Тестов&template=student_certificate",
                                  "/documents/?number=7"])
def test_the_documents_list_costs_the_same_for_20_and_for_200_documents(process, app, make_user, path):
    make_user("secretary", "Секретар Тестов", password=PASSWORD)
    client = signed_in(app, "Секретар Тестов", PASSWORD)
    _add_documents(process, 1, 20)
    with_20, page = _statements(process, client, path)
    assert "Ученик Номер" in page
    _add_documents(process, 21, 180)
    with_200, page = _statements(process, client, path)
    assert with_200 == with_20
    assert with_20 == 2  # the user, then the page of documents with their students; nothing per row
    if path == "/documents/":
        assert page.count('class="doc"') == 25
        assert "Ученик Номер200 Тестов" in page  # newest first
        assert "Следваща страница" in page


@pytest.mark.backend("server")
def test_a_batch_of_letters_costs_the_same_statements_for_5_as_for_100(api, process):
    """A whole class's letters in one request: the template read once, the documents inserted together.

    PostgreSQL only: on SQLite, in the process, a statement costs no round trip, and the outbox rows are
    inserted one by one on purpose (``shared/db_bulk/append_only.py``)."""
    from services.documents.catalogue.examples import STUDENT_CERTIFICATE  # noqa: PLC0415

    counts = []
    for size in (5, 100):
        with counting_statements(process.runtime("documents").db.engine, queries_only=True) as seen:
            answer = api.post("/api/documents/documents/batch", json={
                "template": "student_certificate", "contexts": [STUDENT_CERTIFICATE] * size})
        assert answer.status_code == 202, answer.json
        counts.append(len(seen))
    assert counts[0] == counts[1], counts
    assert len(api.get("/api/documents/documents?template=student_certificate").json) == 105
