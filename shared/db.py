"""Database access for one service (база данни на услугата).

Each service owns its database.  SQLite (the embedded default) runs in WAL mode with a busy
timeout, so the web process, the worker and ``schoolctl users add`` can share the file; PostgreSQL
is used as is.  Sessions are short: one request or one message, one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from shared.db_bulk.append_only import write_pending
from shared.db_ping import ping_idle_connections
from shared.outage import CommitUncertainError, storage_failure
from shared.wal_checkpointer import BACKSTOP_PAGES, WalCheckpointer

#: Milliseconds SQLite waits for a competing writer before failing.
SQLITE_BUSY_TIMEOUT_MS = 15_000

#: The integers every backend holds: PostgreSQL's ``integer`` (ids and counts), inside SQLite's 8
#: bytes. A number beyond them names no row and breaks the driver (a 500), so input is checked
#: against them first (``shared.web.arguments`` for the API, importers for their files).
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

#: JSON columns keep Cyrillic as UTF-8, not as ``\uXXXX`` escapes: a rule firing's event is mostly
#: Bulgarian text, and escaped it is two to three times larger to write, copy and read back.
_JSON_SERIALIZER = functools.partial(json.dumps, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves so that
    # "BEGIN IMMEDIATE" can take the write lock when a counter (order numbers) needs it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Checkpoints run in the background (shared.wal_checkpointer); a commit does one only past this.
    cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
    cursor.close()


def _sqlite_begin(conn) -> None:
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _NoRows(logging.Filter):
    """Drops SQLAlchemy's DEBUG lines of result rows: a row of ``students`` holds an ЕГН."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


_NO_ROWS = _NoRows()


def _keep_personal_data_out_of_logs() -> None:
    # With the engines' hide_parameters, statements are logged (INFO) without their values and
    # errors are raised without them; this keeps the rows out at DEBUG. Added once, where engines are made.
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    if _NO_ROWS not in logger.filters:
        logger.addFilter(_NO_ROWS)


def make_engine(url: str) -> Engine:
    """Create an engine with the pragmas and pool settings this project relies on.

    Statement parameters and result rows hold personal data (ЕГН, names, addresses): they never
    reach a log line or an error message, whatever level the logging is set to.
    """
    _keep_personal_data_out_of_logs()
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 15},
                                  json_serializer=_JSON_SERIALIZER, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, pool_size=10, max_overflow=20, json_serializer=_JSON_SERIALIZER,
                              hide_parameters=True)
    ping_idle_connections(engine)  # instead of pool_pre_ping's ping on every checkout: see the module
    return engine


def dialect_insert(session: Session, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    """The INSERT of the session's database, whose ``on_conflict_*`` and ``excluded`` an upsert needs."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _refuse_writes(session: Session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a session of Database.reads is for reading: write in Database.transaction")


class Database:
    """An engine plus a session factory, and hooks run after each successful commit.

    Parameters:
      url: SQLAlchemy URL (``sqlite:///…`` or ``postgresql://…``).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: The engine of read-only work (:attr:`reads`): on PostgreSQL its connections run in autocommit,
        #: so no ``BEGIN`` and ``ROLLBACK`` travel around the questions.  Each statement then sees what
        #: was committed when it began, exactly as in a ``READ COMMITTED`` transaction (PostgreSQL's
        #: default, and this project's), so nothing a reader sees changes.  On a saturated server every
        #: round trip waits for PostgreSQL's backend to be scheduled: for the signed-in user's lookup,
        #: on every request of every service, that was three round trips for one question (issue 17's
        #: rush).  SQLite keeps its plain sessions (a read transaction is its consistent snapshot, and
        #: costs no round trip).
        self.read_engine = self.engine if self.is_sqlite else self.engine.execution_options(
            isolation_level="AUTOCOMMIT")
        #: Sessions for reading only, used like :attr:`sessions`.  No autoflush (a value changed on a
        #: loaded object for display is never written by the next query), and an explicit flush with
        #: changes raises: in autocommit a write would be stored at once, not rolled back at the end.
        self.reads = sessionmaker(self.read_engine, expire_on_commit=False, autoflush=False)
        event.listen(self.reads, "before_flush", _refuse_writes)
        self._after_commit: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        #: SQLite has one writer at a time; queueing this process's writers on a lock avoids
        #: SQLite's busy handler, which sleeps up to 100 ms between retries under contention.
        self._sqlite_writer = threading.Lock()
        self._checkpointer = WalCheckpointer(self.engine) if self.is_sqlite else None
        event.listen(self.sessions, "after_commit", self._run_after_commit)
        if self.engine.dialect.name == "postgresql":
            event.listen(self.sessions, "before_commit", write_pending)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after every commit (e.g. wake the outbox relay)."""
        with self._lock:
            self._after_commit.append(callback)

    def _run_after_commit(self, session: Session) -> None:
        if not session.info.pop("outbox_dirty", False):
            return
        for callback in list(self._after_commit):
            callback()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work that writes: commit on success, roll back on any error.

        On SQLite it takes the write lock at BEGIN (``BEGIN IMMEDIATE``): a deferred transaction
        that read first would fail at once with "database is locked" when another writer
        committed in between, whereas an immediate one waits its turn (busy timeout).
        Read-only work uses ``sessions()`` and never blocks writers in WAL mode.
        """
        writer_lock = self._sqlite_writer if self.is_sqlite else contextlib.nullcontext()
        if self._checkpointer is not None:
            self._checkpointer.ensure_running()
        with writer_lock:
            session = self.sessions()
            try:
                if self.is_sqlite:
                    # Execution options reach the connection before BEGIN, where the listener reads them.
                    session.connection(execution_options={"sqlite_immediate": True})
                yield session
                session.flush()  # an error up to here certainly stored nothing
                self._commit(session)
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def _commit(self, session: Session) -> None:
        try:
            session.commit()
        except sa.exc.DBAPIError as exc:
            # SQLite's commit is all or nothing in this process; a server's may have happened
            # although its answer never came.
            if not self.is_sqlite and (storage_failure(exc) or (0,))[0] == 503:
                raise CommitUncertainError(str(exc.orig or exc)) from exc
            raise

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()


def new_base() -> type[DeclarativeBase]:
    """A declarative base with naming conventions, one per service (each has its own schema)."""

    class Base(DeclarativeBase):
        metadata = sa.MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        )

    return Base
