"""The declared table of event types: name, version, schema, producer and subscribers."""

from __future__ import annotations

import dataclasses
import functools

from marshmallow import Schema

from shared.messages import events


class UnknownEventError(KeyError):
    """An event type that no contract declares; it is never published or handled."""


@dataclasses.dataclass(frozen=True)
class EventType:
    name: str
    version: int
    schema: type[Schema]
    producer: str
    #: Services whose ``<service>`` queue receives this event.
    subscribers: tuple[str, ...]
    doc: str

    def load(self, payload: dict) -> dict:
        """Validate and deserialise a payload (raises marshmallow's ValidationError)."""
        return _schema(self.schema).load(payload)

    def errors(self, payload: dict) -> dict:
        return _schema(self.schema).validate(payload)


@functools.cache
def _schema(cls: type[Schema]) -> Schema:
    # Schema instances are stateless for load/validate; building one per message is expensive.
    return cls()


def _declare(*types: EventType) -> dict[str, EventType]:
    return {t.name: t for t in types}


#: Every cross-service event.  Adding a subscriber here is how a service starts listening.
EVENT_TYPES: dict[str, EventType] = _declare(
    EventType(
        "identity.user_saved", 1, events.UserSavedSchema, "register",
        ("documents", "notifications", "planning"),
        "A user was created or changed; carries role, scopes and token digests for the replicas.",
    ),
    EventType(
        "register.school_saved", 1, events.SchoolSavedSchema, "register",
        ("documents", "notifications", "planning"),
        "The school's identity (letterhead, НЕИСПУО code) changed.",
    ),
    EventType(
        "register.school_year_saved", 1, events.SchoolYearSavedSchema, "register",
        ("documents", "notifications", "planning"),
        "A school year and its calendar were entered; school-day deadlines are computed from it.",
    ),
    EventType(
        "register.student_saved", 1, events.StudentSavedSchema, "register",
        ("notifications", "documents"),
        "A student and their guardians were registered or changed.",
    ),
    EventType(
        "register.absence_recorded", 1, events.AbsenceRecordedSchema, "register",
        ("notifications", "documents", "planning"),
        "Absence marks for one lesson were committed.",
    ),
    EventType(
        "register.rule_fired", 1, events.RuleFiredSchema, "register",
        ("notifications", "documents", "planning"),
        "A rulebook rule fired for a student (once per student, rule, threshold and period).",
    ),
    EventType(
        "register.sanction_step_done", 1, events.SanctionStepDoneSchema, "register",
        ("notifications", "documents", "planning"),
        "A step of a sanction procedure was completed (documents draws up the order or letter).",
    ),
    EventType(
        "procedure.deadline_set", 1, events.DeadlineSetSchema, "register",
        ("planning", "notifications", "documents"),
        "A procedural step got a deadline (sanction steps, monthly reports, …).",
    ),
    EventType(
        "procedure.deadline_closed", 1, events.DeadlineClosedSchema, "register",
        ("planning",),
        "A procedural step was completed in its own service.",
    ),
    EventType(
        "documents.document_ready", 1, events.DocumentReadySchema, "documents",
        ("notifications", "planning"),
        "A document was generated and can be downloaded.",
    ),
    EventType(
        "documents.document_requested", 1, events.DocumentRequestedSchema, "notifications",
        ("documents",),
        "Another service asks documents to generate a document (e.g. a paper letter).",
    ),
    EventType(
        "planning.reminder_due", 1, events.ReminderDueSchema, "planning",
        ("notifications",),
        "A plan item or procedure is due soon or overdue; its responsible people are reminded.",
    ),
    EventType(
        "register.student_removed", 1, events.StudentRemovedSchema, "register",
        ("notifications",),
        "A student was removed from a lesson or from school (Чл. 52, ал. 2–3); the parent is to be told.",
    ),
    EventType(
        "register.monthly_exports_ready", 1, events.MonthlyExportsReadySchema, "register",
        ("notifications", "documents"),
        "The month's exports were prepared: the office is told, documents draws up the ЗАС lists per class.",
    ),
)


def event_type(name: str) -> EventType:
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise UnknownEventError(name) from None
