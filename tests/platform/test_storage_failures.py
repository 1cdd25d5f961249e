"""The database away or its disk full (issue 17): a clear answer in Bulgarian, nothing half-written,
and the service works again by itself once the database is back.
"""

from __future__ import annotations

import time

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from shared.db import make_engine
from shared.db_ping import PING_AFTER_IDLE_S
from tests.conftest import PG_ADMIN_URL
from tests.support.school import SCHOOL


def _audit_rows(process) -> int:
    with process.runtime("register").db.sessions() as s:
        return s.scalar(sa.text("SELECT count(*) FROM audit_log"))


def _phone(process) -> str:
    with process.runtime("register").db.sessions() as s:
        return s.scalar(sa.text("SELECT phone FROM school"))


def _school_with_phone(api, phone: str):
    return api.put("/api/register/school", json=SCHOOL | {"phone": phone})


@pytest.mark.backend("embedded")
def test_a_full_disk_is_a_clear_error_and_nothing_of_the_request_is_written(api, process):
    engine = process.runtime("register").db.engine
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_connection, _record) -> None:  # SQLite's own "disk full": no page beyond today's file
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", cap)
    engine.dispose()
    try:
        for number in range(500):
            before = _audit_rows(process)
            answer = _school_with_phone(api, f"0601 {number:05d}")
            if answer.status_code != 200:
                break
        else:
            pytest.fail("the capped database never filled up")
    finally:
        event.remove(engine, "connect", cap)
        engine.dispose()
    assert answer.status_code == 507, answer.json
    assert answer.json["message"].startswith("Дискът с данните е пълен. Нищо не е записано")
    # All or nothing: neither the change nor its audit row nor its event.
    assert _audit_rows(process) == before
    assert _phone(process) == f"0601 {number - 1:05d}"
    # Space again: the same request goes through.
    assert _school_with_phone(api, f"0601 {number:05d}").status_code == 200


@pytest.mark.backend("server")
def test_postgresql_away_is_a_503_and_the_service_recovers_by_itself(api, process, settings):
    """PostgreSQL restarting: its connections are cut and new ones refused for a while."""
    name = settings.register_database_url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            before = api.get("/api/register/school-years")
            answer = _school_with_phone(api, "0601 99999")
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert before.status_code == 503, before.json
    assert answer.status_code == 503, answer.json
    assert answer.json["message"] == ("Базата данни временно не е достъпна. Нищо не е записано; "
                                      "опитайте отново след минута.")
    assert answer.headers["Retry-After"]
    # Back: the pool's stale connections are replaced on their own (shared/db_ping.py), nothing was written.
    assert _phone(process) != "0601 99999"
    assert _school_with_phone(api, "0601 99999").status_code == 200



def _cut_connections(application_name: str) -> int:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        return admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE application_name = %s", (application_name,)).fetchone()[0]


@pytest.mark.backend("server")
def test_a_connection_cut_while_idle_in_the_pool_is_replaced_before_use():
    """PostgreSQL restarted between two uses of a pooled connection (its backend cut, the server back at
    once): used a second or more later, the connection is checked and replaced first, and the statement
    runs (``shared/db_ping.py``). An engine of its own: a service's relays poll on theirs, and the
    first of them to meet the cut connection would refresh the pool for everyone, hiding the check."""
    engine = make_engine(f"{PG_ADMIN_URL}?application_name=school-ping-test")
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT 1")) == 1
        assert _cut_connections("school-ping-test") == 1
        time.sleep(PING_AFTER_IDLE_S + 0.2)
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT 2")) == 2
        # Cut again and used at once: no ping, the statement meets the cut and fails; the pool is then
        # refreshed, and the next use works (the service answers that one request 503, outage.py).
        assert _cut_connections("school-ping-test") == 1
        with pytest.raises(sa.exc.OperationalError), engine.connect() as conn:
            conn.scalar(sa.text("SELECT 3"))
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT 4")) == 4
    finally:
        engine.dispose()
