"""``Database.reads``: the sessions of read-only work (on PostgreSQL without BEGIN and ROLLBACK around
the questions) see what is committed and never write."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.register.models.school import School
from tests.support.school import SCHOOL


def test_a_read_session_sees_what_is_committed_and_writes_nothing(api, process):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    db = process.runtime("register").db
    with db.reads() as s:
        school = s.scalars(sa.select(School)).one()
        assert school.phone == SCHOOL["phone"]
        # Another request changes the school meanwhile: on PostgreSQL the next question of the same
        # session sees it (READ COMMITTED, as in a transaction of ``sessions()``); SQLite's read
        # transaction keeps its snapshot, as its plain sessions always have.
        assert api.put("/api/register/school", json=SCHOOL | {"phone": "0601 11111"}).status_code == 200
        assert s.scalar(sa.select(School.phone)) == (SCHOOL["phone"] if db.is_sqlite else "0601 11111")
        # A value changed on a loaded object (for display) is not written by the next question …
        school.name = "Променено име"
        assert s.scalar(sa.select(School.name)) == SCHOOL["name"]
        # … and writing on purpose is refused.
        with pytest.raises(RuntimeError, match=r"Database\.transaction"):
            s.flush()
    with db.sessions() as s:
        assert s.scalar(sa.select(School.name)) == SCHOOL["name"]
