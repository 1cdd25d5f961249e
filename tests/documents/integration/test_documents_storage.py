"""A document is its inputs and a checksum; the file is rendered again on download (issue 20, point 2).

Downloading any document twice gives the same bytes, equal to its sha256; a letter keeps no file,
an order keeps the one the director signed; a file that no longer matches its checksum is refused
with a clear answer and an error in the log, never served.
"""

from __future__ import annotations

import hashlib
import logging

import pytest
import sqlalchemy as sa

from services.documents.catalogue.examples import ABSENCE_NOTICE, PE_EXEMPTION
from services.documents.models import Document, TemplateFile

pytestmark = pytest.mark.integration


def _request(api, template: str, context: dict) -> int:
    context = {k: v for k, v in context.items() if k not in ("number", "outgoing_number")}
    answer = api.post("/api/documents/documents", json={"template": template, "context": context})
    assert answer.status_code == 202, answer.json
    api.drain()
    assert api.get(f"/api/documents/documents/{answer.json['id']}").json["status"] == "done"
    return answer.json["id"]


def _row(process, document_id: int) -> Document:
    with process.runtime("documents").db.sessions() as s:
        document = s.get(Document, document_id)
        s.expunge(document)
        return document


def test_a_letter_is_rendered_again_on_each_download_with_the_same_bytes(api, process):
    letter = _request(api, "absence_notice", ABSENCE_NOTICE)
    first = api.get(f"/api/documents/documents/{letter}/file")
    second = api.get(f"/api/documents/documents/{letter}/file")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    row = _row(process, letter)
    assert row.content is None  # nothing of the file is stored but its checksum
    assert hashlib.sha256(first.data).hexdigest() == row.content_sha256
    with process.runtime("documents").db.sessions() as s:
        kept = s.get(TemplateFile, row.template_sha256)
        assert kept.key == "absence_notice"
        assert hashlib.sha256(kept.content).hexdigest() == row.template_sha256
    # The PDF is made from the same checked file.
    assert api.get(f"/api/documents/documents/{letter}/file", query_string={"format": "pdf"}).status_code == 200


def test_an_order_keeps_the_file_the_director_signed(api, process):
    order = _request(api, "pe_exemption_order", PE_EXEMPTION)
    download = api.get(f"/api/documents/documents/{order}/file")
    row = _row(process, order)
    assert row.content == download.data
    assert hashlib.sha256(download.data).hexdigest() == row.content_sha256
    assert api.get(f"/api/documents/documents/{order}/file").data == download.data


def test_a_file_that_no_longer_matches_its_checksum_is_refused_and_logged(api, process, caplog):
    letter = _request(api, "absence_notice", ABSENCE_NOTICE)
    order = _request(api, "pe_exemption_order", PE_EXEMPTION)
    with process.runtime("documents").db.transaction() as s:
        # The letter's inputs changed behind the system's back; the order's kept file was damaged.
        context = dict(s.get(Document, letter).context) | {"unexcused": 9}
        s.execute(sa.update(Document).where(Document.id == letter).values(context=context))
        kept = s.get(Document, order).content
        damaged = kept[:100] + bytes([kept[100] ^ 0xFF]) + kept[101:]
        s.execute(sa.update(Document).where(Document.id == order).values(content=damaged))
    for document_id in (letter, order):
        with caplog.at_level(logging.ERROR, logger="services.documents.storage"):
            answer = api.get(f"/api/documents/documents/{document_id}/file")
        assert answer.status_code == 409
        assert "не съвпада байт по байт" in answer.json["message"]
        assert answer.mimetype == "application/json"  # no file, not even a part of one
        assert any(f"document {document_id} " in r.getMessage() and "refused" in r.getMessage()
                   for r in caplog.records)
