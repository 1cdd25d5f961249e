"""``documents_0005`` moves stored files into the new form without changing a byte (issue 20, point 2).

The old data is made by the code before the change (commit :data:`BEFORE`, from git history, run
in a subprocess as ``test_upgrade_from_first_release`` runs the first release): two documents of
every shipped template, certificates with a school's uploaded version of their template, through
its real pipeline (request, the render job on its worker). Then today's ``schoolctl db upgrade``
runs on the folder, and every document must download as the very file the old code stored: the
re-renderable ones from their inputs (their file dropped, its checksum kept), orders from the
file they keep.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from alembic import command
from werkzeug.test import Client

from shared.bootstrap import build_process
from shared.embedded.broker import EmbeddedBroker
from shared.migrations import alembic_config
from shared.settings import Settings
from shared.web.combined import create_combined_app
from tests.platform.test_upgrade_from_first_release import ACCOUNT, TODAY, _release_tree, _run_release, upgrade

pytestmark = pytest.mark.integration

#: The last commit whose documents store their whole rendered file.
BEFORE = "aa85d5eb029e80224fd318504239cd4c97b2ba44"

#: Run by the old code's Python: documents of every template through its own request and render job.
MAKE_DOCUMENTS = """
import io, os, sys, zipfile
from pathlib import Path
from shared.bootstrap import build_process, upgrade_databases
from shared.embedded.broker import EmbeddedBroker
from shared.migrations import alembic_config
from shared.settings import load_settings
from tests.conftest import drain
from services.documents import generation
from services.documents.catalogue import shipped_templates
from services.documents.models import TemplateVersion

def edited(docx, old, new):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old, new) if info.filename == "word/document.xml" else data)
    return out.getvalue()

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
        rt = process.runtime("documents")
        specs = shipped_templates()
        for spec in specs:
            context = {k: v for k, v in spec.example.items() if k not in ("number", "outgoing_number")}
            with rt.db.transaction() as s:
                for _ in range(2):
                    generation.request(s, rt, spec.key, context)
        drain(process, timeout=600)
        certificate = next(spec for spec in specs if spec.key == "student_certificate")
        school_version = edited(certificate.docx_bytes, "У Д О С Т О В Е Р Е Н И Е".encode(),
                                "УДОСТОВЕРЕНИЕ ОТ УЧИЛИЩЕТО".encode())
        with rt.db.transaction() as s:
            s.add(TemplateVersion(key="student_certificate", version=2, content=school_version, current=True))
        with rt.db.transaction() as s:
            generation.request(s, rt, "student_certificate", certificate.example)
        drain(process, timeout=600)
    finally:
        process.stop()
finally:
    broker.stop()
"""


@pytest.fixture(scope="module")
def old_data(tmp_path_factory):
    """A data folder with documents as the code before 0004 stores them, and an account to sign in with."""
    release = _release_tree(tmp_path_factory.mktemp("before-0004"), BEFORE)
    data = tmp_path_factory.mktemp("before-0004-data") / "var"
    out = _run_release(release, ["-m", "shared.cli.main", "users", "add", "--data", str(data), "--name",
                                 ACCOUNT["name"], "--role", "secretary", "--password-stdin"],
                       stdin=ACCOUNT["password"] + "\n")
    token = out.strip().splitlines()[-1].split('"token": "')[1].split('"')[0]
    _run_release(release, ["-c", MAKE_DOCUMENTS, str(data)])
    return data, token


def _part_times(docx: bytes) -> set[tuple]:
    """The zip times of the parts the old code rendered (each stamped with the clock as it wrote it)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {package.getinfo(name).date_time for name in ("word/document.xml", "word/header1.xml")}


def _templates_changed_since(commit: str) -> set[str]:
    """Shipped templates whose file differs today from the one at ``commit``: their old documents keep
    their files (the file they were made with is not shipped any more, so they cannot be rendered again)."""
    root = Path(__file__).resolve().parents[3]
    changed = subprocess.run(["git", "diff", "--name-only", commit, "--", "services/documents/templates"],
                             cwd=root, capture_output=True, text=True, check=True).stdout.split()
    return {Path(name).stem for name in changed if name.endswith(".docx")}


def _documents(data) -> dict[int, tuple]:
    with sqlite3.connect(f"file:{data / 'documents.sqlite3'}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        return {row["id"]: dict(row) for row in db.execute("SELECT * FROM documents ORDER BY id")}


def test_the_migration_drops_only_files_it_renders_again_byte_for_byte(old_data, plugins, tmp_path):
    data = shutil.copytree(old_data[0], tmp_path / "var")
    before = _documents(data)
    assert len(before) == 41
    assert all(row["status"] == "done" for row in before.values())
    assert sum(len(row["content"]) for row in before.values()) / len(before) > 30_000

    upgrade(data)
    after = _documents(data)
    assert after.keys() == before.keys()
    # E.g. the list to ЗАС (version 2 prints the letters' numbers once) and the letters to parents
    # (the addressee placed for a window envelope).
    changed = _templates_changed_since(BEFORE)
    assert "child_benefit_list" in changed

    def kept_by_rule(old: dict) -> bool:
        return "_order" in old["template"] or old["template"] in changed

    for document_id, old in before.items():
        new = after[document_id]
        assert new["content_sha256"] == hashlib.sha256(old["content"]).hexdigest()
        if kept_by_rule(old):
            # An order keeps the file the director signed; a document whose template file changed
            # since keeps the file it was made with, as it was.
            assert new["content"] == old["content"]
        elif new["content"] is None:  # rendered again, proven equal: dropped
            assert new["template_sha256"]
            assert new["zip_time"]
        else:
            # The one other way a file stays: the old code stamped its parts with the clock, and
            # this document's crossed a two-second tick between one part and the next.
            assert len(_part_times(old["content"])) > 1, old["template"]
        assert {k: v for k, v in new.items() if k in old and k != "content"} == \
               {k: v for k, v in old.items() if k != "content"}
    # What is left of the files is those; the others went (rendered again exactly), but for a rare
    # one stamped across a tick.
    others = [old for old in before.values() if not kept_by_rule(old)]
    crossed = sum(len(_part_times(old["content"])) > 1 for old in others)
    assert others
    assert sum(after[old["id"]]["content"] is None for old in others) >= len(others) - crossed

    # Today's system serves every document as the very file the old code stored, twice.
    broker = EmbeddedBroker(data)
    settings = Settings(data_dir=data, today=TODAY, worker_idle_ms=50)
    process = build_process(settings, broker_url=broker.start(), plugins=plugins)
    try:
        client = Client(create_combined_app(process.runtimes))
        headers = {"Authorization": f"Bearer {old_data[1]}"}
        for document_id, old in before.items():
            for _ in range(2):
                answer = client.get(f"/api/documents/documents/{document_id}/file", headers=headers)
                assert answer.status_code == 200, (document_id, answer.get_data(as_text=True)[:300])
                assert answer.data == old["content"], old["template"]
    finally:
        process.stop()
        broker.stop()

    upgrade(data)  # a second upgrade changes nothing
    assert _documents(data) == after

    # And back: the downgrade renders every dropped file again, checked, before the columns go.
    definition = plugins.get("services", "documents")
    command.downgrade(alembic_config(definition, f"sqlite:///{data / 'documents.sqlite3'}"), "documents_0004")
    assert {i: row["content"] for i, row in _documents(data).items()} == \
           {i: row["content"] for i, row in before.items()}
