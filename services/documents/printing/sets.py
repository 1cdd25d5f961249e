"""Print sets (комплекти за печат): the use cases the API, the pages and the daily sweep share.

A print set is a list of document ids; its PDF is made when it is downloaded: every document
converted in one LibreOffice run, the PDFs joined so that each document starts on its own page.
Letters to parents carry the addressee where a DL window envelope shows it (``window_address``
in ``catalogue/layouts/kit.py``), so a printed set is folded in three and posted as it comes.

The paper letters notifications asks for (``documents.document_requested`` with ``on_paper``) are
gathered once a day, from ``SCHOOL_PAPER_PRINT_TIME`` on, into the day's set: every such letter
drawn up since the previous day's set. Letters drawn up later that day wait for the next one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter
from sqlalchemy.orm import Session

from services.documents import library, replicas, storage
from services.documents.models import TABLES, Document, PaperLetter, PrintSet, StudentCard
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError, NotAllowedError, NotFoundError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

#: The most documents one set may hold: LibreOffice converts them in one run of about a minute.
MAX_DOCUMENTS = 200
SELECTION, PAPER = "selection", "paper"


@dataclasses.dataclass(frozen=True)
class PrintFilter:
    """Which finished documents a set takes when no ids are given; ``None`` does not narrow it."""

    template: str | None = None
    class_code: str | None = None
    #: The school's day on which the documents were drawn up.
    day: dt.date | None = None
    #: Only students none of whose guardians has an e-mail address (their letters go on paper).
    without_email: bool = False


def _day_bounds(rt: ServiceRuntime, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(rt.settings.timezone)
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    return start, start + dt.timedelta(days=1)


def _matching(rt: ServiceRuntime, session: Session, who: Principal, wanted: PrintFilter) -> list[int]:
    """The finished documents the filter finds, in the order they are posted: by class, student, id."""
    stmt = (library.documents_query(who, library.DocumentFilter(template=wanted.template, status="done"),
                                    Document.id, StudentCard.guardians)
            .outerjoin(StudentCard, StudentCard.id == Document.student_id)
            .order_by(None).order_by(StudentCard.class_code, StudentCard.name, Document.id))
    if wanted.class_code:
        stmt = stmt.where(StudentCard.class_code == wanted.class_code)
    if wanted.day is not None:
        start, end = _day_bounds(rt, wanted.day)
        stmt = stmt.where(Document.done_at >= start, Document.done_at < end)
    rows = session.execute(stmt).all()
    if wanted.without_email:
        rows = [row for row in rows if not any(g.get("email") for g in row.guardians or [])]
    return [row.id for row in rows]


def _chosen(session: Session, who: Principal, document_ids: list[int]) -> list[int]:
    problems = []
    for document_id in dict.fromkeys(document_ids):
        try:
            document = library.visible_document(session, who, document_id)
        except (NotFoundError, NotAllowedError):
            problems.append(f"Няма документ № {document_id}.")
            continue
        if document.status != "done":
            problems.append(f"Документ № {document_id} не е готов.")
    if problems:
        raise InvalidInputError({"document_ids": problems})
    return list(dict.fromkeys(document_ids))


def create_print_set(rt: ServiceRuntime, who: Principal, *, document_ids: list[int] | None = None,
                     wanted: PrintFilter | None = None) -> int:
    """A set of the given finished documents, or of those the filter finds; returns its id (audited).

    Raises InvalidInputError naming ``document_ids`` (an unknown or unfinished document, or none
    chosen) or ``filter`` (nothing found); nothing is stored then.
    """
    with rt.db.transaction() as s:
        if document_ids:
            ids = _chosen(s, who, document_ids)
        elif wanted is not None:
            ids = _matching(rt, s, who, wanted)
            if not ids:
                raise InvalidInputError({"filter": ["Няма готови документи, които отговарят на условията."]})
        else:
            raise InvalidInputError({"document_ids": ["Изберете поне един готов документ."]})
        if len(ids) > MAX_DOCUMENTS:
            field = "document_ids" if document_ids else "filter"
            raise InvalidInputError({field: [f"Един комплект побира най-много {MAX_DOCUMENTS} документа; "
                                             f"избрани са {len(ids)}."]})
        row = PrintSet(kind=SELECTION, document_ids=ids, created_by=who.id, created_at=utcnow())
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "print_set.create", "print_set", row.id, after={"documents": len(ids)})
        return row.id


def list_print_sets(session: Session, limit: int = 30) -> list[PrintSet]:
    """The latest print sets, the newest first."""
    return list(session.scalars(sa.select(PrintSet).order_by(PrintSet.id.desc()).limit(limit)))


def print_set(session: Session, print_set_id: int) -> PrintSet:
    found = session.get(PrintSet, print_set_id)
    if found is None:
        raise NotFoundError("Няма такъв комплект за печат.")
    return found


@dataclasses.dataclass(frozen=True)
class Addressee:
    """One letter of a set as the office posts it: the student, whom it is to and where."""

    document_id: int
    number: str | None
    student: str | None
    class_code: str | None
    name: str
    #: The postal address in the envelope's window; ``None``: the letter has none („няма адрес“).
    address: str | None
    #: The letter goes by e-mail (its addressee block says so), so it needs no envelope.
    by_email: bool


def addressees(session: Session, row: PrintSet) -> list[Addressee]:
    """The set's letters to parents in the order they print, each with the address it is posted to.

    A letter without a postal address (the family gave none: it is addressed „чрез ученика“) is
    listed with ``address=None`` so the office sees whom to ask for one.
    """
    found = {found.id: found for found in session.execute(
        sa.select(Document.id, Document.number, Document.context, StudentCard.name, StudentCard.class_code)
        .outerjoin(StudentCard, StudentCard.id == Document.student_id)
        .where(Document.id.in_(row.document_ids)))}
    listed = []
    for document_id in row.document_ids:
        document = found.get(document_id)
        parent = (document.context or {}).get("parent") if document is not None else None
        if not isinstance(parent, dict) or not parent.get("name"):
            continue  # not a letter to parents: nothing to post
        listed.append(Addressee(
            document_id=document_id, number=document.number, student=document.name,
            class_code=document.class_code, name=parent["name"],
            address=replicas.postal_address(parent),
            by_email=str(parent.get("address") or "").startswith(replicas.BY_EMAIL)))
    return listed


def document_docx(rt: ServiceRuntime, session: Session, document: Document) -> bytes:
    """The document's .docx as it was drawn up, checked against its sha256 (:func:`storage.file_of`).

    Most documents keep no file: it is rendered again, byte for byte, from what they stored.
    """
    return storage.file_of(rt, session, document)


def print_set_pdf(rt: ServiceRuntime, who: Principal, print_set_id: int) -> bytes:
    """The set as one PDF: every document converted in one LibreOffice run, each from a new page.

    Raises NotFoundError for an unknown set and PdfUnavailableError without LibreOffice.
    """
    with rt.db.sessions() as s:
        ids = print_set(s, print_set_id).document_ids
        contents = [document_docx(rt, s, library.visible_document(s, who, document_id)) for document_id in ids]
    writer = PdfWriter()
    for pdf in rt.components.pdf.convert_many(contents):
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the day's paper letters -----------------------------------------------------------------


def mark_paper(session: Session, document_id: int) -> None:
    """Remember that a document is a letter to print (idempotent: the same document once)."""
    if session.get(PaperLetter, document_id) is None:
        session.add(PaperLetter(document_id=document_id))


def gather_paper_letters(rt: ServiceRuntime, now: dt.datetime | None = None) -> int:
    """The sweep: from the print time on, the day's set of the paper letters drawn up and not yet printed.

    Safe to run twice: the day's set has the unique key ``paper:<day>``. Returns the letters gathered.
    """
    now = now or rt.clock.now()
    local = now.astimezone(ZoneInfo(rt.settings.timezone))
    if local.time() < dt.time.fromisoformat(rt.settings.paper_print_time):
        return 0
    key = f"{PAPER}:{local.date().isoformat()}"
    with rt.db.transaction() as s:
        if s.scalar(sa.select(PrintSet.id).where(PrintSet.key == key)) is not None:
            return 0
        waiting = s.execute(
            sa.select(PaperLetter, Document.id)
            .join(Document, Document.id == PaperLetter.document_id)
            .outerjoin(StudentCard, StudentCard.id == Document.student_id)
            .where(PaperLetter.print_set_id.is_(None), Document.status == "done")
            .order_by(StudentCard.class_code, StudentCard.name, Document.id)).all()
        if not waiting:
            return 0
        row = PrintSet(kind=PAPER, key=key, document_ids=[document_id for _letter, document_id in waiting],
                       created_at=utcnow())
        s.add(row)
        s.flush()
        for letter, _document_id in waiting:
            letter.print_set_id = row.id
        return len(waiting)


def paper_day(row: PrintSet) -> dt.date | None:
    """The day of a daily set of paper letters (from its key), ``None`` for the office's own sets."""
    return dt.date.fromisoformat(row.key.split(":", 1)[1]) if row.kind == PAPER and row.key else None

