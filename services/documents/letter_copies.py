"""One letter, one outgoing number (изходящ номер): a paper copy keeps the number of the letter it copies.

Documents draws up the parents' ladder letters (Чл. 97, т. 8) and the dropout letter (Чл. 97, т. 17)
itself when the register's event comes. For a guardian no channel reaches, notifications asks for the
same letter on paper (``documents.document_requested`` with ``on_paper``), addressed to that guardian.
Both are the one letter the rulebook requires, entered once in the register of outgoing letters, so
they carry one number and one date: whichever of them is rendered first takes the number, and the
others keep it (the two requests come from two services' handling of one event, in either order).
The render job looks for that twin after locking the series' counter (``tasks.render``), so two
renders at once cannot both take a number: the second waits for the first's commit and then sees it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents.models import Document, PaperLetter

#: The letters documents draws up itself that may also be asked for on paper, with the context fields
#: that say which letter (which firing of the rule) a document is.
SAME_LETTER: dict[str, tuple[str, ...]] = {
    "absence_letter": ("rung", "period_from"),
    "dropout_letter": ("term_end", "register_entry"),
}


def _is_the_letter(session: Session, document: Document) -> bool:
    """Documents' own letter (keyed ``<template>:<student>:…``) or a paper copy of it; not one the office typed."""
    own = (document.source_key or "").startswith(f"{document.template}:")
    return own or session.get(PaperLetter, document.id) is not None


def numbered_twin(session: Session, document: Document, context: dict[str, Any]) -> dict[str, Any] | None:
    """The context of the same letter already numbered (documents' own or another paper copy), if any."""
    fields = SAME_LETTER.get(document.template)
    if fields is None or document.student_id is None or not _is_the_letter(session, document):
        return None
    others = session.scalars(sa.select(Document).where(
        Document.template == document.template, Document.student_id == document.student_id,
        Document.status == "done", Document.id != document.id).order_by(Document.id))
    for other in others:
        if (other.context.get("outgoing_number") and all(other.context.get(f) == context.get(f) for f in fields)
                and _is_the_letter(session, other)):
            return other.context
    return None
