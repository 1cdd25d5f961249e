"""PDF through LibreOffice headless (преобразуване в PDF).

Starting soffice costs about a second and creating its user profile several more, so the
converter keeps one profile for its whole life and converts a whole batch of documents in one
soffice run; a lock serialises runs because two soffice processes must never share a profile.
A worker should therefore hold one converter and hand it the documents it has queued together.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from .errors import PdfConversionError, PdfUnavailableError

#: Seconds one soffice run may take before it is killed (first run also builds the profile).
DEFAULT_TIMEOUT = 180.0

NOT_INSTALLED = (
    "PDF не може да бъде създаден: LibreOffice (soffice) не е инсталиран на сървъра. "
    "Инсталирайте пакета libreoffice-writer-nogui или изтеглете документа във формат .docx."
)


def find_soffice() -> str | None:
    """Path of the LibreOffice binary on PATH, or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class PdfConverter:
    """Warm, batch-oriented .docx → PDF converter.

    Parameters:
        soffice: path to the binary; looked up on PATH when ``None``.
        profile_dir: LibreOffice user profile to reuse; a private temporary one by default.
        timeout: seconds per soffice run.
    """

    def __init__(
        self, soffice: str | None = None, profile_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self._soffice = soffice
        self._profile = profile_dir
        self._own_profile = False
        self._timeout = timeout
        self._lock = threading.Lock()
        #: soffice processes started so far; one per batch, never one per document.
        self.launches = 0

    def available(self) -> bool:
        """Whether a LibreOffice binary can be found."""
        return (self._soffice or find_soffice()) is not None

    def convert(self, docx: bytes) -> bytes:
        """Convert one document (a batch of one)."""
        return self.convert_many([docx])[0]

    def convert_many(self, documents: Sequence[bytes]) -> list[bytes]:
        """Convert all documents in one soffice run; the PDFs come back in the same order."""
        if not documents:
            return []
        binary = self._soffice or find_soffice()
        if binary is None:
            raise PdfUnavailableError(NOT_INSTALLED)
        with self._lock, tempfile.TemporaryDirectory(prefix="school-pdf-") as work:
            workdir = Path(work)
            inputs = []
            for index, data in enumerate(documents):
                path = workdir / f"document-{index:05d}.docx"
                path.write_bytes(data)
                inputs.append(str(path))
            command = [
                binary,
                f"-env:UserInstallation={self._profile_dir().as_uri()}",
                "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                "--convert-to", "pdf:writer_pdf_Export",
                "--outdir", str(workdir / "out"),
                *inputs,
            ]
            try:
                result = subprocess.run(command, capture_output=True, timeout=self._timeout, check=False)
            except subprocess.TimeoutExpired as exc:
                raise PdfConversionError(
                    f"LibreOffice не завърши преобразуването в PDF за {self._timeout:.0f} секунди."
                ) from exc
            finally:
                self.launches += 1
            pdfs = []
            for index in range(len(documents)):
                pdf = workdir / "out" / f"document-{index:05d}.pdf"
                if not pdf.exists():
                    detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
                    raise PdfConversionError(
                        f"LibreOffice не създаде PDF за документ {index + 1} от {len(documents)} "
                        f"(код на изход {result.returncode}). {detail}".strip()
                    )
                pdfs.append(pdf.read_bytes())
            return pdfs

    def _profile_dir(self) -> Path:
        if self._profile is None:
            self._profile = Path(tempfile.mkdtemp(prefix="school-soffice-profile-"))
            self._own_profile = True
        return self._profile

    def close(self) -> None:
        """Remove the private profile (a given ``profile_dir`` is left alone)."""
        with self._lock:
            if self._own_profile and self._profile is not None:
                shutil.rmtree(self._profile, ignore_errors=True)
                self._profile = None
                self._own_profile = False
