"""One INSERT of many rows read from a JSON document on PostgreSQL (``json_to_recordset``).

Why it exists: issue 3's goal, a class of 30 saved with its rules (``record_lesson``) in p95 ≤ 10 ms
on PostgreSQL.  A lesson makes three such inserts (the marks, the rule counters' upsert, the new
firings).  Measured with ``bench/fast_paths_vs_plain.py`` (lessons alternating between the variants,
each followed by a raw Core insert of the same 30 rows; p95, empty / with 1,000,000 absences stored):

A. issue 15, a quiet moment, 100 lessons each, before the outbox's CTE inserts and the quick
   payload check were removed (so "every write plain" is the code of today with a plain executemany
   in place of this insert):

   ====================================  =====================  ================
   PostgreSQL ``record_lesson``, p95     empty / 1,000,000      full ÷ empty
   ====================================  =====================  ================
   with this insert (and the others)     7.79 / 6.63 ms         0.85
   plain executemany for this one        9.74 / 8.82 ms         0.91
   every write plain                     11.21 / 11.21 ms       1.00, goal missed
   raw insert of the 30 rows             2.55 / 2.69 ms
   ====================================  =====================  ================

B. the code of today on a busy machine, 120 lessons each: with this insert 24.12 / 21.29 ms
   (2.39 / 2.66 × raw), with a plain executemany 29.68 / 24.14 ms (2.94 / 3.02 × raw), raw
   10.09 / 7.99 ms.

On SQLite a plain executemany is as fast (run A: 4.32 against 5.54 ms, raw 0.99 ms), so there the
statement is SQLAlchemy's own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Result
from sqlalchemy.orm import Session


class RowsInsert:
    """One INSERT of many rows with fixed columns, built once and executed many times.

    Parameters:
      table: the table rows go into.
      columns: the keys every row has, in this order.
      finish: adds ON CONFLICT or RETURNING to the dialect's own insert (``postgresql.insert`` or
        ``sqlite.insert``), so ``statement.excluded`` and ``on_conflict_*`` work on both.

    On PostgreSQL the rows travel as one JSON document read by ``json_to_recordset``: the statement's
    text is the same whatever the number of rows, so psycopg parses it and PostgreSQL plans it once
    (a multi-row ``VALUES`` list is a new, long text for every size), and the document is written by
    the C JSON encoder (psycopg dumps one array per column in Python, a regular expression per value).
    On SQLite it is a plain executemany of the dialect's insert.
    """

    def __init__(self, table: sa.Table, columns: tuple[str, ...],
                 finish: Callable[[sa.Insert], sa.Executable] | None = None) -> None:
        self.table = table
        self.columns = columns
        self._finish = finish or (lambda statement: statement)
        self._statements: dict[str, sa.Executable] = {}

    def _statement(self, dialect: str) -> sa.Executable:
        if dialect not in self._statements:
            if dialect == "postgresql":
                insert = recordset_insert(self.table, self.columns, "rows")
            else:
                insert = sqlite.insert(self.table)
            self._statements[dialect] = self._finish(insert)
        return self._statements[dialect]

    def execute(self, session: Session, rows: list[dict]) -> list[sa.Row] | Result:
        """Insert ``rows``, dicts with exactly the ``columns`` as keys (at least one row).

        Returns the rows RETURNING gives, or the result when the statement returns nothing.
        """
        dialect = session.get_bind().dialect.name
        statement = self._statement(dialect)
        if dialect == "postgresql":
            result = session.execute(statement, {"rows": json_rows(rows)})
        else:
            result = session.execute(statement, rows)
        return result.all() if result.returns_rows else result


def recordset_insert(table: sa.Table, columns: tuple[str, ...], parameter: str) -> sa.Insert:
    """PostgreSQL's ``INSERT … SELECT`` of the rows in the JSON document bound as ``parameter``."""
    document = sa.cast(sa.bindparam(parameter, type_=sa.Unicode), postgresql.JSON)
    incoming = sa.func.json_to_recordset(document).table_valued(
        *(sa.column(name, table.c[name].type) for name in columns),
    ).render_derived(name=f"incoming_{parameter}", with_types=True)
    return postgresql.insert(table).from_select(list(columns), sa.select(*incoming.c))


def json_rows(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=_iso_format)


def _iso_format(value: dt.date) -> str:
    """Dates and times in a JSON document of rows, as PostgreSQL reads them back (``json.dumps``' default)."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value RowsInsert can send")
