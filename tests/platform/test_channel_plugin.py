"""A separately installed package adds a notification channel; the platform finds it and uses it."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys

import pytest

from shared.bootstrap import build_process, upgrade_databases
from shared.plugins import PluginRegistry
from tests.conftest import ROOT
from tests.support.school import setup_small_school

PACKAGE = ROOT / "tests" / "plugins" / "school_office_channel_echo"


@pytest.fixture(scope="module")
def echo_installed(tmp_path_factory):
    """pip-installs the plugin into a private directory and puts it on sys.path for this module only."""
    target = tmp_path_factory.mktemp("site")
    # Build from a copy: an in-tree build would leave build/ and *.egg-info in the repository.
    source = shutil.copytree(PACKAGE, tmp_path_factory.mktemp("src") / PACKAGE.name)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True)
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    yield target
    sys.path.remove(str(target))
    sys.modules.pop("school_office_channel_echo", None)
    importlib.invalidate_caches()


@pytest.fixture
def process(settings, echo_installed):
    registry = PluginRegistry.discover()
    upgrade_databases(settings, plugins=registry)
    proc = build_process(settings, plugins=registry)
    proc.start_relays()
    proc.start_worker()
    yield proc
    proc.stop()


def test_installed_channel_is_discovered_from_its_entry_point(echo_installed):
    registry = PluginRegistry.discover(("channels",))
    assert "echo" in registry.names("channels")
    [plugin] = [p for p in registry.items("channels") if p.name == "echo"]
    assert plugin.distribution == "school-office-channel-echo"
    assert plugin.value == "school_office_channel_echo:echo_channel"


def test_a_guardian_who_chose_the_plugin_channel_is_told_through_it(api, make_user, process, settings):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    notifications = process.runtime("notifications")
    assert "echo" in notifications.components.channels
    from services.notifications.models import Guardian  # noqa: PLC0415

    with notifications.db.sessions() as s:
        guardian_id = s.query(Guardian.id).scalar()
    answer = api.put(f"/api/notifications/guardians/{guardian_id}/preferences", json={"channels": ["echo"]})
    assert answer.status_code == 200, answer.json
    recorded = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 1, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "unexcused"}],
    })
    assert recorded.status_code == 201, recorded.json
    api.drain()
    lines = (settings.data_dir / "echo-channel.jsonl").read_text(encoding="utf-8").splitlines()
    [message] = [json.loads(line) for line in lines]
    assert message["to"] == "petar@example.bg"
    assert message["subject"] == "Отсъствие на Мария Петрова Иванова (10а клас)"
    [delivery] = api.get("/api/notifications/deliveries", query_string={"student_id": school.student_id}).json
    assert delivery["channel"] == "echo"
    assert delivery["status"] == "sent"
