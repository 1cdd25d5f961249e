"""SQLite's write-ahead log reaches the database file in the background, not in a teacher's commit."""

from __future__ import annotations

import sqlite3
import time

import sqlalchemy as sa

from shared.db import Database
from shared.wal_checkpointer import BACKSTOP_PAGES


def _rows_in_the_database_file(path) -> int:
    # immutable=1 reads the main file alone, ignoring the -wal file: only checkpointed rows are there.
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM marks").fetchone()[0]
    except sqlite3.OperationalError:  # not even the table has reached the file yet
        return 0
    finally:
        conn.close()


def test_commits_reach_the_database_file_within_seconds_without_a_commit_time_checkpoint(tmp_path):
    path = tmp_path / "register.sqlite3"
    db = Database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        table = sa.Table("marks", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("kind", sa.String(16)))
        table.create(db.engine)
        with db.transaction() as s:  # the first write of the process starts the checkpointer
            s.execute(table.insert(), [{"kind": "late"}] * 3)
        deadline = time.monotonic() + 10
        while _rows_in_the_database_file(path) < 3:
            assert time.monotonic() < deadline, "the log was not checkpointed in the background"
            time.sleep(0.2)
    finally:
        db.dispose()
