"""The report on the students at risk of dropping out (Чл. 97, т. 17) is the register's duty per class only.

The register opens ``dropout_report:{period}:{class}`` with the students named and closes it when
reported; the catalogue's generic D13 beside it was a duplicate nothing closed. The catalogue no
longer opens it, and the sweep cancels a D13 it opened before (audited).
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.planning.models import TABLES, Procedure
from services.planning.procedures import duties
from services.planning.procedures.store import CATALOGUE, upsert_procedure
from services.planning.tracking import sweeps
from tests.support.school import SCHOOL, YEAR

#: Within 30 days of 02.01.2024, a month before the first term ends (02.02.2024): D13's old lead time.
TODAY = dt.date(2023, 12, 20)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def _procedures(planning) -> dict[str, str]:
    with planning.db.sessions() as s:
        return {row.key: row.status for row in s.scalars(sa.select(Procedure))}


def test_the_catalogue_no_longer_opens_a_generic_dropout_report_chl_97_t_17(api, process):
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    api.drain()
    planning = process.runtime("planning")
    assert "D13" not in {duty.code for duty in duties.DUTIES}
    assert duties.RETIRED == {"D13": "Чл. 97, т. 17"}
    with planning.db.sessions() as s:  # planning has the year's terms: the old D13 would open today
        assert duties.school_year_of(s, TODAY).name == "2023/2024"
    sweeps.run(planning)
    opened = _procedures(planning)
    assert not [key for key in opened if key.startswith("D13:")]
    assert opened == {"D59:2023-12": "open"}  # the catalogue's other duties still open (Чл. 20, ал. 3)


def test_a_d13_opened_before_is_cancelled_by_the_sweep_and_audited(api, process):
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    api.drain()
    planning = process.runtime("planning")
    with planning.db.transaction() as s:  # as the catalogue opened it before the register announced it per class
        upsert_procedure(s, source=CATALOGUE, key="D13:2023/2024:1", due=dt.date(2024, 1, 2),
                         title="Доклад за учениците в риск от отпадане преди края на 1. срок на 2023/2024 г.",
                         responsible_roles=["class_teacher"], article="Чл. 97, т. 17")
        # the register's own duty for a class stays as it is
        upsert_procedure(s, source="register", key="dropout_report:2023/2024:1:10а", due=dt.date(2024, 1, 2),
                         title="Доклад до директора за застрашените от отпадане ученици от 10а клас",
                         responsible_roles=["class_teacher"], article="Чл. 97, т. 17", class_code="10а")
    sweeps.run(planning)
    sweeps.run(planning)  # safe to run twice
    after = _procedures(planning)
    assert after["D13:2023/2024:1"] == "cancelled"
    assert after["dropout_report:2023/2024:1:10а"] == "open"
    audit = TABLES.audit.__table__
    with planning.db.sessions() as s:
        cancelled = s.execute(sa.select(audit.c.entity_id, audit.c.after).where(
            audit.c.action == "procedure.cancel")).all()
    assert len(cancelled) == 1
    assert "Чл. 97, т. 17" in cancelled[0].after["reason"]
