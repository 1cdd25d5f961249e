"""Importing the secretary's list of students with guardians: all or nothing, errors by row and column."""

from __future__ import annotations

import io

import openpyxl

from services.register.models.people import Guardian
from tests.support.school import setup_small_school

HEADING = ["Име", "Презиме", "Фамилия", "ЕГН/ЛНЧ", "Паралелка", "Родител", "Имейл", "Телефон", "Родител 2",
           "Телефон 2"]
GOOD = [
    ["Иван", "Петров", "Стоянов", "0847151239", "10а", "Петър Стоянов", "p.stoyanov@example.bg", "+359888111222",
     "Мария Стоянова", "+359887111222"],
    ["Елена", "Георгиева", "Колева", "0851208761", "10а", "Георги Колев", "", "+359888333444", "", ""],
]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(";".join(row) for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, content: bytes, name: str):
    return api.post("/api/register/students/import", data={"file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data")


def test_a_clean_csv_imports_every_student_with_guardians(api, make_user, process):
    setup_small_school(api, make_user)
    answer = upload(api, csv_bytes([HEADING, *GOOD], encoding="cp1251"), "10а.csv")
    assert answer.status_code == 201, answer.json
    assert len(answer.json["ids"]) == 2
    register = process.runtime("register")
    with register.db.sessions() as s:
        names = sorted(g.name for g in s.query(Guardian).filter(Guardian.student_id.in_(answer.json["ids"])))
    assert names == ["Георги Колев", "Мария Стоянова", "Петър Стоянов"]


def test_a_bad_xlsx_names_every_problem_by_row_and_column_and_stores_nothing(api, make_user):
    setup_small_school(api, make_user)
    rows = [HEADING, GOOD[0],
            ["Ани", "", "", "0847151237", "10а", "", "", "", "", ""],
            ["Боян", "Иванов", "Петков", "0847151239", "11в", "Иван Петков", "не-е-имейл", "", "", ""]]
    answer = upload(api, xlsx_bytes(rows), "списък.xlsx")
    assert answer.status_code == 422
    errors = answer.json["errors"]
    assert "ред 3.Фамилия" in errors
    assert "ред 3.ЕГН/ЛНЧ" in errors
    assert "ред 4.Имейл 1" in errors
    assert errors["ред 4.Паралелка"] == ["Няма паралелка 11в."]
    assert "Същото ЕГН/ЛНЧ е и на ред 2." in errors["ред 4.ЕГН/ЛНЧ"]
    again = upload(api, xlsx_bytes([HEADING, GOOD[0]]), "списък.xlsx")
    assert again.status_code == 201, again.json  # the refused file stored nothing, so this is no duplicate


def test_unknown_columns_and_other_formats_are_refused(api, make_user):
    setup_small_school(api, make_user)
    odd = upload(api, csv_bytes([["Име", "Фамилия", "Любим цвят"], ["Иван", "Петров", "син"]]), "x.csv")
    assert odd.status_code == 422
    assert any("Любим цвят" in message for message in odd.json["errors"]["file"])
    assert any("ЕГН/ЛНЧ" in message for message in odd.json["errors"]["file"])
    assert upload(api, b"%PDF-1.4", "x.pdf").status_code == 422
