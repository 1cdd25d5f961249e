"""Every benchmark under ``bench/`` still runs to the end, on small figures.

They are not tests of speed (timings never fail a test here); but a benchmark that no longer runs
after a contract change is a figure nobody can measure again, so each is run the way the README
says, with a few events or rows, and must finish and print its figure against its baseline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMALL = {
    "bench_absences.py": ["--requests", "3", "--history", "4000", "--bulk", "4000"],
    "bench_neispuo.py": ["--students", "40", "--marks", "3", "--runs", "1"],
    "bench_event_latency.py": ["--events", "20", "--idle-events", "2"],
    "bench_delivery_delay.py": ["--events", "20", "--idle-events", "2"],
    "bench_render.py": ["3"],
    "bench_document_storage.py": ["--documents", "20", "--downloads", "5"],
    "bench_plan_import.py": ["2"],
    "bench_pages.py": ["--requests", "2", "--documents", "100"],
    "bench_rush.py": ["--teachers", "3", "--class-size", "10", "--parents", "5", "--letters", "5", "--requests", "3",
                      "--window", "3", "--quiet-wait", "0"],
}


def test_every_benchmark_is_listed_here():
    assert sorted(p.name for p in (ROOT / "bench").glob("bench_*.py")) == sorted(SMALL)


@pytest.mark.parametrize("script", sorted(SMALL))
def test_benchmark_runs_to_the_end(script):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *SMALL[script]], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert re.search(r"ratio|speed-up", done.stdout), done.stdout  # its figure against the raw baseline
