"""The declared table of event types: name, version, schema, producer and subscribers."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping

from marshmallow import Schema

from shared.messages import events


class UnknownEventError(KeyError):
    """An event type that no contract declares; it is never published or handled."""


class UnknownVersionError(ValueError):
    """An event of a version this code cannot read (newer than it, or older than its upgrades)."""


@dataclasses.dataclass(frozen=True)
class EventType:
    name: str
    version: int
    schema: type[Schema]
    producer: str
    #: Services whose ``<service>`` queue receives this event.
    subscribers: tuple[str, ...]
    doc: str
    #: ``{older version: function turning its payload into the current version's}``.
    upgrades: Mapping[int, Callable[[dict], dict]] = dataclasses.field(default_factory=dict)
    #: Who may sign in: relayed before any other row and sent to each subscriber's ``<service>_identity``
    #: queue, which a worker of its own consumes, so no backlog of other work delays it.
    urgent: bool = False

    def load(self, payload: dict, version: int | None = None) -> dict:
        """Validate and deserialise a payload of ``version`` (default: the current one) as the current one.

        Raises marshmallow's ValidationError, or UnknownVersionError for a version it cannot read.
        """
        if version is not None and version != self.version:
            upgrade = self.upgrades.get(version)
            if upgrade is None:
                raise UnknownVersionError(f"{self.name} v{version}: this code reads v{self.version}"
                                          f"{''.join(f', v{v}' for v in sorted(self.upgrades))}")
            payload = upgrade(payload)
        return _schema(self.schema).load(payload)

    def errors(self, payload: dict) -> dict:
        """marshmallow's errors for a current-version payload, ``{}`` when it is valid."""
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
        urgent=True,
    ),
    EventType(
        "identity.session_ended", 1, events.SessionEndedSchema, "register",
        ("documents", "notifications", "planning"),
        "A web session was signed out; every service refuses its cookie from now on.",
        urgent=True,
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
        "register.absence_recorded", 2, events.AbsenceRecordedSchema, "register",
        ("notifications", "documents", "planning"),
        "Absence marks for one lesson were committed (one event per lesson, all its marks).",
        upgrades={1: events.absence_recorded_v1_to_v2},
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
        ("notifications", "planning", "register"),
        "A document was generated and can be downloaded (the register records its parents' notices' numbers).",
    ),
    EventType(
        "documents.document_failed", 1, events.DocumentFailedSchema, "documents",
        ("notifications", "planning"),
        "A document could not be drawn up, for good (its data do not fill the template, or the render failed); "
        "the requester shows why and lets it be asked for again.",
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
        ("notifications", "documents"),
        "A student was removed from a lesson or from school (Чл. 52, ал. 2–3); the parent is to be told, "
        "documents draws up the advance notice of a removal from school (L16).",
    ),
    EventType(
        "register.monthly_exports_ready", 1, events.MonthlyExportsReadySchema, "register",
        ("notifications", "documents"),
        "The month's exports were prepared: the office is told, documents draws up the ЗАС lists per class.",
    ),
    EventType(
        "register.timetable_changed", 1, events.TimetableChangedSchema, "register",
        ("documents",),
        "A one-day timetable change was recorded (Чл. 114): documents draws up the day's deviation order.",
    ),
    EventType(
        "register.term_timetables", 1, events.TermTimetablesSchema, "register",
        ("documents",),
        "A weekly timetable was saved: the term's timetables, for the approval order (Чл. 113, ал. 3).",
    ),
    EventType(
        "register.term_class_works", 1, events.TermClassWorksSchema, "register",
        ("documents",),
        "A class or test paper was scheduled: the term's schedule, for its approval order (Чл. 136, ал. 2).",
    ),
    EventType(
        "register.dropout_report_due", 1, events.DropoutReportDueSchema, "register",
        ("notifications", "documents"),
        "A class's students at risk of dropping out (Чл. 97, т. 17): documents draws up the class teacher's "
        "report and the letters, the parents are told.",
    ),
    EventType(
        "register.student_deregistered", 1, events.StudentDeregisteredSchema, "register",
        ("documents",),
        "The director deregistered a student (Чл. 25, ал. 4); documents draws up the notices of Чл. 25, ал. 5.",
    ),
    EventType(
        "register.absences_finalised", 1, events.AbsencesFinalisedSchema, "register",
        ("planning",),
        "The class teacher finalised the class's absences up to a day (Чл. 97, т. 9): its D05 duties close.",
    ),
)


#: The events of the identity lane (:attr:`EventType.urgent`), for the relay's first pass.
URGENT_EVENTS: frozenset[str] = frozenset(name for name, etype in EVENT_TYPES.items() if etype.urgent)


def event_type(name: str) -> EventType:
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise UnknownEventError(name) from None
