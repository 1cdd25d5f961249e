"""The data step of ``documents_0005``: stored files become inputs and a checksum, where that loses nothing.

Before 0004 every done document kept its whole rendered .docx. For each of them this step
records the file's sha256, then renders the document again from its context with the template
file it was made with (the school's uploaded version, or the shipped one of that version) and the
zip time read back from its own parts. Only when the new bytes equal the stored ones is the file
dropped (and the template file kept in ``template_files``); otherwise, and for every order
(``storage.keeps_copy``), the file stays. No document's bytes can change: a download serves the
kept file, or a new rendering proven equal to it.

The tables are declared here as 0004 leaves them, not through the ORM models, so a later revision
that adds a column cannot break this step for a school upgrading from before 0004.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections import Counter
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.documents.catalogue import TemplateSpec
from services.documents.rendering import DocumentRenderer, RenderError
from services.documents.rendering.errors import ContextError
from services.documents.storage import digest, keeps_copy, zip_time
from shared.platform_models import utcnow

documents = sa.table(
    "documents", sa.column("id", sa.Integer), sa.column("template", sa.String),
    sa.column("template_version", sa.Integer),
    sa.column("context", sa.JSON), sa.column("status", sa.String), sa.column("content", sa.LargeBinary),
    sa.column("content_sha256", sa.String), sa.column("template_sha256", sa.String),
    sa.column("zip_time", sa.DateTime))
template_versions = sa.table("template_versions", sa.column("key", sa.String), sa.column("version", sa.Integer),
                             sa.column("content", sa.LargeBinary))
template_files = sa.table("template_files", sa.column("sha256", sa.String), sa.column("key", sa.String),
                          sa.column("version", sa.Integer), sa.column("content", sa.LargeBinary),
                          sa.column("stored_at", sa.DateTime(timezone=True)))

#: Rendered parts of a document; their zip time is the moment it was rendered before 0004.
RENDERED_PART = "word/document.xml"


def _template(conn: Connection, shipped: Mapping[str, TemplateSpec], key: str, version: int | None,
              uploaded: dict) -> TemplateSpec | None:
    spec = shipped.get(key)
    if spec is None or version is None:
        return None
    if (key, version) not in uploaded:
        uploaded[key, version] = conn.scalar(sa.select(template_versions.c.content).where(
            template_versions.c.key == key, template_versions.c.version == version))
    content = uploaded[key, version]
    if content is not None:
        return dataclasses.replace(spec, version=version, docx_bytes=content)
    return spec if version == spec.version else None


def _stamp(content: bytes) -> tuple[int, ...] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            return docx.getinfo(RENDERED_PART).date_time
    except (zipfile.BadZipFile, KeyError):
        return None


def _keep_template(conn: Connection, spec: TemplateSpec) -> str:
    sha = digest(spec.docx_bytes)
    if conn.scalar(sa.select(template_files.c.sha256).where(template_files.c.sha256 == sha)) is None:
        conn.execute(template_files.insert().values(sha256=sha, key=spec.key, version=spec.version,
                                                    content=spec.docx_bytes, stored_at=utcnow()))
    return sha


def _rendered_again(renderer: DocumentRenderer, spec: TemplateSpec, context: dict, content: bytes) -> bool:
    stamp = _stamp(content)
    if stamp is None:
        return False
    try:
        return renderer.render(spec, context, stamp) == content
    except (ContextError, RenderError):
        return False


def compact(conn: Connection, shipped: Mapping[str, TemplateSpec],
            renderer: DocumentRenderer | None = None) -> Counter:
    """Move every stored file not yet checked into the new form; returns counts by outcome.

    Safe to run twice: a document with a checksum is not looked at again.

    Parameters:
        conn: the documents database, inside the migration's transaction.
        shipped: the shipped templates by key.
        renderer: the renderer to compare with; a fresh one by default.
    """
    renderer = renderer or DocumentRenderer()
    uploaded: dict = {}
    outcome: Counter = Counter()
    ids = conn.scalars(sa.select(documents.c.id).where(
        documents.c.content.is_not(None), documents.c.content_sha256.is_(None)).order_by(documents.c.id)).all()
    for document_id in ids:  # one at a time: a school's files do not fit in memory at once
        row = conn.execute(sa.select(documents.c.template, documents.c.template_version, documents.c.context,
                                     documents.c.content).where(documents.c.id == document_id)).one()
        values: dict = {"content_sha256": digest(row.content)}
        spec = _template(conn, shipped, row.template, row.template_version, uploaded)
        if spec is None:
            outcome["kept: template unknown"] += 1
        elif keeps_copy(spec):
            outcome["kept: order"] += 1
        elif not _rendered_again(renderer, spec, row.context, row.content):
            outcome["kept: rendered differently"] += 1
        else:
            values |= {"content": None, "template_sha256": _keep_template(conn, spec),
                       "zip_time": zip_time(_stamp(row.content))}
            outcome["rendered on download"] += 1
        conn.execute(documents.update().where(documents.c.id == document_id).values(**values))
    return outcome


def expand(conn: Connection, shipped: Mapping[str, TemplateSpec], renderer: DocumentRenderer | None = None) -> int:
    """The way back (downgrade): every document without its file gets it again, checked; returns how many."""
    renderer = renderer or DocumentRenderer()
    ids = conn.scalars(sa.select(documents.c.id).where(
        documents.c.content.is_(None), documents.c.template_sha256.is_not(None)).order_by(documents.c.id)).all()
    for document_id in ids:
        row = conn.execute(sa.select(documents.c.template, documents.c.context, documents.c.content_sha256,
                                     documents.c.zip_time, template_files.c.version, template_files.c.content)
                           .join(template_files, template_files.c.sha256 == documents.c.template_sha256)
                           .where(documents.c.id == document_id)).one()
        spec = dataclasses.replace(shipped[row.template], version=row.version, docx_bytes=row[5])
        stamp = None if row.zip_time is None else row.zip_time.timetuple()[:6]
        content = renderer.render(spec, row.context, stamp)
        if digest(content) != row.content_sha256:
            raise RuntimeError(f"document {document_id} does not render as it was made; downgrade stopped")
        conn.execute(documents.update().where(documents.c.id == document_id).values(content=content))
    return len(ids)
