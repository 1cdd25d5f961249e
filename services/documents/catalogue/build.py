"""Write the shipped .docx templates: ``python -m services.documents.catalogue.build [--only KEY ...] [DIR]``.

The .docx files are generated, not hand-edited, so their Jinja tags never get split by Word; run
this after changing a layout in ``layouts/`` and commit the files it writes. Building is not
byte-for-byte repeatable (Word's document properties carry the time), so ``--only`` writes just
the templates whose layout changed: every other file keeps its bytes, and with them the checksum
that documents already made with it were recorded against.
"""

from __future__ import annotations

import sys
from pathlib import Path

from services.documents import templates
from services.documents.catalogue.definitions import DEFINITIONS
from services.documents.catalogue.layouts.kit import to_bytes
from services.documents.catalogue.spec import TemplateDefinition


def build_docx(definition: TemplateDefinition) -> bytes:
    """The .docx bytes of one template."""
    return to_bytes(definition.build(definition.title))


def build_all(target: Path, only: set[str] | None = None) -> list[Path]:
    """Write the shipped templates (those keyed in ``only``, else all) into ``target``; returns the paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    unknown = (only or set()) - {definition.key for definition in DEFINITIONS}
    if unknown:
        raise SystemExit(f"no such template: {', '.join(sorted(unknown))}")
    for definition in DEFINITIONS:
        if only and definition.key not in only:
            continue
        path = target / f"{definition.key}.docx"
        path.write_bytes(build_docx(definition))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build into DIR (default: ``services/documents/templates``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    only: set[str] = set()
    if "--only" in args:
        at = args.index("--only")
        only = {key for key in args[at + 1:] if not key.startswith("-")}
        args = args[:at]
    target = Path(args[0]) if args else Path(templates.__file__).parent
    for path in build_all(target, only or None):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
