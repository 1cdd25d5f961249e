"""Re-render the documents' reference images after a reviewed change of a template's layout.

Usage: ``.venv/bin/python scripts/update_reference_images.py`` — renders every shipped template
from its example through LibreOffice (one run) and rewrites
``tests/documents/visual/references/<template>-p<page>.png``. Look at the changed images
(``git diff --stat``, an image viewer) before committing them: they are what the visual test
(``tests/documents/visual/test_documents_look.py``) holds every later change to.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.documents.visual import look


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="school-references-") as work:
        pdfs = look.to_pdfs(look.example_documents(), Path(work) / "profile")
    for path in look.write_references({key: look.rasterise(pdf) for key, pdf in pdfs.items()}):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
