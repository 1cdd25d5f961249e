"""The register's tables (таблици на дневника), one module per feature, all on one ``Base``.

Every model module is imported here, so ``Base.metadata`` holds every register table (one
migration history for all of them) whichever module a caller imports first.
"""

from __future__ import annotations

from services.register.models import (
    absences,
    assessment,
    dropout,
    exams,
    exports,
    people,
    sanctions,
    school,
    timetable,
)
from services.register.models.base import TABLES, Base

__all__ = ["TABLES", "Base", "absences", "assessment", "dropout", "exams", "exports", "people", "sanctions",
           "school", "timetable"]
