"""The template descriptor (описание на шаблон): what a registry knows of one template version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from docx.document import Document as DocumentObject
from marshmallow import Schema


class DocumentKind(StrEnum):
    """Kind of a school document (вид документ)."""

    ORDER = "order"  # заповед
    LETTER = "letter"  # писмо, уведомление
    CERTIFICATE = "certificate"  # удостоверение
    LIST = "list"  # списък, справка, отчет
    DECLARATION = "declaration"  # декларация


@dataclass(frozen=True)
class TemplateSpec:
    """One version of a document template, ready for a registry.

    Parameters:
        key: stable identifier used by the API (``sanction_order_remark``).
        title: Bulgarian title shown to users.
        kind: document kind.
        version: increases with every uploaded .docx.
        articles: the articles of the правилник (or external acts) the text relies on.
        schema_cls: marshmallow schema of the rendering context.
        example: complete sample context (plain JSON data) that renders.
        docx_bytes: the .docx with docxtpl tags.
    """

    key: str
    title: str
    kind: DocumentKind
    version: int
    articles: tuple[str, ...]
    schema_cls: type[Schema]
    example: dict[str, Any] = field(repr=False)
    docx_bytes: bytes = field(repr=False)

    @property
    def is_order(self) -> bool:
        """Orders get a register number ``{{ number }}`` from the register of orders."""
        return self.kind is DocumentKind.ORDER


@dataclass(frozen=True)
class TemplateDefinition:
    """Source of one shipped template; ``build`` lays out the .docx from the title."""

    key: str
    title: str
    kind: DocumentKind
    version: int
    articles: tuple[str, ...]
    schema_cls: type[Schema]
    example: dict[str, Any]
    build: Callable[[str], DocumentObject]
