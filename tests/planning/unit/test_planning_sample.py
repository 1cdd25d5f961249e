"""The project's own sample plan in the seed's layout (issue 21, item 4): the seed's hazards, everywhere.

The checks of ``test_planning_acceptance.py`` need the real seed; these stand on the repository alone.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from services.planning.plans.rules import DeadlineKind, DeadlineStatus, ParsedPlan, parse_plan_text
from services.planning.plans.samples import SAMPLE_PLAN, sample_plan_for


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_plan_text(SAMPLE_PLAN.read_text(encoding="utf-8"), school_year_start=2023)


def _named(plan: ParsedPlan) -> dict:
    named: dict = {}
    for activity in plan.activities:
        name = f"{activity.priority}/{activity.number}"
        named[name if name not in named else f"{name}#2"] = activity
    return named


def test_every_activity_of_every_priority(plan: ParsedPlan) -> None:
    assert plan.declared_school_year == "2023/2024"
    assert len(plan.activities) == 22
    assert Counter(a.priority for a in plan.activities) == {"I": 9, "II": 7, "III": 6}
    assert [len(area.goals) for area in plan.priorities] == [2, 2, 1]
    assert all(len(goal.measures) == 1 for goal in plan.goals)
    assert plan.unparsed == ()


def test_the_seed_hazards_are_read(plan: ParsedPlan) -> None:
    named = _named(plan)
    # a sub-activity under its group, and "1.2.." numbered as 1.2
    assert named["I/1.1.2"].parent_key == named["I/1.1"].key
    assert (named["I/1.2"].number_raw, named["I/1.2"].level) == ("1.2..", 1)
    # a deadline cut by a page break: "До края на" / "ноември"
    assert named["I/1.2"].deadline.due == date(2023, 11, 30)
    # the text cut by a page break continues the activity
    assert named["II/1.4"].text.endswith("в XII клас с участие на работодателите.")
    # PDF debris in a deadline, and two paragraphs making a composite deadline
    assert (named["I/2.2"].deadline.text, named["I/2.2"].deadline.due) == ("Септември – октомври", date(2023, 10, 31))
    composite = named["I/2.1"].deadline
    assert (composite.kind, composite.due, composite.milestones) == (
        DeadlineKind.COMPOSITE, date(2024, 6, 30), (date(2024, 5, 15),))
    assert len(named["I/2.1"].indicators) == 2
    # a duplicate number is kept twice, with a warning
    assert named["I/2.2#2"].text == "Анкета за удовлетвореността на родителите."
    assert "duplicate_number" in {w.code for w in plan.warnings}
    # references are not dates; a group row has no deadline at all
    assert [n for n, a in named.items() if a.deadline.status is DeadlineStatus.NEEDS_DATE] == [
        "I/1.1.1", "II/1.3", "III/1.2"]
    assert named["I/1.1"].deadline.kind is DeadlineKind.NONE


def test_the_sample_for_another_school_year_dates_its_deadlines_in_that_year() -> None:
    plan = parse_plan_text(sample_plan_for("2026/2027"), school_year_start=2026)
    assert plan.declared_school_year == "2026/2027"
    assert not [w for w in plan.warnings if w.code in ("school_year_mismatch", "deadline_before_year")]
    named = _named(plan)
    assert named["I/1.3"].deadline.due == date(2026, 9, 25)
    assert named["III/1.5"].deadline.due == date(2027, 6, 30)
