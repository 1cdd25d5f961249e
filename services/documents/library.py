"""The documents' use cases shared by the API and the pages (деловодство): request, find, upload.

No Flask here: the caller passes who is asking, and refusals are ``shared.errors``, so the JSON
API, the web pages and the command line run the same checks and the same queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from services.documents import generation
from services.documents.catalogue import TemplateSpec
from services.documents.models import TABLES, Document, OrderNumber, StudentCard, TemplateVersion
from services.documents.registry import UnknownTemplateError
from services.documents.rendering import ContextError, validate_upload
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

#: The most students a name search offers: enough to pick from, few enough to read on a phone.
STUDENT_MATCHES = 20


def spec_or_404(rt: ServiceRuntime, session: Session, key: str) -> TemplateSpec:
    try:
        return rt.components.templates.current(session, key)
    except UnknownTemplateError:
        raise NotFoundError(f"Няма шаблон „{key}“.") from None


# --- requesting a document -------------------------------------------------------------------


def flat_errors(errors, prefix: str = "") -> dict:
    """Nested marshmallow messages as dotted paths (``student.name``)."""
    out: dict = {}
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(flat_errors(value, path))
        else:
            out[path] = value
    return out


def as_texts(messages) -> list[str]:
    return [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]


def context_errors(exc: ContextError, prefix: str) -> dict[str, list[str]]:
    """A schema's refusal as field paths under ``prefix`` (``context.student.name``)."""
    return {f"{prefix}.{field}" if field != "_schema" else prefix: as_texts(messages)
            for field, messages in flat_errors(exc.errors).items()}


def request_document(rt: ServiceRuntime, who: Principal, template: str, context: dict[str, Any],
                     student_id: int | None = None) -> int:
    """Queue one document for rendering and audit the request; returns its id.

    Raises InvalidInputError naming every field the template's schema refuses (``context.<path>``),
    or ``template`` when no template has the key, and ConflictError (``context.number``) when the
    order number given is already in the register of orders; nothing is stored then.
    """
    with rt.db.transaction() as s:
        try:
            document_id, _created = generation.request(s, rt, template, context, student_id=student_id,
                                                       requested_by=who.id)
        except UnknownTemplateError:
            raise InvalidInputError({"template": f"Няма шаблон „{template}“."}) from None
        except ContextError as exc:
            raise InvalidInputError(context_errors(exc, "context")) from exc
        except generation.NumberTakenError as exc:
            raise ConflictError(exc.message, "context.number") from None
        audit.record(s, TABLES, who, "document.request", "document", document_id, after={"template": template})
    return document_id


# --- finding documents -----------------------------------------------------------------------


def visible_document(session: Session, who: Principal, document_id: int) -> Document:
    """The document, if the caller may see it: the office all, a class teacher their class's letters."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("Няма такъв документ.")
    if who.role == "class_teacher":
        card = session.get(StudentCard, document.student_id) if document.student_id else None
        if card is None or not who.teaches_class(card.class_code):
            raise NotAllowedError("Класният ръководител вижда само документите на своята паралелка.")
    return document


def student_search(text: str) -> sa.ColumnElement[bool]:
    """Students whose name has every word typed, or whose class is one of them (``10а``).

    SQLite folds only ASCII letters, so each word is also tried as the register writes names
    (capitalised) and in lower case: „иван“ finds „Иван“, „10А“ finds class „10а“.
    """
    conditions = []
    for word in text.split():
        variants = {word, word.lower(), word.capitalize(), word.upper()}
        conditions.append(sa.or_(*(StudentCard.name.contains(v, autoescape=True) for v in variants),
                                 StudentCard.class_code == word.lower()))
    return sa.and_(sa.true(), *conditions)


def find_students(session: Session, who: Principal, text: str) -> list[StudentCard]:
    """The students a name or class search finds, by class and name (a class teacher: their class)."""
    if not text.strip():
        return []
    stmt = sa.select(StudentCard).where(student_search(text))
    if who.role == "class_teacher":
        stmt = stmt.where(StudentCard.class_code.in_(who.class_codes))
    return list(session.scalars(stmt.order_by(StudentCard.class_code, StudentCard.name).limit(STUDENT_MATCHES)))


#: What a register number is made of; anything else is searched for whole, never as a pattern.
_NUMBER_TEXT = re.compile(r"^[0-9./]+$")


class _StartsWith(sa.sql.expression.ColumnElement):
    """``column`` begins with ``prefix``, in the form each database answers from a plain index.

    SQLite's LIKE ignores case and so skips the index, its GLOB does not; PostgreSQL's LIKE uses
    the ``text_pattern_ops`` index. The prefix holds only digits, dots and slashes (no wildcards).
    """

    # Not cached: the prefix is rendered by the functions below, outside SQLAlchemy's cache key.
    inherit_cache = False
    # Not Boolean: SQLite would get "GLOB ? = 1", a term its planner cannot answer from the index.
    type = sa.types.NullType()

    def __init__(self, column: sa.ColumnElement, prefix: str) -> None:
        self.column, self.prefix = column, prefix


@compiles(_StartsWith)
def _like(element: _StartsWith, compiler, **kw) -> str:
    return f"{compiler.process(element.column, **kw)} LIKE {compiler.process(sa.literal(element.prefix + '%'), **kw)}"


@compiles(_StartsWith, "sqlite")
def _glob(element: _StartsWith, compiler, **kw) -> str:
    return f"{compiler.process(element.column, **kw)} GLOB {compiler.process(sa.literal(element.prefix + '*'), **kw)}"


def number_search(text: str) -> sa.ColumnElement[bool]:
    """A register number typed whole (``1058/14.09.2023``) or as its sequence (``1058``), from the index."""
    number = text.strip()
    if not _NUMBER_TEXT.match(number):
        return Document.number == number
    return sa.or_(Document.number == number, _StartsWith(Document.number, f"{number}/"))


@dataclasses.dataclass(frozen=True)
class DocumentFilter:
    """What a documents search asks for; ``None`` does not narrow it."""

    template: str | None = None
    status: str | None = None
    student_id: int | None = None
    #: A register number: whole (``1058/14.09.2023``) or its sequence part (``1058``).
    number: str | None = None
    #: Words of a student's name, or a class code.
    student: str | None = None


def documents_query(who: Principal, wanted: DocumentFilter, *columns) -> sa.Select:
    """The documents the caller may see that match ``wanted``, newest first (by the primary key).

    Every filter is on an indexed column: template, number, student_id, the primary key.
    """
    stmt = sa.select(*(columns or (Document,))).order_by(Document.id.desc())
    if wanted.template is not None:
        stmt = stmt.where(Document.template == wanted.template)
    if wanted.status is not None:
        stmt = stmt.where(Document.status == wanted.status)
    if wanted.student_id is not None:
        stmt = stmt.where(Document.student_id == wanted.student_id)
    if wanted.number:
        stmt = stmt.where(number_search(wanted.number))
    if wanted.student:
        stmt = stmt.where(Document.student_id.in_(sa.select(StudentCard.id).where(student_search(wanted.student))))
    if who.role == "class_teacher":
        stmt = stmt.where(Document.student_id.in_(
            sa.select(StudentCard.id).where(StudentCard.class_code.in_(who.class_codes))))
    return stmt


@dataclasses.dataclass(frozen=True)
class DocumentRow:
    """One line of the documents list: no file content and no context, which can be large."""

    id: int
    template: str
    status: str
    number: str | None
    error: str | None
    created_at: dt.datetime
    student_id: int | None
    student_name: str | None
    class_code: str | None
    #: A letter's addressee and how it reaches them (``parent.name``, ``parent.address`` of its context):
    #: an e-mailed letter and its paper copies share a number, and this tells them apart.
    recipient: str | None
    recipient_address: str | None


#: The columns of a ``DocumentRow``, in its order (the addressee read out of the context, not the whole context).
_ROW_COLUMNS = (Document.id, Document.template, Document.status, Document.number, Document.error,
                Document.created_at, Document.student_id, StudentCard.name, StudentCard.class_code,
                Document.context[("parent", "name")].as_string(), Document.context[("parent", "address")].as_string())


def list_documents(session: Session, who: Principal, wanted: DocumentFilter, *, page: int,
                   per_page: int) -> tuple[list[DocumentRow], bool]:
    """One page of the documents (1-based) and whether another follows, in one statement."""
    stmt = (documents_query(who, wanted, *_ROW_COLUMNS)
            .outerjoin(StudentCard, StudentCard.id == Document.student_id)
            .offset((page - 1) * per_page).limit(per_page + 1))
    rows = [DocumentRow(*row) for row in session.execute(stmt)]
    return rows[:per_page], len(rows) > per_page


@dataclasses.dataclass(frozen=True)
class OrderRow:
    """A line of the register of orders (регистър на заповедите)."""

    document_id: int
    number: str | None
    issued_on: dt.date
    template: str
    student_name: str | None
    class_code: str | None


def list_orders(session: Session, *, page: int, per_page: int) -> tuple[list[OrderRow], bool]:
    """One page of the register of orders, the latest first, and whether another follows."""
    stmt = (sa.select(OrderNumber.document_id, Document.number, OrderNumber.issued_on, OrderNumber.template,
                      StudentCard.name, StudentCard.class_code)
            .join(Document, Document.id == OrderNumber.document_id)
            .outerjoin(StudentCard, StudentCard.id == Document.student_id)
            .order_by(OrderNumber.school_year.desc(), OrderNumber.seq.desc())
            .offset((page - 1) * per_page).limit(per_page + 1))
    rows = [OrderRow(*row) for row in session.execute(stmt)]
    return rows[:per_page], len(rows) > per_page


def waiting_documents(session: Session, limit: int = 10) -> list[DocumentRow]:
    """The documents still queued or failed, for the office's home page."""
    stmt = (sa.select(*_ROW_COLUMNS).outerjoin(StudentCard, StudentCard.id == Document.student_id)
            .where(Document.status.in_(("queued", "failed"))).order_by(Document.id.desc()).limit(limit))
    return [DocumentRow(*row) for row in session.execute(stmt)]


# --- templates -------------------------------------------------------------------------------


def current_templates(rt: ServiceRuntime, session: Session) -> list[TemplateSpec]:
    """Every template as documents are rendered now (the school's current upload, else the shipped one)."""
    registry = rt.components.templates
    return [registry.current(session, key) for key in registry.template_keys()]


def upload_template(rt: ServiceRuntime, who: Principal, key: str, content: bytes) -> dict[str, Any]:
    """Store a school's new version of a template, made current; returns it as the API shows versions.

    Raises InvalidInputError under ``file`` with every problem the validation finds (unknown
    fields, broken tags, unsafe constructs); nothing is stored then.
    """
    with rt.db.sessions() as s:
        spec = spec_or_404(rt, s, key)
    problems = validate_upload(content, spec.schema_cls, example=spec.example)
    if problems:
        raise InvalidInputError({"file": [problem.message for problem in problems]})
    with rt.db.transaction() as s:
        latest = s.scalar(sa.select(sa.func.max(TemplateVersion.version)).where(TemplateVersion.key == key))
        version = max(latest or 0, rt.components.templates.shipped(key).version) + 1
        s.execute(sa.update(TemplateVersion).where(TemplateVersion.key == key).values(current=False))
        row = TemplateVersion(key=key, version=version, content=content, uploaded_by=who.id, uploaded_at=utcnow(),
                              current=True)
        s.add(row)
        audit.record(s, TABLES, who, "template.upload", "template", key, after={"version": version,
                                                                                 "size": len(content)})
    return {"version": version, "current": True, "shipped": False, "uploaded_at": row.uploaded_at,
            "uploaded_by": who.id}
