"""The project's own sample annual plan, in the seed's layout with the seed's hazards (issue 21).

Written for the tests and for the demo school: no text of a real school's plan. Its deadlines give no
year, except „Учебна 2023/2024 година“, so the demo imports it for the current school year by putting
that year's label in place of 2023/2024.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE_PLAN = Path(__file__).resolve().parent / "annual_plan_sample.txt"
#: the school year the sample is written for
SAMPLE_SCHOOL_YEAR = "2023/2024"


def sample_plan_for(school_year: str) -> str:
    """The sample's text for another school year ("2026/2027")."""
    return SAMPLE_PLAN.read_text(encoding="utf-8").replace(SAMPLE_SCHOOL_YEAR, school_year)
