"""A transaction's append-only rows (outbox events, audit entries) written at commit, on PostgreSQL
in one statement: each table's rows a JSON document, the inserts chained as CTEs.

Why it exists: issue 3's goal, a class of 30 saved with its rules (``record_lesson``) in
p95 ≤ 10 ms on PostgreSQL. A lesson writes an outbox event or more and an audit entry; written
when they happen they cost a statement and a round trip each, and the ORM's autoflush before each.
Measured in issue 15 with ``bench/bench_absences.py`` at full size (1,000,000 absences stored), on
a quiet machine, PostgreSQL ``record_lesson``:

=====================================  ================  ================
PostgreSQL ``record_lesson``, p95      empty register    ÷ raw insert
=====================================  ================  ================
rows inserted when written (plain)     8.85 / 12.10 ms   5.57 / 7.25
written at commit in one statement     6.28 / 6.27 ms    4.05 / 3.02
the code before issue 15               5.95 / 5.40 ms    3.03 / 2.98
=====================================  ================  ================

(two full runs each; the plain way met the goal in one and missed it in the other, while the raw
insert timed alongside stayed at 1.6–2.1 ms).

On SQLite the plain insert is as fast (4.41 against 5.54 ms in the same run), so there each row is
inserted when written, and this module does nothing.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.db_bulk.recordset_insert import json_rows, recordset_insert

#: ``session.info`` key of rows to insert at commit: ``{table: [row, ...]}``.
PENDING = "append_only_rows"


def add_row(session: Session, table: sa.Table, row: dict) -> None:
    """Insert ``row`` now (SQLite) or with the transaction's other append-only rows at commit (PostgreSQL).

    Only for rows nobody reads back in the same transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.info.setdefault(PENDING, {}).setdefault(table, []).append(row)
    else:
        session.execute(table.insert(), row)


def write_pending(session: Session) -> None:
    """``before_commit``: every pending row, all tables in one statement."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    together = []
    for table, rows in pending.items():
        columns = tuple(rows[0])
        if all(tuple(row) == columns for row in rows):
            together.append((table, columns, rows))
        else:  # rows of different shapes: the plain way
            session.execute(table.insert(), rows)
    if together:
        statement = _chained_inserts(tuple((table, columns) for table, columns, _rows in together))
        session.execute(statement, {f"rows_{i}": json_rows(rows) for i, (_t, _c, rows) in enumerate(together)})


@functools.lru_cache(maxsize=64)
def _chained_inserts(targets: tuple[tuple[sa.Table, tuple[str, ...]], ...]) -> sa.Executable:
    """``WITH t0 AS (INSERT …), … INSERT …``: one PostgreSQL statement filling several tables."""
    inserts = [recordset_insert(table, columns, f"rows_{i}") for i, (table, columns) in enumerate(targets)]
    statement = inserts[-1]
    for i, insert in enumerate(inserts[:-1]):
        statement = statement.add_cte(insert.cte(f"append_only_{i}"))
    return statement
