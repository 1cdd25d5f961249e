"""Files uploaded to an import page that waits on its preview (внасяне с преглед), kept between the steps.

The file waits on the server, under the service's data folder keyed by a random id: a session
cookie could not hold a class's workbook, and a client-side copy could be swapped between the
preview and the import. The page deletes it after the import; any left behind is deleted a day
later, at the next upload (an upload is the moment to look, so no sweep is needed). The students'
and the timetable's imports use it.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from flask import send_file
from werkzeug.datastructures import FileStorage

from shared.errors import NotFoundError
from shared.web.context import current_runtime

#: How long an uploaded file waits for its import, in seconds.
KEEP_SECONDS = 24 * 3600
SPREADSHEETS = (".csv", ".xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class UploadFolder:
    """Where one import's uploads wait: ``<data dir>/<service>/<name>``."""

    name: str
    extensions: tuple[str, ...] = SPREADSHEETS

    def path(self) -> Path:
        runtime = current_runtime()
        folder = runtime.settings.data_dir / runtime.definition.name / self.name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def keep(self, sent: FileStorage | None) -> tuple[str | None, str]:
        """Keep an uploaded file: ``(its id, "")``, or ``(None, the problem)`` for the form's „Файл“ field."""
        name = (sent.filename or "").lower() if sent else ""
        if not name:
            return None, "Изберете файл."
        if not name.endswith(self.extensions):
            return None, "Очаква се файл .csv или .xlsx."
        folder = self.path()
        limit = time.time() - KEEP_SECONDS
        for old in folder.iterdir():
            if old.stat().st_mtime < limit:
                old.unlink(missing_ok=True)
        upload_id = secrets.token_hex(16)
        sent.save(folder / f"{upload_id}{Path(name).suffix}")
        return upload_id, ""

    def find(self, upload_id: str) -> Path:
        """The kept file; NotFoundError once it was imported, expired, or for an id that was never given."""
        if _UPLOAD_ID.match(upload_id):
            for extension in self.extensions:
                path = self.path() / f"{upload_id}{extension}"
                if path.exists():
                    return path
        raise NotFoundError("Файлът вече е внесен или е изтекъл. Качете го отново.")


def headings_workbook(sheet_title: str, headings: Iterable[str], download_name: str):
    """An empty .xlsx with the headings an import reads, to fill in in Excel or LibreOffice."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(list(headings))
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    return send_file(content, mimetype=XLSX, as_attachment=True, download_name=download_name)


def problems_by_cell(errors: dict[str, list[str]], *, form_fields: Iterable[str] = ()
                     ) -> tuple[list[str], list[tuple[int, str, str]]]:
    """An import's 422 errors for its preview: the file's own problems, and ``(row, column, text)`` in row order.

    ``{"ред 3.ЕГН/ЛНЧ": [...]}`` names a cell; ``form_fields`` (e.g. ``valid_from``) are shown by the
    form beside their field, so they are left out of the file's problems.
    """
    general, by_cell = [], []
    for path, texts in errors.items():
        row, _dot, column = path.partition(".")
        if row.startswith("ред ") and row[4:].isdigit():
            by_cell.extend((int(row[4:]), column, text) for text in texts)
        elif path not in form_fields:
            general.extend(texts)
    return general, sorted(by_cell, key=lambda cell: cell[0])
