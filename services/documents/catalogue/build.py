"""Write the shipped .docx templates: ``python -m services.documents.catalogue.build [DIR]``.

The .docx files are generated, not hand-edited, so their Jinja tags never get split by Word; run
this after changing a layout in ``layouts/`` and commit the files it writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from services.documents import templates
from services.documents.catalogue.definitions import DEFINITIONS, TemplateDefinition
from services.documents.catalogue.layouts.kit import to_bytes


def build_docx(definition: TemplateDefinition) -> bytes:
    """The .docx bytes of one template."""
    return to_bytes(definition.build(definition.title))


def build_all(target: Path) -> list[Path]:
    """Write every shipped template into ``target``; returns the written paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for definition in DEFINITIONS:
        path = target / f"{definition.key}.docx"
        path.write_bytes(build_docx(definition))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build into DIR (default: ``services/documents/templates``)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(templates.__file__).parent
    for path in build_all(target):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
