"""Alembic, run programmatically: each service has its own ``migrations/`` and its own database."""

from __future__ import annotations

from alembic import command, context
from alembic.config import Config
from alembic.operations import Operations

from shared.runtime import ServiceDefinition


def alembic_config(definition: ServiceDefinition, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(definition.migrations))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["target_metadata"] = definition.metadata
    return config


def upgrade(definition: ServiceDefinition, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(definition, url), revision)


def run_env() -> None:
    """The body of every service's ``migrations/env.py``."""
    from shared.db import make_engine  # noqa: PLC0415 - only when alembic runs

    config = context.config
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=config.attributes.get("target_metadata"),
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    engine.dispose()


def protect_audit_log(op: Operations) -> None:
    """Make ``audit_log`` append-only in the database itself (UPDATE and DELETE are refused)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
