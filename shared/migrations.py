"""Alembic, run programmatically: each service has its own ``migrations/`` and its own database."""

from __future__ import annotations

import hashlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.operations import Operations

from shared.runtime import ServiceDefinition

#: Revisions a school may have installed, with the sha256 of their file: never edited, never
#: regenerated (a school that ran one could not upgrade past a changed copy).  Every later schema
#: change is a new revision (``scripts/regen_migrations.py SERVICE "what changed"``); releasing it
#: adds it here.  ``tests/platform/test_released_migrations.py`` holds the files to these digests.
RELEASED_REVISIONS: dict[str, str] = {
    "register_0001": "9363ab8c0a63cf375a15675ef014c1e31a956271ee3da0d6c5809ff0738488db",
    "documents_0001": "a52542bbfd8e2a88b8985b4576207597c505a9ef63080be03866fbfd49b80b16",
    "notifications_0001": "52bb4593cb47748457806c5650c7d272bdfe862664db36f7bbb60d06be278bf8",
    "planning_0001": "db77c4139b1b5e483399b27340309cae959b6992d38bead2db1f0dc4fa7dca3a",
    # Landed at stop 23 (the documents' number index; the identity lane's revoked sessions).
    "register_0002": "082260e881525725be23fe9c8ba419026045c700b9730021708ffabdd63fd215",
    "documents_0002": "fefd9fc4724a22bb6db15f9ad46f33c62ac5689668465f8733bb3551217b1d8e",
    "documents_0003": "3109efbc319fad84123fc5b7df10e139d066e377e0555ceab1d81897a767bd69",
    "notifications_0002": "557f6c6b56c0b1db4304d4a303ddd5f72aabe869796f589f622f9323931506a3",
    "planning_0002": "91d49c2705910bd9634968b2381782644de99b245bec80f5b780c67dcaea6c3b",
    # Landed at stop 24 (XII's end of classes, one-time passwords, parents' applications, the timetable;
    # print sets, documents' checksums; undated activities accepted).
    "documents_0004": "a36b11fd2c5ed29c90df84c0383c050556d9723aaf677000648d01618d047f94",
    "documents_0005": "389aa993352f360fbb9e6fdf056c84f29eaf716c83a483456a8921eabf38f15f",
    "planning_0003": "ebc4a1da3a50e989c887b0680d89f6688de78cbf9e9c4367257e7266abfb1f8b",
    "register_0003": "205cebbf035281fa7d8d3bacf6b617588330125c3b622b89759cd2d3bb25dccd",
    "register_0004": "9dc156bde733f5990825951264cc6127a1f708b1f6ca43524fbaa1350c413af5",
    "register_0005": "de29b4eabb5c222b8f3700e879dbf63349bdb9d60d9488e125e3422c6d9b3d88",
    "register_0006": "1ae139488c22c02fd3db3073cd9d4e12470ae97f1241d33c4e82d0511240c427",
    # Landed at stop 25 (exams, the class register's entries and sweep runs, the parents' notices before the
    # benefit list, director's permissions and scholarships, principals' one-time passwords; the day each
    # class's absences are finalised to, failed reports).
    "register_0007": "83974bd09a1e5e0c5d74d525ecb379fc7650b20d564c58f3d8f83a37564887ae",
    "register_0008": "102be4495cc5028cd30dad7b39bd4bf3db1b85eb3f2f97ad1203aa9f0e0bca23",
    "register_0009": "984f0c90153c188aae2a3744d2813057b7f46e3457b2a2c242a477ff7e36a383",
    "register_0010": "5eb7718a091cbd8fb6d5630f4231dec231b18b3e1ec853bec8d9711221748795",
    "register_0011": "7f0986ff07d17666620b5053c17f910d59d293a6a27022a3a933deb64fe9ff6b",
    "planning_0004": "63910f90f8f7a0bb26288557d519ae48ca38b4bb57776478ccbd1b55ba808f96",
    "planning_0005": "ca31517805e232c5f3cf949034b53c3de495a0bec354fdc6289e1c90f4d977d8",
    "documents_0006": "b634c429cccd1c3f3345935b9e917dd4bf36404eac6c8a58b864c5c5b9250191",
    "notifications_0003": "8510cbf25f4cafa4e3fff8cf08178a299caa5cc164774588ba21ccb5e132efef",
    # Landed at stop 26 (summer-tuition orders' lists, review ends and lifted scholarship stops;
    # guardians' postal addresses).
    "register_0012": "829bcdb0cd5c2bccadce35b94eb03a1433a2d7246e566a8fa8dbd3cae9f5f9cb",
    "register_0013": "120b4258827d800c97acedbfd978120dfaea442bcaad92821edd82d6f4644f1e",
    "notifications_0004": "fb73cb38c744d56a1f3b6139fe2dd580f1b20f0b820c9ed64b014bf6308677cd",
}


class ReleasedRevisionError(Exception):
    """A released revision was about to be written over (see :data:`RELEASED_REVISIONS`)."""


class ReplacementMissingError(Exception):
    """A text edit of a generated revision found nothing to replace (the generated text changed)."""


def refuse_released(revision: str) -> None:
    """Raise :class:`ReleasedRevisionError` if ``revision`` is released."""
    if revision in RELEASED_REVISIONS:
        raise ReleasedRevisionError(
            f"{revision} is released (shared.migrations.RELEASED_REVISIONS): schools have run it, so it is "
            "never rewritten; describe the change in a new revision instead.")


def revision_file(versions: Path, revision: str) -> Path | None:
    """The file of ``revision`` in a ``versions/`` folder (named ``<revision>_<slug>.py``), if there is one."""
    found = sorted(versions.glob(f"{revision}_*.py"))
    return found[0] if found else None


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def replace_once(text: str, old: str, new: str, why: str) -> str:
    """``text`` with its one ``old`` replaced by ``new``; raises when ``old`` is not there exactly once.

    A plain ``str.replace`` that finds nothing changes nothing and says nothing: the audit log's
    append-only triggers would silently go missing from a generated revision.
    """
    count = text.count(old)
    if count != 1:
        raise ReplacementMissingError(f"{why}: expected {old!r} once in the generated revision, found it "
                                      f"{count} times; adjust scripts/regen_migrations.py to alembic's output")
    return text.replace(old, new, 1)


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
