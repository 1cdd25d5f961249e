"""The test runs' own Redis databases: a second run on the machine never gets the database this one
flushes before each test (``tests/support/redis_database.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
PICK = "from tests.support.redis_database import own_database_url; print(own_database_url())"


def test_a_second_run_on_the_machine_takes_another_database_and_it_is_free_again_when_that_run_ends():
    env = {k: v for k, v in os.environ.items() if k != "TEST_REDIS_URL"}

    def another_run() -> str:
        done = subprocess.run([sys.executable, "-c", PICK], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=60, check=True)
        return done.stdout.strip()

    first, second = another_run(), another_run()
    assert first.startswith("redis://127.0.0.1:6379/")
    assert first != REDIS_URL or "TEST_REDIS_URL" in os.environ  # this run holds its own (unless told one)
    assert second == first  # the first run ended: its database is free for the next
