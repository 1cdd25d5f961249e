"""The web pages against the JSON API serving the same data, in the same run (issue 16, point 7).

Figures (server time through the WSGI app: routing, session, CSRF, the application function, the
template; everything but the network), each p50/p95 and as a ratio, goal ≤ 1.5×:

1. the lesson page of a class of 30, saved (``POST /register/classes/10а/lessons``, 30 marks) against
   ``POST /api/register/absences`` with the same 30 marks, timed alternately on fresh lessons;
2. the lesson page opened (``GET``: the class, the teacher's subjects, the lesson's marks) against
   the nearest API read, a student's ``GET /api/register/students/{id}/absences/summary`` (the API has
   no read of a whole lesson), and against a raw SELECT of the same rows, as the floor;
3. the documents list with 10,000 documents: a student's documents found by name
   (``/documents/?student=…``) against ``GET /api/documents/documents?student_id=`` (the same rows),
   and the first page of the whole list (25 newest) against the API's whole list (its 500 newest);
4. the bytes a browser transfers for each page, gzip-compressed as nginx sends them
   (``deploy/nginx``): the first load (the page, its CSS and htmx) and a later one (the page alone:
   the assets are cached for a year). Goal: first ≤ 150 KB, later ≤ 30 KB.

Run: ``.venv/bin/python bench/bench_pages.py [--requests 200] [--documents 10000] [--only sqlite]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
import sqlalchemy as sa
from werkzeug.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PASSWORD, PG_ADMIN, SCHOOL, SERVER_REDIS, YEAR, percentile, summary
from services.documents.models import Document, StudentCard
from services.register.models.absences import Absence
from services.register.models.people import Student
from services.register.people.rules.personal_number import fake_egns
from services.register.school import years
from shared.bootstrap import build_process, upgrade_databases
from shared.embedded.broker import EmbeddedBroker
from shared.messaging.identity import propagate
from shared.messaging.outbox import urgent_events
from shared.settings import Settings
from shared.web.combined import create_combined_app

SERVICES = ("register", "documents")
CLASS_SIZE = 30
#: The last school day of the year: every earlier school day may be recorded.
TODAY = dt.date(2024, 6, 28)
#: The loaded documents' students are numbered from here, apart from the class's own (replicated) students.
CARD_IDS = 100_000
#: Requests not counted at the start of each series: templates compiled, caches filled.
WARMUP = 3
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def timed(call) -> tuple[float, object]:
    begin = time.perf_counter()
    answer = call()
    return (time.perf_counter() - begin) * 1000, answer


def add_user(rt, name: str, role: str, classes: list[str]) -> str:
    """As `schoolctl users add` does: committed, then sent on the identity lanes and waited for."""
    with rt.db.transaction() as s:
        _uid, token = rt.definition.commands["users.add"](rt, s, name=name, role=role, class_codes=classes,
                                                          student_ids=[], email=None, password=PASSWORD)
        events = urgent_events(s)
    propagate(rt, events)
    return token


def signed_in(app, name: str) -> Client:
    client = Client(app)
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return client


def ok(answer, status: int = 200):
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:500])
    return answer


def set_up_class(process, api: Client, director: dict) -> tuple[list[int], list[dt.date]]:
    rt = process.runtime("register")
    ok(api.put("/api/register/school", headers=director, json=SCHOOL))
    ok(api.post("/api/register/school-years", headers=director, json=YEAR), 201)
    add_user(rt, "Георги Димов", "teacher", ["10а"])
    with rt.db.sessions() as s:
        teacher_id = s.execute(sa.text("SELECT id FROM users WHERE name = 'Георги Димов'")).scalar_one()
    ok(api.post("/api/register/classes", headers=director, json={"code": "10а", "grade": 10}), 201)
    ok(api.post("/api/register/assignments", headers=director, json={
        "teacher_id": teacher_id, "class_code": "10а", "subject": "Математика", "weekly_hours": {"1": 4, "2": 4}}),
       201)
    egns = fake_egns(CLASS_SIZE, seed=11, born_from=dt.date(2007, 1, 1), born_to=dt.date(2008, 12, 31))
    ids = [ok(api.post("/api/register/students", headers=director, json={
        "first_name": "Ученик", "middle_name": "", "last_name": f"Номер{i:02d}", "egn": e.egn, "class_code": "10а",
        "guardians": []}), 201).json["id"] for i, e in enumerate(egns)]
    with rt.db.sessions() as s:
        days = years.calendar_for(s, TODAY).school_days(dt.date(2023, 9, 18), TODAY)
    return ids, days


def lesson_figures(label: str, process, app, api: Client, director: dict, n: int) -> None:
    ids, days = set_up_class(process, api, director)
    page_client = signed_in(app, "Георги Димов")
    slots = iter((day, lesson) for day in days for lesson in range(1, 8))
    saves, api_saves, opens, api_reads, raw_reads = [], [], [], [], []
    engine = process.runtime("register").db.engine
    for i in range(n + WARMUP):
        if i == WARMUP:
            for series in (saves, api_saves, opens, api_reads, raw_reads):
                series.clear()
        day, lesson = next(slots)
        path = f"/register/classes/10а/lessons?date={day.isoformat()}&lesson={lesson}"
        ms, page = timed(lambda path=path: page_client.get(path))
        opens.append(ms)
        html = ok(page).get_data(as_text=True)
        # Absent, late or present in turn: no student reaches a rung of the ladder on the first days.
        form = {"csrf_token": CSRF.search(html).group(1), "mode": "record", "date": day.isoformat(),
                "lesson": str(lesson), "subject": "Математика"}
        form |= {f"mark-{sid}": ("unexcused", "late", "present")[(sid + i) % 3] for sid in ids}
        ms, answer = timed(lambda path=path, form=form: page_client.post(path, data=form))
        ok(answer, 303)
        saves.append(ms)
        api_day, api_lesson = next(slots)
        marks = [{"student_id": sid, "kind": ("unexcused", "late")[(sid + i) % 2]} for sid in ids if (sid + i) % 3]
        ms, answer = timed(lambda d=api_day, ln=api_lesson, marks=marks: api.post(
            "/api/register/absences", headers=director,
            json={"date": d.isoformat(), "lesson": ln, "subject": "Математика", "marks": marks}))
        ok(answer, 201)
        api_saves.append(ms)
        student = ids[i % len(ids)]
        ms, answer = timed(lambda sid=student: api.get(f"/api/register/students/{sid}/absences/summary",
                                                          headers=director))
        ok(answer)
        api_reads.append(ms)
        ms, _rows = timed(lambda d=day, ln=lesson: raw_lesson_read(engine, d, ln))
        raw_reads.append(ms)
        if i == 0:
            assert "Записано" in ok(page_client.get(path)).get_data(as_text=True)
    print(f"[{label}] lesson page of {CLASS_SIZE}, save (POST, 30 marks): {summary(saves)} ms")
    print(f"[{label}] POST /api/register/absences, same marks:     {summary(api_saves)} ms")
    ratios(label, "lesson save, page / API", saves, api_saves)
    print(f"[{label}] lesson page of {CLASS_SIZE}, open (GET):       {summary(opens)} ms")
    print(f"[{label}] GET …/students/{{id}}/absences/summary:      {summary(api_reads)} ms")
    print(f"[{label}] raw SELECT of the class and the lesson's marks: {summary(raw_reads)} ms")
    ratios(label, "lesson open, page / nearest API read", opens, api_reads)
    ratios(label, "lesson open, page / raw SELECT (the floor, no goal)", opens, raw_reads)
    transfer(label, "lesson page", page_client, f"/register/classes/10а/lessons?date={days[-1].isoformat()}&lesson=1")


def raw_lesson_read(engine, day: dt.date, lesson: int) -> list:
    students, absences = Student.__table__, Absence.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(students.c.id, students.c.first_name, students.c.last_name)
                            .where(students.c.class_code == "10а").order_by(students.c.last_name)).all()
        rows += conn.execute(sa.select(absences.c.student_id, absences.c.kind)
                             .where(absences.c.date == day, absences.c.lesson == lesson)).all()
    return rows


def load_documents(process, total: int, per_student: int = 20) -> None:
    """``total`` rendered documents (as the render job leaves them), ``per_student`` for each student."""
    rt = process.runtime("documents")
    cards = [{"id": CARD_IDS + n, "name": f"Ученик Номер{n:05d} Тестов", "class_code": "10а", "guardians": []}
             for n in range(1, total // per_student + 1)]
    created = dt.datetime(2023, 10, 2, tzinfo=dt.UTC)
    documents = [{"template": "student_certificate", "template_version": 1, "context": {},
                  "status": "done", "number": f"{k}/02.10.2023", "student_id": CARD_IDS + (k - 1) % len(cards) + 1,
                  "content": b"x" * 2000, "created_at": created, "done_at": created} for k in range(1, total + 1)]
    with rt.db.engine.begin() as conn:
        conn.execute(StudentCard.__table__.insert(), cards)
        conn.execute(Document.__table__.insert(), documents)
    with rt.db.engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))
        conn.commit()


def documents_figures(label: str, process, app, api: Client, director: dict, n: int, total: int) -> None:
    load_documents(process, total)
    client = signed_in(app, "Директор")
    deadline = time.monotonic() + 30
    while client.get("/documents/").status_code != 200:  # until the director has reached the documents service
        assert time.monotonic() < deadline, "the director never reached the documents service"
        time.sleep(0.1)
    searched, api_searched, first, api_all = [], [], [], []
    students = total // 20
    for i in range(n + WARMUP):
        if i == WARMUP:
            for series in (searched, api_searched, first, api_all):
                series.clear()
        student = i * 7 % students + 1
        ms, answer = timed(lambda s=student: client.get(f"/documents/?student=Номер{s:05d}"))
        assert ok(answer).get_data(as_text=True).count('class="doc"') == 20
        searched.append(ms)
        ms, answer = timed(lambda s=student: api.get(f"/api/documents/documents?student_id={CARD_IDS + s}",
                                                      headers=director))
        assert len(ok(answer).json) == 20
        api_searched.append(ms)
        ms, answer = timed(lambda: client.get("/documents/"))
        ok(answer)
        first.append(ms)
        ms, answer = timed(lambda: api.get("/api/documents/documents", headers=director))
        ok(answer)
        api_all.append(ms)
    print(f"[{label}] documents page, a student's 20 of {total:,}: {summary(searched)} ms")
    print(f"[{label}] GET /api/documents/documents?student_id=:  {summary(api_searched)} ms")
    ratios(label, "a student's documents, page / API", searched, api_searched)
    print(f"[{label}] documents page, the newest 25 of {total:,}:  {summary(first)} ms")
    print(f"[{label}] GET /api/documents/documents (its 500 newest): {summary(api_all)} ms")
    ratios(label, "documents list, page / API (the API sends 20x the rows)", first, api_all)
    transfer(label, "documents list", client, "/documents/")


def ratios(label: str, what: str, ours: list[float], baseline: list[float]) -> None:
    parts = [f"p{p} {percentile(ours, p):.2f}/{percentile(baseline, p):.2f} ms → ratio "
             f"{percentile(ours, p) / percentile(baseline, p):.2f}" for p in (50, 95)]
    goal = "" if "no goal" in what else " (goal ≤ 1.5)"
    print(f"[{label}] {what}: {'; '.join(parts)}{goal}")


def transfer(label: str, what: str, client: Client, path: str) -> None:
    """Bytes over the wire, gzip-compressed as nginx sends them: first load (page + assets), later one."""
    html = ok(client.get(path)).get_data()
    page = len(gzip.compress(html, 6))
    assets = 0
    for asset in sorted(set(ASSETS.findall(html.decode()))):
        answer = ok(client.get(asset.replace("&amp;", "&")))
        assert "max-age" in answer.headers.get("Cache-Control", ""), asset
        assets += len(gzip.compress(answer.get_data(), 6))
        answer.close()
    print(f"[{label}] {what}: first load {(page + assets) / 1024:.1f} KB (goal ≤ 150), "
          f"later {page / 1024:.1f} KB (goal ≤ 30), gzip as nginx sends them")


def run(label: str, settings: Settings, url: str, args) -> None:
    upgrade_databases(settings, SERVICES)
    process = build_process(settings, SERVICES, broker_url=url)
    # Users reach the documents service as events: its relay and worker run, as in `schoolctl up`.
    process.start_relays()
    process.start_worker(threads=2)
    app = create_combined_app(process.runtimes)
    api = Client(app)
    director = {"Authorization": f"Bearer {add_user(process.runtime('register'), 'Директор', 'director', [])}"}
    try:
        lesson_figures(label, process, app, api, director, args.requests)
        documents_figures(label, process, app, api, director, args.requests, args.documents)
    finally:
        process.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(Path(tmp) / "broker")
        url = broker.start()
        try:
            if args.only in (None, "sqlite"):
                run("SQLite", Settings(data_dir=Path(tmp) / "sqlite", redis_url=url, today=TODAY), url, args)
            if args.only in (None, "postgresql"):
                with_postgresql(Path(tmp), args)
        finally:
            broker.stop()


def with_postgresql(tmp: Path, args) -> None:
    """A fresh database per service on the PostgreSQL server, with the Redis server; dropped after."""
    names = {service: f"school_bench_{service}_{os.getpid()}" for service in SERVICES}
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for name in names.values():
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        redis.Redis.from_url(SERVER_REDIS).flushdb()
        urls = {f"{service}_database_url": PG_ADMIN.rsplit("/", 1)[0] + f"/{name}" for service, name in names.items()}
        run("PostgreSQL", Settings(data_dir=tmp / "pg", redis_url=SERVER_REDIS, today=TODAY, **urls),
            SERVER_REDIS, args)
    finally:
        redis.Redis.from_url(SERVER_REDIS).flushdb()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
