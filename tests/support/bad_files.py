"""Files that are not what an import expects, as people upload them by mistake: a picture, a broken workbook."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl


def png_picture() -> bytes:
    """A real 2×2 PNG image (a photo of the list instead of the list)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + bytes([200, 30, 152]) * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def workbook(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def broken_workbook(rows: list[list[str]]) -> bytes:
    """A workbook whose package opens but whose first sheet's XML is cut off half-way."""
    source = zipfile.ZipFile(io.BytesIO(workbook(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return out.getvalue()


def truncated(content: bytes) -> bytes:
    """The first half of a file, as an interrupted download leaves it."""
    return content[: len(content) // 2]
