"""Database access for one service (база данни на услугата).

Each service owns its database.  SQLite (the embedded default) runs in WAL mode with a busy
timeout, so the web process, the worker and ``schoolctl users add`` can share the file; PostgreSQL
is used as is.  Sessions are short: one request or one message, one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import json
import operator
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, Result
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from shared.wal_checkpointer import BACKSTOP_PAGES, WalCheckpointer

#: Milliseconds SQLite waits for a competing writer before failing.
SQLITE_BUSY_TIMEOUT_MS = 15_000

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


def make_engine(url: str) -> Engine:
    """Create an engine with the pragmas and pool settings this project relies on."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 15},
                                  json_serializer=_JSON_SERIALIZER)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, json_serializer=_JSON_SERIALIZER)


def _recordset_insert(table: sa.Table, columns: tuple[str, ...], parameter: str) -> sa.Insert:
    """PostgreSQL's ``INSERT … SELECT`` of the rows in the JSON document bound as ``parameter``."""
    document = sa.cast(sa.bindparam(parameter, type_=sa.Unicode), postgresql.JSON)
    incoming = sa.func.json_to_recordset(document).table_valued(
        *(sa.column(name, table.c[name].type) for name in columns),
    ).render_derived(name=f"incoming_{parameter}", with_types=True)
    return postgresql.insert(table).from_select(list(columns), sa.select(*incoming.c))


def _json_rows(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=_iso_format)


class RowsInsert:
    """One INSERT of many rows with fixed columns, built once and executed many times.

    Parameters:
      table: the table rows go into.
      columns: the keys every row has, in this order.
      finish: adds ON CONFLICT or RETURNING to the dialect's own insert (``postgresql.insert`` or
        ``sqlite.insert``), so ``statement.excluded`` and ``on_conflict_*`` work on both.

    On PostgreSQL the rows travel as one JSON document read by ``json_to_recordset``: the statement's
    text is the same whatever the number of rows, so psycopg parses it and PostgreSQL plans it once
    (a multi-row ``VALUES`` list is a new, long text for every size, parsed again on each call), and
    the document is written by the C JSON encoder (psycopg dumps one array per column in Python,
    a regular expression per value: a quarter of a recorded lesson's time went there).  On SQLite
    (whose driver does no parsing of its own) the statement is compiled once and its ``VALUES``
    group repeated for as many rows as SQLite takes parameters in one statement: SQLAlchemy's own
    batching builds a parameter dict per row and costs more than the insert.  The statement object
    is kept, so SQLAlchemy neither rebuilds it nor works out its cache key again on each call.
    """

    def __init__(self, table: sa.Table, columns: tuple[str, ...],
                 finish: Callable[[sa.Insert], sa.Executable] | None = None) -> None:
        self.table = table
        self.columns = columns
        self._finish = finish or (lambda statement: statement)
        self._statements: dict[str, sa.Executable] = {}
        self._sqlite_text: tuple[str, str, str, bool] | None = None
        self._values_of = operator.itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)

    def _statement(self, dialect: str) -> sa.Executable:
        if dialect not in self._statements:
            if dialect == "postgresql":
                insert = _recordset_insert(self.table, self.columns, "rows")
            else:
                insert = sqlite.insert(self.table)
            self._statements[dialect] = self._finish(insert)
        return self._statements[dialect]

    def _sqlite_parts(self, dialect) -> tuple[str, str, str, bool]:
        """``(head, "(?, ?, …)", tail, returns rows)`` of the compiled one-row statement."""
        if self._sqlite_text is None:
            statement = self._statement("sqlite")
            compiled = statement.compile(dialect=dialect, column_keys=list(self.columns))
            group = "(" + ", ".join("?" for _ in self.columns) + ")"
            head, found, tail = compiled.string.partition(f"VALUES {group}")
            returned = statement.returning_column_descriptions if isinstance(statement, sa.Insert) else []
            # Rows come back as the driver gives them: only types SQLite returns as they are (int, text).
            plain = all(column["type"].dialect_impl(dialect).result_processor(dialect, None) is None
                        for column in returned)
            if not found or tuple(compiled.positiontup or ()) != self.columns or not plain:
                raise TypeError(f"RowsInsert cannot repeat the VALUES of: {compiled.string}")
            self._sqlite_text = (head + "VALUES ", group, tail, bool(returned))
        return self._sqlite_text

    def execute(self, session: Session, rows: list[dict]) -> list[sa.Row] | Result:
        """Insert ``rows``, dicts with exactly the ``columns`` as keys (at least one row).

        Returns what RETURNING gives: on SQLite as the driver gives it, which is why only columns the
        driver returns as they are (integers, text) may be returned (a ``TypeError`` says so at once).
        """
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            return session.execute(self._statement("postgresql"), {"rows": _json_rows(rows)})
        head, group, tail, returned = self._sqlite_parts(connection.dialect)
        values = _storage_form(connection.dialect, self.table, self.columns, list(map(self._values_of, rows)))
        per_statement = max(1, _sqlite_variable_limit(connection) // len(self.columns))
        answer: list[sa.Row] = []
        for start in range(0, len(values), per_statement):
            chunk = values[start:start + per_statement]
            # The text is the compiled statement with its one VALUES group repeated; values are bound.
            result = connection.exec_driver_sql(head + ", ".join([group] * len(chunk)) + tail,
                                                tuple(itertools.chain.from_iterable(chunk)))
            if returned:
                answer.extend(result.all())
        return answer


def _iso_format(value: dt.date) -> str:
    """Dates and times in a JSON document of rows, as PostgreSQL reads them back (``json.dumps``' default)."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value RowsInsert can send")


def _sqlite_variable_limit(connection) -> int:
    """How many ``?`` parameters one SQLite statement may have (999 on old builds, 32766 on newer)."""
    driver = connection.connection.driver_connection
    return driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def copy_rows(session: Session, table: sa.Table, columns: tuple[str, ...], rows: list[tuple],
              skip_duplicates_of: tuple[str, ...] = ()) -> None:
    """Load many rows into ``table`` in the session's transaction, the fastest way each database has.

    PostgreSQL: ``COPY … FROM STDIN``.  SQLite: the driver's own ``executemany``.  Values first go
    through each column type's conversion (a date to SQLite's text, a JSON document to its driver
    form), each distinct value once, which is what SQLAlchemy's per-row parameter handling would do
    at several times the cost.  Python-side column defaults are not applied: the rows must carry
    every such column.  Constraints and foreign keys hold as for any insert; a violation raises
    ``sqlalchemy.exc.IntegrityError``.

    Parameters:
      skip_duplicates_of: the columns of a unique key; a row whose key is already taken is left out
        (``ON CONFLICT … DO NOTHING``) instead of failing the load.  On PostgreSQL the rows are then
        copied into a temporary table first, since ``COPY`` itself cannot skip a row.
    """
    connection = session.connection()
    values = _storage_form(connection.dialect, table, columns, rows)
    quote = connection.dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in columns)
    target = quote.format_table(table)
    on_conflict = ""
    if skip_duplicates_of:
        on_conflict = f" ON CONFLICT ({', '.join(quote.quote(name) for name in skip_duplicates_of)}) DO NOTHING"
    # Identifiers below come from the table's metadata, quoted; every value is a bound parameter or copied.
    if connection.dialect.name == "postgresql":
        if not on_conflict:
            _copy_into(connection, target, names, values)
            return
        staging = quote.quote(f"incoming_{table.name}")
        connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
                                   f"SELECT {names} FROM {target} WITH NO DATA")
        _copy_into(connection, staging, names, values)
        connection.exec_driver_sql(f"INSERT INTO {target} ({names}) SELECT {names} FROM {staging}{on_conflict}")  # noqa: S608
        connection.exec_driver_sql(f"DROP TABLE {staging}")
        return
    placeholders = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {target} ({names}) VALUES ({placeholders}){on_conflict}",  # noqa: S608
                               values)


def _copy_into(connection, target: str, names: str, values: list[tuple]) -> None:
    import psycopg  # noqa: PLC0415 - the PostgreSQL driver, present whenever PostgreSQL is used

    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    except psycopg.IntegrityError as exc:
        raise sa.exc.IntegrityError(f"COPY {target}", None, exc) from exc


def _storage_form(dialect, table: sa.Table, columns: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """The rows with each value as the driver takes it; equal values of a column are converted once."""
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    if not rows or not any(processors):
        return rows
    converted = []
    for processor, column in zip(processors, zip(*rows, strict=True), strict=True):
        if processor is None:
            converted.append(column)
            continue
        try:
            distinct = {value: processor(value) for value in set(column)}
        except TypeError:  # unhashable values (JSON documents): each converted on its own
            converted.append([processor(value) for value in column])
        else:
            converted.append(list(map(distinct.__getitem__, column)))
    return list(zip(*converted, strict=True))


class Database:
    """An engine plus a session factory, and hooks run after each successful commit.

    Parameters:
      url: SQLAlchemy URL (``sqlite:///…`` or ``postgresql://…``).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._after_commit: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        #: SQLite has one writer at a time; queueing this process's writers on a lock avoids
        #: SQLite's busy handler, which sleeps up to 100 ms between retries under contention.
        self._sqlite_writer = threading.Lock()
        self._checkpointer = WalCheckpointer(self.engine) if self.is_sqlite else None
        event.listen(self.sessions, "after_commit", self._run_after_commit)

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
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

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
