"""Shipped Word templates of the documents service (шаблони на документи)."""

from __future__ import annotations

from .spec import DocumentKind, TemplateSpec, shipped_templates

__all__ = ["DocumentKind", "TemplateSpec", "shipped_templates"]
