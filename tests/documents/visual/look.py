"""Documents as a person sees them: rendered from their examples, printed to PDF, rasterised, compared.

Used by ``test_documents_look.py`` and by ``scripts/update_reference_images.py``, which writes the
reviewed reference images this module compares against.

- Rendering: every template's example through the service's own renderer, and all documents of a
  run through ONE LibreOffice call (``PdfConverter.convert_many``).
- Rasterising: ``pdftoppm`` (Debian ``poppler-utils``), grey, at :data:`DPI`.
- Comparing: both pages blurred a little (anti-aliasing and sub-pixel shifts are not a change a
  person sees), then the share of pixels whose grey level differs by more than :data:`TOLERANCE`
  must stay under :data:`MAX_CHANGED`. A missing letterhead, a paragraph moved by a line or a
  signature pushed onto another page changes far more; LibreOffice's run-to-run noise changes nothing.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

from services.documents.catalogue import TemplateSpec, shipped_templates
from services.documents.rendering import DocumentRenderer, PdfConverter

#: Resolution of the reference images: enough to see a layout, small enough to keep in git.
DPI = 60
#: Radius (pixels) of the Gaussian blur applied before comparing.
BLUR = 1.0
#: Grey levels (0–255) by which a blurred pixel may differ and still count as unchanged.
TOLERANCE = 40
#: Share of a page's pixels allowed to change: 0.1 % ≈ 350 pixels of an A4 page at 60 dpi,
#: less than one short word.
MAX_CHANGED = 0.001
REFERENCES = Path(__file__).parent / "references"


def reference_path(key: str, page: int) -> Path:
    """Where the reference image of a template's page (1-based) is kept."""
    return REFERENCES / f"{key}-p{page}.png"


def reference_pages(key: str) -> list[Path]:
    """The reference images of a template, in page order."""
    pages = []
    while reference_path(key, len(pages) + 1).exists():
        pages.append(reference_path(key, len(pages) + 1))
    return pages


def example_documents(specs: list[TemplateSpec] | None = None) -> dict[str, bytes]:
    """Every shipped template rendered from its example, as .docx bytes by template key."""
    renderer = DocumentRenderer()
    return {spec.key: renderer.render(spec, spec.example) for spec in specs or shipped_templates()}


def to_pdfs(documents: Mapping[str, bytes], profile_dir: Path) -> dict[str, bytes]:
    """All documents to PDF in one LibreOffice run."""
    converter = PdfConverter(profile_dir=profile_dir)
    names = list(documents)
    return dict(zip(names, converter.convert_many([documents[name] for name in names]), strict=True))


def rasterise(pdf: bytes) -> list[Image.Image]:
    """The PDF's pages as grey images at :data:`DPI`, through ``pdftoppm``."""
    with tempfile.TemporaryDirectory(prefix="school-look-") as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), str(Path(work) / "page")],
                       check=True, capture_output=True, timeout=120)
        # pdftoppm numbers pages with as many digits as the last page needs: sort by the number.
        files = sorted(Path(work).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = []
        for file in files:
            with Image.open(file) as image:
                pages.append(image.convert("L"))
        return pages


@dataclasses.dataclass(frozen=True)
class Comparison:
    """How far a rendered page is from its reference."""

    changed: float  #: share of the page's pixels that differ beyond the tolerance
    diff: Image.Image  #: the reference, faded, with the changed pixels in red

    @property
    def same(self) -> bool:
        return self.changed <= MAX_CHANGED


def compare(actual: Image.Image, reference: Image.Image) -> Comparison:
    """Compare two grey pages; pages of different sizes are entirely different."""
    if actual.size != reference.size:
        canvas = Image.new("L", reference.size, 255)
        canvas.paste(actual, (0, 0))
        actual = canvas
    blurred = [image.filter(ImageFilter.GaussianBlur(BLUR)) for image in (actual, reference)]
    changed_mask = ImageChops.difference(*blurred).point(lambda level: 255 if level > TOLERANCE else 0)
    histogram = changed_mask.histogram()
    changed = histogram[255] / (reference.width * reference.height)
    faded = reference.point(lambda level: 155 + level * 100 // 255).convert("RGB")
    diff = Image.composite(Image.new("RGB", reference.size, (220, 0, 0)), faded, changed_mask)
    return Comparison(changed=changed, diff=diff)


def write_references(pages_by_key: Mapping[str, list[Image.Image]]) -> list[Path]:
    """Replace each template's reference images by the given pages; returns the written files."""
    REFERENCES.mkdir(parents=True, exist_ok=True)
    written = []
    for key, pages in pages_by_key.items():
        for stale in reference_pages(key):
            stale.unlink()
        for number, image in enumerate(pages, start=1):
            path = reference_path(key, number)
            image.save(path, optimize=True)
            written.append(path)
    return written


def differences(key: str, pages: list[Image.Image], artifacts: Path) -> list[str]:
    """What differs visibly between a template's rendered pages and its references, in words.

    Each differing page's diff image (and the page as rendered) is saved under ``artifacts`` and
    named in the text; no difference gives an empty list.
    """
    references = reference_pages(key)
    if not references:
        return [f"{key}: no reference images; run scripts/update_reference_images.py and review them"]
    problems = []
    if len(pages) != len(references):
        problems.append(f"{key}: {len(pages)} page(s), its reference has {len(references)}")
    for number, (page, path) in enumerate(zip(pages, references, strict=False), start=1):
        with Image.open(path) as stored:
            result = compare(page, stored.convert("L"))
        if not result.same:
            artifacts.mkdir(parents=True, exist_ok=True)
            diff_path = artifacts / f"{key}-p{number}-diff.png"
            result.diff.save(diff_path)
            page.save(artifacts / f"{key}-p{number}-actual.png")
            problems.append(f"{key} page {number}: {result.changed:.2%} of the page changed "
                            f"(allowed {MAX_CHANGED:.2%}); diff: {diff_path}")
    return problems
