"""``schoolctl backup`` and ``schoolctl restore``, as the school's IT person runs them.

A backup taken while the system runs restores every row of the four databases, every message of
the broker and the data folder's files; a message still in flight is handled after the restore,
once; a damaged, partial or foreign file is refused and nothing is written.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
import redis
import sqlalchemy as sa

from shared.bootstrap import build_process, upgrade_databases
from shared.db import make_engine
from shared.embedded.broker import EmbeddedBroker
from shared.settings import SERVICES, Settings
from tests.conftest import PG_ADMIN_URL, ROOT, drain
from tests.support.api import ApiClient
from tests.support.school import setup_small_school

pytestmark = pytest.mark.integration


def schoolctl(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    """The command line with the environment that names these settings' databases and broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_")}
    if settings.redis_url:
        env["SCHOOL_REDIS_URL"] = settings.redis_url
    for service in SERVICES:
        url = getattr(settings, f"{service}_database_url")
        if url:
            env[f"SCHOOL_{service.upper()}_DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "shared.cli.main", *args, "--data", str(settings.data_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def every_row(settings: Settings) -> dict[str, dict[str, list[str]]]:
    """Each service's tables with their rows, in a comparable form."""
    found = {}
    for service in SERVICES:
        engine = make_engine(settings.database_url(service))
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            found[service] = {t: sorted(repr(tuple(r)) for r in conn.execute(sa.text(f'SELECT * FROM "{t}"')))
                              for t in tables}
        engine.dispose()
    return found


def restored_settings(settings: Settings, backend: str, tmp_path: Path) -> Settings:
    """A new data folder; on the server backend, four new empty databases and an empty Redis database."""
    values = {"data_dir": tmp_path / "restored", "worker_idle_ms": 50, "worker_threads": 4, "redis_url": ""}
    if backend == "server":
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for service in SERVICES:
                name = f"school_restored_{service}_{os.getpid()}"
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
                values[f"{service}_database_url"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        db = int(settings.redis_url.rsplit("/", 1)[1])
        values["redis_url"] = settings.redis_url.rsplit("/", 1)[0] + f"/{2 + (db - 1) % 14}"  # another of 2–15
        redis.Redis.from_url(values["redis_url"]).flushdb()
    return Settings(**values)


@pytest.fixture
def restored_cleanup():
    made: list[Settings] = []
    yield made
    for settings in made:
        urls = [getattr(settings, f"{s}_database_url") for s in SERVICES if getattr(settings, f"{s}_database_url")]
        if urls:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                for url in urls:
                    conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        if settings.redis_url:
            redis.Redis.from_url(settings.redis_url).flushdb()


def broker_dump(url: str) -> dict[bytes, bytes]:
    client = redis.Redis.from_url(url)
    return {key: client.dump(key) for key in client.scan_iter()}


def archived_keys(archive: Path) -> dict[bytes, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        lines = tar.extractfile("broker/keys.jsonl").read().decode().splitlines()
    return {base64.b64decode(item["key"]): base64.b64decode(item["value"]) for item in map(json.loads, lines)}


def test_a_backup_of_the_running_system_restores_every_row_message_and_file(
        backend, settings, process, api, make_user, tmp_path, restored_cleanup):
    school = setup_small_school(api, make_user)
    for lesson in (1, 2, 3):
        answer = api.as_(school.teacher_token).post("/api/register/absences", json={
            "date": "2023-10-02", "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": school.student_id, "kind": "unexcused"}]})
        assert answer.status_code == 201, answer.json
    api.drain()
    (settings.data_dir / "secret_key").write_text("ключ-за-бисквитките", encoding="utf-8")
    archive = tmp_path / "backups" / "school.tar.gz"

    taken = schoolctl(settings, "backup", "--to", str(archive))  # relays and the worker keep running
    assert taken.returncode == 0, taken.stderr
    assert "Резервното копие е записано" in taken.stdout

    target = restored_settings(settings, backend, tmp_path)
    restored_cleanup.append(target)
    done = schoolctl(target, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "е възстановено" in done.stdout

    assert every_row(target) == every_row(settings)
    assert (target.data_dir / "secret_key").read_text(encoding="utf-8") == "ключ-за-бисквитките"
    assert oct((target.data_dir / "secret_key").stat().st_mode)[-3:] == "600"
    saved = archived_keys(archive)
    assert any(key.startswith(b"dramatiq:") for key in saved)
    if backend == "server":
        assert broker_dump(target.redis_url) == saved
    else:
        broker = EmbeddedBroker(target.data_dir)
        try:
            assert broker_dump(broker.start()) == saved
        finally:
            broker.stop()


def test_a_message_in_flight_at_the_backup_is_handled_after_the_restore_once(
        backend, settings, plugins, tmp_path, restored_cleanup):
    """The worker is down when the backup is taken: the lesson's event waits in the broker."""
    upgrade_databases(settings, plugins=plugins)
    running = build_process(settings, plugins=plugins)
    running.start_relays()
    running.start_worker()
    from shared.web.combined import create_combined_app  # noqa: PLC0415

    register = running.runtime("register")
    with register.db.transaction() as s:
        _uid, token = register.definition.commands["users.add"](
            register, s, name="Директор", role="director", class_codes=[], student_ids=[], email=None, password=None)
    api = ApiClient(create_combined_app(running.runtimes), token, lambda: drain(running))

    def make_user(role, name=None, *, classes=(), students=(), password=None):
        with register.db.transaction() as s:
            made = register.definition.commands["users.add"](
                register, s, name=name or role, role=role, class_codes=list(classes), student_ids=list(students),
                email=None, password=password)
        drain(running)
        return made

    school = setup_small_school(api, make_user)
    running.stop()  # no worker now: what the relays move waits in the queues
    idle = build_process(settings, plugins=plugins)
    idle.start_relays()
    answer = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 1, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "unexcused"}]})
    assert answer.status_code == 201, answer.json
    register_idle = idle.runtime("register")
    register_idle.relay.publish_pending()
    assert register_idle.relay.backlog()[0] == 0
    archive = tmp_path / "in-flight.tar.gz"
    try:
        taken = schoolctl(settings, "backup", "--to", str(archive))
        assert taken.returncode == 0, taken.stderr
    finally:
        idle.stop()

    target = restored_settings(settings, backend, tmp_path)
    restored_cleanup.append(target)
    done = schoolctl(target, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    embedded = None
    if backend == "embedded":
        embedded = EmbeddedBroker(target.data_dir)
        target = target.replace(redis_url=embedded.start())
    again = build_process(target, plugins=plugins)
    again.start_relays()
    again.start_worker()
    try:
        drain(again)
        documents = again.runtime("documents")
        with documents.db.sessions() as s:
            notices = s.execute(sa.text("SELECT COUNT(*) FROM documents WHERE template = 'absence_notice'")).scalar()
        processed = {rt.name: rt.db.engine for rt in again.runtimes}
        assert notices == 1
        with processed["notifications"].connect() as conn:
            names = [r[0] for r in conn.execute(sa.text("SELECT name FROM processed_messages"))]
        assert names.count("register.absence_recorded") == 1
    finally:
        again.stop()
        if embedded is not None:
            embedded.stop()


@pytest.mark.backend("embedded")
def test_a_damaged_or_partial_backup_is_refused_and_nothing_is_written(
        backend, settings, process, api, make_user, tmp_path):
    setup_small_school(api, make_user)
    archive = tmp_path / "school.tar.gz"
    assert schoolctl(settings, "backup", "--to", str(archive)).returncode == 0
    whole = archive.read_bytes()

    # A flipped byte inside a database: the stream still unpacks, the checksum does not match.
    raw = bytearray(gzip.decompress(whole))
    offset = raw.find(b"SQLite format 3") + 4096
    raw[offset] ^= 0xFF
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(gzip.compress(bytes(raw)))
    partial = tmp_path / "partial.tar.gz"
    partial.write_bytes(whole[: len(whole) // 2])
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(ROOT / "README.md", arcname="README.md")

    for bad, words in ((damaged, "повреден"), (partial, "непълен"), (foreign, "не е резервно копие")):
        target = Settings(data_dir=tmp_path / f"restored-{bad.stem}", redis_url="")
        refused = schoolctl(target, "restore", str(bad))
        assert refused.returncode == 2, bad
        assert words in refused.stderr, refused.stderr
        assert not target.data_dir.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restored")]

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "register.sqlite3").write_text("стари данни", encoding="utf-8")
    refused = schoolctl(Settings(data_dir=occupied, redis_url=""), "restore", str(archive))
    assert refused.returncode == 2
    assert "не е празна" in refused.stderr
    assert (occupied / "register.sqlite3").read_text(encoding="utf-8") == "стари данни"


@pytest.mark.backend("embedded")
def test_nightly_backups_keep_the_newest(backend, settings, process, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    for stamp in ("20261201-023000", "20261202-023000", "20261203-023000"):
        (folder / f"school-office-{stamp}.tar.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("не се трие", encoding="utf-8")
    taken = schoolctl(settings, "backup", "--to-dir", str(folder), "--keep", "2")
    assert taken.returncode == 0, taken.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3
    assert "notes.txt" in names
    assert "school-office-20261203-023000.tar.gz" in names
    refused = schoolctl(settings, "backup", "--to", str(folder / "x.tar.gz"), "--keep", "2")
    assert refused.returncode == 2


def test_without_a_running_broker_the_backup_says_so_and_writes_nothing(tmp_path):
    settings = Settings(data_dir=tmp_path / "var", redis_url="")
    target = tmp_path / "school.tar.gz"
    refused = schoolctl(settings, "backup", "--to", str(target))
    assert refused.returncode == 2
    assert "Брокерът на съобщения не е достъпен" in refused.stderr
    assert list(tmp_path.iterdir()) == []
