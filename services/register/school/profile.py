"""The school's own data (данни за училището): the letterhead and the НЕИСПУО code, one row."""

from __future__ import annotations

from typing import Any

from services.register.models import TABLES
from services.register.models.school import School
from services.register.school.schemas import SchoolSchema
from shared import audit
from shared.auth.principal import Principal
from shared.runtime import ServiceRuntime


def save_school(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """Create or replace the school's row; announce it to the other services and audit the change."""
    with rt.db.transaction() as s:
        school = s.get(School, 1)
        before = None
        if school is None:
            school = School(id=1, **data)
            s.add(school)
        else:
            before = SchoolSchema().dump(school)
            for key, value in data.items():
                setattr(school, key, value)
        rt.publish(s, "register.school_saved", dict(data))
        audit.record(s, TABLES, who, "school.save", "school", 1, before=before, after=data)
    return data
