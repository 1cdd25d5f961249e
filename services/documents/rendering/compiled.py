"""Compile a .docx template once and render it many times (предварително компилиран шаблон).

The naive docxtpl cycle opens the whole package with python-docx, re-serialises the XML, runs
docxtpl's regex clean-up and compiles Jinja on every document, then saves every part again.
Here that work happens once per (key, version): the untouched parts are zipped once, the XML
parts that can hold tags are cleaned with docxtpl's own ``patch_xml`` and compiled; a render is
then only Jinja, docxtpl's post-processing and an append to a copy of the ready zip. Using
docxtpl's functions for the text transforms keeps the output text identical to the naive cycle.

The output is a function of the template and the context alone: the untouched parts keep the
template's own zip entries and order, the rendered parts follow in the template's order, each
stamped with :data:`FIXED_STAMP` (or the stamp a document made before 0004 carries) rather than
the clock, and Jinja, docxtpl's transforms and the drawing ids are deterministic. So a document
can be rendered again on download, byte for byte, and checked against its sha256 (``storage.py``).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree

from .environment import make_environment
from .errors import RenderError, UnsafeTemplateError

#: The time written on every rendered part (zip entries carry one): the zip format's first day,
#: so the same template and context always give the same bytes.
FIXED_STAMP = (1980, 1, 1, 0, 0, 0)
#: What ``ZipFile.writestr`` gives a part named by a string: read-write for the owner.
PART_ATTRIBUTES = 0o600 << 16

#: Package parts docxtpl renders: body, headers, footers and footnotes.
TEMPLATED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_COLUMN_LOOP = re.compile(r"\{%-?\s*tc\s")
_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


@cache
def docxtpl_tools() -> DocxTemplate:
    # patch_xml, resolve_listing and fix_tables never touch the document itself, so an
    # instance over an empty buffer lends us exactly the transforms the naive cycle applies.
    return DocxTemplate(io.BytesIO())


def split_declaration(xml: str) -> tuple[str, str]:
    match = _DECLARATION.match(xml)
    if match is None:
        return "", xml
    return match.group(0), xml[match.end():]


@dataclass(frozen=True)
class _CompiledPart:
    name: str
    declaration: str
    template: Template
    fix_tables: bool
    renumber_drawings: bool

    def render(self, context: Mapping[str, Any]) -> bytes:
        tools = docxtpl_tools()
        xml = self.template.render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = tools.resolve_listing(xml)
        if self.fix_tables:
            xml = etree.tostring(tools.fix_tables(xml), encoding="unicode")
        if self.renumber_drawings:
            counter = iter(range(1001, 1_000_000))
            xml = re.sub(r'(<wp:docPr\b[^>]*\bid=")\d+', lambda m: f"{m.group(1)}{next(counter)}", xml)
        return (self.declaration + xml).encode("utf-8")


def _compile_part(name: str, raw: bytes, environment: Environment) -> _CompiledPart:
    declaration, xml = split_declaration(raw.decode("utf-8"))
    source = docxtpl_tools().patch_xml(xml)
    # docxtpl puts every paragraph on its own line so Jinja's line numbers point somewhere useful.
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
    try:
        template = environment.from_string(source)
    except TemplateSyntaxError as exc:
        raise RenderError(f"Шаблонът съдържа синтактична грешка в част {name}, ред {exc.lineno}.") from exc
    except TemplateError as exc:
        raise RenderError(f"Шаблонът не може да бъде компилиран (част {name}).") from exc
    plain = re.sub(r"<[^>]+>", "", xml)
    return _CompiledPart(
        name=name,
        declaration=declaration,
        template=template,
        fix_tables=bool(_COLUMN_LOOP.search(plain)),
        renumber_drawings="wp:docPr" in xml,
    )


def translate_template_error(exc: Exception) -> RenderError:
    """Turn a Jinja failure during rendering into a Bulgarian :class:`RenderError`."""
    if isinstance(exc, SecurityError):
        return UnsafeTemplateError(
            "Шаблонът се опита да достъпи вътрешни обекти на Python и беше спрян от защитената среда."
        )
    if isinstance(exc, UndefinedError):
        match = _UNDEFINED_NAME.search(str(exc))
        name = next((g for g in match.groups() if g), "?") if match else "?"
        return RenderError(f"В шаблона е използвано поле, което липсва в данните: „{name}“.")
    if isinstance(exc, TemplateError):
        return RenderError("Шаблонът не може да бъде попълнен с подадените данни.")
    return RenderError(str(exc))


class CompiledTemplate:
    """One template version, parsed and compiled, ready to render any number of documents."""

    def __init__(self, docx_bytes: bytes, environment: Environment | None = None) -> None:
        environment = environment or make_environment()
        try:
            source = zipfile.ZipFile(io.BytesIO(docx_bytes))
        except zipfile.BadZipFile as exc:
            raise RenderError("Файлът не е документ във формат .docx.") from exc
        if "word/document.xml" not in source.namelist():
            raise RenderError("Файлът не е документ на Word: липсва word/document.xml.")
        parts: list[_CompiledPart] = []
        static = io.BytesIO()
        with source, zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if TEMPLATED_PART.match(info.filename):
                    parts.append(_compile_part(info.filename, data, environment))
                else:
                    target.writestr(info, data)
        self._static = static.getvalue()
        self._parts = tuple(parts)

    def render(self, context: Mapping[str, Any], stamp: tuple[int, ...] | None = None) -> bytes:
        """Render the document; ``context`` is already validated data (dates as ``date``).

        Parameters:
            context: the validated data.
            stamp: the zip time of the rendered parts, ``(year, month, day, hour, minute, second)``;
                :data:`FIXED_STAMP` by default. Only documents rendered before 0004 carry another.
        """
        try:
            rendered = [(part.name, part.render(context)) for part in self._parts]
        except (TemplateError, ValueError, TypeError) as exc:
            raise translate_template_error(exc) from exc
        buffer = io.BytesIO(self._static)
        # Appending to a copy of the pre-built zip avoids recompressing styles, fonts and themes.
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as target:
            for name, data in rendered:
                part = zipfile.ZipInfo(name, date_time=stamp or FIXED_STAMP)
                part.compress_type = zipfile.ZIP_DEFLATED
                part.external_attr = PART_ATTRIBUTES
                target.writestr(part, data)
        return buffer.getvalue()


class TemplateCache:
    """Compiled templates keyed by (key, version, the file's sha256), least recently used dropped first.

    The digest is part of the key because a version number alone may name two files (a school's
    upload and a later shipped version); a document re-rendered on download must get its own.

    Parameters:
        environment: the sandbox to compile in; a fresh one by default.
        maxsize: how many compiled versions to keep.
    """

    def __init__(self, environment: Environment | None = None, maxsize: int = 128) -> None:
        self._environment = environment or make_environment()
        self._maxsize = maxsize
        self._items: OrderedDict[tuple[str, int, str], CompiledTemplate] = OrderedDict()
        self._lock = threading.Lock()
        #: How many times a template was compiled; lets tests and metrics see cache misses.
        self.compilations = 0

    def get(self, key: str, version: int, docx_bytes: bytes) -> CompiledTemplate:
        """Return the compiled template, compiling ``docx_bytes`` only on the first request."""
        return self.compiled(key, version, hashlib.sha256(docx_bytes).hexdigest(), lambda: docx_bytes)

    def compiled(self, key: str, version: int, sha256: str, load: Callable[[], bytes]) -> CompiledTemplate:
        """The compiled template of the file with this sha256 (hex); ``load`` gives its bytes on a miss only.

        A document rendered again on download names its template file by digest, so a hit costs
        no read of the file.
        """
        item = (key, version, sha256)
        with self._lock:
            found = self._items.get(item)
            if found is not None:
                self._items.move_to_end(item)
                return found
            compiled = CompiledTemplate(load(), self._environment)
            self.compilations += 1
            self._items[item] = compiled
            if len(self._items) > self._maxsize:
                self._items.popitem(last=False)
            return compiled

    def __len__(self) -> int:
        return len(self._items)
