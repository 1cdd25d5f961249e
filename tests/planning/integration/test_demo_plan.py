"""The demo school's plan (issue 21, item 4): the project's sample plan, with overdue activities to see."""

from __future__ import annotations

import pytest

from services.planning.demo import FILENAME


@pytest.mark.backend("embedded")
def test_demo_imports_the_sample_plan_once_with_overdue_activities(process, api):
    planning = process.runtime("planning")
    assert planning.definition.load_demo(planning) == []
    plans = api.get("/api/planning/plans").json
    assert [(p["school_year"], p["source_filename"], p["activities"]) for p in plans] == [
        ("2023/2024", FILENAME, 22)]
    activities = api.get(f"/api/planning/plans/{plans[0]['id']}/activities").json
    statuses = {a["status"] for a in activities}
    assert {"overdue", "needs_date"} <= statuses
    overdue = api.get("/api/planning/overdue").json
    assert any(item["kind"] == "activity" for item in overdue)
    # loaded again: the plan is kept as it is, not imported a second time
    assert planning.definition.load_demo(planning) == []
    assert api.get("/api/planning/plans").json[0]["imports"] == 1
