"""The template registry (регистър на шаблоните): shipped templates from plugins, a school's versions on top.

Plugins of the ``school_office.templates`` group are callables returning ``TemplateSpec`` lists;
the project's own entry point ships the templates of ``services/documents/catalogue``.  A school
uploads its own version of a template as a new ``TemplateVersion`` row; the current version is
what documents are rendered with, and earlier ones can be restored.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents.catalogue import TemplateSpec
from services.documents.models import TemplateVersion
from shared.plugins import PluginRegistry


class UnknownTemplateError(KeyError):
    """No template has this key."""


class TemplateRegistry:
    def __init__(self, specs: list[TemplateSpec]) -> None:
        self._shipped = {spec.key: spec for spec in specs}

    @classmethod
    def from_plugins(cls, plugins: PluginRegistry) -> TemplateRegistry:
        specs: list[TemplateSpec] = []
        for plugin in plugins.items("templates"):
            specs.extend(plugin.obj())
        return cls(specs)

    def template_keys(self) -> list[str]:
        return sorted(self._shipped)

    def shipped(self, key: str) -> TemplateSpec:
        try:
            return self._shipped[key]
        except KeyError:
            raise UnknownTemplateError(key) from None

    def current(self, session: Session, key: str) -> TemplateSpec:
        """The version documents are rendered with now: the school's current upload, else the shipped one."""
        spec = self.shipped(key)
        row = session.scalar(sa.select(TemplateVersion).where(
            TemplateVersion.key == key, TemplateVersion.current.is_(True)))
        if row is None:
            return spec
        return dataclasses.replace(spec, version=row.version, docx_bytes=row.content)

    def version(self, session: Session, key: str, version: int) -> TemplateSpec | None:
        spec = self.shipped(key)
        if version == spec.version:
            return spec
        row = session.scalar(sa.select(TemplateVersion).where(
            TemplateVersion.key == key, TemplateVersion.version == version))
        return None if row is None else dataclasses.replace(spec, version=row.version, docx_bytes=row.content)
