"""``schoolctl`` as the school's IT person runs it: users, ``up --demo``, signals and kill -9."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shared.settings import SERVICES

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_")} | {"SCHOOL_WORKER_IDLE_MS": "100"}


def schoolctl(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared.cli.main", *args], cwd=ROOT, env=_env(), input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str | None = None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


class Up:
    """``schoolctl up`` in a child process."""

    def __init__(self, data: Path, *extra: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (data.parent / f"up-{self.port}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "shared.cli.main", "up", "--data", str(data), "--port", str(self.port), *extra],
            cwd=ROOT, env=_env(), stdout=self.log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if _get(self.base + "/healthz")[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            assert self.proc.poll() is None, Path(self.log.name).read_text()
            time.sleep(0.05)
        raise AssertionError("not healthy in time:\n" + Path(self.log.name).read_text())

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self.log.close()
        return code


def test_users_add_prints_id_and_token(tmp_path):
    result = schoolctl("users", "add", "--data", str(tmp_path), "--name", "Мария Петрова", "--role",
                       "class_teacher", "--class", "10а", "--password-stdin", stdin="дълга-парола\n")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert isinstance(answer["id"], int)
    assert answer["token"].startswith("so_")
    refused = schoolctl("users", "add", "--data", str(tmp_path), "--name", "X", "--role", "janitor")
    assert refused.returncode == 2
    assert "janitor" in refused.stderr


def test_users_are_listed_deactivated_and_their_tokens_revoked_from_the_command_line(tmp_path):
    data = str(tmp_path / "var")
    first = json.loads(schoolctl("users", "add", "--data", data, "--name", "Мария Петрова", "--role",
                                 "class_teacher", "--class", "10а").stdout)
    second = json.loads(schoolctl("users", "add", "--data", data, "--name", "Галя Петкова", "--role",
                                  "secretary").stdout)

    def listed() -> dict[int, dict]:
        answer = schoolctl("users", "list", "--data", data)
        assert answer.returncode == 0, answer.stderr
        # The contract: one JSON object per line.
        return {user["id"]: user for user in map(json.loads, answer.stdout.splitlines())}

    users = listed()
    assert users[first["id"]] | {"password": False} == {
        "id": first["id"], "name": "Мария Петрова", "role": "class_teacher", "classes": ["10а"], "students": [],
        "active": True, "password": False, "tokens": 1}
    table = schoolctl("users", "list", "--data", data, "--table")
    assert "Мария Петрова" in table.stdout
    assert first["token"] not in table.stdout + json.dumps(users)

    revoked = schoolctl("users", "revoke-token", "--data", data, stdin=second["token"] + "\n")
    assert revoked.returncode == 0, revoked.stderr
    assert listed()[second["id"]]["tokens"] == 0
    again = schoolctl("users", "revoke-token", "--data", data, stdin=second["token"] + "\n")
    assert again.returncode == 2
    assert "Няма такъв ключ" in again.stderr

    off = schoolctl("users", "deactivate", "--data", data, str(first["id"]))
    assert off.returncode == 0, off.stderr
    assert "деактивиран" in off.stdout
    assert listed()[first["id"]]["active"] is False
    assert "вече е неактивен" in schoolctl("users", "deactivate", "--data", data, str(first["id"])).stdout
    unknown = schoolctl("users", "deactivate", "--data", data, "9999")
    assert unknown.returncode == 1
    assert "Няма потребител с номер 9999" in unknown.stderr


def test_up_demo_serves_everything_and_stops_cleanly(tmp_path):
    up = Up(tmp_path / "var", "--demo")
    try:
        # Serving while the demo school loads in the background (a minute): health answers long before.
        up.wait_healthy(timeout=60)
        for service in SERVICES:
            status, body = _get(f"{up.base}/api/{service}/openapi.json")
            assert status == 200
            assert json.loads(body)["info"]["title"].startswith("School Office")
        status, body = _get(up.base + "/readyz")
        assert status == 200, body
        # A user added from another shell while `up` runs is known to every service shortly after.
        created = schoolctl("users", "add", "--data", str(tmp_path / "var"), "--name", "Секретар", "--role",
                            "secretary")
        token = json.loads(created.stdout)["token"]
        # The demo's two months of absences are being recorded and handled ahead of it, hence the margin.
        deadline = time.monotonic() + 60
        while _get(up.base + "/api/notifications/deliveries", token)[0] != 200:
            assert time.monotonic() < deadline, "the new user never reached notifications"
            time.sleep(0.1)
        # Once loaded, the demo shows one account of each role, once, and keeps them for the owner only.
        accounts = tmp_path / "var" / "demo-accounts.txt"
        deadline = time.monotonic() + 120
        while not accounts.exists():
            assert time.monotonic() < deadline, "the demo never finished loading"
            time.sleep(0.2)
        shown = accounts.read_text(encoding="utf-8")
        assert shown.count("парола") == 8
        for role in ("Директор", "Класен ръководител", "Учител", "Секретар", "Родител", "Администратор"):
            assert f"  {role}" in shown
        assert oct(accounts.stat().st_mode)[-3:] == "600"
        # The scheduler starts once the demo is loaded (its first sweep sees the whole school) and
        # writes its heartbeat when that first pass is done.
        deadline = time.monotonic() + 120
        while "school_scheduler_last_run_timestamp_seconds" not in (metrics := _get(up.base + "/metrics")[1].decode()):
            assert time.monotonic() < deadline, "the scheduler never ran after the demo was loaded"
            time.sleep(0.5)
        for series in ("school_queue_depth", "school_outbox_backlog", "school_worker_heartbeat_age_seconds",
                       "dramatiq_messages_total"):
            assert series in metrics
    finally:
        code = up.stop(signal.SIGTERM)
    assert code == 0
    printed = Path(up.log.name).read_text()
    assert "спряно" in printed
    assert "Демонстрационното училище е заредено" in printed
    assert not (tmp_path / "var" / "broker" / "broker.url").exists()


def _handled(db: Path, event: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT message_id FROM processed_messages WHERE name = ?", (event,))]


@pytest.mark.parametrize("users", [40])
def test_kill_9_loses_no_event_and_delivers_none_twice(tmp_path, users):
    data = tmp_path / "var"
    for i in range(users):  # events waiting in register's outbox, as after a burst of work
        assert schoolctl("users", "add", "--data", str(data), "--name", f"Учител {i}", "--role", "teacher"
                         ).returncode == 0
    up = Up(data)
    # Kill as soon as the broker is up: some events are relayed, some handled, some still waiting.
    deadline = time.monotonic() + 20
    while not (data / "broker" / "broker.url").exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)
    broker_pid = int((data / "broker" / "valkey.pid").read_text())
    up.stop(signal.SIGKILL)
    time.sleep(0.5)
    assert not Path(f"/proc/{broker_pid}").exists() or b"valkey" not in Path(
        f"/proc/{broker_pid}/cmdline").read_bytes(), "the embedded broker outlived its parent"

    again = Up(data)
    try:
        again.wait_healthy(timeout=20)
        deadline = time.monotonic() + 30
        while True:
            counts = {s: _handled(data / f"{s}.sqlite3", "identity.user_saved") for s in SERVICES if s != "register"}
            if all(len(v) >= users for v in counts.values()) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        assert again.stop() == 0
    for service, ids in counts.items():
        assert len(ids) == users, f"{service} handled {len(ids)} of {users}"
        assert len(set(ids)) == users
        with sqlite3.connect(data / f"{service}.sqlite3") as conn:
            assert conn.execute("SELECT count(*) FROM principals").fetchone()[0] == users
