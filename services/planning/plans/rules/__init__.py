"""Pure rules of the planning service: reading the annual plan (годишен план за дейността) import.

Nothing here touches Flask, the database, the broker or the environment: the importer takes the
plan's text or the bytes of a .docx and gives back frozen dataclasses, so the HTTP API, the workers
and the tests share the same functions. The public entry points are re-exported here.
"""

from __future__ import annotations

from services.planning.plans.rules.deadlines import resolve_deadline
from services.planning.plans.rules.importer import (
    PlanFormatError,
    parse_plan_docx,
    parse_plan_text,
    parse_plan_upload,
)
from services.planning.plans.rules.model import (
    Activity,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Goal,
    Indicator,
    Measure,
    ParsedPlan,
    PlanWarning,
    PriorityArea,
    Responsible,
    SchoolYear,
    SourceRef,
    Unit,
    UnitKind,
    Value,
    ValueKind,
)
from services.planning.plans.rules.parties import RESPONSIBLE_PARTIES, SYSTEM_ROLES, ResponsibleParty
from services.planning.plans.rules.responsible import normalise_responsible, parse_responsible
from services.planning.plans.rules.values import parse_unit, parse_value

__all__ = [
    "RESPONSIBLE_PARTIES",
    "SYSTEM_ROLES",
    "Activity",
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "Goal",
    "Indicator",
    "Measure",
    "ParsedPlan",
    "PlanFormatError",
    "PlanWarning",
    "PriorityArea",
    "Responsible",
    "ResponsibleParty",
    "SchoolYear",
    "SourceRef",
    "Unit",
    "UnitKind",
    "Value",
    "ValueKind",
    "normalise_responsible",
    "parse_plan_docx",
    "parse_plan_text",
    "parse_plan_upload",
    "parse_responsible",
    "parse_unit",
    "parse_value",
    "resolve_deadline",
]
