"""Taking a backup while the system runs: the broker first, then each database, then the files."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.backup.archive import BackupError, write_archive
from shared.bootstrap import BrokerNotConfiguredError, resolve_broker_url
from shared.db import make_engine
from shared.settings import SERVICES, Settings

#: Top-level files of the data folder that belong to the school's data (the databases are taken
#: apart; the broker's files and the metrics folder are working state, rebuilt at start).
DATA_FILES = ("secret_key", "demo-loaded", "demo-accounts.txt")


def software_version() -> str:
    try:
        return version("school-office")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "unknown"


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it (no driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def snapshot_broker(url: str, target: Path) -> int:
    """Every key of the broker's database with its TTL, dumped inside one MULTI/EXEC (atomic)."""
    client = redis.Redis.from_url(url)
    keys = sorted(client.scan_iter(count=1000))
    pipe = client.pipeline(transaction=True)
    for key in keys:
        pipe.dump(key)
        pipe.pttl(key)
    answers = pipe.execute()
    with target.open("w", encoding="ascii") as out:
        for index, key in enumerate(keys):
            value, ttl = answers[2 * index], answers[2 * index + 1]
            if value is None:  # expired between SCAN and EXEC
                continue
            out.write(json.dumps({"key": base64.b64encode(key).decode(), "ttl": max(ttl, 0),
                                  "value": base64.b64encode(value).decode()}) + "\n")
    return len(keys)


def snapshot_sqlite(url: str, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while writers commit (WAL)."""
    source_path = make_url(url).database
    if not source_path or not Path(source_path).exists():
        raise BackupError(f"Няма база данни {source_path}: това ли е папката с данните?")
    # Not read-only: reading a database in WAL mode may need to write its shared-memory index.
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def snapshot_postgresql(url: str, target: Path) -> dict[str, Any]:
    """pg_dump's custom format, of the snapshot the rows were counted in (``--snapshot``)."""
    if shutil.which("pg_dump") is None:
        raise BackupError("За резервно копие на PostgreSQL е нужна програмата pg_dump (пакет postgresql-client).")
    engine = make_engine(url).execution_options(isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn:  # the transaction stays open while pg_dump reads its snapshot
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            described = describe(conn)
            answer = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                                     "--file", str(target), libpq_url(url)],
                                    capture_output=True, text=True, check=False)
            if answer.returncode != 0:
                raise BackupError(f"pg_dump не успя: {answer.stderr.strip()}")
            conn.rollback()
    finally:
        engine.dispose()
    return described


def describe(conn: sa.Connection) -> dict[str, Any]:
    """The schema revision and the rows per table, recorded in the manifest and checked on restore."""
    names = sorted(sa.inspect(conn).get_table_names())
    revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() \
        if "alembic_version" in names else None
    counts = {name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
              for name in names}
    return {"revision": revision, "tables": counts}


def describe_url(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return describe(conn)
    finally:
        engine.dispose()


def take_backup(settings: Settings, target: Path) -> dict[str, Any]:
    """Write a backup of the school whose settings these are to ``target``; returns its manifest."""
    try:
        return _take_backup(settings, target.resolve())
    except (BrokerNotConfiguredError, redis.ConnectionError) as exc:
        raise BackupError(f"Брокерът на съобщения не е достъпен ({exc}): системата трябва да работи "
                          "по време на копирането.") from exc
    except OSError as exc:
        raise BackupError(f"Копието не може да се запише: {exc.strerror or exc}. Нищо не е записано.") from exc


def _take_backup(settings: Settings, target: Path) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as tmp:
        staging = Path(tmp)
        (staging / "databases").mkdir()
        (staging / "broker").mkdir()
        # The broker first: an outbox row published after this moment is sent again on restore.
        broker_at = dt.datetime.now(dt.UTC)
        keys = snapshot_broker(resolve_broker_url(settings), staging / "broker" / "keys.jsonl")
        services: dict[str, Any] = {}
        for name in SERVICES:
            url = settings.database_url(name)
            backend = backend_of(url)
            member = f"databases/{name}.sqlite3" if backend == "sqlite" else f"databases/{name}.pgdump"
            if backend == "sqlite":
                snapshot_sqlite(url, staging / member)
                described = describe_url(f"sqlite:///{staging / member}")
            else:
                described = snapshot_postgresql(url, staging / member)
            services[name] = {"backend": backend, "member": member, **described}
        (staging / "files").mkdir()
        files = []
        for name in DATA_FILES:
            source = settings.data_dir / name
            if source.is_file():
                shutil.copy2(source, staging / "files" / name)
                files.append(name)
        manifest = {"created_at": dt.datetime.now(dt.UTC).isoformat(), "software": software_version(),
                    "broker_snapshot_at": broker_at.isoformat(), "broker_keys": keys,
                    "services": services, "files": files}
        return write_archive(target, staging, manifest)
