"""Validation of an uploaded template version (проверка на качен шаблон) before it is stored."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, TemplateSyntaxError
from lxml import etree
from marshmallow import Schema

from .compiled import CompiledTemplate, docxtpl_tools, split_declaration
from .environment import make_environment
from .errors import ContextError, RenderError
from .renderer import load_context
from .schema_shape import schema_shape
from .upload_ast import TemplateChecker
from .upload_scan import (
    UploadProblem,
    paragraphs,
    part_label,
    read_parts,
    scan_blocks,
    scan_merged,
    scan_paragraph,
)

#: Problems after which the Jinja parser would only repeat them in worse words.
_STRUCTURAL = frozenset({"split_tag", "smart_quotes", "unbalanced_block", "invalid_docx"})


def validate_upload(
    docx_bytes: bytes,
    schema_cls: type[Schema],
    *,
    example: Mapping[str, Any] | None = None,
    environment: Environment | None = None,
) -> list[UploadProblem]:
    """Every problem of an uploaded .docx against the template's schema; empty means acceptable.

    Parameters:
        docx_bytes: the uploaded file.
        schema_cls: the schema of the template the file is a new version of.
        example: when given, the file must also render this sample context.
        environment: the sandbox the template will run in.
    """
    environment = environment or make_environment()
    try:
        parts = read_parts(docx_bytes)
    except ValueError as exc:
        return [UploadProblem("invalid_docx", str(exc))]
    problems: list[UploadProblem] = []
    sources: dict[str, str] = {}
    for name, xml in parts.items():
        where = part_label(name)
        try:
            found = [problem for text in paragraphs(xml) for problem in scan_paragraph(text, where)]
        except etree.XMLSyntaxError:
            problems.append(UploadProblem("invalid_docx", f"XML съдържанието {where} е повредено."))
            continue
        problems.extend(found or scan_merged(xml, where))
        sources[name] = docxtpl_tools().patch_xml(split_declaration(xml)[1])
    problems.extend(scan_blocks("\n".join(sources.values())))
    if any(problem.code in _STRUCTURAL for problem in problems):
        return problems
    checker = TemplateChecker(schema_shape(schema_cls), environment)
    for name, source in sources.items():
        try:
            tree = environment.parse(source)
        except TemplateSyntaxError as exc:
            line = source.splitlines()[exc.lineno - 1] if exc.lineno else ""
            snippet = html.unescape(re.sub(r"<[^>]+>", "", line))
            problems.append(UploadProblem(
                "syntax", f"Етикет {part_label(name)} не може да бъде разчетен: „{snippet.strip()[:80]}“."
            ))
            continue
        checker.check(tree)
    problems.extend(checker.problems)
    if not problems and example is not None:
        problems.extend(_try_render(docx_bytes, schema_cls, example, environment))
    return problems


def _try_render(
    docx_bytes: bytes, schema_cls: type[Schema], example: Mapping[str, Any], environment: Environment
) -> list[UploadProblem]:
    try:
        CompiledTemplate(docx_bytes, environment).render(load_context(schema_cls, example))
    except ContextError:
        return []  # the example belongs to the schema, not to the file; nothing to say about the file
    except RenderError as exc:
        return [UploadProblem("render_failed", f"Шаблонът не може да бъде попълнен с примерните "
            f"данни: {exc}")]
    return []
