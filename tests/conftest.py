"""Shared fixtures: settings, the two real backends, a running process and an API client.

Integration tests run against both backends a school can have:
- ``embedded``: SQLite files and the embedded Valkey broker (what ``schoolctl up`` gives);
- ``server``: PostgreSQL (127.0.0.1:5432, database per service) and Redis (127.0.0.1:6379).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import psycopg
import pytest
import redis
import sqlalchemy as sa

from shared.bootstrap import Process, build_process, upgrade_databases
from shared.clock import Clock
from shared.embedded.broker import EmbeddedBroker
from shared.plugins import PluginRegistry
from shared.settings import SERVICES, Settings
from tests.support.api import ApiClient
from tests.support.redis_database import own_database_url
from tests.support.seeds import seed_plan

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
#: Each run flushes its database before every test: runs side by side on one machine take different
#: databases (``tests/support/redis_database.py``) so that one run does not wipe the other's messages.
REDIS_URL = os.environ.get("TEST_REDIS_URL") or own_database_url()


def pytest_configure(config):
    config.addinivalue_line("markers", "backend(name): run only on this backend")
    config.addinivalue_line("markers", "seed: checks against the real seeds in ../shared/seeds (CI has them)")


@pytest.fixture(scope="session")
def plugins() -> PluginRegistry:
    return PluginRegistry.discover()


@pytest.fixture(scope="session")
def embedded_broker(tmp_path_factory):
    broker = EmbeddedBroker(tmp_path_factory.mktemp("embedded"))
    url = broker.start()
    yield url
    broker.stop()


@pytest.fixture(scope="session")
def pg_databases(plugins) -> dict[str, str]:
    """One PostgreSQL database per service, migrated once for the session."""
    urls = {}
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for service in SERVICES:
            name = f"school_test_{service}_{os.getpid()}"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
            urls[service] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    settings = Settings(**{f"{s}_database_url": u for s, u in urls.items()})
    upgrade_databases(settings, plugins=plugins)
    yield urls
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for url in urls.values():
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _truncate_pg(urls: dict[str, str]) -> None:
    for url in urls.values():
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
            # The audit log refuses DELETE/UPDATE by trigger; TRUNCATE is a test-only reset.
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        engine.dispose()


@pytest.fixture(params=["embedded", "server"])
def backend(request) -> str:
    return request.param


def pytest_collection_modifyitems(config, items):
    # Tests marked backend("x") keep only that parametrization instead of reporting skips.
    kept = []
    for item in items:
        marker = item.get_closest_marker("backend")
        callspec = getattr(item, "callspec", None)
        if marker and callspec and callspec.params.get("backend") not in (None, marker.args[0]):
            continue
        kept.append(item)
    # Checks against the real seeds run where they are (CI); elsewhere they are left out, saying why.
    plan = seed_plan()
    if not plan.exists():
        without = [item for item in kept if item.get_closest_marker("seed")]
        if without:
            kept = [item for item in kept if not item.get_closest_marker("seed")]
            config.hook.pytest_deselected(items=without)
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(f"{len(without)} checks against the real seed plan left out: {plan} does not "
                                    "exist. They run where ../shared/seeds is beside the repository, as in CI "
                                    "(or set SCHOOL_SEEDS_DIR to the seeds' folder).", yellow=True)
    items[:] = kept


@pytest.fixture
def settings(backend, request, tmp_path) -> Settings:
    data = tmp_path / "var"
    # Off unless a test turns it on: a consent per student registered would crowd every test's documents.
    values: dict = {"data_dir": data, "worker_idle_ms": 50, "worker_threads": 4,
                    "consent_documents_on_enrolment": False}
    if backend == "embedded":
        values["redis_url"] = request.getfixturevalue("embedded_broker")
    else:
        urls = request.getfixturevalue("pg_databases")
        _truncate_pg(urls)
        values["redis_url"] = REDIS_URL
        values.update({f"{s}_database_url": u for s, u in urls.items()})
    redis.Redis.from_url(values["redis_url"]).flushdb()
    return Settings(**values)


#: The hour a fixed school day stands at in tests: after the default bells' last lesson (14:00–14:40).
SCHOOL_AFTERNOON = dt.time(15, 0)


@pytest.fixture
def process(settings, plugins) -> Process:
    """All four services in this process with a real broker, relays and an in-process worker."""
    upgrade_databases(settings, plugins=plugins)
    proc = build_process(settings, plugins=plugins)
    if settings.today is not None:
        # A fixed school day at a fixed hour, after every default bell (the lessons begun, the lesson in
        # progress), so that no test depends on the hour it runs at; a test may pin another.
        for rt in proc.runtimes:
            rt.clock = Clock(settings.today, settings.timezone, fixed_time=SCHOOL_AFTERNOON)
    proc.start_relays()
    proc.start_worker()
    yield proc
    proc.stop()


def drain(proc: Process, timeout: float = 30.0) -> None:
    """Wait until every outbox is empty and every message has been handled.

    The relays run in the background too, so while this joins one queue a handler may commit an
    event that a relay moves to a queue already joined.  Hence the end is two quiet looks in a row:
    no outbox row unpublished, and no message queued, delayed or held by a consumer on any queue.
    """
    deadline = time.monotonic() + timeout
    queues = set().union(*(rt.queues | rt.identity_queues for rt in proc.runtimes))

    def quiet() -> bool:
        return (all(rt.relay.backlog()[0] == 0 for rt in proc.runtimes)
                and all(proc.broker.do_qsize(queue) == 0 for queue in queues))

    quiet_looks = 0
    while quiet_looks < 2:
        moved = sum(rt.relay.publish_pending() for rt in proc.runtimes)
        for queue in queues:
            proc.broker.join(queue, interval=10, timeout=int(max(0.1, deadline - time.monotonic()) * 1000))
        for worker in (proc.worker, *proc.identity_workers):
            worker.join()
        quiet_looks = quiet_looks + 1 if moved == 0 and quiet() else 0
        if quiet_looks < 2 and time.monotonic() > deadline:
            raise TimeoutError("messages still in flight")
        time.sleep(0.02)


@pytest.fixture
def app(process):
    from shared.web.combined import create_combined_app  # noqa: PLC0415

    return create_combined_app(process.runtimes)


@pytest.fixture
def make_user(process):
    """Create a user the way ``schoolctl users add`` does and wait until every service knows them."""
    register = process.runtime("register")

    def make(role: str, name: str | None = None, *, classes=(), students=(), password=None) -> tuple[int, str]:
        with register.db.transaction() as s:
            user_id, token = register.definition.commands["users.add"](
                register, s, name=name or f"{role} user", role=role, class_codes=list(classes),
                student_ids=list(students), email=None, password=password)
        drain(process)
        return user_id, token

    return make


@pytest.fixture
def api(app, process, make_user):
    """A client logged in as the director, plus ``api.as_(token)`` for other users."""
    _uid, token = make_user("director", "Директор Тестов")
    return ApiClient(app, token, lambda: drain(process))


ROOT = Path(__file__).resolve().parent.parent
