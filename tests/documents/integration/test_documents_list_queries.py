"""The documents list asks the database the same number of times for 20 documents as for 200 (no n+1).

Gibbon's attendance page had n+1 queries that users felt (web-ui.md, notes); the list joins the
student's name and leaves the files out, so a page costs the same whatever the register holds.
"""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import sqlalchemy as sa
from werkzeug.test import Client

from services.documents.models import Document, StudentCard

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
#: Not queries: how the connection wraps them (SQLite's explicit BEGIN), counted apart from the questions asked.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


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


def _signed_in(app) -> Client:
    client = Client(app)
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post("/login", data={"name": "Секретар Тестов", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303
    return client


def _statements(process, client: Client, path: str) -> tuple[int, str]:
    """SQL statements this request runs on the documents database (the relays' and worker's threads excluded)."""
    engine = process.runtime("documents").db.engine
    me = threading.get_ident()
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if threading.get_ident() == me and not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        answer = client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return len(seen), answer.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/documents/", "/documents/?student=Тестов&template=student_certificate",
                                  "/documents/?number=7"])
def test_the_documents_list_costs_the_same_for_20_and_for_200_documents(process, app, make_user, path):
    make_user("secretary", "Секретар Тестов", password=PASSWORD)
    client = _signed_in(app)
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
