"""A school's data from the first release upgrades with today's ``schoolctl db upgrade`` (issue 17, point 7).

The first release's data is made by the first release itself: its code is taken from git history
(``git archive``) and run in a subprocess with this venv's Python, its tree first on ``sys.path``,
on the embedded default (SQLite files and the embedded Valkey in a data folder) with the demo
school. Then today's ``schoolctl db upgrade`` runs on that folder, as an IT person would run it,
and the tests check that nothing was lost (every row of every table the release had, column by
column), that a second upgrade changes nothing, and that the register still works on the upgraded
data: a new absence fires its rule once and the parent is told once, a document the release drew
up still downloads, and an account the release created still signs in with its password.

The release's SQLite demo school is loaded once for the module (about 45 s on a quiet 2-core
machine, 60-70 s on a busy one) and copied for each use; PostgreSQL gets a shorter demo of its own
(about 55 s busy). Measured: the whole module takes 2.5 minutes on the busy 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from docx import Document
from werkzeug.test import Client

from shared.bootstrap import build_process, service_definitions
from shared.embedded.broker import EmbeddedBroker
from shared.migrations import alembic_config
from shared.plugins import PluginRegistry
from shared.settings import SERVICES, Settings
from shared.web.combined import create_combined_app
from tests.conftest import PG_ADMIN_URL, ROOT, drain
from tests.support.api import ApiClient

pytestmark = pytest.mark.integration

#: The first release: the commit that froze the four ``*_0001`` revisions as released (it recorded
#: their digests in ``shared.migrations.RELEASED_REVISIONS``). The files it froze are byte for byte
#: those of 8b66527 (the last edit of ``register_0001``), so the schema a school can have installed
#: starts here; every schema change after it is a new revision that this test runs.
FIRST_RELEASE = "94a3ae4d58582997949d4e0445b2408d37fd3919"
#: A fixed "today" for both the release and today's code (``SCHOOL_TODAY``): a Friday in the demo's
#: school year 2026/2027, so the demo records a month of absences (15.09–15.10) and the new absence
#: below goes on a school day that the demo left empty.
TODAY = dt.date(2026, 10, 16)
#: On PostgreSQL the release records a shorter demo (15.09–24.09): the same school and kinds of
#: data, in a third of the time, since this test only checks the upgrade there.
TODAY_ON_POSTGRESQL = dt.date(2026, 9, 25)
#: The release's own account, made with its ``schoolctl users add --password-stdin``.
ACCOUNT = {"name": "Директор От Първото Издание", "password": "парола-от-2026"}

#: Run by the release's Python: its demo loader (``shared.demo.load_demo_once``, what its
#: ``schoolctl up --demo`` calls) with the broker, relays and worker that carry the demo's events
#: to the other services, then its own test helper ``drain`` to let every event be handled, then
#: stop. ``schoolctl up --demo`` itself would also serve HTTP and never stop.
LOAD_DEMO = """
import os, sys
from pathlib import Path
from shared.bootstrap import build_process, upgrade_databases
from shared.demo import load_demo_once
from shared.embedded.broker import EmbeddedBroker
from shared.settings import load_settings
from tests.conftest import drain

data = Path(sys.argv[1])
settings = load_settings(os.environ, overrides={"data_dir": data})
broker = EmbeddedBroker(data)
url = broker.start()
try:
    upgrade_databases(settings)
    process = build_process(settings, broker_url=url)
    process.start_relays()
    process.start_worker()
    try:
        assert load_demo_once(process), "the demo school was loaded before"
        drain(process, timeout=600)
    finally:
        process.stop()
finally:
    broker.stop()
"""


def _clean_env(**extra: str) -> dict[str, str]:
    """This environment without any ``SCHOOL_*`` setting of the caller's, plus the test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_") and k != "PYTHONPATH"}
    return env | {"SCHOOL_TODAY": TODAY.isoformat(), "SCHOOL_LOG_LEVEL": "WARNING"} | extra


def _release_tree(target: Path, commit: str = FIRST_RELEASE) -> Path:
    """The first release's files (or ``commit``'s) in ``target``, with its own package metadata ahead on ``sys.path``.

    The venv's installed metadata is today's: its entry points name today's modules (the rule pack
    loader moved since), so the release gets a ``.dist-info`` made from its own ``pyproject.toml``,
    which shadows the installed one when the release's tree is first on the path.
    """
    found = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"],
                           capture_output=True, check=False)
    assert found.returncode == 0, (
        f"the commit {commit} is not in {ROOT}'s git history: this test needs a "
        "clone with its history (not a shallow one, not an exported tree)")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    project = tomllib.loads((target / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = target / f"school_office-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8")
    lines = []
    for group, points in project["entry-points"].items():
        lines += [f"[{group}]", *(f"{name} = {value}" for name, value in points.items()), ""]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    return target


def _run_release(release: Path, args: list[str], *, stdin: str | None = None, **env: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=release, input=stdin, capture_output=True, text=True,
                          env=_clean_env(PYTHONPATH=str(release), **env), timeout=900, check=False)
    assert done.returncode == 0, f"the first release failed: {args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def first_release(tmp_path_factory) -> Path:
    return _release_tree(tmp_path_factory.mktemp("first-release"))


def _release_school(release: Path, data: Path, **env: str) -> dict:
    """Data as the first release leaves it: its account, then the demo school; returns the account."""
    out = _run_release(release, ["-m", "shared.cli.main", "users", "add", "--data", str(data),
                                 "--name", ACCOUNT["name"], "--role", "director", "--password-stdin"],
                       stdin=ACCOUNT["password"] + "\n", **env)
    account = ACCOUNT | json.loads(out.strip().splitlines()[-1])
    _run_release(release, ["-c", LOAD_DEMO, str(data)], **env)
    return account


@pytest.fixture(scope="module")
def first_release_data(first_release, tmp_path_factory) -> tuple[Path, dict]:
    """A data folder (SQLite, the embedded default) as the first release leaves it."""
    data = tmp_path_factory.mktemp("first-release-data") / "var"
    return data, _release_school(first_release, data)


@pytest.fixture
def school(first_release_data, tmp_path) -> tuple[Path, dict]:
    """This test's own copy of the first release's data folder."""
    data, account = first_release_data
    copy = tmp_path / "var"
    shutil.copytree(data, copy)
    return copy, account


def schoolctl(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Today's ``schoolctl``, as installed in this venv, run as a separate command."""
    return subprocess.run([str(Path(sys.executable).parent / "schoolctl"), *args, "--data", str(data)],
                          cwd=data.parent, capture_output=True, text=True, env=_clean_env(**env), timeout=300,
                          check=False)


def upgrade(data: Path, **env: str) -> None:
    done = schoolctl(data, "db", "upgrade", **env)
    assert done.returncode == 0, done.stderr
    assert "Базите данни са обновени." in done.stdout


def _cell(value):
    # Files (documents, exports) are compared by digest: the same bytes, without holding both copies.
    return hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else value


def sqlite_urls(data: Path) -> dict[str, str]:
    return {service: f"sqlite:///{data / f'{service}.sqlite3'}" for service in SERVICES}


def snapshot(urls: dict[str, str]) -> dict[str, dict[str, tuple[list[str], list[tuple]]]]:
    """Every table of every service's database: its columns and all its rows, in a stable order."""
    tables: dict[str, dict] = {}
    for service, url in urls.items():
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            tables[service] = {}
            for name in sa.inspect(conn).get_table_names():
                result = conn.exec_driver_sql(f'SELECT * FROM "{name}"')
                rows = sorted((tuple(_cell(v) for v in row) for row in result), key=repr)
                tables[service][name] = (list(result.keys()), rows)
        engine.dispose()
    return tables


def _only(columns: list[str], rows: list[tuple], keep: list[str]) -> list[tuple]:
    at = [columns.index(c) for c in keep]
    return sorted((tuple(row[i] for i in at) for row in rows), key=repr)


def _heads() -> dict[str, str]:
    return {d.name: ScriptDirectory.from_config(alembic_config(d, "sqlite://")).get_current_head()
            for d in service_definitions(PluginRegistry.discover(("services",)), SERVICES)}


def assert_upgrade_keeps_everything(urls: dict[str, str], run_upgrade) -> None:
    """``run_upgrade`` keeps every row of the release's tables, and running it again changes nothing."""
    before = snapshot(urls)
    # The release's data is worth checking: the demo school with its rules, letters and deliveries.
    register, documents = before["register"], before["documents"]
    assert register["alembic_version"][1] == [("register_0001",)]
    students = register["students"]
    assert len(students[1]) == 300
    assert all(row[students[0].index("egn")] for row in students[1])
    assert register["absences"][1]
    assert register["rule_firings"][1]
    assert before["notifications"]["deliveries"][1]
    done = [row for row in documents["documents"][1] if row[documents["documents"][0].index("status")] == "done"]
    assert done
    assert all(row[documents["documents"][0].index("content")] for row in done)

    run_upgrade()
    after = snapshot(urls)
    heads = _heads()
    for service, tables in before.items():
        assert after[service]["alembic_version"][1] == [(heads[service],)]
        for name, (columns, rows) in tables.items():
            if name == "alembic_version":
                continue
            new_columns, new_rows = after[service][name]
            assert set(columns) <= set(new_columns), f"{service}.{name} lost columns"
            assert len(new_rows) == len(rows), f"{service}.{name}: {len(rows)} rows before, {len(new_rows)} after"
            compared = columns
            if (service, name) == ("documents", "documents"):
                compared = _files_kept_or_rendered_again(columns, rows, new_columns, new_rows)
            assert _only(new_columns, new_rows, compared) == _only(columns, rows, compared), \
                f"{service}.{name}: rows changed by the upgrade"

    # Upgrading an upgraded school is harmless: every table, every column, every row as it was.
    run_upgrade()
    assert snapshot(urls) == after


def _files_kept_or_rendered_again(columns: list[str], rows: list[tuple], new_columns: list[str],
                                  new_rows: list[tuple]) -> list[str]:
    """documents_0004 may drop a stored file, only where the document renders again to its checksum.

    Each file (its digest here) is kept, or dropped with that digest recorded as its checksum; the
    download then renders the document again and refuses any other bytes (``storage.file_of``).
    Returns the columns left to compare as they were.
    """
    by_id = {row[new_columns.index("id")]: row for row in new_rows}
    for row in rows:
        old_file = row[columns.index("content")]
        new = by_id[row[columns.index("id")]]
        if old_file is not None:
            assert new[new_columns.index("content_sha256")] == old_file
            assert new[new_columns.index("content")] in (old_file, None)
    return [column for column in columns if column != "content"]


def test_upgrade_keeps_every_row_and_a_second_upgrade_changes_nothing(school):
    data, _account = school
    assert_upgrade_keeps_everything(sqlite_urls(data), lambda: upgrade(data))


@pytest.fixture
def postgresql_urls() -> dict[str, str]:
    """A fresh PostgreSQL database per service, as a school's production has."""
    urls = {}
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for service in SERVICES:
            name = f"school_upgrade_{service}_{os.getpid()}"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
            urls[service] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield urls
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for url in urls.values():
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_upgrade_on_postgresql_keeps_every_row(first_release, postgresql_urls, tmp_path):
    env = {f"SCHOOL_{service.upper()}_DATABASE_URL": url for service, url in postgresql_urls.items()}
    data = tmp_path / "var"  # the broker's and the marker's folder; the databases are PostgreSQL's
    _release_school(first_release, data, SCHOOL_TODAY=TODAY_ON_POSTGRESQL.isoformat(), **env)
    assert not list(data.glob("*.sqlite3"))
    assert_upgrade_keeps_everything(postgresql_urls, lambda: upgrade(data, **env))


@pytest.fixture(scope="module")
def upgraded_system(first_release_data, plugins, tmp_path_factory):
    """Today's four services on an upgraded copy of the folder, as ``schoolctl up`` runs them (in this
    process). The tests that use it touch different things (a quiet student; the release's documents
    and account), so they share it."""
    data, account = first_release_data
    data = shutil.copytree(data, tmp_path_factory.mktemp("upgraded") / "var")
    upgrade(data)
    broker = EmbeddedBroker(data)
    url = broker.start()
    settings = Settings(data_dir=data, today=TODAY, worker_idle_ms=50, worker_threads=4)
    process = build_process(settings, broker_url=url, plugins=plugins)
    process.start_relays()
    process.start_worker()
    try:
        yield data, account, process, create_combined_app(process.runtimes)
    finally:
        process.stop()
        broker.stop()


def _quiet_student(data: Path) -> int:
    """A demo student with no absence and no firing: three unexcused absences cross Чл. 97, т. 8's 3."""
    with sqlite3.connect(f"file:{data / 'register.sqlite3'}?mode=ro", uri=True) as db:
        return db.execute("SELECT id FROM students WHERE id NOT IN (SELECT student_id FROM absences) "
                          "AND id NOT IN (SELECT student_id FROM rule_firings) ORDER BY id LIMIT 1").fetchone()[0]


def test_upgraded_register_records_an_absence_that_fires_its_rule_once(upgraded_system):
    data, account, process, app = upgraded_system
    api = ApiClient(app, account["token"], lambda: drain(process))  # the release's own token
    student = _quiet_student(data)
    ladder = {"student_id": student, "rule_id": "parent_notification_ladder"}

    for lesson in (1, 2):
        answer = api.post("/api/register/absences", json={
            "date": TODAY.isoformat(), "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": student, "kind": "unexcused"}]})
        assert answer.status_code == 201, answer.json
    api.drain()
    assert api.get("/api/register/rule-firings", query_string=ladder).json == []

    # The third unexcused absence crosses the first threshold of the ladder (3).
    for lesson in (3, 4):
        answer = api.post("/api/register/absences", json={
            "date": TODAY.isoformat(), "lesson": lesson, "subject": "Математика",
            "marks": [{"student_id": student, "kind": "unexcused"}]})
        assert answer.status_code == 201, answer.json
        api.drain()
        firings = api.get("/api/register/rule-firings", query_string=ladder).json
        assert [(f["threshold"], f["count"], f["article"]) for f in firings] == [(3, 3, "Чл. 97, т. 8")]
        deliveries = api.get("/api/notifications/deliveries", query_string=ladder).json
        assert deliveries, "the parent was not told"
        told = [(d["channel"], d["recipient"]) for d in deliveries]
        assert len(told) == len(set(told)), f"the parent was told more than once: {told}"
        if lesson == 3:
            first_told = sorted(told)
        assert sorted(told) == first_told


def test_upgraded_school_keeps_its_documents_and_accounts(upgraded_system, first_release_data):
    _data, account, _process, app = upgraded_system
    # The files as the release stored them (the upgrade may keep a checksum in place of a file).
    with sqlite3.connect(f"file:{first_release_data[0] / 'documents.sqlite3'}?mode=ro", uri=True) as db:
        old = db.execute("SELECT id, template, content FROM documents WHERE status = 'done' "
                         "ORDER BY id LIMIT 1").fetchone()
        letter = db.execute("SELECT id, content FROM documents WHERE status = 'done' "
                            "AND template = 'absence_letter' ORDER BY id LIMIT 1").fetchone()
    api = ApiClient(app, account["token"], lambda: None)
    for document_id, content in (old[::2], letter):
        answer = api.get(f"/api/documents/documents/{document_id}/file")
        assert answer.status_code == 200
        assert answer.data == content  # the very file the release drew up
        with zipfile.ZipFile(io.BytesIO(answer.data)) as docx:
            assert "word/document.xml" in docx.namelist()
        assert Document(io.BytesIO(answer.data)).paragraphs  # Word's format, readable
    assert api.get(f"/api/documents/documents/{old[0]}").json["template"] == old[1]

    # The release's account signs in with its password, and the session it gets is honoured.
    browser = Client(app)
    answer = browser.post("/api/register/login", json={"name": account["name"], "password": account["password"]})
    assert answer.status_code == 200, answer.json
    assert answer.json == {"id": account["id"]}
    assert browser.get("/api/register/school-years").status_code == 200
    wrong = Client(app).post("/api/register/login", json={"name": account["name"], "password": "не-е-тази"})
    assert wrong.status_code == 401
