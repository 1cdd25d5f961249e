"""Plugins come from entry points; one that fails to load stops start-up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared.plugins import PluginRegistry

ROOT = Path(__file__).resolve().parents[2]


def test_the_four_services_are_plugins():
    registry = PluginRegistry.discover(("services",))
    assert registry.names("services") == ["documents", "notifications", "planning", "register"]


def _fake_distribution(where: Path, group: str, value: str) -> None:
    info = where / "broken_school_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-school-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{group}]\nsms_bg = {value}\n")


def test_a_plugin_that_fails_to_load_stops_start_up(tmp_path):
    site = tmp_path / "site"
    _fake_distribution(site, "school_office.channels", "no_such_module.channel:SmsChannel")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_")}
    env["PYTHONPATH"] = f"{site}{os.pathsep}{ROOT}"
    result = subprocess.run([sys.executable, "-m", "shared.cli.main", "up", "--data", str(tmp_path / "var"),
                             "--port", "0"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "sms_bg" in result.stderr
    assert "broken-school-plugin" in result.stderr
    assert "no_such_module" in result.stderr
    # The embedded broker it had started is stopped again.
    assert not (tmp_path / "var" / "broker" / "broker.url").exists()
