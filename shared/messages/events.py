"""Payload schemas of every cross-service event.

A new incompatible payload gets a new version; the registry keeps a function that turns each older
version into the current one, so an event still in a queue or an outbox when a school upgrades is
handled, not dead-lettered.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.auth.roles import ROLES


class UserSavedSchema(Schema):
    user_id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    class_codes = fields.List(fields.String(), load_default=list)
    student_ids = fields.List(fields.Integer(), load_default=list)
    email = fields.String(allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)
    token_hashes = fields.List(fields.String(validate=validate.Length(equal=64)), load_default=list)
    #: A one-time password waits to be changed: every service's API refuses all but the change.
    must_change_password = fields.Boolean(load_default=False)
    #: Sessions signed in before this moment are over („Нова парола“); None: no such moment.
    sessions_from = fields.AwareDateTime(allow_none=True, load_default=None)


class SessionEndedSchema(Schema):
    user_id = fields.Integer(required=True)
    #: SHA-256 of the session id the cookie carries (``shared.web.session``).
    session_digest = fields.String(required=True, validate=validate.Length(equal=64))
    #: After this moment no copy of the cookie can be valid any more (its signature has expired),
    #: so the revocation may be forgotten.
    expires_at = fields.AwareDateTime(required=True)


class SchoolSavedSchema(Schema):
    name = fields.String(required=True)
    neispuo_code = fields.String(required=True)
    address = fields.String(load_default="")
    town = fields.String(load_default="")
    director_name = fields.String(load_default="")
    phone = fields.String(load_default="")
    email = fields.String(load_default="")


class DateRangePayload(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class SchoolYearSavedSchema(Schema):
    """A school year's calendar (terms, vacations, non-school days); deadlines are computed from it."""

    school_year_id = fields.Integer(required=True)
    name = fields.String(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    terms = fields.List(fields.Nested(DateRangePayload), required=True)
    vacations = fields.List(fields.Nested(DateRangePayload), load_default=list)
    non_school_days = fields.List(fields.Date(), load_default=list)
    declared_working_days = fields.List(fields.Date(), load_default=list)
    #: The last day of classes of grades that finish early, ``{"12": date}`` (XII in May).
    classes_end = fields.Dict(keys=fields.String(), values=fields.Date(), load_default=dict)


class GuardianSchema(Schema):
    guardian_id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(allow_none=True, load_default=None)
    phone = fields.String(allow_none=True, load_default=None)
    #: The postal address for a letter on paper; added later, so an older event has none.
    address = fields.String(allow_none=True, load_default=None)


class StudentSavedSchema(Schema):
    student_id = fields.Integer(required=True)
    first_name = fields.String(required=True)
    middle_name = fields.String(load_default="")
    last_name = fields.String(required=True)
    class_code = fields.String(required=True)
    guardians = fields.List(fields.Nested(GuardianSchema), load_default=list)
    active = fields.Boolean(load_default=True)


class AbsenceMarkPayload(Schema):
    absence_id = fields.Integer(required=True)
    student_id = fields.Integer(required=True)
    student_name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("unexcused", "excused", "late")))


class AbsenceRecordedSchema(Schema):
    """Version 2: one event per lesson, with every mark of it (version 1 carried one mark)."""

    class_code = fields.String(required=True)
    date = fields.Date(required=True)
    lesson = fields.Integer(required=True)
    subject = fields.String(required=True)
    marks = fields.List(fields.Nested(AbsenceMarkPayload), required=True, validate=validate.Length(min=1))


def absence_recorded_v1_to_v2(payload: dict) -> dict:
    """A version-1 event (one mark) as a version-2 lesson with that one mark."""
    lesson = {key: payload.get(key) for key in ("class_code", "date", "lesson", "subject")}
    mark = {key: payload.get(key) for key in ("absence_id", "student_id", "student_name", "kind")}
    return {**lesson, "marks": [mark]}


class RuleFiredSchema(Schema):
    firing_id = fields.Integer(required=True)
    student_id = fields.Integer(required=True)
    student_name = fields.String(required=True)
    class_code = fields.String(required=True)
    rule_id = fields.String(required=True)
    article = fields.String(required=True)
    action = fields.String(required=True)
    threshold = fields.Float(required=True)
    count = fields.Float(required=True)
    period = fields.String(required=True)
    urgent = fields.Boolean(load_default=False)
    details = fields.Dict(load_default=dict)


class DeadlineSetSchema(Schema):
    source = fields.String(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)
    due = fields.Date(required=True)
    responsible_roles = fields.List(fields.String(), load_default=list)
    article = fields.String(load_default="")
    student_id = fields.Integer(allow_none=True, load_default=None)
    details = fields.Dict(load_default=dict)


class DeadlineClosedSchema(Schema):
    source = fields.String(required=True)
    key = fields.String(required=True)
    done_on = fields.Date(required=True)


class DocumentReadySchema(Schema):
    document_id = fields.Integer(required=True)
    template = fields.String(required=True)
    number = fields.String(allow_none=True, load_default=None)
    source_event_id = fields.String(allow_none=True, load_default=None)
    student_id = fields.Integer(allow_none=True, load_default=None)
    #: A letter notifications sends on to the parents (the notice before the ЗАС list, L7): its
    #: context as rendered, number included, so a paper copy is the same letter; None for the rest.
    letter = fields.Dict(allow_none=True, load_default=None)


class DocumentFailedSchema(Schema):
    """A document that failed for good: the requester matches ``source_event_id`` as for document_ready."""

    document_id = fields.Integer(allow_none=True, load_default=None)
    template = fields.String(required=True)
    source_event_id = fields.String(allow_none=True, load_default=None)
    student_id = fields.Integer(allow_none=True, load_default=None)
    #: Why, in Bulgarian, for the people who asked (the fields the data could not fill, the render's error).
    reason = fields.String(required=True)


class DocumentRequestedSchema(Schema):
    template = fields.String(required=True)
    context = fields.Dict(required=True)
    reason = fields.String(load_default="")
    student_id = fields.Integer(allow_none=True, load_default=None)
    #: The document is a letter to print and post (a paper fallback): the day's print set takes it.
    on_paper = fields.Boolean(load_default=False)


class ReminderDueSchema(Schema):
    item_kind = fields.String(required=True)
    item_id = fields.String(required=True)
    title = fields.String(required=True)
    due = fields.Date(required=True)
    state = fields.String(required=True, validate=validate.OneOf(("due_soon", "due_today", "overdue")))
    responsible_roles = fields.List(fields.String(), load_default=list)
    responsible_user_ids = fields.List(fields.Integer(), load_default=list)


class SanctionStepDoneSchema(Schema):
    """A step of a sanction procedure (Чл. 52–60) was completed in the register."""

    sanction_id = fields.Integer(required=True)
    student_id = fields.Integer(required=True)
    student_name = fields.String(required=True)
    class_code = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(
        ("remark", "warning_transfer", "transfer", "warning_self_study", "self_study")))
    step = fields.String(required=True)
    done_on = fields.Date(required=True)
    article = fields.String(required=True)
    proposed_on = fields.Date(required=True)
    reason = fields.String(load_default="")
    note = fields.String(load_default="")
    #: The next step and its deadline, if any (e.g. the order within 14 days of the proposal).
    next_step = fields.String(allow_none=True, load_default=None)
    next_due = fields.Date(allow_none=True, load_default=None)
    details = fields.Dict(load_default=dict)


class StudentRemovedSchema(Schema):
    """A student was removed from a lesson (Чл. 52, ал. 2) or from school (ал. 3); the parent is informed."""

    removal_id = fields.Integer(required=True)
    student_id = fields.Integer(required=True)
    student_name = fields.String(required=True)
    class_code = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("lesson", "school")))
    date = fields.Date(required=True)
    lesson = fields.Integer(allow_none=True, load_default=None)
    subject = fields.String(load_default="")
    reason = fields.String(required=True)
    article = fields.String(required=True)
    parent_informed = fields.Boolean(load_default=False)
    psychologist_informed = fields.Boolean(load_default=False)


class BenefitRowPayload(Schema):
    student_id = fields.Integer(required=True)
    name = fields.String(required=True)
    class_name = fields.String(required=True)
    unexcused = fields.Float(required=True)
    #: When the parents were told in writing before the list (their L7, Чл. 97, т. 15); None: not
    #: before the list's date (no notice yet, or one dated after it).
    parents_notified_on = fields.Date(allow_none=True, load_default=None)
    #: The L7's outgoing number (``318/20.10.2023``) and date, when one was sent, even after the list.
    notice_number = fields.String(allow_none=True, load_default=None)
    notice_sent_on = fields.Date(allow_none=True, load_default=None)


class MonthlyExportsReadySchema(Schema):
    """The month's НЕИСПУО file, ЗАС list and РУО report were prepared (Чл. 97, т. 10 и т. 15)."""

    export_id = fields.Integer(required=True)
    school_year = fields.Integer(required=True)
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    label = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("ready", "problems")))
    #: What keeps the НЕИСПУО file back, named by student (never with the ЕГН).
    problems = fields.List(fields.String(), load_default=list)
    submit_by = fields.Date(required=True)
    #: The school's threshold in words, e.g. „повече от 5“.
    criterion = fields.String(required=True)
    benefit = fields.List(fields.Nested(BenefitRowPayload), load_default=list)
    recipients = fields.List(fields.String(), load_default=list)


class TimetableChangePayload(Schema):
    class_code = fields.String(required=True)
    lesson = fields.Integer(required=True)
    #: Empty with ``cancelled``: the lesson is not held.
    subject = fields.String(load_default="")
    teacher = fields.String(load_default="")
    cancelled = fields.Boolean(load_default=False)
    ground = fields.Integer(required=True, validate=validate.OneOf((1, 2, 3)))
    circumstances = fields.String(required=True)


class TimetableChangedSchema(Schema):
    """A one-day change of the timetable was recorded (Чл. 114); carries all of that day's changes."""

    date = fields.Date(required=True)
    changes = fields.List(fields.Nested(TimetableChangePayload), required=True, validate=validate.Length(min=1))


class TermTimetableClassPayload(Schema):
    class_code = fields.String(required=True)
    valid_from = fields.Date(required=True)
    weekly_lessons = fields.Integer(required=True)


class TermTimetablesSchema(Schema):
    """The weekly timetables in force in a term (Чл. 113, ал. 3), every class; sent when one is saved."""

    school_year = fields.String(required=True)
    term = fields.Integer(required=True, validate=validate.OneOf((1, 2)))
    term_start = fields.Date(required=True)
    classes = fields.List(fields.Nested(TermTimetableClassPayload), required=True, validate=validate.Length(min=1))


class TermClassWorkPayload(Schema):
    class_code = fields.String(required=True)
    subject = fields.String(required=True)
    #: As printed: „класна работа“ or „контролна работа“.
    kind = fields.String(required=True)
    date = fields.Date(required=True)


class TermClassWorksSchema(Schema):
    """The term's schedule of class and test papers (Чл. 136), every class; sent when a paper is scheduled."""

    school_year = fields.String(required=True)
    term = fields.Integer(required=True, validate=validate.OneOf((1, 2)))
    term_start = fields.Date(required=True)
    works = fields.List(fields.Nested(TermClassWorkPayload), required=True, validate=validate.Length(min=1))


class AtRiskStudentPayload(Schema):
    """One student at risk of dropping out in the class teacher's report (Чл. 97, т. 17)."""

    student_id = fields.Integer(required=True)
    name = fields.String(required=True)
    unexcused = fields.Integer(required=True)
    #: Why the student is at risk, in words (the unexcused absences of the year so far).
    reasons = fields.String(required=True)
    #: What was done so far: the letters and programmes the rules fired before, with their dates.
    activities = fields.List(fields.String(), load_default=list)
    #: The letter to the parents as registered in the class register: ``10а-1/06.12.2026``.
    register_entry = fields.String(required=True)
    register_entry_date = fields.Date(required=True)


class DropoutReportDueSchema(Schema):
    """A class's students at risk of dropping out, one month before the term ends (Чл. 97, т. 17)."""

    class_code = fields.String(required=True)
    school_year = fields.String(required=True)
    term = fields.Integer(required=True, validate=validate.Range(min=1, max=2))
    #: The rule firing's period key, ``2023/2024/1``.
    period = fields.String(required=True)
    report_on = fields.Date(required=True)
    term_end = fields.Date(required=True)
    article = fields.String(required=True)
    students = fields.List(fields.Nested(AtRiskStudentPayload), required=True)


class StudentDeregisteredSchema(Schema):
    """The director deregistered a student (отписване, Чл. 25, ал. 4); his history stays in the register."""

    student_id = fields.Integer(required=True)
    student_name = fields.String(required=True)
    class_code = fields.String(required=True)
    ground = fields.String(required=True)
    article = fields.String(required=True)
    date = fields.Date(required=True)
    #: Under the compulsory school age on ``date``: the notices of Чл. 25, ал. 5 are due.
    compulsory_age = fields.Boolean(required=True)
    age = fields.Integer(required=True)
    #: The first day of the unexcused non-attendance (ground ``nonattendance``), if the register found one.
    nonattendance_since = fields.Date(allow_none=True, load_default=None)


class AbsencesFinalisedSchema(Schema):
    """The class teacher finalised (оформи) the class's absences in the register up to ``through`` (Чл. 97, т. 9)."""

    finalisation_id = fields.Integer(required=True)
    class_code = fields.String(required=True)
    through = fields.Date(required=True)
    finalised_by = fields.Integer(required=True)
    finalised_on = fields.Date(required=True)
