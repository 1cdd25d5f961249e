"""Who may do what (кой какво може): every operation of every service's API, by role and scope, declared once.

Each :class:`Rule` names one operation as its service's OpenAPI document spells it (method and path,
without the ``/api/<service>`` mount) and the answer each role gets when the request names a record
inside that role's own scope: a student of the class the class teacher leads, of the subject the
teacher teaches there, the parent's own child. The scoped cases (:class:`Scope`) are the same roles
one step outside it; a rule lists them only where their answer differs from their role's.

The role gates (``require_roles``) and the scope checks of the application code must agree with this
table: ``tests/platform/test_policy_matrix.py`` calls every operation as every role and scoped case
and fails on any difference, on an operation missing here, and on an entry without an operation.
The web pages join the same table by route, with the same roles and scopes for the same data, in
``shared/auth/page_policy.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from enum import StrEnum

from shared.auth.roles import MANAGEMENT, OFFICE, ROLES, TEACHERS


class Answer(StrEnum):
    """What a caller gets from an operation."""

    #: Neither 401 nor 403: the request goes on to its own checks (it may still be 404, 409 or 422).
    ALLOWED = "allowed"
    #: 403, and nothing is stored.
    REFUSED = "403"
    #: 404: the record exists, but outside the caller's scope it is as if it did not.
    HIDDEN = "404"


class Scope(StrEnum):
    """A user whose role would allow the operation but whose scope does not cover the record."""

    #: A class teacher (класен ръководител) of another class.
    OTHER_CLASS_TEACHER = "other_class_teacher"
    #: A teacher of the student's class who teaches another subject there.
    OTHER_SUBJECT_TEACHER = "other_subject_teacher"
    #: The parent of another child.
    OTHER_PARENT = "other_parent"


#: The role of each scoped case.
SCOPE_ROLES: Mapping[Scope, str] = {
    Scope.OTHER_CLASS_TEACHER: "class_teacher",
    Scope.OTHER_SUBJECT_TEACHER: "teacher",
    Scope.OTHER_PARENT: "parent",
}

#: Everybody who works at the school: all roles but the parents.
STAFF: tuple[str, ...] = tuple(role for role in ROLES if role != "parent")
#: Who reads a student's record: all roles but the IT administrator, who keeps the system, not the
#: students' files (Чл. 151: only staff authorised for the personal-data registers).
STUDENT_RECORD_READERS: tuple[str, ...] = tuple(role for role in ROLES if role != "it_admin")
#: Who reads a whole class's results and schedules: the management, the secretary, the psychologist
#: (Чл. 65, ал. 3, т. 23: reads the class and school documentation) and the class's teachers.
CLASS_READERS: tuple[str, ...] = (*OFFICE, "psychologist", *TEACHERS)

REFUSED_OUTSIDE = {Scope.OTHER_CLASS_TEACHER: Answer.REFUSED, Scope.OTHER_PARENT: Answer.REFUSED}


@dataclasses.dataclass(frozen=True)
class Rule:
    """One operation: who may call it, with the article of the правилник behind it where one applies."""

    service: str
    method: str
    path: str
    allowed: frozenset[str]
    #: Roles whose answer is 404: the record is not theirs, and they are not told it exists.
    hidden: frozenset[str] = frozenset()
    #: The scoped cases whose answer differs from their role's.
    scoped: Mapping[Scope, Answer] = dataclasses.field(default_factory=dict, hash=False)
    article: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.service, self.method, self.path

    def answer(self, role: str) -> Answer:
        if role in self.allowed:
            return Answer.ALLOWED
        return Answer.HIDDEN if role in self.hidden else Answer.REFUSED

    def scoped_answer(self, scope: Scope) -> Answer:
        return self.scoped.get(scope, self.answer(SCOPE_ROLES[scope]))


def _rule(service: str, operation: str, allowed: Iterable[str], *, hidden: Iterable[str] = (),
          scoped: Mapping[Scope, Answer] | None = None, article: str = "") -> Rule:
    method, path = operation.split(" ", 1)
    return Rule(service, method, path, frozenset(allowed), frozenset(hidden), dict(scoped or {}), article)


def _register(operation: str, allowed: Iterable[str], **kwargs) -> Rule:
    return _rule("register", operation, allowed, **kwargs)


def _documents(operation: str, allowed: Iterable[str], **kwargs) -> Rule:
    return _rule("documents", operation, allowed, **kwargs)


def _notifications(operation: str, allowed: Iterable[str], **kwargs) -> Rule:
    return _rule("notifications", operation, allowed, **kwargs)


def _planning(operation: str, allowed: Iterable[str], **kwargs) -> Rule:
    return _rule("planning", operation, allowed, **kwargs)


#: A student's record (absences, grades, sanctions): the parent their child's only (Чл. 64, ал. 5, т. 4:
#: nobody else's), a teacher the classes they teach, the office all of it, the IT administrator none.
_RECORD_READ = {"allowed": STUDENT_RECORD_READERS, "scoped": REFUSED_OUTSIDE, "article": "Чл. 151"}
_CLASS_READ = {"allowed": CLASS_READERS, "scoped": {Scope.OTHER_CLASS_TEACHER: Answer.REFUSED},
               "article": "Чл. 65, ал. 3, т. 23"}
_SUBJECT_TEACHER = {"allowed": ("teacher",), "scoped": {Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED}}

POLICY: tuple[Rule, ...] = (
    # register: the school, its year, classes and people (the office keeps the records, Чл. 151).
    _register("PUT /school", OFFICE),
    _register("POST /school-years", OFFICE),
    _register("GET /school-years", ROLES),
    _register("POST /classes", OFFICE),
    _register("POST /assignments", OFFICE),
    _register("POST /students/import", OFFICE, article="Чл. 151"),
    _register("POST /students", OFFICE, article="Чл. 151"),
    # The guardians' contacts and postal address (personal data): the office, the student's class
    # teacher and the student's own parents read them; the office and the class teacher correct them.
    _register("GET /students/{student_id}/guardians", (*OFFICE, "class_teacher", "parent"),
              scoped=REFUSED_OUTSIDE, article="Чл. 151"),
    _register("PUT /students/{student_id}/guardians/{guardian_id}", (*OFFICE, "class_teacher"),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 151"),
    _register("POST /login", ROLES),
    _register("POST /password", ROLES),
    _register("POST /logout", ROLES),
    # register: absences and excuses.
    # The lesson's teacher marks its absences (the class teacher only in the lessons they teach).
    _register("POST /absences", (*MANAGEMENT, "teacher"), scoped={Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED}),
    # A correction of a lesson's marks, within the school's edit window: who may mark the lesson may correct it.
    _register("POST /absences/corrections", (*MANAGEMENT, "teacher"),
              scoped={Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED}),
    _register("POST /absences/import", MANAGEMENT),
    _register("POST /excuses", ("class_teacher",), scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED},
              article="Чл. 97, т. 14"),
    # „Оформи седмицата“: the class teacher of the class finalises its absences (Чл. 97, т. 9).
    _register("POST /classes/{code}/absences/finalised", ("class_teacher",),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 9"),
    # The parent's application to excuse up to 3 school days (Чл. 61, ал. 1, т. 3): the parent of
    # the child submits, the class teacher decides (Чл. 97, т. 14); the record readers read.
    _register("POST /excuse-applications", ("parent",), scoped={Scope.OTHER_PARENT: Answer.REFUSED},
              article="Чл. 61, ал. 1, т. 3"),
    _register("GET /excuse-applications", **_RECORD_READ),
    _register("POST /excuse-applications/{application_id}/accept", ("class_teacher",),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    _register("POST /excuse-applications/{application_id}/refuse", ("class_teacher",),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    # The director's prior permission (Чл. 61, ал. 1, т. 4): the parent of the child applies before the
    # absence, the office records one handed in on paper; the director alone grants or refuses.
    _register("POST /director-permissions", ("parent", *OFFICE), scoped={Scope.OTHER_PARENT: Answer.REFUSED},
              article="Чл. 61, ал. 1, т. 4"),
    _register("GET /director-permissions", **_RECORD_READ),
    _register("POST /director-permissions/{permission_id}/grant", ("director",), article="Чл. 61, ал. 1, т. 4"),
    _register("POST /director-permissions/{permission_id}/refuse", ("director",), article="Чл. 61, ал. 1, т. 4"),
    # Scholarship holders (Чл. 26, ал. 1, т. 23): the office records them; the record readers read.
    _register("POST /students/{student_id}/scholarships", OFFICE, article="Чл. 26, ал. 1, т. 23"),
    _register("GET /students/{student_id}/scholarships", **{**_RECORD_READ, "article": "Чл. 26, ал. 1, т. 23"}),
    _register("POST /scholarships/{scholarship_id}/end", OFFICE, article="Чл. 26, ал. 1, т. 23"),
    _register("GET /students/{student_id}/absences/summary", **_RECORD_READ),
    _register("GET /rule-firings", **{**_RECORD_READ, "article": "Чл. 97, т. 8; Чл. 151"}),
    _register("GET /rule-firings/dry-run", OFFICE),
    # register: the weekly timetable, approved by the director each term (Чл. 113, ал. 3) and kept by
    # the office, with its one-day changes by the director's order (Чл. 114); read as the class's results.
    _register("PUT /classes/{code}/timetable", OFFICE, article="Чл. 113, ал. 3"),
    _register("GET /classes/{code}/timetable", **_CLASS_READ),
    _register("POST /classes/{code}/timetable/changes", OFFICE, article="Чл. 114"),
    # The lessons the register does not have: the management watches the register (Чл. 97, т. 9).
    _register("GET /lessons/unrecorded", MANAGEMENT, article="Чл. 97, т. 9"),
    # register: the monthly exports cover the whole school, so the office prepares them.
    _register("GET /exports/neispuo-absences", OFFICE, article="Чл. 97, т. 10"),
    _register("GET /exports/benefit-list.xlsx", OFFICE, article="Чл. 97, т. 15"),
    _register("GET /exports/ruo-report.xlsx", OFFICE),
    _register("POST /exports/monthly", OFFICE),
    _register("GET /exports/monthly", OFFICE),
    _register("GET /exports/monthly/{export_id}", OFFICE),
    _register("GET /exports/monthly/{export_id}/files/{kind}", OFFICE),
    _register("POST /exports/monthly/{export_id}/submitted", OFFICE),
    # register: assessment. The subject's teacher enters its grades personally (Чл. 139, ал. 1).
    _register("POST /grades", **_SUBJECT_TEACHER, article="Чл. 139, ал. 1"),
    _register("GET /students/{student_id}/grades", **_RECORD_READ),
    _register("PUT /students/{student_id}/assessment-regime", OFFICE, article="Чл. 129"),
    _register("POST /term-grades", **_SUBJECT_TEACHER, article="Чл. 139, ал. 2"),
    _register("POST /annual-grades", **_SUBJECT_TEACHER, article="Чл. 138"),
    _register("GET /students/{student_id}/final-grades", **_RECORD_READ),
    _register("POST /pe-exemptions", MANAGEMENT, article="Чл. 27"),
    _register("POST /class-works", (*MANAGEMENT, "teacher"), scoped={Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED},
              article="Чл. 136"),
    _register("GET /classes/{code}/class-works", **_CLASS_READ),
    _register("GET /classes/{code}/results", **_CLASS_READ),
    _register("GET /classes/{code}/term-exams", **_CLASS_READ),
    # register: exams. The director's office schedules them with their commissions (Чл. 143, ал. 4–8:
    # "по ред, определен със заповед на директора"); the commission enters the results (Чл. 126, ал. 1),
    # so any teacher or the psychologist may call, and one outside the exam's commission gets 403.
    _register("POST /exams", OFFICE, article="Чл. 137, ал. 4; Чл. 143, ал. 4–8"),
    _register("GET /exams", OFFICE, article="Чл. 143"),
    _register("GET /exams/{exam_id}", OFFICE, article="Чл. 143"),
    _register("POST /exams/{exam_id}/results", (*OFFICE, *TEACHERS, "psychologist"), article="Чл. 126, ал. 1"),
    # register: sanctions. A remark on the class teacher's proposal (Чл. 56, ал. 1), the steps by
    # their owners (Чл. 56–60), a removal from a lesson by its class's teachers (Чл. 52, ал. 2).
    _register("POST /sanctions", ("class_teacher",), scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED},
              article="Чл. 56, ал. 1"),
    _register("GET /sanctions", **_RECORD_READ),
    _register("GET /sanctions/{sanction_id}", **_RECORD_READ),
    # The step the requests name is ``in_force``, the class teacher's (the order is the director's, Чл. 58).
    _register("POST /sanctions/{sanction_id}/steps/{name}", (*MANAGEMENT, "class_teacher"),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 59, ал. 1"),
    _register("GET /students/{student_id}/sanction-suggestion", tuple(r for r in STAFF if r != "it_admin"),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 52, ал. 1"),
    _register("POST /students/{student_id}/removals", (*MANAGEMENT, *TEACHERS),
              scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 52, ал. 2"),
    # register: deregistration is the director's order (Чл. 25, ал. 4); the letters registered in the
    # class register (Чл. 97, т. 17) are read as the student's record.
    _register("POST /students/{student_id}/deregistration", ("director",), article="Чл. 25, ал. 4"),
    _register("GET /students/{student_id}/register-entries", **{**_RECORD_READ, "article": "Чл. 97, т. 17"}),
    # documents: the templates are the office's and the IT administrator's; documents the office's,
    # a class teacher reads their class's letters (Чл. 97, т. 14: keeps the copies).
    _documents("GET /templates", (*OFFICE, "it_admin", "class_teacher")),
    _documents("GET /templates/{key}/file", (*OFFICE, "it_admin")),
    _documents("POST /templates/{key}", (*OFFICE, "it_admin")),
    _documents("GET /templates/{key}/versions", (*OFFICE, "it_admin")),
    _documents("POST /templates/{key}/versions/{version}/restore", (*OFFICE, "it_admin")),
    _documents("POST /documents", OFFICE),
    _documents("GET /documents", OFFICE),
    _documents("POST /documents/batch", OFFICE),
    _documents("GET /documents/batches/{batch_id}", OFFICE),
    _documents("GET /documents/{document_id}", (*OFFICE, "class_teacher"),
               scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    _documents("GET /documents/{document_id}/file", (*OFFICE, "class_teacher"),
               scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    # Print sets: the office prints and posts the letters (the day's paper letters among them).
    _documents("POST /print-sets", OFFICE),
    _documents("GET /print-sets", OFFICE),
    _documents("GET /print-sets/{print_set_id}/file", OFFICE),
    # notifications: what went to a family, for the office, the class teacher of the child, the
    # psychologist (Чл. 97, т. 8: the ladder's letters) and the child's parent.
    _notifications("GET /deliveries", (*OFFICE, "class_teacher", "it_admin", "psychologist", "parent"),
                   scoped=REFUSED_OUTSIDE, article="Чл. 97, т. 8, т. 14"),
    _notifications("GET /inbox", ROLES),
    _notifications("POST /inbox/{delivery_id}/read", ("parent",), hidden=STAFF,
                   scoped={Scope.OTHER_PARENT: Answer.HIDDEN}),
    _notifications("PUT /guardians/{guardian_id}/preferences", (*OFFICE, "parent"),
                   scoped={Scope.OTHER_PARENT: Answer.REFUSED}),
    # planning: the school's plan is the staff's; the management imports it and reports on it
    # (Чл. 10, ал. 7), its responsible people record their progress (here: an activity of the teachers).
    _planning("GET /overdue", STAFF),
    _planning("GET /dashboard", STAFF),
    _planning("POST /plans/import", MANAGEMENT, article="Чл. 10, ал. 7"),
    _planning("POST /plans/preview", MANAGEMENT, article="Чл. 10, ал. 7"),
    _planning("GET /plans", STAFF),
    _planning("GET /plans/{plan_id}", STAFF),
    _planning("GET /plans/{plan_id}/activities", STAFF),
    _planning("GET /activities/{activity_id}", STAFF),
    _planning("PATCH /activities/{activity_id}", (*MANAGEMENT, *TEACHERS), article="Чл. 10, ал. 7"),
    _planning("GET /activities/{activity_id}/history", STAFF),
    _planning("POST /activities/{activity_id}/evidence", (*MANAGEMENT, *TEACHERS), article="Чл. 10, ал. 7"),
    _planning("GET /activities/{activity_id}/evidence/{evidence_id}/file", STAFF),
    _planning("POST /plans/{plan_id}/report", MANAGEMENT, article="Чл. 10, ал. 7"),
    _planning("GET /plans/{plan_id}/reports", MANAGEMENT, article="Чл. 10, ал. 7"),
)


def policy_by_operation() -> dict[tuple[str, str, str], Rule]:
    """The table keyed by (service, method, OpenAPI path); a duplicate entry is a mistake in the table."""
    found: dict[tuple[str, str, str], Rule] = {}
    for rule in POLICY:
        if rule.key in found:
            raise ValueError(f"{rule.key} is declared twice")
        found[rule.key] = rule
    return found
