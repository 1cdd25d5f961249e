"""A picture or a broken workbook uploaded as the students' list: 422 naming the file, nothing stored.

Regression of the fuzzing (issue 17): such files made ``POST /students/import`` answer 500.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from services.register.models.people import Student
from tests.register.people.test_student_import import GOOD, HEADING
from tests.support.bad_files import broken_workbook, png_picture, truncated, workbook
from tests.support.school import setup_small_school

pytestmark = pytest.mark.backend("embedded")


def upload(api, content: bytes, name: str):
    return api.post("/api/register/students/import", data={"file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data")


def student_count(process) -> int:
    with process.runtime("register").db.sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Student))


@pytest.mark.parametrize(("content", "name"), [
    (png_picture(), "списък.csv"),
    (png_picture(), "списък.xlsx"),
    (broken_workbook([HEADING, *GOOD]), "списък.xlsx"),
    (truncated(workbook([HEADING, *GOOD])), "списък.xlsx"),
    (workbook([HEADING, *GOOD]), "списък.csv"),
    (b"\x00" * 64, "списък.csv"),
    (b"", "списък.csv"),
    ("Име Фамилия".encode(), "списък.csv"),
], ids=["picture-as-csv", "picture-as-xlsx", "broken-sheet", "cut-off-workbook", "workbook-as-csv", "zeros",
        "empty", "one-word-heading"])
def test_a_file_that_is_no_list_is_refused_naming_the_file(api, make_user, process, content, name, backend):
    setup_small_school(api, make_user)
    before = student_count(process)

    answer = upload(api, content, name)

    assert answer.status_code == 422, answer.json
    assert answer.json["errors"]["file"]
    assert all(message.endswith(".") and not message.isascii() for message in answer.json["errors"]["file"])
    assert student_count(process) == before
