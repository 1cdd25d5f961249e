"""Importing students with their guardians from the secretary's CSV or XLSX list (внасяне на списъци).

All or nothing: every row is checked first, every problem is reported by row and column in
Bulgarian, and only a clean file is stored, in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import openpyxl
import sqlalchemy as sa
from marshmallow import ValidationError

from services.register.models.people import SchoolClass, Student
from services.register.people.identification import identify
from services.register.people.schemas import GuardianSchema
from services.register.people.students import insert_student
from shared.auth.principal import Principal
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime

#: Column headings the office uses, in Bulgarian (and their English names), → field.
COLUMNS = {
    "име": "first_name", "first_name": "first_name",
    "презиме": "middle_name", "middle_name": "middle_name",
    "фамилия": "last_name", "last_name": "last_name",
    "егн": "egn", "егн/лнч": "egn", "лнч": "egn", "egn": "egn",
    "дата на раждане": "birth_date", "birth_date": "birth_date",
    "паралелка": "class_code", "клас": "class_code", "class_code": "class_code",
}
GUARDIAN_COLUMNS = {"родител": "name", "имейл": "email", "e-mail": "email", "телефон": "phone",
                    "адрес": "address", "адрес на родителя": "address", "address": "address"}
REQUIRED = ("first_name", "last_name", "egn", "class_code")
#: The headings of the template the office downloads, in the order it keeps them.
TEMPLATE_HEADINGS = ("Име", "Презиме", "Фамилия", "ЕГН", "Дата на раждане", "Паралелка", "Родител", "Имейл",
                     "Телефон", "Адрес")
LABELS = {"first_name": "Име", "middle_name": "Презиме", "last_name": "Фамилия", "egn": "ЕГН/ЛНЧ",
          "birth_date": "Дата на раждане", "class_code": "Паралелка"}
#: „Родител 2“, „Имейл 2“, … for the second guardian.
_NUMBERED = re.compile(r"^(.*?)\s*(\d)$")


def read_rows(filename: str, content: bytes) -> list[list[str]]:
    """The file's rows as text cells; CSV in UTF-8 (with or without BOM) or Windows-1251, or XLSX.

    Anything else (a picture, a broken workbook, a workbook named .csv) is refused naming the file.
    """
    if filename.lower().endswith(".xlsx"):
        return _workbook_rows(content)
    if not filename.lower().endswith(".csv"):
        raise InvalidInputError({"file": "Очаква се файл .csv или .xlsx."})
    return _csv_rows(content)


def _workbook_rows(content: bytes) -> list[list[str]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # A read-only workbook parses its sheet while it is read: damage may show only here.
            return [[_cell(value) for value in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except Exception:  # any unreadable workbook, however deep the damage, gets the same answer
        raise InvalidInputError({"file": "Файлът не е валиден .xlsx."}) from None


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text: str | None = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1251")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:  # no text file holds NUL bytes; pictures and workbooks do
        raise InvalidInputError({"file": "Файлът не е текстов .csv (в UTF-8 или Windows-1251)."})
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error:
        raise InvalidInputError({"file": "Колоните на .csv файла трябва да са разделени със запетая, "
                                         "точка и запетая или табулация."}) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(row: list[str]) -> tuple[dict[int, str], dict[int, tuple[int, str]], list[str]]:
    fields: dict[int, str] = {}
    guardian: dict[int, tuple[int, str]] = {}
    unknown: list[str] = []
    for index, heading in enumerate(row):
        name = heading.strip().lower()
        if not name:
            continue
        if name in COLUMNS:
            fields[index] = COLUMNS[name]
            continue
        match = _NUMBERED.match(name)
        base, number = (match.group(1), int(match.group(2))) if match else (name, 1)
        if base in GUARDIAN_COLUMNS:
            guardian[index] = (number, GUARDIAN_COLUMNS[base])
        else:
            unknown.append(heading)
    return fields, guardian, unknown


def parse(rows: list[list[str]], today: dt.date) -> tuple[list[dict], dict[str, list[str]]]:
    """Students from the rows, or the problems as ``{"ред N.Колона": [...]}``; row 1 is the heading."""
    if not rows:
        return [], {"file": ["Файлът е празен."]}
    fields, guardian_columns, unknown = _header(rows[0])
    errors: dict[str, list[str]] = {}
    if unknown:
        errors["file"] = [f"Непозната колона „{name}“." for name in unknown]
    missing = [LABELS[f] for f in REQUIRED if f not in fields.values()]
    if missing:
        errors.setdefault("file", []).append("Липсват колони: " + ", ".join(missing) + ".")
        return [], errors
    students: list[dict] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = {field: (row[i] if i < len(row) else "") for i, field in fields.items()}
        problems = _check(record, row, guardian_columns, today)
        for field, message in problems.items():
            errors.setdefault(f"ред {number}.{LABELS.get(field, field)}", []).append(message)
        # Rows with problems stay in the list so the checks against the school still report on them.
        students.append({**record, "row": number})
    return students, errors


def _check(record: dict, row: list[str], guardian_columns: dict, today: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    for field in REQUIRED:
        if not record.get(field):
            problems[field] = "Задължително поле."
    record.setdefault("middle_name", "")
    birth = None
    if record.get("birth_date"):
        try:
            birth = dt.date.fromisoformat(record["birth_date"])
        except ValueError:
            try:
                birth = dt.datetime.strptime(record["birth_date"], "%d.%m.%Y").date()
            except ValueError:
                problems["birth_date"] = "Датата се пише като дд.мм.гггг."
    record["birth_date"] = birth
    if record.get("egn") and "birth_date" not in problems:
        found, identity_problems = identify(record["egn"], birth, today)
        problems.update(identity_problems)
        record["identification"] = found
    guardians: dict[int, dict] = {}
    for index, (number, field) in guardian_columns.items():
        value = row[index].strip() if index < len(row) else ""
        if value:
            guardians.setdefault(number, {})[field] = value
    record["guardians"] = []
    for number, raw in sorted(guardians.items()):
        try:
            record["guardians"].append(GuardianSchema().load(raw))
        except ValidationError as exc:
            for field, messages in exc.messages.items():
                label = {"name": "Родител", "email": "Имейл", "phone": "Телефон", "address": "Адрес"}.get(field, field)
                problems[f"{label} {number}"] = " ".join(map(str, messages))
    return problems


def _check_against_school(s, students: list[dict], errors: dict[str, list[str]]) -> None:
    """Add the problems only the register can see: unknown classes, ЕГН already enrolled or repeated."""
    classes = set(s.scalars(sa.select(SchoolClass.code)))
    taken = set(s.scalars(sa.select(Student.egn).where(Student.egn.in_([st["egn"] for st in students]))))
    seen: dict[str, int] = {}
    for student in students:
        where = f"ред {student['row']}"
        if student["class_code"] and student["class_code"] not in classes:
            errors.setdefault(f"{where}.Паралелка", []).append(f"Няма паралелка {student['class_code']}.")
        if student["egn"] in taken:
            errors.setdefault(f"{where}.ЕГН/ЛНЧ", []).append("Ученик с това ЕГН/ЛНЧ вече е записан.")
        if student["egn"] and student["egn"] in seen:
            errors.setdefault(f"{where}.ЕГН/ЛНЧ", []).append(
                f"Същото ЕГН/ЛНЧ е и на ред {seen[student['egn']]}.")
        seen.setdefault(student["egn"], student["row"])


def _parsed(rt: ServiceRuntime, filename: str, content: bytes) -> tuple[list[dict], dict[str, list[str]]]:
    students, errors = parse(read_rows(filename, content), rt.clock.today())
    if not students and not errors:
        errors = {"file": ["Във файла няма ученици."]}
    return students, errors


def preview_students(rt: ServiceRuntime, filename: str, content: bytes) -> tuple[list[dict], dict[str, list[str]]]:
    """What :func:`import_students` would store and every problem it would refuse, storing nothing.

    The same checks in the same order, so a clean preview imports unless someone enrolls the same
    students in between (the import checks again in its own transaction).
    """
    students, errors = _parsed(rt, filename, content)
    with rt.db.sessions() as s:
        _check_against_school(s, students, errors)
    return students, errors


def import_students(rt: ServiceRuntime, who: Principal, filename: str, content: bytes) -> list[int]:
    """Check the whole file, then store every student in one transaction; 422 with every problem otherwise."""
    students, errors = _parsed(rt, filename, content)
    with rt.db.transaction() as s:
        _check_against_school(s, students, errors)
        if errors:
            raise InvalidInputError(errors)
        return [insert_student(s, rt, who, student, student["identification"]) for student in students]
