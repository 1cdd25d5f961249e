"""Complete sample contexts, one per template, as plain JSON data (примерни данни).

They are what GET /templates shows next to each template and what the tests render; names
deliberately contain ``&``, quotes „…“ and long Cyrillic strings to prove nothing is lost.
"""

from __future__ import annotations

from typing import Any

SCHOOL: dict[str, str] = {
    "name": "Професионална гимназия по речно корабостроене и корабоплаване",
    "address": "пл. „Васил Левски“ № 1А",
    "town": "гр. Русе",
    "phone": "082/834-282",
    "email": "trkskr@abv.bg",
    "neispuo_code": "1800000",
    "director_name": "инж. Ивелина Георгиева",
}
STUDENT = {"name": "Александра-Мария Христова Петкова-Димитрова", "class_name": "10а"}
PARENT = {"name": "Христо Петков & Мария Петкова", "address": "гр. Русе, ул. „Александровска“ № 12, "
    "ет. 3, ап. 7"}
_LETTER = {"school": SCHOOL, "outgoing_number": "1245", "parent": PARENT, "student": STUDENT}


def absence_letter(rung: int) -> dict[str, Any]:
    """Sample ladder letter for one rung (3, 8, 20 or 30)."""
    context: dict[str, Any] = {
        **_LETTER, "sent_on": "2023-11-06", "rung": rung, "count": rung,
        "period_from": "2023-09-15", "period_to": "2023-11-03",
        "class_teacher": "Стефка Иванова", "psychologist": "Весела Николова", "meeting": None,
    }
    if rung == 30:
        context["meeting"] = {
            "date": "2023-11-14", "time": "14:30", "place": "кабинета на директора",
            "institutions": "Отдел „Закрила на детето“ и Дирекция „Социално подпомагане“ – Русе",
        }
    return context


ABSENCE_NOTICE = {
    **_LETTER, "sent_on": "2023-10-09", "period_from": "2023-10-02", "period_to": "2023-10-06",
    "excused": 4, "unexcused": 2, "late": 3, "unexcused_year": 5, "class_teacher": "Стефка Иванова",
}

HEARING_NOTICE = {
    **_LETTER, "sent_on": "2023-11-20", "sanction": "warning_transfer",
    "reasons": "19 отсъствия по неуважителни причини и нарушение на чл. 26, ал. 4, т. 5 от Правилника – "
               "напускане на час без разрешение <на 3 пъти>.",
    "hearing_on": "2023-11-27", "hearing_time": "13:30", "hearing_place": "кабинет № 12",
}


def sanction_order(kind: str) -> dict[str, Any]:
    """Sample order for one sanction kind."""
    context: dict[str, Any] = {
        "school": SCHOOL, "number": "1058/14.12.2023", "issued_on": "2023-12-14",
        "student": {**STUDENT, "birth_date": "2007-03-02"}, "school_year": "2023/2024",
        "motives": "Ученикът е допуснал 16 отсъствия по неуважителни причини и е нарушил „реда в час“ "
                   "по чл. 26, ал. 4, т. 5 & т. 8 от Правилника.",
        "proposal_ref": "вх. № 245" if kind == "remark" else "№ 7",
        "proposed_on": "2023-12-05", "hearing_on": "2023-12-04", "parent_attended": True,
        "class_teacher": "Стефка Иванова", "psychologist": "Весела Николова", "effective_from": "2023-12-14",
    }
    if kind == "transfer":
        context["ruo"] = "РУО – Русе"
    return context


def sanction_letter(kind: str) -> dict[str, Any]:
    """Sample letter to the parents after the order of one sanction kind."""
    context: dict[str, Any] = {
        **_LETTER, "sent_on": "2023-12-15",
        "order": {"number": "1058/14.12.2023", "issued_on": "2023-12-14"},
        "school_year": "2023/2024",
        "motives": "Ученикът е допуснал 16 отсъствия по неуважителни причини и е нарушил „реда в час“.",
        "effective_from": "2023-12-14", "class_teacher": "Стефка Иванова",
    }
    if kind == "transfer":
        context["ruo"] = "РУО – Русе"
    return context


SCHOLARSHIP_STOP = {
    "school": SCHOOL, "number": "1102/06.11.2023", "issued_on": "2023-11-06", "student": STUDENT,
    "scholarship": "месечната стипендия за постигнати образователни резултати", "month": "2023-10-01",
    "unexcused_hours": 7, "control_by": "Мария Колева – заместник-директор по учебната дейност",
}

SCHOLARSHIP_RESUMPTION = {
    "school": SCHOOL, "number": "1131/15.11.2023", "issued_on": "2023-11-15", "student": STUDENT,
    "scholarship": "месечната стипендия за постигнати образователни резултати", "month": "2023-10-01",
    "unexcused_hours": 3, "lifted_on": "2023-11-14", "resumes_from": "2023-12-01",
    "control_by": "Мария Колева – заместник-директор по учебната дейност",
}

PE_EXEMPTION = {
    "school": SCHOOL, "number": "1061/15.09.2023", "issued_on": "2023-09-15", "school_year": "2023/2024",
    "students": [
        {**STUDENT, "medical_document": "Експертно решение на ТЕЛК № 0817 от 12.09.2023 г.",
         "exempt_from": "2023-09-15", "exempt_to": "2024-06-30"},
        {"name": "Иван Георгиев Стоянов", "class_name": "11б",
         "medical_document": "Медицинска експертиза за временна неработоспособност № 445",
         "exempt_from": "2023-09-18", "exempt_to": "2023-12-22"},
    ],
    "activity": "присъстват в часа и подпомагат учителя при организацията му, без да участват в "
                "физическите упражнения",
    "class_teachers": ["Стефка Иванова", "Петър Димитров"],
    "pe_teachers": ["Николай Тодоров"],
}

TRIP_ORDER = {
    "school": SCHOOL, "number": "1140/02.04.2024", "issued_on": "2024-04-02",
    "event": "посещение на Музея на транспорта и съобщенията & корабостроителницата",
    "organiser": "Сдружение „Дунавски хоризонти“", "place": "гр. Свищов",
    "outside_town": True, "start_on": "2024-04-18", "end_on": "2024-04-19", "school_days": 2,
    "tour_operator": "„Дунав Турс“ ЕООД",
    "students": [STUDENT, {"name": "Иван Георгиев Стоянов", "class_name": "10а"}],
    "leaders": [{"name": "Стефка Иванова", "role": "ръководител"},
                {"name": "Петър Димитров", "role": "придружител"}],
}

TRIP_CONSENT = {
    "school": SCHOOL, "parent_name": PARENT["name"], "parent_phone": "0888 123 456", "student": STUDENT,
    "event": TRIP_ORDER["event"], "place": "гр. Свищов", "start_on": "2024-04-18", "end_on": "2024-04-19",
}

STUDENT_CERTIFICATE = {
    "school": SCHOOL, "number": "318", "issued_on": "2023-10-02",
    "student": {**STUDENT, "egn": "0743020000", "birth_date": "2007-03-02"},
    "school_year": "2023/2024", "education_form": "дневна",
    "purpose": "пред Дирекция „Социално подпомагане“ – Русе",
}

BENEFIT_LIST = {
    "school": SCHOOL, "class_name": "10а", "month": "2023-10-01", "submitted_on": "2023-11-03",
    "class_teacher": "Стефка Иванова", "criterion": "повече от 5",
    "students": [
        {**STUDENT, "unexcused": 7, "notice_number": "1201", "notified_on": "2023-11-01"},
        {"name": "Иван Георгиев Стоянов", "class_name": "10а", "unexcused": 12,
         "notice_number": "1202", "notified_on": "2023-11-01"},
    ],
}

PLAN_REPORT = {
    "school": SCHOOL, "school_year": "2023/2024", "prepared_on": "2024-06-28",
    "council_protocol": "протокол № 14 от 28.06.2024 г.",
    "activities": [
        {"number": "1.1", "text": "Провеждане на входно ниво по всички предмети „общообразователна "
            "подготовка“",
         "deadline": "до 15.10.2023", "responsible": "учителите по предмети", "status": "done", "note": None},
        {"number": "1.2", "text": "Кампания „Без свободен час“ & дежурства", "deadline": "постоянен",
         "responsible": "заместник-директор", "status": "partial", "note": "продължава през 2024/2025"},
        {"number": "2.1", "text": "Обучение по безопасност на движението", "deadline": "м. май 2024",
         "responsible": "Стефка Иванова", "status": "not_done", "note": "липса на лектор"},
        {"number": "2.2", "text": "Екскурзия до Белоградчик", "deadline": "м. юни 2024",
         "responsible": "класните ръководители", "status": "cancelled", "note": None},
    ],
}
