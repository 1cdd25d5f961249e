"""Pages without a browser: signing in through ``/login`` as a form does, and counting a request's SQL."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from werkzeug.test import Client

#: The CSRF token every form of the pages carries (``_forms.html`` ``form_open``).
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: Not queries: how a connection wraps them (SQLite's explicit BEGIN).
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


def signed_in(app, name: str, password: str) -> Client:
    """A client signed in through the sign-in form, with the CSRF token the form carries."""
    client = Client(app)
    token = csrf_of(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"})
    assert answer.status_code == 303, f"{name} could not sign in: {answer.status_code}"
    return client


@contextlib.contextmanager
def _counting(engine, sent_by_the_page: Callable[[str], bool]) -> Iterator[list[str]]:
    """The statements sent to ``engine`` for which ``sent_by_the_page(statement)`` holds, while open."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if sent_by_the_page(statement):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def counting_statements(engine, *, queries_only: bool = False) -> contextlib.AbstractContextManager[list[str]]:
    """The statements this thread sends to ``engine`` (the relays and workers run in other threads).

    Parameters:
      queries_only: leave out transaction control (``BEGIN``, ``COMMIT`` …), counting only the questions asked.
    """
    me = threading.get_ident()
    return _counting(engine, lambda statement: threading.get_ident() == me and not (
        queries_only and statement.lstrip().upper().startswith(TRANSACTION_CONTROL)))


#: How ``socketserver.ThreadingMixIn`` names the thread that answers one request of the pages' server.
REQUEST_THREAD = "process_request_thread"


def counting_served_statements(engine) -> contextlib.AbstractContextManager[list[str]]:
    """The statements the HTTP server's request threads send to ``engine`` (a browser's request is
    answered in such a thread; the relays, workers and sweeps of the same process run in others, and
    what they ask at that moment is not the page's)."""
    return _counting(engine, lambda _statement: REQUEST_THREAD in threading.current_thread().name)
