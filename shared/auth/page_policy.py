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
#: A lesson is recorded by its subject's teacher (or the management), as ``POST /absences``; a class
#: teacher who teaches no subject in the class records nothing there.
_LESSON_RECORDERS = {"allowed": (*MANAGEMENT, "teacher"), "scoped": {Scope.OTHER_SUBJECT_TEACHER: Answer.REFUSED}}

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
    # register: the lesson page. Its teachers and class teacher open it, the management reads it; a
    # class teacher of another class who teaches nothing there does not (its marks are the class's).
    _page("register", "GET /register/classes/<code>/lessons", (*MANAGEMENT, *TEACHERS),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}),
    _page("register", "POST /register/classes/<code>/lessons", **_LESSON_RECORDERS),
    # register: the class's month, for its class teacher and the office (web-ui.md).
    _page("register", "GET /register/classes/<code>/absences", (*OFFICE, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 6, т. 8"),
    # register: the student's card, and its excuse form for the class teacher only (as ``POST /excuses``).
    _page("register", "GET /register/students/<int:student_id>", **_STUDENT_CARD),
    _page("register", "POST /register/students/<int:student_id>/excuses", ("class_teacher",),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    # register: the students' import, the office's as ``POST /students/import``.
    # The ЕГН field of a document's form, loaded by the browser from the register (who may make documents).
    _page("register", "GET /register/students/<int:student_id>/personal-number", OFFICE),
    _page("register", "GET /register/import", OFFICE, article="Чл. 151"),
    _page("register", "GET /register/import/template.xlsx", OFFICE, article="Чл. 151"),
    _page("register", "POST /register/import", OFFICE, article="Чл. 151"),
    _page("register", "GET /register/import/<upload_id>", OFFICE, article="Чл. 151"),
    _page("register", "POST /register/import/<upload_id>", OFFICE, article="Чл. 151"),
    # register: the monthly exports cover the whole school, so the office prepares them (``/exports/monthly``).
    _page("register", "GET /register/exports", OFFICE),
    _page("register", "POST /register/exports/prepare", OFFICE),
    _page("register", "POST /register/exports/<int:export_id>/submitted", OFFICE),
    _page("register", "GET /register/exports/<int:export_id>/files/<kind>", OFFICE),
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
    _page("documents", "GET /documents/", (*OFFICE, "class_teacher"), article="Чл. 97, т. 14"),
    _page("documents", "GET /documents/new", OFFICE),
    _page("documents", "POST /documents/new", OFFICE),
    _page("documents", "GET /documents/<int:document_id>", (*OFFICE, "class_teacher"),
          scoped={Scope.OTHER_CLASS_TEACHER: Answer.REFUSED}, article="Чл. 97, т. 14"),
    _page("documents", "GET /documents/orders", OFFICE),
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
)


def page_policy_by_route() -> dict[tuple[str, str, str], Rule]:
    """The pages' table keyed by (service, method, path); a duplicate entry is a mistake in the table."""
    found: dict[tuple[str, str, str], Rule] = {}
    for rule in PAGE_POLICY:
        if rule.key in found:
            raise ValueError(f"{rule.key} is declared twice")
        found[rule.key] = rule
    return found
