"""The template descriptor (описание на шаблон) and the list of templates shipped with the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

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


def shipped_templates() -> list[TemplateSpec]:
    """Every template shipped with the service, with its .docx read from this package."""
    from .catalog import DEFINITIONS  # noqa: PLC0415 - keeps the descriptor module import-light

    package = resources.files(__package__)
    return [
        TemplateSpec(
            key=definition.key,
            title=definition.title,
            kind=definition.kind,
            version=definition.version,
            articles=definition.articles,
            schema_cls=definition.schema_cls,
            example=definition.example,
            docx_bytes=package.joinpath(f"{definition.key}.docx").read_bytes(),
        )
        for definition in DEFINITIONS
    ]
