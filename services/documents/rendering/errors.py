"""Errors of the rendering layer; every message is Bulgarian because it reaches a person."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class RenderError(Exception):
    """A document could not be produced (грешка при генериране на документ)."""


class ContextError(RenderError):
    """The data for a document does not match the template's schema.

    Parameters:
        errors: marshmallow-style ``{"field": ["message", ...]}``, ready for a 422 answer.
    """

    def __init__(self, errors: Mapping[str, Any]) -> None:
        super().__init__("Данните за документа не отговарят на шаблона.")
        self.errors = dict(errors)


class UnsafeTemplateError(RenderError):
    """The template tried to reach Python internals and the sandbox stopped it."""


class PdfUnavailableError(RenderError):
    """LibreOffice (soffice) is not installed, so no PDF can be made."""


class PdfConversionError(RenderError):
    """LibreOffice ran but did not produce a PDF."""
