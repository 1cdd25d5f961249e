"""Many rows loaded the fastest way each database has: ``COPY`` on PostgreSQL, the driver's
``executemany`` on SQLite.

Why it exists: issue 3's goal, a bulk import of 100,000 absence rows (``bulk.import_absences``:
rules evaluated, 18,000 firings stored) at ≥ 0.5 of the speed of loading the same rows raw.  The
import loads the marks, then its firings (skipping any already stored).  Measured with
``bench/fast_paths_vs_plain.py`` in one run (issue 15, on a busy shared machine; best of two
rounds each, ratio = raw time / import time):

==================================  ===================  ===================
bulk import of 100,000 rows         SQLite               PostgreSQL
==================================  ===================  ===================
``copy_rows`` for both loads        0.75 s, ratio 0.59   2.49 s, ratio 0.59
plain executemany for the marks     2.38 s, ratio 0.19   4.73 s, ratio 0.31
plain executemany for the firings   1.03 s, ratio 0.43   2.92 s, ratio 0.50
plain executemany for both          1.57 s, ratio 0.28   4.63 s, ratio 0.32
raw load of the marks alone         0.44 s               1.47 s (``COPY``)
==================================  ===================  ===================

(SQLAlchemy Core's executemany of the marks alone, without rules: ratio 0.49 and 0.39.)  An
earlier, quieter run the same day gave, in the same order, 0.49 / 0.28 / 0.34 / 0.25 on SQLite and
0.69 / 0.38 / 0.59 / 0.28 on PostgreSQL.  PostgreSQL's firings alone would meet the goal plain
(0.59, 0.50, at its edge); they keep ``copy_rows`` there too, as the marks need it on both
databases and the firings on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session


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
