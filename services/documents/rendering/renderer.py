"""Render a shipped or uploaded template with validated data (генериране на документ)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError
from marshmallow import Schema, ValidationError

from .compiled import TemplateCache, translate_template_error
from .environment import make_environment
from .errors import ContextError


class RenderableTemplate(Protocol):
    """What the renderer needs from a template descriptor (TemplateSpec satisfies it)."""

    key: str
    version: int
    schema_cls: type[Schema]
    docx_bytes: bytes


def load_context(schema_cls: type[Schema], context: Mapping[str, Any]) -> dict[str, Any]:
    """Validate plain JSON-like data against the template schema; dates become ``date``.

    Raises :class:`ContextError` whose ``errors`` name every bad field, in Bulgarian.
    """
    try:
        return schema_cls().load(context)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ContextError(messages) from exc


class DocumentRenderer:
    """Validates the context and renders through a per-(key, version) compiled-template cache.

    Parameters:
        environment: sandbox to compile templates in; a fresh one by default.
        cache_size: compiled template versions to keep.
    """

    def __init__(self, environment: Environment | None = None, cache_size: int = 128) -> None:
        self.cache = TemplateCache(environment, cache_size)

    def render(self, template: RenderableTemplate, context: Mapping[str, Any],
               stamp: tuple[int, ...] | None = None) -> bytes:
        """Return the .docx bytes of one document: the same bytes for the same template and context.

        ``stamp`` is the zip time of the rendered parts; only documents made before 0004 need one.
        """
        data = load_context(template.schema_cls, context)
        return self.cache.get(template.key, template.version, template.docx_bytes).render(data, stamp)

    def render_file(self, template: RenderableTemplate, sha256: str, load: Callable[[], bytes],
                    context: Mapping[str, Any], stamp: tuple[int, ...] | None = None) -> bytes:
        """Render with the template file named by its sha256 (``template.docx_bytes`` is not read).

        ``load`` returns the file's bytes and is called only when it is not compiled yet.
        """
        data = load_context(template.schema_cls, context)
        return self.cache.compiled(template.key, template.version, sha256, load).render(data, stamp)


def render_with_docxtpl(
    docx_bytes: bytes, context: Mapping[str, Any], environment: Environment | None = None
) -> bytes:
    """The naive cycle (DocxTemplate; render; save), kept as the reference the cache must match."""
    document = DocxTemplate(io.BytesIO(docx_bytes))
    try:
        document.render(dict(context), jinja_env=environment or make_environment(), autoescape=True)
    except (TemplateError, ValueError, TypeError) as exc:
        raise translate_template_error(exc) from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
