"""Which of the student's card's sections have anything to show, asked in one statement.

Most students have no application, permission, letter in the register, scholarship, exam or ended
review; each section read on its own costs a round trip to the database for nothing. At the start of
a lesson 300 parents open their children's cards at once (``bench/bench_rush.py``, issue 17): the
card went from 20 statements to 13 with this question first, and a section is read only when it has rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.absences import (
    DeregistrationReviewEnd,
    DirectorPermission,
    ExcuseApplication,
    Scholarship,
)
from services.register.models.dropout import ClassRegisterEntry
from services.register.models.exams import ExamCandidate

#: The sections the card may leave out, by the table whose rows they show.
SECTIONS = {
    "applications": ExcuseApplication,
    "permissions": DirectorPermission,
    "entries": ClassRegisterEntry,
    "scholarships": Scholarship,  # a stop belongs to a scholarship: no scholarship, no stops
    "exams": ExamCandidate,
    "review_ends": DeregistrationReviewEnd,
}


def sections_with_rows(session: Session, student_id: int) -> set[str]:
    """The names of :data:`SECTIONS` that have a row of this student."""
    question = sa.select(*(sa.exists().where(model.student_id == student_id).label(name)
                           for name, model in SECTIONS.items()))
    row = session.execute(question).one()
    return {name for name in SECTIONS if row._mapping[name]}
