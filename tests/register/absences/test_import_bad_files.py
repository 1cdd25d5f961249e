"""A picture or a workbook uploaded as the absences' CSV: 422 naming the file, nothing stored.

Regression of the fuzzing (issue 17): a picture made ``POST /absences/import`` answer 500, and so
did a row whose student number no database holds (SQLite beyond 2**63, PostgreSQL beyond 2**31).
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from services.register.models.absences import Absence
from tests.support.bad_files import broken_workbook, png_picture, workbook

HEADING = ["student_id", "date", "lesson", "subject", "kind"]


def absence_count(process) -> int:
    with process.runtime("register").db.sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Absence))


def upload(api, content: bytes, name: str = "absences.csv"):
    return api.post("/api/register/absences/import", data={"file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data")


@pytest.mark.parametrize("content", [
    png_picture(),
    workbook([HEADING, ["1", "2023-10-02", "1", "Математика", "late"]]),
    broken_workbook([HEADING]),
    b"student_id,date,lesson,subject,kind\n1,2023-10-02,1,\"" + b"x" * 200_000 + b"\",late\n",
], ids=["picture", "workbook", "broken-workbook", "field-beyond-csv-limit"])
@pytest.mark.backend("embedded")
def test_a_file_that_is_no_csv_is_refused_naming_the_file(api, process, content, backend):
    answer = upload(api, content)

    assert answer.status_code == 422, answer.json
    assert answer.json["errors"]["file"]
    assert all(not message.isascii() for message in answer.json["errors"]["file"])
    assert absence_count(process) == 0


def test_a_student_number_no_database_holds_is_a_bad_row(api, process, backend):
    rows = ["student_id,date,lesson,subject,kind", f"{2**31},2023-10-02,1,Математика,late",
            f"{2**64},2023-10-02,2,Математика,late", f"-{2**70},2023-10-02,3,Математика,late"]

    answer = upload(api, "\n".join(rows).encode())

    assert answer.status_code == 422, answer.json
    assert answer.json["errors"] == {f"ред {n}": ["Няма ученик с такъв номер."] for n in (2, 3, 4)}
    assert absence_count(process) == 0
