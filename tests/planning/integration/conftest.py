"""Planning runs with a fixed today (SCHOOL_TODAY=2023-12-01, the issue's example) and the real seed plan."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest

from tests.planning.unit.test_planning_docx import seed_docx

TODAY = dt.date(2023, 12, 1)
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "annual_plan_2023_2024.txt"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def seed_docx_bytes(seed_bytes) -> bytes:
    return seed_docx(seed_bytes.decode("utf-8"))


def upload(api, data: bytes, filename: str, school_year: str | None = "2023/2024"):
    form: dict = {"file": (BytesIO(data), filename)}
    if school_year is not None:
        form["school_year"] = school_year
    return api.request("POST", "/api/planning/plans/import", data=form)


@pytest.fixture
def imported(api, seed_bytes) -> dict:
    """The seed plan imported by the director: the import's answer."""
    answer = upload(api, seed_bytes, "godishen-plan.txt")
    assert answer.status_code == 201, answer.json
    return answer.json


def by_name(activities: list[dict]) -> dict[str, dict]:
    """Activities by "<priority>/<number>"; II/1.9 occurs twice, the second is "II/1.9#2"."""
    named: dict[str, dict] = {}
    for activity in activities:
        name = f"{activity['priority']}/{activity['number']}"
        named[name if name not in named else f"{name}#2"] = activity
    return named
