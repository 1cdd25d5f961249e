"""The demo school's grades and its sanction procedures, one in each state (issue 4, item 7)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.register.models.assessment import Grade
from services.register.models.sanctions import SanctionRecord
from tests.conftest import drain


@pytest.mark.backend("embedded")
def test_demo_school_has_grades_and_a_procedure_in_each_state(process, api, backend):
    register = process.runtime("register")
    register.definition.load_demo(register)
    with register.db.sessions() as s:
        grades = s.scalar(sa.select(sa.func.count(Grade.id)))
        ids = s.scalars(sa.select(SanctionRecord.id).order_by(SanctionRecord.id)).all()
        student = s.scalar(sa.select(Grade.student_id).order_by(Grade.id))
    assert grades > 1000
    states = [api.get(f"/api/register/sanctions/{i}").json["state"] for i in ids]
    assert states == ["proposal", "parent_notified", "hearing", "decision", "order", "letter", "ruo_informed",
                      "in_force", "erased"]
    view = api.get(f"/api/register/students/{student}/grades").json
    assert any(subject["current"] for subject in view.values())
    # two months of a 300-student school go through every service: more than the usual half minute
    drain(process, timeout=240)
