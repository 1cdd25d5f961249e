"""The documents' web pages (``/documents/…``): the list, a new document, orders, templates, home.

Each handler calls the same functions as the JSON API (``library``) and maps their refusals
onto its form. Downloads link to the API's file endpoints, which accept the session cookie, so
a file is served by one piece of code.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from services.documents import forms, library, replicas
from services.documents.catalogue.families.excuses import PARENT_FORMS
from services.documents.models import StudentCard
from services.documents.registry import UnknownTemplateError
from services.documents.rendering import ContextError, load_context, render_with_docxtpl
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE, ROLES
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.web.context import current_runtime
from shared.web.pages import current_user

#: Documents per page of the list: a phone screen or two.
PER_PAGE = 25
#: Who uploads templates, as the API's ``TEMPLATE_EDITORS``.
TEMPLATE_EDITORS = (*OFFICE, "it_admin")
#: The template the home page offers, the office's most frequent paper.
CERTIFICATE = "student_certificate"

# The web templates live in ``web_templates/`` because ``templates/`` is the package of the
# shipped .docx files (data read through importlib.resources): mixing the two would ship pages as
# document templates and make every .docx look like a page to Jinja.
documents_pages = Blueprint("documents_pages", __name__, template_folder="web_templates")


def _fragment(trigger: str) -> bool:
    """An htmx request from this element wants only its part of the page (boosted links send no trigger)."""
    return request.headers.get("HX-Trigger") == trigger


def _page_number() -> int:
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def _titles() -> dict[str, str]:
    registry = current_runtime().components.templates
    return {key: registry.shipped(key).title for key in registry.template_keys()}


@documents_pages.route("/")
@require_roles(*OFFICE, "class_teacher")
def index():
    """Документите, най-новите първо, с търсене по шаблон, номер и ученик."""
    rt = current_runtime()
    titles = _titles()
    query = {name: request.args.get(name, "").strip() for name in ("template", "number", "student")}
    wanted = library.DocumentFilter(template=query["template"] if query["template"] in titles else None,
                                    number=query["number"] or None, student=query["student"] or None)
    page = _page_number()
    with rt.db.reads() as s:
        rows, more = library.list_documents(s, current_user(), wanted, page=page, per_page=PER_PAGE)
    kept = {name: value for name, value in query.items() if value}
    context = {"rows": rows, "titles": titles, "query": query, "page": page, "pdf": rt.components.pdf.available(),
               "previous": f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else None,
               "next": f"?{urlencode({**kept, 'page': page + 1})}" if more else None}
    name = "documents/_results.html" if _fragment("document-search") else "documents/list.html"
    return render_template(name, **context), 200, {"Vary": "HX-Request, HX-Trigger"}


def _new_page(template: str | None, student_id: int | None, values: dict[str, str] | None = None,
              errors: dict[str, list[str]] | None = None, status: int = 200):
    rt = current_runtime()
    search = request.args.get("q", "").strip()
    with rt.db.sessions() as s:
        try:
            spec = rt.components.templates.current(s, template) if template else None
        except UnknownTemplateError:
            raise NotFoundError(f"Няма шаблон „{template}“.") from None
        card = s.get(StudentCard, student_id) if student_id is not None else None
        if student_id is not None and card is None:
            raise NotFoundError("Няма такъв ученик.")
        students = library.find_students(s, current_user(), search)
        if spec is not None and values is None:
            values = forms.prefill(s, spec, card, rt.clock.today())
    context = {"spec": spec, "titles": _titles(), "card": card, "search": search, "students": students,
               "fields": forms.form_fields(spec) if spec else [], "values": values or {}, "errors": errors or {},
               "automatic": forms.automatic(spec) if spec else set()}
    name = "documents/_students.html" if _fragment("student-search") else "documents/new.html"
    return render_template(name, **context), status, {"Vary": "HX-Request, HX-Trigger"}


@documents_pages.route("/new")
@require_roles(*OFFICE)
def new():
    """Нов документ по шаблон: ученикът се търси, полетата се попълват от дневника."""
    student_id = request.args.get("student_id", "")
    return _new_page(request.args.get("template") or None, int(student_id) if student_id.isdigit() else None)


@documents_pages.route("/new", methods=["POST"])
@require_roles(*OFFICE)
def create():
    """„Създай“: the same request as ``POST /api/documents/documents``; a refusal re-renders the form (422)."""
    rt = current_runtime()
    template = request.form.get("template", "")
    student_id = request.form.get("student_id", "")
    student = int(student_id) if student_id.isdigit() else None
    with rt.db.sessions() as s:
        try:
            spec = rt.components.templates.current(s, template)
        except UnknownTemplateError:
            raise NotFoundError(f"Няма шаблон „{template}“.") from None
    try:
        document_id = library.request_document(rt, current_user(), template, forms.read_context(spec, request.form),
                                               student_id=student)
    except (InvalidInputError, ConflictError) as refused:
        values = {f.name: request.form.get(f.name, "") for f in forms.form_fields(spec)}
        # A number already in the register is shown next to its field like any refusal (htmx swaps 422).
        return _new_page(template, student, values, forms.errors_by_field(spec, refused.errors), 422)
    return redirect(url_for(".document", document_id=document_id), code=303)


@documents_pages.route("/<int:document_id>")
@require_roles(*OFFICE, "class_teacher")
def document(document_id: int):
    """The document's progress (htmx asks every second while it is queued), then its download links."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        found = library.visible_document(s, current_user(), document_id)
        card = s.get(StudentCard, found.student_id) if found.student_id else None
        context = {"document": found, "card": card, "title": _titles().get(found.template, found.template),
                   "pdf": rt.components.pdf.available()}
        name = "documents/_status.html" if _fragment("document-status") else "documents/document.html"
        return render_template(name, **context), 200, {"Vary": "HX-Request, HX-Trigger"}


@documents_pages.route("/forms/<key>")
@require_roles(*ROLES)
def blank_form(key: str):
    """A parent's application form (Чл. 61, ал. 1, т. 3 and т. 4) on the school's letterhead, to fill in by hand."""
    if key not in PARENT_FORMS:
        raise NotFoundError("Няма такава бланка.")
    rt = current_runtime()
    with rt.db.sessions() as s:
        spec = rt.components.templates.current(s, key)
        school = replicas.school(s)
    if school is None:
        raise NotFoundError("Данните на училището не са въведени.")
    try:
        content = render_with_docxtpl(spec.docx_bytes, load_context(spec.schema_cls, {"school": school}))
    except ContextError as exc:
        raise InvalidInputError({"school": [str(exc)]}) from exc
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{key}.docx"'})


@documents_pages.route("/orders")
@require_roles(*OFFICE)
def orders():
    """Регистърът на заповедите: номер, дата, заглавие, ученик."""
    page = _page_number()
    with current_runtime().db.sessions() as s:
        rows, more = library.list_orders(s, page=page, per_page=PER_PAGE)
    return render_template("documents/orders.html", rows=rows, titles=_titles(), page=page,
                           previous=f"?page={page - 1}" if page > 1 else None,
                           next=f"?page={page + 1}" if more else None)


def _templates_page(problems: dict[str, list[str]] | None = None, status: int = 200):
    rt = current_runtime()
    with rt.db.sessions() as s:
        specs = library.current_templates(rt, s)
    return render_template("documents/templates.html", specs=specs, problems=problems or {}), status


@documents_pages.route("/templates")
@require_roles(*TEMPLATE_EDITORS)
def templates():
    """Шаблоните с версия и правно основание; изтегляне и качване на нова версия."""
    return _templates_page()


@documents_pages.route("/templates/<key>", methods=["POST"])
@require_roles(*TEMPLATE_EDITORS)
def upload(key: str):
    """A new version of a template, checked as the API checks it; a refusal lists every problem (422)."""
    upload_file = request.files.get("file")
    content = upload_file.read() if upload_file else b""
    if not content:
        return _templates_page({key: ["Изберете файл .docx."]}, 422)
    try:
        saved = library.upload_template(current_runtime(), current_user(), key, content)
    except InvalidInputError as refused:
        return _templates_page({key: [m for messages in refused.errors.values() for m in messages]}, 422)
    flash(f"Качена е версия {saved['version']} на шаблона.", "success")
    return redirect(url_for(".templates"), code=303)


@documents_pages.route("/fragments/home")
@require_roles(*ROLES)
def home_fragment():
    """The documents' part of the home page: for the office, what is waiting or failed."""
    user = current_user()
    waiting = []
    if user.role in OFFICE:
        with current_runtime().db.sessions() as s:
            waiting = library.waiting_documents(s)
    return (render_template("documents/_home_fragment.html", waiting=waiting, titles=_titles(),
                            office=user.role in OFFICE, certificate=CERTIFICATE),
            200, {"Vary": "HX-Request"})
