"""What a document keeps (съхранение на документите): its inputs and a checksum, a file only when it must.

A done document is what makes it unique: its context, the template file it was rendered with
(kept once in ``template_files``, by sha256) and the sha256 of the rendered .docx. The .docx is
rendered again on every download, byte for byte the same (``rendering.compiled``: fixed zip
times, the template's own member order, deterministic ids), and the bytes are checked against the
checksum before anyone gets them: a mismatch is logged and answered with a clear refusal, never
served. A notice or a letter took about 40 KB of the database before; now about 2 KB
(``bench/bench_document_storage.py``: 1,000 of them, 2.2 KB each, template files included).

**Which documents keep their rendered file** (:func:`keeps_copy`):

- an **order** (заповед): it is entered in the register of orders and signed by the director
  (Чл. 11, ал. 1); the school keeps exactly what was signed, whatever a later release does to
  templates or rendering. Orders are a few hundred a year;
- a document made before 0004 whose file the migration could not render again byte for byte (a
  school's template from a plugin, a part stamped across two seconds, an older renderer): its
  file stays as it was, with its checksum;
- nothing else: notices, letters, certificates, lists and reports are rendered again.

Template files are kept for ever: a shipped template changes with a release, an uploaded version
can be replaced, and an old document must still render with the file it was made with.
A release that changes what rendering produces (docxtpl, ``rendering.compiled``, a shipped
schema's loading) must keep old documents' output unchanged; the checksum makes a mistake there
visible at the first download instead of silently serving a different letter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging

from sqlalchemy.orm import Session

from services.documents.catalogue import TemplateSpec
from services.documents.models import Document, TemplateFile
from services.documents.registry import UnknownTemplateError
from services.documents.rendering import ContextError, RenderError
from shared.db import dialect_insert
from shared.errors import ConflictError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: What a refused download says: the file cannot be given as it was made.
NOT_REPRODUCED = ("Документът не може да бъде изтеглен: съставен отново, той не съвпада байт по байт с "
                  "оригинала (контролната сума е различна). Грешката е записана в журнала; обърнете се "
                  "към отговорника по ИТ.")


def digest(data: bytes) -> str:
    """The sha256 of a file, in hex."""
    return hashlib.sha256(data).hexdigest()


def keeps_copy(spec: TemplateSpec) -> bool:
    """Whether a document of this template keeps its rendered file: orders do (see the module)."""
    return spec.is_order


def keep_template(session: Session, spec: TemplateSpec) -> str:
    """Keep the template file ``spec`` renders with (once per file); returns its sha256."""
    sha = digest(spec.docx_bytes)
    if session.get(TemplateFile, sha) is None:
        # The first documents of a new template are rendered on several threads at once (a batch of
        # letters): ON CONFLICT lets all but one find the file kept, where a plain INSERT failed on
        # the key and the render was retried.
        session.execute(dialect_insert(session, TemplateFile.__table__).values(
            sha256=sha, key=spec.key, version=spec.version, content=spec.docx_bytes, stored_at=utcnow())
            .on_conflict_do_nothing(index_elements=["sha256"]))
    return sha


def store(session: Session, document: Document, spec: TemplateSpec, content: bytes) -> None:
    """Record a freshly rendered document: checksum and template always, the file only if it is kept."""
    document.template_sha256 = keep_template(session, spec)
    document.content_sha256 = digest(content)
    document.content = content if keeps_copy(spec) else None
    document.zip_time = None


def stamp_of(document: Document) -> tuple[int, ...] | None:
    """The zip time to render a document's parts with (only documents made before 0004 have one)."""
    return None if document.zip_time is None else document.zip_time.timetuple()[:6]


def render_again(rt: ServiceRuntime, session: Session, document: Document) -> bytes:
    """Render a stored document from its inputs, as it was rendered when it was made.

    Raises ConflictError when its template file or template is gone or the context no longer
    renders (all logged: none of them should happen).
    """
    sha = document.template_sha256

    def template_file() -> bytes:
        template = session.get(TemplateFile, sha) if sha else None
        if template is None:
            raise LookupError(f"template file {sha} is missing")
        return template.content

    try:
        if sha is None:
            raise LookupError("no template file recorded")
        spec = dataclasses.replace(rt.components.templates.shipped(document.template),
                                   version=document.template_version or 0, docx_bytes=b"")
        return rt.components.renderer.render_file(spec, sha, template_file, document.context, stamp_of(document))
    except (LookupError, UnknownTemplateError, ContextError, RenderError) as exc:
        log.error("document %s (%s) cannot be rendered again: %s", document.id, document.template,
                  type(exc).__name__)
        raise ConflictError(NOT_REPRODUCED) from exc


def file_of(rt: ServiceRuntime, session: Session, document: Document) -> bytes:
    """The .docx of a done document: its kept copy or a new rendering, always checked against its sha256.

    Raises ConflictError (logged) when the bytes do not match the checksum; they are never served.
    """
    content = document.content if document.content is not None else render_again(rt, session, document)
    if document.content_sha256 is not None and digest(content) != document.content_sha256:
        log.error("document %s (%s): sha256 %s of the file, %s recorded; download refused", document.id,
                  document.template, digest(content), document.content_sha256)
        raise ConflictError(NOT_REPRODUCED)
    return content


def zip_time(stamp: tuple[int, ...]) -> dt.datetime:
    """A zip time as the ``zip_time`` column keeps it."""
    return dt.datetime(*stamp[:6])  # a zip entry's time has no zone
