"""A template's form (формуляр): its fields read from the context schema, filled in, read back.

The page for a new document is built from the template's marshmallow schema, so a template
added by a plugin gets its form too. What the service already knows is filled in from its
replicas (the student, the parents, the class teacher); the letterhead and the register numbers
are left to ``generation`` and the ``render`` job, as for the API. Reading the form back only
turns text into the JSON types the schema expects; the schema itself judges the values, and its
refusals come back by field path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy.orm import Session

from services.documents import generation, replicas
from services.documents.catalogue import TemplateSpec
from services.documents.models import StudentCard

#: How each context field reads on the form; a field missing here shows its path.
LABELS: dict[str, str] = {
    "activities": "Дейности", "activity": "Заместваща дейност", "address": "Адрес", "birth_date": "Дата на раждане",
    "class_name": "Паралелка", "class_teacher": "Класен ръководител", "class_teachers": "Класни ръководители",
    "control_by": "Контрол по изпълнението", "council_protocol": "Протокол на педагогическия съвет",
    "count": "Брой отсъствия", "criterion": "Критерий", "date": "Дата", "deadline": "Срок",
    "education_form": "Форма на обучение", "effective_from": "В сила от", "egn": "ЕГН", "end_on": "До",
    "event": "Мероприятие", "excused": "Извинени", "exempt_from": "Освободен от", "exempt_to": "Освободен до",
    "hearing_on": "Дата на изслушването", "hearing_place": "Място на изслушването",
    "hearing_time": "Час на изслушването", "institutions": "Институции", "issued_on": "Дата на издаване",
    "late": "Закъснения", "leaders": "Ръководители", "list_due": "Срок на справката до ЗАС",
    "medical_document": "Медицински документ",
    "meeting": "Среща", "month": "Месец", "motives": "Мотиви", "name": "Име", "note": "Бележка",
    "notice_number": "Номер на уведомлението", "notified_on": "Уведомен на", "number": "Номер",
    "order": "Заповед", "organiser": "Организатор", "outside_town": "Извън населеното място",
    "parent": "Родител", "parent_attended": "Родителят присъства", "parent_name": "Име на родителя",
    "parent_phone": "Телефон на родителя", "pe_teachers": "Учители по физическо възпитание",
    "period_from": "Период от", "period_to": "Период до", "place": "Място", "prepared_on": "Изготвен на",
    "proposal_ref": "Предложение", "proposed_on": "Дата на предложението", "psychologist": "Психолог",
    "purpose": "Да послужи", "reasons": "Основания", "responsible": "Отговорник", "role": "Качество",
    "rung": "Праг на писмото", "ruo": "РУО", "sanction": "Санкция", "scholarship": "Стипендия", "school": "Училище",
    "school_days": "Учебни дни", "school_year": "Учебна година", "sent_on": "Дата на изпращане",
    "start_on": "От", "status": "Изпълнение", "student": "Ученик", "students": "Ученици",
    "submitted_on": "Подадена на", "text": "Дейност", "time": "Час", "tour_operator": "Туроператор",
    "unexcused": "Неизвинени", "unexcused_hours": "Неизвинени часове", "unexcused_year": "Неизвинени за годината",
    "town": "Град", "phone": "Телефон", "email": "Електронна поща", "neispuo_code": "Код по НЕИСПУО",
    "director_name": "Директор",
    "change": "Промяна", "changes": "Промени в разписанието", "circumstances": "Обстоятелства (Чл. 114, ал. 2)",
    "classes": "Паралелки", "council_decision": "Решение на педагогическия съвет", "days": "Дни",
    "differences": "Различия в учебните планове", "enrolled_on": "Постъпил на", "exams": "Приравнителни изпити",
    "from_school": "Идва от училище", "grade": "Оценка", "grades": "Оценки", "ground": "Основание (т. 1–3)",
    "kind": "Вид", "leader": "Ръководител на екипа (психолог)", "lesson": "Час", "members": "Членове на екипа",
    "position": "Длъжност", "powers": "Делегирани правомощия", "profile": "Профил или професия",
    "reason": "Причина за отсъствието", "subject": "Учебен предмет", "substitute": "Заместващ",
    "teacher": "Учител", "term": "Учебен срок", "term_start": "Начало на срока", "to_school": "Премества се в",
    "valid_from": "В сила от", "weekly_lessons": "Часове седмично", "works": "Класни и контролни работи",
    "session": "Сесия", "final_grade": "Сесия за XII клас (май и юли)", "schedule": "График на изпитите",
    "exam_form": "Форма на изпита (писмен, устен, практически)", "room": "Зала", "commission": "Комисия",
}
#: Filled by the service, never typed: the letterhead (from the register), the numbers (at render).
AUTOMATIC_TOP = ("school", "outgoing_number")
#: What a certificate says when nobody asks for more: it serves wherever it is presented.
DEFAULT_PURPOSE = "където е необходимо"
DEFAULT_EDUCATION_FORM = "дневна"

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BULGARIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclasses.dataclass(frozen=True)
class FormField:
    """One input of the form, named by its context path (``student.name``).

    ``kind`` is ``text``, ``email``, ``date``, ``number`` (whole), ``hours`` (decimal comma),
    ``checkbox``, ``lines`` (a list of texts, one a line) or ``rows`` (a list of objects, one a line,
    its ``columns`` separated by „;“).
    """

    name: str
    label: str
    kind: str
    required: bool
    columns: tuple[tuple[str, str, str], ...] = ()
    #: A word of help shown under the label.
    note: str = ""

    @property
    def hint(self) -> str:
        if self.note:
            return self.note
        if self.kind == "lines":
            return "По един на ред."
        if self.kind == "rows":
            columns = "; ".join(label for _n, label, _k in self.columns)
            return f"По един на ред, колоните разделени с „;“: {columns}."
        return ""


def _kind(field: fields.Field) -> str:
    if isinstance(field, fields.Boolean):
        return "checkbox"
    if isinstance(field, fields.Date):
        return "date"
    if isinstance(field, fields.Integer):
        return "number"
    if isinstance(field, fields.Float):
        return "hours"
    if isinstance(field, fields.Email):
        return "email"
    return "text"


def _label(path: str) -> str:
    parts = path.split(".")
    label = LABELS.get(parts[-1], parts[-1])
    if len(parts) > 1 and parts[-1] in ("name", "address", "date", "number", "issued_on", "time", "place"):
        label = f"{label} ({LABELS.get(parts[-2], parts[-2]).lower()})"
    return label


def _on_form(schema: Schema) -> list[tuple[str, fields.Field]]:
    """The fields a person fills in: not those only a program gives (``metadata={"form": False}``)."""
    return [(name, field) for name, field in schema.load_fields.items() if field.metadata.get("form", True)]


def _fields_of(schema: Schema, prefix: str, required: bool) -> list[FormField]:
    out: list[FormField] = []
    for name, field in _on_form(schema):
        path, needed = f"{prefix}{name}", required and field.required
        if isinstance(field, fields.Nested):
            out.extend(_fields_of(field.schema, f"{path}.", needed))
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            columns = tuple((n, LABELS.get(n, n), _kind(f)) for n, f in _on_form(field.inner.schema))
            out.append(FormField(path, _label(path), "rows", needed, columns))
        elif isinstance(field, fields.List):
            out.append(FormField(path, _label(path), "lines", needed))
        else:
            out.append(FormField(path, _label(path), _kind(field), needed))
    return out


def automatic(spec: TemplateSpec) -> set[str]:
    """Top-level fields the service fills: the letterhead, and the numbers it gives at render."""
    names = set(AUTOMATIC_TOP)
    if spec.is_order or generation.numbers_certificate(spec):
        names.add("number")
    return names


def form_fields(spec: TemplateSpec) -> list[FormField]:
    """The inputs of the template's form, in the schema's order, without what the service fills."""
    skip = automatic(spec)
    found = [f for f in _fields_of(spec.schema_cls(), "", True) if f.name.split(".")[0] not in skip]
    if any(f.name == "student.egn" for f in found):
        # Left blank, the birth date is read from the ЕГН (read_context), so the browser must not insist.
        found = [dataclasses.replace(f, required=False, note="Ако е празно, се взима от ЕГН.")
                 if f.name == "student.birth_date" else f for f in found]
    return found


# --- filling in --------------------------------------------------------------------------------


def prefill(session: Session, spec: TemplateSpec, card: StudentCard | None, today: dt.date) -> dict[str, str]:
    """Values the service already knows, by field path: the student, the parents, the class teacher, dates."""
    names = {f.name for f in form_fields(spec)}
    values: dict[str, str] = {}
    for day in ("issued_on", "sent_on", "prepared_on", "submitted_on", "enrolled_on"):
        values[day] = today.isoformat()
    values["school_year"] = generation.school_year_of(today)
    values["education_form"] = DEFAULT_EDUCATION_FORM
    values["purpose"] = DEFAULT_PURPOSE
    # The support team is led by the school psychologist (Чл. 44, ал. 2).
    values["leader"] = replicas.staff_name(session, "psychologist") or ""
    if spec.key == "class_teachers_order":
        # Чл. 117: every class with its class teacher, as the register's users say.
        values["classes"] = "\n".join(f"{code}; {name}" for code, name in replicas.class_teachers(session))
    if card is not None:
        if spec.key == "pe_exemption_order":
            # The order asked for from the student's page names that student (the office adds the rest).
            values["students"] = f"{card.name}; {card.class_code}"
        values["student.name"] = card.name
        values["student.class_name"] = card.class_code
        values["class_name"] = card.class_code
        parent = replicas.addressee(card)
        values["parent.name"], values["parent.address"] = parent["name"], parent["address"]
        if card.guardians:
            values["parent_name"] = card.guardians[0]["name"]
            values["parent_phone"] = card.guardians[0].get("phone") or ""
        teacher = replicas.staff_name(session, "class_teacher", card.class_code)
        if teacher:
            values["class_teacher"] = teacher
    return {name: value for name, value in values.items() if name in names and value}


# --- reading the form back ------------------------------------------------------------------------


def _date(text: str) -> str:
    """ISO from a date input, or dd.mm.yyyy as people type it; anything else is left for the schema."""
    match = _BULGARIAN_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def _value(kind: str, text: str) -> Any:
    if kind == "number" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if kind == "hours":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    if kind == "date":
        return _date(text)
    return text


def birth_date_from_egn(egn: str) -> str | None:
    """The birth date an ЕГН encodes (ГГММДД, month +20 for the 1800s, +40 for the 2000s), ISO; or None."""
    if not re.fullmatch(r"\d{10}", egn):
        return None
    year, month, day = int(egn[:2]), int(egn[2:4]), int(egn[4:6])
    century = 1900
    if month > 40:
        century, month = 2000, month - 40
    elif month > 20:
        century, month = 1800, month - 20
    try:
        return dt.date(century + year, month, day).isoformat()
    except ValueError:
        return None


def _put(context: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        context = context.setdefault(part, {})
    context[last] = value


def read_context(spec: TemplateSpec, form: Mapping[str, str]) -> dict[str, Any]:
    """The context a submitted form describes; blank inputs are left out, so the schema names them."""
    context: dict[str, Any] = {}
    for field in form_fields(spec):
        raw = (form.get(field.name) or "").strip()
        if field.kind == "checkbox":
            _put(context, field.name, bool(raw))
        elif field.kind == "lines":
            if lines := [line.strip() for line in raw.splitlines() if line.strip()]:
                _put(context, field.name, lines)
        elif field.kind == "rows":
            rows = []
            for line in (line for line in raw.splitlines() if line.strip()):
                cells = [cell.strip() for cell in line.split(";")]
                rows.append({name: _value(kind, cell)
                             for (name, _label, kind), cell in zip(field.columns, cells, strict=False) if cell})
            if rows:
                _put(context, field.name, rows)
        elif raw:
            _put(context, field.name, _value(field.kind, raw))
    student = context.get("student")
    # The ЕГН already says when the student was born: typing the date again invites a mismatch.
    if isinstance(student, dict) and "egn" in student and "birth_date" not in student:
        derived = birth_date_from_egn(student["egn"])
        if derived and any(f.name == "student.birth_date" for f in form_fields(spec)):
            student["birth_date"] = derived
    return context


def errors_by_field(spec: TemplateSpec, errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """A refusal's ``context.<path>`` messages by the form's inputs; the rest under ``_schema``.

    A row of a list (``students.1.name``) is told by its line and column, next to its text area.
    """
    inputs = {f.name: f for f in form_fields(spec)}
    out: dict[str, list[str]] = {}
    for path, messages in errors.items():
        inner = path.removeprefix("context").lstrip(".")
        target = next((name for name in sorted(inputs, key=len, reverse=True)
                       if inner == name or inner.startswith(f"{name}.")), None)
        if target is None:
            label = _label(inner) if inner else ""
            out.setdefault("_schema", []).extend(f"{label}: {m}" if label else m for m in messages)
            continue
        rest = inner.removeprefix(target).lstrip(".").split(".")
        told = list(messages)
        if inputs[target].kind == "rows" and rest[0].isdigit():
            column = {n: label for n, label, _k in inputs[target].columns}.get(rest[-1], "")
            where = f"Ред {int(rest[0]) + 1}" + (f", {column}" if column and len(rest) > 1 else "")
            told = [f"{where}: {m}" for m in messages]
        out.setdefault(target, []).extend(told)
    return out
