"""The start-of-lesson rush in the production layout (issue 17, point 8).

PostgreSQL (one database per service, created for the run and dropped after it), the Redis server
(database 1, flushed after), and per service a gunicorn app (``schoolctl serve``, 2 workers) and a
Dramatiq worker (``schoolctl worker``), plus the single ``schoolctl scheduler``, each a subprocess
on a free port; a local SMTP server (aiosmtpd) receives the guardians' e-mails.  The school is set
up through the API: ``--teachers`` classes, each with its class teacher and ``--class-size``
students with a guardian's e-mail, ``--parents`` of them with a parent's account.

Users sign in through ``/login`` with the form's CSRF token, as a browser does, and keep their
session (``requests``).  Then, in the same run:

* idle: the pages, one request at a time, ``--requests`` times each: a teacher's lesson page opened
  and saved (``/register/classes/{code}/lessons``), a parent's child page (``/register/students/{id}``),
  the documents list (``/documents/``), and the API reads beside them;
* rush, all at once within ``--window`` seconds: every teacher opens and saves one lesson (a few
  students absent, two of them crossing the parent-notice threshold of 3 unexcused hours), the
  secretary requests ``--letters`` letters to parents (``POST /api/documents/documents/batch``) and
  keeps opening the documents list, every parent opens their child's page.

Figures: errors (any unexpected status, must be 0); each page's p95 during the rush against the
same page idle (ratio, goal ≤ 3); the letters' time until all done; the time from the end of the
rush until every parent notice is handled (no delivery left ``queued``, every absent student's
guardian mailed, the threshold letters' notices there), goal ≤ 60 s.

Run: ``.venv/bin/python bench/bench_rush.py [--teachers 60] [--parents 300] [--letters 200]``.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import redis
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PG_ADMIN, SERVER_REDIS, percentile, summary
from services.register.people.rules.personal_number import fake_egns
from tests.support.smtp import SmtpServer, free_port

SERVICES = ("register", "documents", "notifications", "planning")
PASSWORD = "дълга-парола-за-теста"
#: A Friday, the last school week of the year: every earlier school day may be recorded.
TODAY = dt.date(2024, 6, 28)
#: The day the threshold students' first two unexcused hours were recorded.
EARLIER = dt.date(2024, 6, 27)
YEAR = {"name": "2023/2024", "start": "2023-09-15", "end": "2024-06-30",
        "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-30"}],
        "vacations": [], "non_school_days": []}
SCHOOL = {"name": "СУ „Христо Ботев“", "neispuo_code": "2500603", "address": "ул. „Шипка“ 1", "town": "Русе",
          "director_name": "Иван Иванов", "phone": "082 123 456", "email": "school@example.bg"}
SUBJECT = "Математика"
#: Students per class whose rush lesson takes them to 3 unexcused hours (the first rung of the
#: parent-notice ladder, Чл. 97, т. 8) and two more absent without crossing anything.
CROSSING, OTHERS_ABSENT = 2, 2
#: The lesson the rush records, today.
RUSH_LESSON = 2
#: Requests not counted at the start of the idle series: templates compiled, caches filled.
WARMUP = 3
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: Class codes: grades 8–11, a letter each (4 × 16 = 64 classes at most).  Not XII: its classes end
#: in mid-May (Чл. 113, ал. 1), and the register refuses absences after that on a day in late June.
GRADES = range(8, 12)
LETTERS = "абвгдежзиклмнопр"


class Failures:
    """Every unexpected answer, by what was asked: the figure that must stay 0."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._lock = threading.Lock()

    def add(self, what: str) -> None:
        with self._lock:
            self.seen.append(what)


class Site:
    """The four services behind their ports, routed by path prefix as ``deploy/nginx`` does."""

    def __init__(self, ports: dict[str, int], failures: Failures) -> None:
        self.ports = ports
        self.failures = failures
        self.timings: dict[str, list[float]] = collections.defaultdict(list)
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        service = "register"
        for name in SERVICES:
            if path.startswith((f"/api/{name}/", f"/{name}/")):
                service = name
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def call(self, http: requests.Session, method: str, path: str, *, expect: int = 200, label: str | None = None,
             **kwargs) -> requests.Response | None:
        begin = time.perf_counter()
        try:
            answer = http.request(method, self.url(path), allow_redirects=False, timeout=120, **kwargs)
        except requests.RequestException as exc:
            self.failures.add(f"{method} {path}: {exc.__class__.__name__}")
            return None
        ms = (time.perf_counter() - begin) * 1000
        if answer.status_code != expect:
            self.failures.add(f"{method} {path}: {answer.status_code} {answer.text[:200]!r}")
            return None
        if label:
            with self._lock:
                self.timings[label].append(ms)
        return answer


    def need(self, *args, **kwargs) -> requests.Response:
        """A set-up step: the run cannot go on without it."""
        answer = self.call(*args, **kwargs)
        if answer is None:
            raise SystemExit(f"set-up failed: {self.failures.seen[-1]}")
        return answer


def api_session(token: str) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def sign_in(site: Site, name: str) -> requests.Session:
    """A browser's session: the sign-in form's CSRF token, then the form posted."""
    http = requests.Session()
    token = CSRF.search(site.need(http, "GET", "/login").text).group(1)
    site.need(http, "POST", "/login", expect=303, data={"name": name, "password": PASSWORD, "csrf_token": token})
    return http


# --- the production layout ------------------------------------------------------------------------


class Layout:
    """Databases, the Redis database, the SMTP server and the processes; all stopped and dropped in ``close``."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.names = {service: f"school_rush_{service}_{os.getpid()}" for service in SERVICES}
        self.ports = {service: free_port() for service in SERVICES}
        self.processes: list[subprocess.Popen] = []
        self.logs: list = []
        self.smtp = SmtpServer()
        self.env: dict[str, str] = {}

    def open(self) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in self.names.values():
                conn.execute(f'CREATE DATABASE "{name}"')
        redis.Redis.from_url(SERVER_REDIS).flushdb()
        self.smtp.start()
        base = PG_ADMIN.rsplit("/", 1)[0]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        env |= {"SCHOOL_DATA_DIR": str(self.tmp / "data"), "SCHOOL_REDIS_URL": SERVER_REDIS,
                "SCHOOL_SECRET_KEY": "bench-rush-" + "x" * 40, "SCHOOL_TODAY": TODAY.isoformat(),
                "SCHOOL_SMTP_HOST": "127.0.0.1", "SCHOOL_SMTP_PORT": str(self.smtp.port),
                "SCHOOL_SMTP_FROM": "school@example.bg", "SCHOOL_LOG_LEVEL": "WARNING"}
        env |= {f"SCHOOL_{service.upper()}_DATABASE_URL": f"{base}/{name}" for service, name in self.names.items()}
        self.env = env
        subprocess.run([*schoolctl(), "db", "upgrade"], env=env, check=True, capture_output=True, timeout=300)
        for service in SERVICES:
            metrics = {"PROMETHEUS_MULTIPROC_DIR": str(self.tmp / "metrics" / service)}
            self.start(["serve", service, "--bind", f"127.0.0.1:{self.ports[service]}", "--workers", "2"], metrics)
            self.start(["worker", service], metrics)
        self.start(["scheduler"], {})
        deadline = time.monotonic() + 120
        for service, port in self.ports.items():
            while True:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                        break
                for process, log in zip(self.processes, self.logs, strict=True):
                    if process.poll() is not None:
                        raise SystemExit(f"{process.args} stopped: {Path(log.name).read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise SystemExit(f"{service} never answered on port {port}")
                time.sleep(0.2)

    def start(self, args: list[str], extra: dict[str, str]) -> None:
        # Each process's output in a file of its own, read when it stops early or logs an exception.
        log = open(self.tmp / f"{'-'.join(args[:2])}.log", "w")  # noqa: SIM115 - closed in close()
        self.logs.append(log)
        self.processes.append(subprocess.Popen([*schoolctl(), *args], env=self.env | extra, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def close(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs:
            log.close()
        with contextlib.suppress(Exception):
            self.smtp.stop()
        redis.Redis.from_url(SERVER_REDIS).flushdb()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in self.names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def print_logs(self, lines: int = 15) -> None:
        """The end of each process's output, when the run stops on an error: what the services said."""
        for log in sorted(self.tmp.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- {log.name}", *tail, sep="\n", file=sys.stderr)

    def stopped(self) -> list[str]:
        """Processes that ended before the run stopped them: a crash is an error though no request saw it."""
        return [f"{' '.join(p.args[-2:])} stopped with {p.returncode}" for p in self.processes if p.poll() is not None]

    def retried_jobs(self) -> collections.Counter:
        """Exceptions the workers logged: Dramatiq retries such a job (the figures say whether it then
        succeeded: every letter done, every notice handled), so they are reported, not counted as errors."""
        found: collections.Counter = collections.Counter()
        for log in sorted(self.tmp.glob("worker-*.log")):
            for line in log.read_text(errors="replace").splitlines():
                match = re.match(r"^(\w+(?:\.\w+)*(?:Error|Violation|Exception)): ", line)
                if match:
                    found[f"{log.stem}: {match.group(1)}"] += 1
        return found


def schoolctl() -> list[str]:
    script = Path(sys.executable).parent / "schoolctl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "shared.cli.main"]


# --- the school -----------------------------------------------------------------------------------


class School:
    def __init__(self) -> None:
        self.director = ""
        self.teachers: list[tuple[str, str, list[int]]] = []  # name, class code, students in order
        self.crossing: dict[str, list[int]] = {}  # class code → students 2 unexcused hours before the rush
        self.parents: list[tuple[str, int]] = []  # name, child
        self.guardian_email: dict[int, str] = {}
        self.tokens: dict[str, tuple[int, str]] = {}  # name → id, API token


def add_user(layout: Layout, name: str, role: str, *, classes=(), students=(), password=True) -> tuple[int, str]:
    """As ``schoolctl users add`` does (it is the only way users are made), one command per user."""
    args = [*schoolctl(), "users", "add", "--name", name, "--role", role]
    for code in classes:
        args += ["--class", code]
    for student in students:
        args += ["--student", str(student)]
    if password:
        args.append("--password-stdin")
    done = subprocess.run(args, env=layout.env, input=PASSWORD + "\n" if password else "", capture_output=True,
                          text=True, timeout=120, check=True)
    answer = json.loads(done.stdout)
    return answer["id"], answer["token"]


def add_users(layout: Layout, users: list[tuple[str, str, list[str], list[int]]]) -> dict[str, tuple[int, str]]:
    """Many users at once: the command's own steps in this process (a process per user would take minutes).

    As ``schoolctl users add``: the user committed, then the identity event sent on the identity lane
    and waited for (at most 5 s) until every running service applied it.
    """
    from shared.bootstrap import build_process  # noqa: PLC0415
    from shared.messaging.identity import propagate  # noqa: PLC0415
    from shared.messaging.outbox import urgent_events  # noqa: PLC0415
    from shared.settings import load_settings  # noqa: PLC0415

    settings = load_settings(layout.env)
    process = build_process(settings, ("register",))
    made, late = {}, 0
    try:
        rt = process.runtime("register")
        for name, role, classes, students in users:
            with rt.db.transaction() as s:
                made[name] = rt.definition.commands["users.add"](
                    rt, s, name=name, role=role, class_codes=classes, student_ids=students, email=None,
                    password=PASSWORD)
                events = urgent_events(s)
            late += bool(propagate(rt, events).warning())
    finally:
        process.stop()
    if late:
        print(f"  {late} of {len(users)} new users not confirmed by every service within 5 s (applied later)")
    return made


def class_codes(n: int) -> list[str]:
    if n > len(GRADES) * len(LETTERS):
        raise SystemExit(f"at most {len(GRADES) * len(LETTERS)} classes")
    return [f"{GRADES[i // len(LETTERS)]}{LETTERS[i % len(LETTERS)]}" for i in range(n)]


def set_up(layout: Layout, site: Site, args) -> School:
    school = School()
    _id, school.director = add_user(layout, "Директор Иванов", "director")
    api = api_session(school.director)
    ok = site.need
    ok(api, "PUT", "/api/register/school", json=SCHOOL)
    ok(api, "POST", "/api/register/school-years", json=YEAR, expect=201)
    codes = class_codes(args.teachers)
    teachers = [(f"Учител {code}", "class_teacher", [code], []) for code in codes]
    school.tokens = add_users(layout, [("Секретар Петрова", "secretary", [], []), *teachers])
    ids = {name: made[0] for name, made in school.tokens.items()}
    egns = iter(fake_egns(args.teachers * args.class_size, seed=17, born_from=dt.date(2005, 1, 1),
                          born_to=dt.date(2010, 12, 31)))
    for index, code in enumerate(codes):
        teacher = f"Учител {code}"
        ok(api, "POST", "/api/register/classes", json={"code": code, "grade": int(code[:-1]),
                                                          "class_teacher_id": ids[teacher]}, expect=201)
        ok(api, "POST", "/api/register/assignments", json={
            "teacher_id": ids[teacher], "class_code": code, "subject": SUBJECT, "weekly_hours": {"1": 4, "2": 4}},
           expect=201)
        students = []
        for n in range(args.class_size):
            email = f"roditel-{index}-{n}@example.bg"
            answer = ok(api, "POST", "/api/register/students", expect=201, json={
                "first_name": "Ученик", "middle_name": "", "last_name": f"Номер{n:02d}", "egn": next(egns).egn,
                "class_code": code, "guardians": [{"name": f"Родител {index}-{n}", "email": email}]})
            students.append(answer.json()["id"])
            school.guardian_email[students[-1]] = email
        school.teachers.append((teacher, code, students))
        # Two unexcused hours yesterday: the rush's third takes them to the first rung (3).
        school.crossing[code] = students[:CROSSING]
        marks = [{"student_id": sid, "kind": "unexcused"} for sid in school.crossing[code]]
        for lesson in (1, 2):
            ok(api, "POST", "/api/register/absences", expect=201,
               json={"date": EARLIER.isoformat(), "lesson": lesson, "subject": SUBJECT, "marks": marks})
    print(f"  {args.teachers} classes, {args.teachers * args.class_size} students with their guardians", flush=True)
    # The parents: children spread over the classes, the first students after the crossing ones.
    per_class = -(-args.parents // args.teachers)
    children = [students[CROSSING + k] for _t, _c, students in school.teachers for k in range(per_class)]
    school.parents = [(f"Родител на {sid}", sid) for sid in children[:args.parents]]
    school.tokens |= add_users(layout, [(name, "parent", [], [sid]) for name, sid in school.parents])
    return school


def wait_until(what: str, check, timeout: float = 120.0) -> float:
    begin = time.monotonic()
    while not check():
        if time.monotonic() - begin > timeout:
            raise SystemExit(f"timed out waiting until {what}")
        time.sleep(0.25)
    return time.monotonic() - begin


def deliveries(site: Site, director: requests.Session) -> list[dict]:
    answer = site.call(director, "GET", "/api/notifications/deliveries")
    return answer.json() if answer is not None else []


# --- the figures ----------------------------------------------------------------------------------


def lesson_path(code: str, day: dt.date, lesson: int) -> str:
    return f"/register/classes/{code}/lessons?date={day.isoformat()}&lesson={lesson}"


def save_lesson(site: Site, http: requests.Session, code: str, day: dt.date, lesson: int,
                marks: dict[int, str], phase: str) -> None:
    """A teacher's lesson: the page opened, the marks saved (the form as the page sends it)."""
    path = lesson_path(code, day, lesson)
    page = site.call(http, "GET", path, label=f"{phase}: lesson page, open")
    if page is None:
        return
    form = {"csrf_token": CSRF.search(page.text).group(1), "mode": "record", "date": day.isoformat(),
            "lesson": str(lesson), "subject": SUBJECT}
    form |= {f"mark-{sid}": kind for sid, kind in marks.items()}
    site.call(http, "POST", path, data=form, expect=303, label=f"{phase}: lesson page, save")


def open_child(site: Site, http: requests.Session, token: str, child: int, phase: str) -> None:
    site.call(http, "GET", f"/register/students/{child}", label=f"{phase}: child's page")
    site.call(api_session(token), "GET", f"/api/register/students/{child}/absences/summary",
              label=f"{phase}: API absences summary")


def open_documents(site: Site, http: requests.Session, api: requests.Session, phase: str) -> None:
    site.call(http, "GET", "/documents/", label=f"{phase}: documents list")
    site.call(api, "GET", "/api/documents/documents", label=f"{phase}: API documents list")


def past_slots():
    """Lessons of earlier school days, newest first: the idle phase's saves."""
    day = EARLIER - dt.timedelta(days=1)
    while True:
        if day.weekday() < 5:
            for lesson in range(1, 8):
                yield day, lesson
        day -= dt.timedelta(days=1)


def idle(site: Site, school: School, sessions: dict, tokens: dict, n: int) -> None:
    teacher, code, students = school.teachers[0]
    parent, child = school.parents[0]
    slots = past_slots()
    late = [sid for sid in students if sid not in school.crossing[code]]
    for i in range(n + WARMUP):
        if i == WARMUP:
            site.timings.clear()
        day, lesson = next(slots)
        # Late students in turn: none reaches a rung, as at the rush's other absent students.
        marks = {late[(i * 2 + k) % len(late)]: "late" for k in range(2)}
        save_lesson(site, sessions[teacher], code, day, lesson, marks, "idle")
        open_child(site, sessions[parent], tokens[parent], child, "idle")
        open_documents(site, sessions["Секретар Петрова"], api_session(tokens["Секретар Петрова"]), "idle")


def at(start: float, offset: float, work) -> None:
    time.sleep(max(0.0, start + offset - time.monotonic()))
    work()


def rush(site: Site, school: School, sessions: dict, tokens: dict, args, letter: dict) -> dict:
    """Everything within the window, each user at their own moment; returns the letters' and notices' facts."""
    window = args.window
    secretary = sessions["Секретар Петрова"]
    secretary_api = api_session(tokens["Секретар Петрова"])
    facts: dict = {}
    absent: list[int] = []
    jobs = []
    for index, (teacher, code, students) in enumerate(school.teachers):
        others = [sid for sid in students if sid not in school.crossing[code]][-OTHERS_ABSENT:]
        marks = dict.fromkeys(school.crossing[code], "unexcused") | dict.fromkeys(others, "late")
        absent += list(marks)
        jobs.append((window * index / len(school.teachers), lambda t=teacher, c=code, m=marks: save_lesson(
            site, sessions[t], c, TODAY, RUSH_LESSON, m, "rush")))
    for index, (parent, child) in enumerate(school.parents):
        jobs.append((window * index / len(school.parents), lambda p=parent, c=child: open_child(
            site, sessions[p], tokens[p], c, "rush")))

    def letters() -> None:
        contexts = [letter | {"outgoing_number": str(2000 + k)} for k in range(args.letters)]
        begin = time.monotonic()
        answer = site.call(secretary_api, "POST", "/api/documents/documents/batch", expect=202,
                           json={"template": "absence_letter", "contexts": contexts},
                           label="rush: API letters batch, request")
        if answer is None:
            return
        batch = answer.json()["batch_id"]

        def done() -> bool:
            state = site.call(secretary_api, "GET", f"/api/documents/documents/batches/{batch}")
            return state is not None and state.json()["done"] + state.json()["failed"] == args.letters
        wait_until("the letters are done", done, timeout=600)
        facts["letters_s"] = time.monotonic() - begin
        state = site.call(secretary_api, "GET", f"/api/documents/documents/batches/{batch}").json()
        if state["failed"]:
            site.failures.add(f"{state['failed']} of the letters failed")

    jobs.append((0.0, letters))
    ticks = max(2, int(window / 0.5))
    for k in range(ticks):  # the secretary keeps an eye on the list while the letters are made
        jobs.append((window * k / ticks, lambda: open_documents(site, secretary, secretary_api, "rush")))
    start = time.monotonic() + 0.5
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(at, start, offset, work) for offset, work in jobs]
        requests_done = [f for f, (_o, w) in zip(futures, jobs, strict=True) if w is not letters]
        concurrent.futures.wait(requests_done)
        facts["rush_s"] = time.monotonic() - start
        facts["ended"] = time.monotonic()
        for future in futures:
            future.result()
    facts["absent"] = absent
    return facts


def notices_handled(site: Site, school: School, director: requests.Session, absent: list[int], before: int,
                    crossing: int):
    """No delivery since the rush still queued, every absent student's guardian mailed, the rungs' notices there."""
    state = {}

    def check() -> bool:
        new = [d for d in deliveries(site, director) if d["id"] > before]
        mailed = {d["recipient"] for d in new if d["channel"] == "email" and d["status"] == "sent"}
        ladder = [d for d in new if d["rule_id"] == "parent_notification_ladder"]
        state.update(new=new, ladder=ladder)
        return (all(d["status"] != "queued" for d in new)
                and all(school.guardian_email[sid] in mailed for sid in absent)
                and len(ladder) >= crossing)
    return check, state


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=60, help="teachers, each with a class of their own")
    parser.add_argument("--class-size", type=int, default=25)
    parser.add_argument("--parents", type=int, default=300)
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0, help="seconds the rush is spread over")
    parser.add_argument("--requests", type=int, default=30, help="idle requests of each page")
    args = parser.parse_args()
    failures = Failures()
    with tempfile.TemporaryDirectory() as tmp:
        layout = Layout(Path(tmp))
        try:
            begin = time.monotonic()
            layout.open()
            site = Site(layout.ports, failures)
            print(f"production layout up in {time.monotonic() - begin:.1f} s: 4 gunicorn apps (2 workers × 4 threads), "
                  "4 workers, the scheduler, PostgreSQL, Redis, SMTP")
            run(layout, site, args)
        except BaseException:
            layout.print_logs()
            raise
        finally:
            for entry in layout.stopped():
                failures.add(entry)
            retried = layout.retried_jobs()
            layout.close()
    if retried:
        print(f"exceptions the workers logged, their jobs retried: {dict(retried)}")
    print(f"errors (unexpected statuses, failed letters, unhandled notices, crashed processes): "
          f"{len(failures.seen)} (goal 0)")
    for entry in failures.seen[:20]:
        print(f"  {entry}")
    if failures.seen:
        sys.exit(1)


def run(layout: Layout, site: Site, args) -> None:
    begin = time.monotonic()
    school = set_up(layout, site, args)
    director = api_session(school.director)
    names = ["Секретар Петрова", *(t for t, _c, _s in school.teachers), *(p for p, _c in school.parents)]
    tokens = {name: token for name, (_id, token) in school.tokens.items()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        sessions = dict(zip(names, pool.map(lambda name: sign_in(site, name), names), strict=True))
    secretary = sessions["Секретар Петрова"]
    wait_until("the secretary reaches the documents service",
               lambda: requests_ok(secretary, site.url("/documents/")), timeout=600)
    letter = site.call(director, "GET", "/api/documents/templates").json()
    letter = next(t["example"] for t in letter if t["key"] == "absence_letter")
    # The notices of the set-up (yesterday's hours) are all out before anything is timed.
    wait_until("the set-up's notices are handled",
               lambda: (d := deliveries(site, director)) and all(x["status"] != "queued" for x in d), timeout=300)
    print(f"school set up in {time.monotonic() - begin:.1f} s: {args.teachers} classes of {args.class_size} "
          f"with their class teachers, {len(school.parents)} parents with accounts, all signed in")
    idle(site, school, sessions, tokens, args.requests)
    idle_times = dict(site.timings)
    site.timings.clear()
    before = max((d["id"] for d in deliveries(site, director)), default=0)
    load = os.getloadavg()[0]
    facts = rush(site, school, sessions, tokens, args, letter)
    check, state = notices_handled(site, school, director, facts["absent"], before,
                                   CROSSING * len(school.teachers))
    try:
        wait_until("every parent notice of the rush is handled", check, timeout=300)
    except SystemExit as exc:
        site.failures.add(str(exc))
    handled_after = time.monotonic() - facts["ended"]
    rush_times = dict(site.timings)
    print(f"rush: {len(school.teachers)} lessons saved, {len(school.parents)} children's pages, "
          f"{args.letters} letters, over {args.window:.0f} s; all requests answered in {facts['rush_s']:.1f} s "
          f"({sum(map(len, rush_times.values())) / facts['rush_s']:.0f} requests/s); the machine's load average "
          f"{load:.1f} before the rush, {os.getloadavg()[0]:.1f} after it, on {os.cpu_count()} cores")
    for what in sorted({k.split(": ", 1)[1] for k in idle_times}):
        calm, busy = idle_times.get(f"idle: {what}", []), rush_times.get(f"rush: {what}", [])
        if not busy:
            continue
        print(f"  idle {what}: {summary(calm)} ms")
        print(f"  rush {what}: {summary(busy)} ms")
        ratio = percentile(busy, 95) / percentile(calm, 95)
        print(f"{what}: p95 rush {percentile(busy, 95):.1f} ms vs idle {percentile(calm, 95):.1f} ms "
              f"→ ratio {ratio:.2f} (goal ≤ 3)")
    request = rush_times.get("rush: API letters batch, request", [float("nan")])[0]
    letters = facts.get("letters_s", float("nan"))
    print(f"{args.letters} letters: requested in {request:.0f} ms, all done {letters:.1f} s after the request")
    new = state.get("new", [])
    for failed in (d for d in new if d["status"] == "failed"):
        site.failures.add(f"delivery {failed['id']} ({failed['channel']} to {failed['recipient']}) failed")
    by_kind = collections.Counter((d["channel"], d["status"]) for d in new)
    print(f"parent notices of the rush: {len(new)} deliveries ({dict(by_kind)}), "
          f"{len(state.get('ladder', []))} of the ladder (Чл. 97, т. 8); SMTP received {len(layout.smtp.received)}")
    print(f"every notice handled {handled_after:.1f} s after the rush ended (goal ≤ 60)")
    if handled_after > 60:
        print("  (goal missed)")


def requests_ok(http: requests.Session, url: str) -> bool:
    with contextlib.suppress(requests.RequestException):
        answer = http.get(url, timeout=30, allow_redirects=False)
        if answer.status_code != 200:
            print(f"  {url}: {answer.status_code} {answer.headers.get('Location', '')}", file=sys.stderr)
        return answer.status_code == 200
    return False


if __name__ == "__main__":
    main()
