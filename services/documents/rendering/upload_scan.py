"""Checks of an uploaded .docx at the text level: what Word did to the tags (етикети).

Word replaces straight quotes with typographic ones, splits text into runs wherever formatting
or spell-checking changes, and lets people type ``{ {``. docxtpl repairs runs split inside one
paragraph; everything else is reported here, each message naming the tag and where it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .compiled import TEMPLATED_PART, docxtpl_tools, split_declaration

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = re.compile(r"\{[{%#]")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_SMART_QUOTES = "“”‘’„«»‚"
_SPACED = re.compile(r"\{\s+[{%]|[%}]\s+\}")
_STATEMENT = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.DOTALL)
_BLOCKS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape", "set"})


@dataclass(frozen=True)
class UploadProblem:
    """One problem found in an uploaded template: a machine ``code`` and a Bulgarian ``message``."""

    code: str
    message: str


def part_label(name: str) -> str:
    """Where in the document a part is, in words."""
    if "header" in name:
        return "в горния колонтитул"
    if "footer" in name:
        return "в долния колонтитул"
    if "footnotes" in name:
        return "в бележките под линия"
    return "в текста на документа"


def read_parts(docx_bytes: bytes) -> dict[str, str]:
    """The XML of every part that can hold tags; raises ``ValueError`` (Bulgarian) on a bad file."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise ValueError("Файлът не е документ на Word: липсва word/document.xml.")
            return {name: archive.read(name).decode("utf-8") for name in names if TEMPLATED_PART.match(name)}
    except zipfile.BadZipFile as exc:
        raise ValueError("Файлът не е документ във формат .docx.") from exc
    except UnicodeDecodeError as exc:
        raise ValueError("Файлът съдържа XML, който не е в UTF-8.") from exc


def paragraphs(xml: str) -> Iterator[str]:
    """Visible text of each paragraph, runs joined as the reader sees them."""
    _, body = split_declaration(xml)
    root = etree.fromstring(body.encode("utf-8"))
    for paragraph in root.iter(f"{_W}p"):
        yield "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scan_paragraph(text: str, where: str) -> list[UploadProblem]:
    """Delimiter problems inside one paragraph: unclosed or crossed tags, typographic quotes."""
    problems: list[UploadProblem] = []
    for match in _SPACED.finditer(text):
        problems.append(UploadProblem("split_tag", (
            f"Разделителят „{match.group(0)}“ {where} е разкъсан с интервал; "
            "етикетите започват с „{{“ или „{%“ без интервал между знаците."
        )))
    position = 0
    while (found := _OPENER.search(text, position)) is not None:
        opener = found.group(0)
        end = text.find(_CLOSERS[opener], found.end())
        crossed = [
            (at, closer) for closer in _CLOSERS.values()
            if closer != _CLOSERS[opener] and (at := text.find(closer, found.end())) != -1
        ]
        first_crossed = min(crossed, default=None)
        if first_crossed is not None and (end == -1 or first_crossed[0] < end):
            tag = text[found.start(): first_crossed[0] + 2]
            problems.append(UploadProblem("split_tag", (
                f"Етикетът „{_short(tag)}“ {where} започва с „{opener}“, но се затваря с "
                    f"„{first_crossed[1]}“."
            )))
            position = first_crossed[0] + 2
            continue
        if end == -1:
            problems.append(UploadProblem("split_tag", (
                f"Етикетът „{_short(text[found.start():])}“ {where} не е затворен с „{_CLOSERS[opener]}“ "
                "в същия абзац (Word може да го е разделил на няколко абзаца)."
            )))
            return problems
        tag = text[found.start(): end + 2]
        quotes = sorted({char for char in tag if char in _SMART_QUOTES})
        if quotes:
            problems.append(UploadProblem("smart_quotes", (
                f"Етикетът „{_short(tag)}“ {where} съдържа типографски кавички ({' '.join(quotes)}), "
                "поставени от Word; в етикетите се пишат само прави кавички \" или '."
            )))
        position = end + 2
    return problems


def scan_merged(xml: str, where: str) -> list[UploadProblem]:
    """Tags that still contain Word markup after docxtpl's repair (fields, drawings, bookmarks)."""
    source = docxtpl_tools().patch_xml(split_declaration(xml)[1])
    problems = []
    for match in _TAG.finditer(source):
        if "<w:" in match.group(0) or "</w:" in match.group(0):
            visible = re.sub(r"<[^>]+>", "", match.group(0))
            problems.append(UploadProblem("split_tag", (
                f"Етикетът „{_short(visible)}“ {where} е разделен от Word с полета или обекти, "
                    f"които не могат "
                "да бъдат премахнати автоматично; изтрийте го и го напишете наново на един ред."
            )))
    return problems


def scan_blocks(source: str) -> list[UploadProblem]:
    """Balance of ``{% … %}`` blocks over the whole (repaired) template."""
    problems: list[UploadProblem] = []
    stack: list[str] = []
    for match in _STATEMENT.finditer(source):
        word, rest = match.group(1), match.group(2)
        if word in _BLOCKS and not (word == "set" and "=" in rest):
            stack.append(word)
        elif word in ("elif", "else") and (not stack or stack[-1] not in ("if", "for")):
            problems.append(UploadProblem("unbalanced_block", f"Етикетът {{% {word} %}} е извън "
                f"блок {{% if %}}."))
        elif word.startswith("end"):
            opened = word[3:]
            if not stack:
                problems.append(UploadProblem(
                    "unbalanced_block", f"Затварящият етикет {{% {word} %}} няма съответен {{% {opened} %}}."
                ))
            elif stack[-1] != opened:
                problems.append(UploadProblem(
                    "unbalanced_block", f"Блокът {{% {stack[-1]} %}} е затворен с {{% {word} %}} "
                        f"вместо с {{% end{stack[-1]} %}}."
                ))
                stack.pop()
            else:
                stack.pop()
    problems.extend(
        UploadProblem("unbalanced_block", f"Блокът {{% {word} %}} не е затворен с {{% end{word} %}}.")
        for word in stack
    )
    return problems
