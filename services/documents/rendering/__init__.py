"""Rendering of document templates (генериране на документи): sandbox, cache, PDF, validation."""

from __future__ import annotations

from .compiled import CompiledTemplate, TemplateCache
from .environment import format_date, format_month, make_environment
from .errors import ContextError, PdfConversionError, PdfUnavailableError, RenderError, UnsafeTemplateError
from .numbering import carries_date, format_order_number, format_register_number
from .pdf import PdfConverter, find_soffice
from .renderer import DocumentRenderer, load_context, render_with_docxtpl
from .schema_shape import field_paths, schema_shape
from .text import docx_text
from .upload_scan import UploadProblem
from .validation import validate_upload

__all__ = [
    "CompiledTemplate",
    "ContextError",
    "DocumentRenderer",
    "PdfConversionError",
    "PdfConverter",
    "PdfUnavailableError",
    "RenderError",
    "TemplateCache",
    "UnsafeTemplateError",
    "UploadProblem",
    "carries_date",
    "docx_text",
    "field_paths",
    "find_soffice",
    "format_date",
    "format_month",
    "format_order_number",
    "format_register_number",
    "load_context",
    "make_environment",
    "render_with_docxtpl",
    "schema_shape",
    "validate_upload",
]
