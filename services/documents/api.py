"""HTTP API of documents (contract: ``/api/documents``)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import send_file
from flask_smorest.fields import Upload
from marshmallow import Schema

from services.documents import generation, library, storage
from services.documents.models import TABLES, Document, DocumentBatch, TemplateVersion
from services.documents.registry import UnknownTemplateError
from services.documents.rendering import PdfUnavailableError, field_paths
from services.documents.schemas import (
    AcceptedSchema,
    BatchAcceptedSchema,
    BatchRequestSchema,
    BatchSchema,
    DocumentQuerySchema,
    DocumentRequestSchema,
    DocumentSchema,
    FileQuerySchema,
    TemplateInfoSchema,
    TemplateVersionSchema,
)
from shared import audit
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Who changes the school's templates.
TEMPLATE_EDITORS = (*OFFICE, "it_admin")

templates_bp = Blueprint("templates", __name__, description="Шаблони на документи")
documents_bp = Blueprint("documents", __name__, description="Генерирани документи")


class UploadSchema(Schema):
    file = Upload(required=True)


def _spec_or_404(session, key: str):
    return library.spec_or_404(current_runtime(), session, key)


@templates_bp.route("/templates", methods=["GET"])
@require_roles(*OFFICE, "it_admin", "class_teacher")
@templates_bp.response(200, TemplateInfoSchema(many=True))
def list_templates():
    """Шаблоните с полетата и пример, който се попълва."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        specs = library.current_templates(rt, s)
    return [{"key": spec.key, "title": spec.title, "version": spec.version, "kind": str(spec.kind),
             "articles": list(spec.articles), "fields_": field_paths(spec.schema_cls), "example": spec.example}
            for spec in specs]


@templates_bp.route("/templates/<key>/file", methods=["GET"])
@require_roles(*TEMPLATE_EDITORS)
@templates_bp.response(200, description="Текущата версия на шаблона (.docx)")
def template_file(key: str):
    """Текущата версия като .docx за редактиране в Word."""
    with current_runtime().db.sessions() as s:
        spec = _spec_or_404(s, key)
    return send_file(io.BytesIO(spec.docx_bytes), mimetype=DOCX, as_attachment=True,
                     download_name=f"{key}-v{spec.version}.docx")


@templates_bp.route("/templates/<key>", methods=["POST"])
@require_roles(*TEMPLATE_EDITORS)
@templates_bp.arguments(UploadSchema, location="files")
@templates_bp.response(201, TemplateVersionSchema)
def upload_template(files, key: str):
    """Нова версия на шаблона; отказ (422) назовава всеки проблем: полета, счупени тагове, опасни конструкции."""
    return library.upload_template(current_runtime(), current_principal(), key, files["file"].read())


def _versions(session, key: str) -> list[dict]:
    shipped = current_runtime().components.templates.shipped(key)
    rows = session.scalars(sa.select(TemplateVersion).where(TemplateVersion.key == key)
                           .order_by(TemplateVersion.version)).all()
    any_current = any(r.current for r in rows)
    return [{"version": shipped.version, "current": not any_current, "shipped": True, "uploaded_at": None,
             "uploaded_by": None},
            *({"version": r.version, "current": r.current, "shipped": False, "uploaded_at": r.uploaded_at,
               "uploaded_by": r.uploaded_by} for r in rows)]


@templates_bp.route("/templates/<key>/versions", methods=["GET"])
@require_roles(*TEMPLATE_EDITORS)
@templates_bp.response(200, TemplateVersionSchema(many=True))
def template_versions(key: str):
    """Всички версии: доставената с програмата и качените от училището."""
    with current_runtime().db.sessions() as s:
        _spec_or_404(s, key)
        return _versions(s, key)


@templates_bp.route("/templates/<key>/versions/<int:version>/restore", methods=["POST"])
@require_roles(*TEMPLATE_EDITORS)
@templates_bp.response(200, TemplateVersionSchema(many=True))
def restore_version(key: str, version: int):
    """Връща по-ранна версия като текуща; по-новите остават налични."""
    rt = current_runtime()
    who = current_principal()
    with rt.db.transaction() as s:
        _spec_or_404(s, key)
        shipped = rt.components.templates.shipped(key)
        if version != shipped.version and s.scalar(sa.select(TemplateVersion.id).where(
                TemplateVersion.key == key, TemplateVersion.version == version)) is None:
            raise NotFoundError(f"Шаблонът „{key}“ няма версия {version}.")
        s.execute(sa.update(TemplateVersion).where(TemplateVersion.key == key).values(
            current=TemplateVersion.version == version))
        audit.record(s, TABLES, who, "template.restore", "template", key, after={"version": version})
        s.flush()
        return _versions(s, key)


@documents_bp.route("/documents", methods=["POST"])
@require_roles(*OFFICE)
@documents_bp.arguments(DocumentRequestSchema)
@documents_bp.response(202, AcceptedSchema)
def post_document(data):
    """Заявка за документ; генерира се във фонов режим (202), после се изтегля."""
    return {"id": library.request_document(current_runtime(), current_principal(), data["template"],
                                           data["context"], student_id=data["student_id"])}


#: What ``DocumentSchema`` shows of a document, and nothing more.
LISTED_COLUMNS = tuple(getattr(Document, name) for name in DocumentSchema().fields)


@documents_bp.route("/documents", methods=["GET"])
@require_roles(*OFFICE)
@documents_bp.arguments(DocumentQuerySchema, location="query")
@documents_bp.response(200, DocumentSchema(many=True))
def list_documents(query):
    """Документите, най-новите първо; по ученик, шаблон и състояние."""
    wanted = library.DocumentFilter(template=query["template"], status=query["status"],
                                    student_id=query["student_id"])
    # Only the columns the answer shows: a whole row carries its context and, for an order, its file.
    stmt = library.documents_query(current_principal(), wanted, *LISTED_COLUMNS).limit(500)
    with current_runtime().db.reads() as s:
        return [row._mapping for row in s.execute(stmt)]


@documents_bp.route("/documents/batch", methods=["POST"])
@require_roles(*OFFICE)
@documents_bp.arguments(BatchRequestSchema)
@documents_bp.response(202, BatchAcceptedSchema)
def post_batch(data):
    """Пакет документи по един шаблон (например писма до родителите на цяла паралелка)."""
    rt = current_runtime()
    who = current_principal()
    with rt.db.transaction() as s:
        batch = DocumentBatch(template=data["template"], total=len(data["contexts"]), requested_by=who.id)
        s.add(batch)
        s.flush()
        try:
            wrong = generation.request_batch(s, rt, data["template"], data["contexts"], requested_by=who.id,
                                             batch_id=batch.id)
        except UnknownTemplateError:
            raise InvalidInputError({"template": f"Няма шаблон „{data['template']}“."}) from None
        errors = {f"contexts.{index}.{field}": library.as_texts(m)
                  for index, exc in wrong.items() for field, m in library.flat_errors(exc.errors).items()}
        if errors:
            raise InvalidInputError(errors)  # nothing of the batch is stored: the transaction rolls back
        audit.record(s, TABLES, who, "document.batch", "batch", batch.id,
                     after={"template": data["template"], "total": batch.total})
        return {"batch_id": batch.id}


@documents_bp.route("/documents/batches/<int:batch_id>", methods=["GET"])
@require_roles(*OFFICE)
@documents_bp.response(200, BatchSchema)
def get_batch(batch_id: int):
    """Напредък на пакета: общо, готови, неуспешни."""
    with current_runtime().db.sessions() as s:
        batch = s.get(DocumentBatch, batch_id)
        if batch is None:
            raise NotFoundError("Няма такъв пакет.")
        rows = s.execute(sa.select(Document.id, Document.status).where(Document.batch_id == batch_id)
                         .order_by(Document.id)).all()
    statuses = [status for _id, status in rows]
    return {"batch_id": batch_id, "total": batch.total, "done": statuses.count("done"),
            "failed": statuses.count("failed"), "queued": statuses.count("queued"),
            "document_ids": [doc_id for doc_id, _status in rows]}


@documents_bp.route("/documents/<int:document_id>", methods=["GET"])
@require_roles(*OFFICE, "class_teacher")
@documents_bp.response(200, DocumentSchema)
def get_document(document_id: int):
    """Състояние на документа и номерът му в регистъра."""
    with current_runtime().db.sessions() as s:
        return _visible_document(s, document_id)


def _visible_document(session, document_id: int) -> Document:
    return library.visible_document(session, current_principal(), document_id)


@documents_bp.route("/documents/<int:document_id>/file", methods=["GET"])
@require_roles(*OFFICE, "class_teacher")
@documents_bp.arguments(FileQuerySchema, location="query")
@documents_bp.response(200, description="Документът като .docx или PDF")
def document_file(query, document_id: int):
    """Изтегляне на готовия документ (.docx; ?format=pdf за PDF, когато има LibreOffice)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        document = _visible_document(s, document_id)
        if document.status != "done":
            raise ConflictError("Документът още не е готов." if document.status == "queued"
                     else f"Документът не можа да бъде съставен: {document.error}")
        content, template = storage.file_of(rt, s, document), document.template
    name = f"{template}-{document_id}"
    if query["format"] == "pdf":
        try:
            pdf = rt.components.pdf.convert(content)
        except PdfUnavailableError:
            raise ConflictError("PDF не може да се създаде: на сървъра не е инсталиран LibreOffice.") from None
        return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=f"{name}.pdf")
    return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=f"{name}.docx")
