"""A picture or a workbook uploaded as the absences' CSV: 422 naming the file, nothing stored.

Regression of the fuzzing (issue 17): a picture made ``POST /absences/import`` answer 500.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from services.register.models.absences import Absence
from tests.support.bad_files import broken_workbook, png_picture, workbook

pytestmark = pytest.mark.backend("embedded")

HEADING = ["student_id", "date", "lesson", "subject", "kind"]


def upload(api, content: bytes, name: str = "absences.csv"):
    return api.post("/api/register/absences/import", data={"file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data")


@pytest.mark.parametrize("content", [
    png_picture(),
    workbook([HEADING, ["1", "2023-10-02", "1", "Математика", "late"]]),
    broken_workbook([HEADING]),
    b"student_id,date,lesson,subject,kind\n1,2023-10-02,1,\"" + b"x" * 200_000 + b"\",late\n",
], ids=["picture", "workbook", "broken-workbook", "field-beyond-csv-limit"])
def test_a_file_that_is_no_csv_is_refused_naming_the_file(api, process, content, backend):
    answer = upload(api, content)

    assert answer.status_code == 422, answer.json
    assert answer.json["errors"]["file"]
    assert all(not message.isascii() for message in answer.json["errors"]["file"])
    with process.runtime("register").db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Absence)) == 0
