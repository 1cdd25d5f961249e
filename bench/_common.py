"""Helpers shared by the benchmark scripts (percentiles, printing)."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import redis

from shared.embedded.broker import EmbeddedBroker
from shared.settings import Settings

#: The PostgreSQL server benchmarks create their databases on.
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
#: The Redis server a PostgreSQL installation uses with it (database 1: tests use 2–15); flushed after the run.
SERVER_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")

#: The school and the year 2023/2024 the page benchmarks set up through the API, and their users' password.
PASSWORD = "дълга-парола-за-теста"
YEAR = {"name": "2023/2024", "start": "2023-09-15", "end": "2024-06-30",
        "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-30"}],
        "vacations": [], "non_school_days": []}
SCHOOL = {"name": "СУ „Христо Ботев“", "neispuo_code": "2500603", "address": "ул. „Шипка“ 1", "town": "Русе",
          "director_name": "Иван Иванов", "phone": "082 123 456", "email": "school@example.bg"}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def report(figure: str, ours: float, baseline: float, unit: str = "ms", better: str = "lower") -> None:
    ratio = ours / baseline if baseline else float("inf")
    print(f"{figure}: {ours:.2f} {unit} vs raw baseline {baseline:.2f} {unit} → ratio {ratio:.2f} ({better} is better)")


def summary(values: list[float]) -> str:
    return (f"n={len(values)} p50={percentile(values, 50):.2f} p95={percentile(values, 95):.2f} "
            f"mean={statistics.fmean(values):.2f}")


def on_each_database(run: Callable[[str, Settings, str, Any], None], args: Any, service: str = "register") -> None:
    """Call ``run(label, settings, broker_url, args)`` on SQLite and on a fresh PostgreSQL database.

    Each as a school installs it: SQLite with the embedded broker, PostgreSQL with the Redis server
    (the embedded broker fsyncs every write, and on a shared disk that would slow PostgreSQL's own
    commits in a way no server installation sees).  ``args.only`` (``sqlite`` or ``postgresql``)
    keeps one of them.  The PostgreSQL database is created for the run and dropped after it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(Path(tmp) / "broker")
        url = broker.start()
        try:
            if args.only in (None, "sqlite"):
                run("SQLite", Settings(data_dir=Path(tmp) / "sqlite", redis_url=url), url, args)
            if args.only in (None, "postgresql"):
                name = f"school_bench_{os.getpid()}"
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                try:
                    pg_url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
                    redis.Redis.from_url(SERVER_REDIS).flushdb()
                    run("PostgreSQL", Settings(data_dir=Path(tmp) / "pg", redis_url=SERVER_REDIS,
                                               **{f"{service}_database_url": pg_url}), SERVER_REDIS, args)
                finally:
                    redis.Redis.from_url(SERVER_REDIS).flushdb()
                    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            broker.stop()
