"""The demo school's annual plan (годишен план на демонстрационното училище).

``schoolctl up --demo`` imports the project's sample plan (:mod:`services.planning.plans.samples`)
for the school year that holds today, so a newcomer sees a plan whose autumn activities are
already overdue, undated rows among them. An existing plan of that year is never overwritten.
"""

from __future__ import annotations

import sqlalchemy as sa

from services.planning.models import TABLES, Plan
from services.planning.plans import preview
from services.planning.plans.samples import sample_plan_for
from shared.auth.principal import Principal
from shared.runtime import ServiceRuntime

#: who the import is audited as when the register's director has not reached planning yet
DEMO_IMPORTER = Principal(id=0, name="демонстрационни данни", role="director")
FILENAME = "годишен-план-образец.txt"


def load(rt: ServiceRuntime) -> list:
    """Import the sample plan for the current school year; no accounts to show (the register has them)."""
    today = rt.clock.today()
    first = today.year if today.month >= 9 else today.year - 1  # September starts a school year
    label = f"{first}/{first + 1}"
    with rt.db.sessions() as s:
        if s.scalar(sa.select(Plan.id).where(Plan.school_year == label)) is not None:
            return []
        director = s.scalar(sa.select(TABLES.principal).where(TABLES.principal.role == "director")
                            .order_by(TABLES.principal.id).limit(1))
        who = Principal(id=director.id, name=director.name, role="director") if director else DEMO_IMPORTER
    data = sample_plan_for(label).encode("utf-8")
    preview.import_plan(rt, who, data, FILENAME, label)
    return []
