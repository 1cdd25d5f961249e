"""Periodic sweeps of the monthly exports (месечни справки): the previous month's files, prepared once."""

from __future__ import annotations

import sqlalchemy as sa

from services.register.exports.monthly import prepare, previous_month
from services.register.models.exports import MonthlyExport
from services.register.models.school import School, SchoolYear
from shared.auth.principal import SYSTEM
from shared.runtime import ServiceRuntime


def prepare_scheduled(rt: ServiceRuntime) -> MonthlyExport | None:
    """Sweep: the previous month's exports, once per month (the unique key makes a second run a no-op).

    Prepared from the school's day of the month on (``SCHOOL_MONTHLY_EXPORT_DAY``, the 3rd), once
    class teachers have finalised the month. Nothing is prepared before the school and a school
    year covering the month are entered.
    """
    today = rt.clock.today()
    month = previous_month(today)
    if month is None or today.day < rt.settings.monthly_export_day:
        return None
    with rt.db.transaction() as s:
        if s.scalar(sa.select(MonthlyExport.id).where(MonthlyExport.schedule_key == month.key)) is not None:
            return None
        covered = s.scalar(sa.select(SchoolYear.id).where(SchoolYear.start <= month.last,
                                                          SchoolYear.end >= month.first))
        if covered is None or s.get(School, 1) is None:
            return None
        return prepare(s, rt, month, who=SYSTEM, schedule_key=month.key)
