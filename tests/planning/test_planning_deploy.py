"""deploy/ for planning: alert rules and the Grafana dashboard, checked by promtool (`make system-deps`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from services.planning import metrics

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "planning-alerts.yml"
_METRIC = re.compile(r"\bschool_planning_[a-z_]+")


def _promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    tool = shutil.which("promtool")
    assert tool, "promtool is missing: run `make system-deps`"
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=60, check=False, cwd=cwd)


def _known_metrics() -> set[str]:
    documented = set(_METRIC.findall(metrics.__doc__ or ""))
    return documented | {f"{name}_total" for name in documented if not name.endswith("_total")}


def test_alert_rules_are_valid_and_fire_as_tested():
    checked = _promtool("check", "rules", str(RULES))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = _promtool("test", "rules", "planning-alerts.test.yml", cwd=RULES.parent)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    names = {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]}
    assert {"PlanningProceduresOverdue", "PlanningSweepStale"} <= names


def test_prometheus_loads_the_planning_rules():
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    assert any(path.endswith("/planning-alerts.yml") for path in config["rule_files"])


def test_rules_and_dashboard_use_only_metrics_the_service_exports(tmp_path):
    dashboard = json.loads((DEPLOY / "grafana" / "planning-dashboard.json").read_text(encoding="utf-8"))
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = set(_METRIC.findall(RULES.read_text() + "\n".join(exprs)))
    assert used
    assert used <= _known_metrics(), used - _known_metrics()
    # every panel's query is valid PromQL: promtool parses it as a recording rule
    recording = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:panel_{index}", "expr": expr} for index, expr in enumerate(exprs)]}]}
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump(recording, allow_unicode=True), encoding="utf-8")
    checked = _promtool("check", "rules", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
