"""Families of templates added after the first catalogue, one module each (семейства шаблони).

Each module holds the :class:`~services.documents.catalogue.spec.TemplateDefinition` objects of one
part of the rulebook (its orders, letters, forms and protocols) in a tuple ``DEFINITIONS``, beside
the schemas, examples and layouts it needs or next to them in ``schemas/`` and ``layouts/``. The
list below is explicit, not a scan of the folder: a family is shipped when it is named here.
"""

from __future__ import annotations

from types import ModuleType

from services.documents.catalogue.families import (
    benefit,
    dropout,
    exams,
    excuses,
    sanctions_procedure,
    school_organisation,
    self_study,
    student_papers,
)

#: The families shipped, in the order their templates are listed.
FAMILIES: tuple[ModuleType, ...] = (
    school_organisation,
    student_papers,
    benefit,
    excuses,
    dropout,
    exams,
    sanctions_procedure,
    self_study,
)
