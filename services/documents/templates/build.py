"""Write the shipped .docx templates: ``python -m services.documents.templates.build [DIR]``.

The .docx files are generated, not hand-edited, so their Jinja tags never get split by Word; run
this after changing a layout in the ``content_*`` modules and commit the files it writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .catalog import DEFINITIONS, TemplateDefinition
from .docx_kit import to_bytes


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
    """Command-line entry: build into DIR (default: this package's directory)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).parent
    for path in build_all(target):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
