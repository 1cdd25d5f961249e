"""The real seeds (``../shared/seeds`` beside the repository): there in CI, not on a fresh clone.

Tests that check the importer against the real plan are marked ``seed``; without the seeds they are
deselected at collection with a line saying why (``tests/conftest.py``), never skipped or errored.
``SCHOOL_SEEDS_DIR`` points elsewhere (or nowhere, to check that the suite stands on its own).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the annual plan of a real school (spec annual-plan.md)
SEED_PLAN_NAME = "000_2d890a4ac7235a0d.txt"


def seeds_dir() -> Path:
    return Path(os.environ.get("SCHOOL_SEEDS_DIR") or ROOT.parent / "shared" / "seeds")


def seed_plan() -> Path:
    return seeds_dir() / SEED_PLAN_NAME
