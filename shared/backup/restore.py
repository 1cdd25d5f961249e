"""Restoring a backup into a new data folder: checked whole first, put in place only when complete."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa

from shared.backup.archive import BackupError, read_manifest, unpack
from shared.backup.snapshot import backend_of, describe_url, libpq_url
from shared.bootstrap import service_definitions
from shared.db import make_engine
from shared.embedded.broker import EmbeddedBroker
from shared.plugins import PluginRegistry
from shared.settings import Settings


def _check_targets(manifest: dict[str, Any], settings: Settings) -> None:
    """Refuse before writing anything when the settings cannot take this backup."""
    data_dir = settings.data_dir
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise BackupError(f"Папката {data_dir} не е празна: възстановяването става в нова папка.")
    for name, saved in manifest["services"].items():
        url = settings.database_url(name)
        if backend_of(url) != saved["backend"]:
            raise BackupError(f"Базата на „{name}“ е копие от {saved['backend']}, а настройките сочат "
                              f"{backend_of(url)}: задайте същия вид база, както при копието.")
        if saved["backend"] != "sqlite":
            engine = make_engine(url)
            try:
                with engine.connect() as conn:
                    if sa.inspect(conn).get_table_names():
                        raise BackupError(f"Базата на „{name}“ ({make_url_safe(url)}) не е празна.")
            finally:
                engine.dispose()
    if settings.redis_url and redis.Redis.from_url(settings.redis_url).dbsize():
        raise BackupError("Брокерът на съобщения (SCHOOL_REDIS_URL) не е празен.")


def make_url_safe(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _restore_broker(keys_file: Path, url: str) -> None:
    client = redis.Redis.from_url(url)
    pipe = client.pipeline(transaction=False)
    with keys_file.open(encoding="ascii") as lines:
        for line in lines:
            item = json.loads(line)
            pipe.restore(base64.b64decode(item["key"]), item["ttl"], base64.b64decode(item["value"]))
    pipe.execute()


def _restore_postgresql(dump: Path, url: str) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("За възстановяване в PostgreSQL е нужна програмата pg_restore (пакет postgresql-client).")
    answer = subprocess.run(["pg_restore", "--single-transaction", "--no-owner", "--exit-on-error",
                             "--dbname", libpq_url(url), str(dump)], capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        raise BackupError(f"pg_restore не успя: {answer.stderr.strip()}")


def _send_again(url: str, outbox: sa.Table, since: dt.datetime) -> int:
    """Outbox rows published after the broker's copy was taken: their relay sends them again."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            return conn.execute(sa.update(outbox).where(outbox.c.published_at >= since)
                                .values(published_at=None)).rowcount
    finally:
        engine.dispose()


def restore(archive: Path, settings: Settings, plugins: PluginRegistry | None = None) -> dict[str, Any]:
    """Restore ``archive`` into ``settings.data_dir`` (and PostgreSQL databases, where configured).

    The archive is checked whole before anything is written; the data folder appears only when
    everything is in place. Returns the manifest, with ``resent`` (outbox rows to send again).
    """
    plugins = plugins or PluginRegistry.discover(("services",))
    definitions = {d.name: d for d in service_definitions(plugins)}
    manifest = read_manifest(archive)
    _check_targets(manifest, settings)
    data_dir = settings.data_dir.resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}-restore-", dir=data_dir.parent))
    try:
        manifest = unpack(archive, staging / "archive")
        new = staging / "data"
        new.mkdir()
        for name in manifest["files"]:
            shutil.copyfile(staging / "archive" / "files" / name, new / name)
            (new / name).chmod(0o600)  # the cookie-signing key is a secret
        since = dt.datetime.fromisoformat(manifest["broker_snapshot_at"])
        resent = {}
        for name, saved in manifest["services"].items():
            source = staging / "archive" / saved["member"]
            if saved["backend"] == "sqlite":
                url = f"sqlite:///{new / f'{name}.sqlite3'}"
                os.replace(source, new / f"{name}.sqlite3")
            else:
                url = settings.database_url(name)
                _restore_postgresql(source, url)
            resent[name] = _send_again(url, definitions[name].tables.outbox.__table__, since)
            found = describe_url(url)
            if found["tables"] != saved["tables"]:
                raise BackupError(f"След възстановяването базата на „{name}“ не съвпада с копието.")
        keys = staging / "archive" / "broker" / "keys.jsonl"
        if settings.redis_url:
            _restore_broker(keys, settings.redis_url)
        else:
            broker = EmbeddedBroker(new)
            try:
                _restore_broker(keys, broker.start())
            finally:
                broker.stop()
        if data_dir.exists():
            data_dir.rmdir()  # checked empty above
        os.replace(new, data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {**manifest, "resent": resent}
