"""Released migrations stay as schools ran them; the generator writes only new revisions.

A school that installed a release has its ``*_0001`` in ``alembic_version``: rewriting that file
(as was done six times before the first release) leaves such a school unable to upgrade.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from shared import migrations
from shared.bootstrap import SERVICES, service_definitions
from shared.plugins import PluginRegistry

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("regen_migrations", ROOT / "scripts" / "regen_migrations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _released_files() -> dict[str, Path]:
    files = {}
    for definition in service_definitions(PluginRegistry.discover(("services",)), SERVICES):
        versions = definition.migrations / "versions"
        for revision in migrations.RELEASED_REVISIONS:
            path = migrations.revision_file(versions, revision)
            if path is not None:
                files[revision] = path
    return files


def test_every_service_has_a_released_first_revision():
    assert {f"{name}_0001" for name in SERVICES} <= set(migrations.RELEASED_REVISIONS)
    assert sorted(_released_files()) == sorted(migrations.RELEASED_REVISIONS)


@pytest.mark.parametrize("revision", sorted(migrations.RELEASED_REVISIONS))
def test_released_revision_file_is_byte_for_byte_as_released(revision):
    path = _released_files()[revision]
    assert migrations.file_digest(path) == migrations.RELEASED_REVISIONS[revision], (
        f"{path.name} was edited after its release; put the change in a new revision "
        "(scripts/regen_migrations.py) and restore the released file")


def test_the_generator_refuses_a_released_revision_and_touches_nothing():
    released = _released_files()["register_0001"]
    before = released.read_bytes()
    with pytest.raises(migrations.ReleasedRevisionError, match="register_0001 is released"):
        _generator().generate("register", "again", replace="register_0001")
    assert released.read_bytes() == before


def test_a_replacement_that_finds_nothing_fails_loudly():
    with pytest.raises(migrations.ReplacementMissingError, match="audit log triggers"):
        migrations.replace_once("def upgrade():\n    pass\n", "# ### end Alembic commands ###", "x",
                                "audit log triggers")


def test_a_generated_revision_creating_the_audit_log_gets_its_triggers():
    generated = ("def upgrade() -> None:\n    op.create_table('audit_log',\n    )\n"
                 "    # ### end Alembic commands ###\n\n\ndef downgrade() -> None:\n    pass\n")
    text = _generator()._with_append_only_audit_log(generated)
    assert "    _protect_audit_log()\n\n\ndef downgrade" in text
    assert "protect_audit_log(op)" in text
    with pytest.raises(migrations.ReplacementMissingError):
        _generator()._with_append_only_audit_log(generated.replace("    # ### end Alembic commands ###\n", ""))


def test_the_next_revision_follows_the_newest():
    assert _generator()._next_revision("register", ("register_0001",)) == "register_0002"
    assert _generator()._next_revision("planning", ("planning_0012",)) == "planning_0013"
