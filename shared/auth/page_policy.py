"""Who may open which web page (кой коя страница може да отвори): every page route, by role and scope.

The pages join the API's table (``shared/auth/policy.py``): each :class:`~shared.auth.policy.Rule`
here names one route of a page app as its URL map spells it, with the mount in front
(``GET /register/students/<int:student_id>``), and gives the answer each role and scoped case gets,
the same as the API's entry for the same data (``../shared/spec/web-ui.md``: "Who may open a page
follows the API's roles and scopes exactly"). A page refuses with the 403 page, never the data; a
record that is not the caller's is a 404, as in the API.

``tests/platform/test_page_policy_matrix.py`` signs in as every role and scoped case, opens every
page (and posts every form) and fails on any difference, on a page route missing here, and on an
entry without a route.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from shared.auth.policy import REFUSED_OUTSIDE, STAFF, STUDENT_RECORD_READERS, Answer, Rule, Scope
from shared.auth.roles import MANAGEMENT, OFFICE, ROLES, TEACHERS


def _page(service: str, route: str, allowed: Iterable[str], *, hidden: Iterable[str] = (),
          scoped: Mapping[Scope, Answer] | None = None, article: str = "") -> Rule:
    """``route`` is ``METHOD /mount/path`` as the page app's URL map has it; ``service`` serves it."""
    method, path = route.split(" ", 1)
    return Rule(service, method, path, frozenset(allowed), frozenset(hidden), dict(scoped or {}), article)


#: The student's card reads what ``GET /students/{student_id}/absences/summary``, ``/grades`` and
#: ``/rule-firings`` read: the parent their own child's only, a teacher the classes they teach.
_STUDENT_CARD = {"allowed": STUDENT_RECORD_READERS, "scoped": REFUSED_OUTSIDE, "article": "Чл. 151"}
#: Grades are entered and formed by the subject's teacher only, as ``POST /grades`` and ``/term-grades``.
_SUBJECT_TEACHER = {"allowed": ("teacher",), "scoped": {Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED}}
#: A lesson is recorded by its subject's teacher (or the management), as ``POST /absences``; a class
#: teacher who teaches no subject in the class records nothing there.
_LESSON_RECORDERS = {"allowed": (*MANAGEMENT, "teacher"), "scoped": {Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED}}

#: Who manages the users (``services/register/people/accounts.py``: a director not the administrators).
USER_MANAGERS = ("it_admin", "director")

PAGE_POLICY: tuple[Rule, ...] = (
    # The front pages at the site's root (served by the register, which owns the users).
    _page("register", "GET /", ROLES),
    _page("register", "GET /login", ROLES),
    _page("register", "POST /login", ROLES),
    _page("register", "POST /logout", ROLES),
    # Each service's card on the home page: every signed-in user gets one, holding only their own data.
    _page("register", "GET /register/fragments/home", ROLES),
    _page("documents", "GET /documents/fragments/home", ROLES),
    _page("notifications", "GET /notifications/fragments/home", ROLES),
    _page("planning", "GET /planning/fragments/home", ROLES),
    # planning: the plan's import, the management's as ``POST /plans/preview`` and ``/plans/import``.
    _page("planning", "GET /planning/plans", MANAGEMENT, article="Чл. 10, ал. 7"),
    _page("planning", "POST /planning/plans", MANAGEMENT, article="Чл. 10, ал. 7"),
    _page("planning", "GET /planning/plans/import/<upload_id>", MANAGEMENT, article="Чл. 10, ал. 7"),
    _page("planning", "POST /planning/plans/import/<upload_id>", MANAGEMENT, article="Чл. 10, ал. 7"),
    # register: the lesson page. Its teachers and class teacher open it, the management reads it; a
    # class teacher of another class who teaches nothing there does not (its marks are the class's).
    _page("register", "GET /register/classes/<code>/lessons", (*MANAGEMENT, *TEACHERS),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}),
    _page("register", "POST /register/classes/<code>/lessons", **_LESSON_RECORDERS),
    # register: the class's month, for its class teacher and the office (web-ui.md).
    _page("register", "GET /register/classes/<code>/absences", (*OFFICE, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 6, т. 8"),
    # „Оформи седмицата“ on the class's month: its class teacher only, as ``POST /classes/{code}/absences/finalised``.
    _page("register", "POST /register/classes/<code>/absences/finalised", ("class_teacher",),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 9"),
    # register: the student's card, and its excuse form for the class teacher only (as ``POST /excuses``).
    _page("register", "GET /register/students/<int:student_id>", **_STUDENT_CARD),
    _page("register", "POST /register/students/<int:student_id>/excuses", ("class_teacher",),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    # register: the card's correction of a guardian's contacts and postal address, as
    # ``PUT /students/{id}/guardians/{guardian_id}``.
    _page("register", "POST /register/students/<int:student_id>/guardians/<int:guardian_id>",
          (*OFFICE, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 151"),
    # register: the parent's application to excuse (Чл. 61, ал. 1, т. 3) from the card, decided by the
    # class teacher there, as ``POST /excuse-applications`` and its ``accept`` and ``refuse``.
    _page("register", "POST /register/students/<int:student_id>/excuse-applications", ("parent",),
          scoped={Scope.OTHER_PARENT: Answer.REFUSED}, article="Чл. 61, ал. 1, т. 3"),
    _page("register", "POST /register/students/<int:student_id>/excuse-applications/<int:application_id>/accept",
          ("class_teacher",), scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    _page("register", "POST /register/students/<int:student_id>/excuse-applications/<int:application_id>/refuse",
          ("class_teacher",), scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    # register: the director's prior permission (Чл. 61, ал. 1, т. 4) from the card, as
    # ``POST /director-permissions``: the parent applies (the office records a paper one), the director decides.
    _page("register", "POST /register/students/<int:student_id>/director-permissions", ("parent", *OFFICE),
          scoped={Scope.OTHER_PARENT: Answer.REFUSED}, article="Чл. 61, ал. 1, т. 4"),
    _page("register",
          "POST /register/students/<int:student_id>/director-permissions/<int:permission_id>/grant",
          ("director",), article="Чл. 61, ал. 1, т. 4"),
    _page("register",
          "POST /register/students/<int:student_id>/director-permissions/<int:permission_id>/refuse",
          ("director",), article="Чл. 61, ал. 1, т. 4"),
    # register: the director's decision to deregister (Чл. 25, ал. 4) from the card, as
    # ``POST /students/{id}/deregistration``.
    _page("register", "POST /register/students/<int:student_id>/deregistration", ("director",),
          article="Чл. 25, ал. 4"),
    # register: the students' import, the office's as ``POST /students/import``.
    # The ЕГН field of a document's form, loaded by the browser from the register (who may make documents).
    _page("register", "GET /register/students/<int:student_id>/personal-number", OFFICE),
    _page("register", "GET /register/import", OFFICE, article="Чл. 151"),
    _page("register", "GET /register/import/template.xlsx", OFFICE, article="Чл. 151"),
    _page("register", "POST /register/import", OFFICE, article="Чл. 151"),
    _page("register", "GET /register/import/<upload_id>", OFFICE, article="Чл. 151"),
    _page("register", "POST /register/import/<upload_id>", OFFICE, article="Чл. 151"),
    # register: the monthly exports cover the whole school, so the office prepares them (``/exports/monthly``).
    # register: the exams of the year, scheduled and their results entered by the office (``/exams``).
    _page("register", "GET /register/exams", OFFICE, article="Чл. 143"),
    _page("register", "POST /register/exams", OFFICE, article="Чл. 137, ал. 4; Чл. 143, ал. 4–8"),
    _page("register", "POST /register/exams/<int:exam_id>/results", OFFICE, article="Чл. 126, ал. 1"),
    _page("register", "GET /register/exports", OFFICE),
    _page("register", "POST /register/exports/prepare", OFFICE),
    _page("register", "POST /register/exports/<int:export_id>/submitted", OFFICE),
    _page("register", "GET /register/exports/<int:export_id>/files/<kind>", OFFICE),
    # register: the grade book. Its subject's teacher writes (Чл. 139, ал. 1); the class teacher and the
    # management read; a teacher of another subject or class does not open it.
    _page("register", "GET /register/classes/<code>/grades", (*MANAGEMENT, *TEACHERS),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED, Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED},
          article="Чл. 139, ал. 1"),
    _page("register", "POST /register/classes/<code>/grades", **_SUBJECT_TEACHER, article="Чл. 139, ал. 1"),
    _page("register", "POST /register/classes/<code>/grades/term", **_SUBJECT_TEACHER, article="Чл. 139, ал. 2"),
    _page("register", "POST /register/classes/<code>/grades/annual", **_SUBJECT_TEACHER, article="Чл. 138"),
    # register: the sanction procedures, followed by the management and the student's class teacher
    # (another class teacher's list holds none of them); opened and advanced as ``POST /sanctions``
    # and ``POST /sanctions/{id}/steps/{name}`` (the matrix's form proposes a remark: the class teacher's).
    _page("register", "GET /register/sanctions", (*MANAGEMENT, "class_teacher"), article="Чл. 56–60"),
    _page("register", "POST /register/sanctions", ("class_teacher",),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 56, ал. 1"),
    _page("register", "GET /register/sanctions/<int:sanction_id>", (*MANAGEMENT, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 56–60"),
    _page("register", "POST /register/sanctions/<int:sanction_id>/steps/<name>", (*MANAGEMENT, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 59, ал. 1"),
    # register: the weekly timetable, kept by the office and approved by the director (Чл. 113, ал. 3;
    # ``PUT /classes/{code}/timetable``), with its one-day changes (Чл. 114).
    _page("register", "GET /register/timetable", OFFICE, article="Чл. 113, ал. 3"),
    _page("register", "GET /register/timetable/template.xlsx", OFFICE, article="Чл. 113, ал. 3"),
    _page("register", "POST /register/timetable/import", OFFICE, article="Чл. 113, ал. 3"),
    _page("register", "GET /register/timetable/import/<upload_id>", OFFICE, article="Чл. 113, ал. 3"),
    _page("register", "POST /register/timetable/import/<upload_id>", OFFICE, article="Чл. 113, ал. 3"),
    _page("register", "POST /register/timetable/changes", OFFICE, article="Чл. 114"),
    # register: the lessons not recorded, for the management (``GET /lessons/unrecorded``, Чл. 97, т. 9).
    _page("register", "GET /register/lessons/unrecorded", MANAGEMENT, article="Чл. 97, т. 9"),
    # documents: the office's; a class teacher lists and opens their class's letters (Чл. 97, т. 14:
    # keeps the copies), and the list of another class teacher holds none of them.
    # register: the users, kept by the IT administrator and the director (web-ui.md); everyone changes
    # their own password, and the administrator alone sees the system's health.
    *(_page("register", route, USER_MANAGERS) for route in (
        "GET /register/users", "POST /register/users", "GET /register/users/<int:user_id>",
        "POST /register/users/<int:user_id>", "POST /register/users/<int:user_id>/password",
        "POST /register/users/<int:user_id>/deactivate")),
    _page("register", "GET /password", ROLES),
    _page("register", "POST /password", ROLES),
    _page("register", "GET /admin/system", ("it_admin",)),
    _page("register", "POST /admin/system/dead-letters", ("it_admin",)),
    _page("documents", "GET /documents/", (*OFFICE, "class_teacher"), article="Чл. 97, т. 14"),
    _page("documents", "GET /documents/new", OFFICE),
    _page("documents", "POST /documents/new", OFFICE),
    _page("documents", "GET /documents/<int:document_id>", (*OFFICE, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    # documents: the parents' application forms (Чл. 61, ал. 1, т. 3–4), blank on the letterhead, for anyone.
    _page("documents", "GET /documents/forms/<key>", ROLES, article="Чл. 61, ал. 1, т. 3–4"),
    _page("documents", "GET /documents/orders", OFFICE),
    # Print sets are the office's, as ``/print-sets`` in the API.
    _page("documents", "GET /documents/print-sets", OFFICE),
    _page("documents", "POST /documents/print-sets", OFFICE),
    # The templates are the office's and the IT administrator's, as ``/templates/{key}`` in the API.
    _page("documents", "GET /documents/templates", (*OFFICE, "it_admin")),
    _page("documents", "POST /documents/templates/<key>", (*OFFICE, "it_admin")),
    # notifications: everyone has an inbox; a notice is its addressee's only (another's is a 404, as
    # ``POST /inbox/{delivery_id}/read``).
    _page("notifications", "GET /notifications/inbox", ROLES),
    _page("notifications", "GET /notifications/inbox/<int:delivery_id>", ("parent",), hidden=STAFF,
          scoped={Scope.OTHER_PARENT: Answer.HIDDEN}),
    _page("notifications", "POST /notifications/inbox/<int:delivery_id>/read", ("parent",), hidden=STAFF,
          scoped={Scope.OTHER_PARENT: Answer.HIDDEN}),
    # planning: the overdue board for those who watch deadlines (web-ui.md), each seeing what
    # ``GET /overdue`` shows them; the plan's pages are the management's (Чл. 10, ал. 7), who also
    # record progress and ask for the report, as ``PATCH /activities/{id}`` and ``POST /plans/{id}/report``.
    _page("planning", "GET /planning/overdue", OFFICE),
    _page("planning", "GET /planning/plans/<int:plan_id>", MANAGEMENT, article="Чл. 10, ал. 7"),
    _page("planning", "POST /planning/plans/<int:plan_id>/reports", MANAGEMENT, article="Чл. 20, ал. 1, т. 5"),
    _page("planning", "GET /planning/plans/<int:plan_id>/activities/<int:activity_id>", MANAGEMENT,
          article="Чл. 10, ал. 7"),
    _page("planning", "POST /planning/plans/<int:plan_id>/activities/<int:activity_id>", MANAGEMENT,
          article="Чл. 10, ал. 7"),
)


def page_policy_by_route() -> dict[tuple[str, str, str], Rule]:
    """The pages' table keyed by (service, method, path); a duplicate entry is a mistake in the table."""
    found: dict[tuple[str, str, str], Rule] = {}
    for rule in PAGE_POLICY:
        if rule.key in found:
            raise ValueError(f"{rule.key} is declared twice")
        found[rule.key] = rule
    return found
