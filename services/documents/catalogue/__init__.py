"""The catalogue of shipped templates (шаблони на документи): descriptors, context schemas, examples, layouts.

The ``school_office.templates`` entry point ``shipped`` names :func:`shipped_templates`; the .docx
files themselves are data in ``services/documents/templates``.
"""

from __future__ import annotations

from services.documents.catalogue.definitions import shipped_templates
from services.documents.catalogue.spec import DocumentKind, TemplateSpec

__all__ = ["DocumentKind", "TemplateSpec", "shipped_templates"]
