"""A year of notices and letters on little disk (issue 20, point 2): bytes per document and download time.

Usage: python bench/bench_document_storage.py [--documents N] [--downloads M]   (defaults 1,000 and 200)

N documents, notices (``absence_notice``) and letters (``absence_letter``) half each, every one for
a student of its own, go through the real pipeline on the embedded default (SQLite and the
embedded broker): ``POST /api/documents/documents``, the render job on the worker, the register
number. Then:

- **bytes per document in the database**: the growth of ``documents.sqlite3`` (after ``VACUUM``)
  divided by N, template files included; goal ≤ 4 KB. The size of the rendered file, which is what
  each document took before (≈ 42 KB), is printed beside it;
- **download time**: ``GET …/file`` of M of them (rendered again and checked against the
  checksum) against the same request for a twin of each that keeps its file (read from the
  database and checked), timed alternately in the same run; goal ≤ 2×.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from werkzeug.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report, summary
from services.documents.catalogue import shipped_templates
from services.documents.catalogue.examples import absence_letter
from services.documents.models import Document
from shared.bootstrap import build_process, upgrade_databases
from shared.embedded.broker import EmbeddedBroker
from shared.messaging.identity import propagate
from shared.messaging.outbox import urgent_events
from shared.settings import Settings
from shared.web.combined import create_combined_app

TODAY = dt.date(2026, 10, 16)
KINDS = ("absence_notice", "absence_letter")


def contexts(count: int) -> list[tuple[str, dict]]:
    """Notices and letters, half each, for as many different students and weeks."""
    examples = {spec.key: spec.example for spec in shipped_templates()}
    examples["absence_letter"] = absence_letter(8)
    result = []
    for index in range(count):
        key = KINDS[index % 2]
        context = copy.deepcopy(examples[key])
        context.pop("outgoing_number")
        context["student"]["name"] = f"Ученик Номер{index} Тестов"
        context["sent_on"] = (TODAY - dt.timedelta(days=index % 28)).isoformat()
        if key == "absence_notice":
            context["unexcused"] = index % 7
        result.append((key, context))
    return result


def office_token(process) -> str:
    rt = process.runtime("register")
    with rt.db.transaction() as s:
        _uid, token = rt.definition.commands["users.add"](rt, s, name="Секретар", role="secretary", class_codes=[],
                                                          student_ids=[], email=None, password="дълга-парола-1")
        events = urgent_events(s)
    propagate(rt, events)
    return token


def wait_done(process, count: int) -> None:
    rt = process.runtime("documents")
    while True:
        with rt.db.sessions() as s:
            done = s.scalar(sa.select(sa.func.count()).select_from(Document).where(Document.status == "done"))
            failed = s.scalar(sa.select(sa.func.count()).select_from(Document).where(Document.status == "failed"))
        if failed:
            raise SystemExit(f"{failed} documents failed")
        if done >= count:
            return
        time.sleep(0.2)


def database_bytes(path: Path) -> int:
    with sa.create_engine(f"sqlite:///{path}").connect() as conn:
        conn.exec_driver_sql("VACUUM")
    return path.stat().st_size


def twins(process, ids: list[int], files: dict[int, bytes]) -> dict[int, int]:
    """For each document a twin that keeps its file, as an order does: the 'stored file' baseline."""
    rt = process.runtime("documents")
    result = {}
    with rt.db.transaction() as s:
        for document_id in ids:
            original = s.get(Document, document_id)
            twin = Document(template=original.template, template_version=original.template_version,
                            context=original.context, status="done", content=files[document_id],
                            content_sha256=original.content_sha256, template_sha256=original.template_sha256)
            s.add(twin)
            s.flush()
            result[document_id] = twin.id
    return result


def run(data: Path, url: str, args) -> None:
    settings = Settings(data_dir=data, redis_url=url, today=TODAY)
    upgrade_databases(settings)
    process = build_process(settings, broker_url=url)
    process.start_relays()
    process.start_worker(threads=2)
    try:
        client = Client(create_combined_app(process.runtimes))
        headers = {"Authorization": f"Bearer {office_token(process)}"}
        database = data / "documents.sqlite3"
        empty = database_bytes(database)
        started = time.perf_counter()
        ids = []
        for key, context in contexts(args.documents):
            answer = client.post("/api/documents/documents", json={"template": key, "context": context},
                                 headers=headers)
            assert answer.status_code == 202, answer.get_data(as_text=True)[:300]
            ids.append(answer.json["id"])
        wait_done(process, args.documents)
        print(f"documents: {args.documents} ({', '.join(KINDS)}), requested and rendered in "
              f"{time.perf_counter() - started:.1f} s")
        per_document = (database_bytes(database) - empty) / args.documents

        sample = ids[:: max(1, len(ids) // args.downloads)][: args.downloads]
        files = {i: client.get(f"/api/documents/documents/{i}/file", headers=headers).data for i in sample}
        file_size = statistics.fmean(len(f) for f in files.values())
        print(f"database: {per_document / 1024:.2f} KB per document (goal ≤ 4 KB); the rendered file, "
              f"what each kept before: {file_size / 1024:.1f} KB")

        twin_of = twins(process, sample, files)
        rendered, stored = [], []
        for document_id in sample:  # alternately, so both see the same noise of a shared machine
            for target, times in ((document_id, rendered), (twin_of[document_id], stored)):
                begin = time.perf_counter()
                answer = client.get(f"/api/documents/documents/{target}/file", headers=headers)
                times.append((time.perf_counter() - begin) * 1000)
                assert answer.status_code == 200
                assert answer.data == files[document_id]
        print(f"download, rendered again and checked: {summary(rendered)} ms")
        print(f"download of a kept file, checked:     {summary(stored)} ms")
        report("download time (mean)", statistics.fmean(rendered), statistics.fmean(stored))
        report("download time (median)", statistics.median(rendered), statistics.median(stored))
        print("goal: ratio ≤ 2")
    finally:
        process.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000)
    parser.add_argument("--downloads", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(Path(tmp) / "broker")
        url = broker.start()
        try:
            run(Path(tmp) / "sqlite", url, args)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
