"""Regenerate a service's initial migration from its models (before the first release only).

Usage: ``python scripts/regen_migrations.py register [documents ...]``.  After the first release
every change gets a new revision with ``alembic revision --autogenerate`` instead.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from shared.migrations import alembic_config
from shared.plugins import PluginRegistry

APPEND_ONLY = '''

def _protect_audit_log() -> None:
    from shared.migrations import protect_audit_log

    protect_audit_log(op)
'''


def regenerate(name: str) -> Path:
    definition = PluginRegistry.discover(("services",)).get("services", name)
    versions = definition.migrations / "versions"
    versions.mkdir(exist_ok=True)
    for old in versions.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        config = alembic_config(definition, f"sqlite:///{tmp}/empty.sqlite3")
        script = command.revision(config, message=f"{name} initial schema", autogenerate=True,
                                  rev_id=f"{name}_0001")
    path = Path(script.path)
    text = path.read_text(encoding="utf-8")
    # The audit log is append-only in the database itself (triggers), on every dialect.
    text = text.replace("    # ### end Alembic commands ###\n\n\ndef downgrade",
                        "    # ### end Alembic commands ###\n    _protect_audit_log()\n\n\ndef downgrade", 1)
    path.write_text(text + APPEND_ONLY, encoding="utf-8")
    return path


if __name__ == "__main__":
    for service in sys.argv[1:]:
        print(regenerate(service))
