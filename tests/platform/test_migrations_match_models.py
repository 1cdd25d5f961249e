"""Each service's migrations build exactly the schema its models describe, on SQLite and PostgreSQL.

A model changed without its migration (or the reverse) would pass every other test on a database
made from the models, and fail on a school's upgraded one.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared import migrations
from shared.bootstrap import SERVICES, service_definitions
from shared.db import make_engine
from shared.plugins import PluginRegistry

PG_ADMIN = os.environ.get("TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def _differences(definition, url: str) -> list:
    migrations.upgrade(definition, url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = compare_metadata(MigrationContext.configure(conn), definition.metadata)
    finally:
        engine.dispose()
    return [d for d in found
            if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]


@pytest.mark.parametrize("name", SERVICES)
def test_migrations_give_the_models_schema_on_sqlite(name, tmp_path):
    definition, = service_definitions(PluginRegistry.discover(("services",)), (name,))
    assert _differences(definition, f"sqlite:///{tmp_path / 'db.sqlite'}") == []


@pytest.mark.parametrize("name", SERVICES)
def test_migrations_give_the_models_schema_on_postgresql(name):
    definition, = service_definitions(PluginRegistry.discover(("services",)), (name,))
    database = f"migrations_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        assert _differences(definition, PG_ADMIN.rsplit("/", 1)[0] + f"/{database}") == []
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
