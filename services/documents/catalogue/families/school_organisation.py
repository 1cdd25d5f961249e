"""Orders that organise the school year (заповеди за организацията на учебната година), §5.1 O8–O24.

Class teachers (Чл. 117), the weekly timetable (Чл. 113, ал. 3) and a day's deviation from it
(Чл. 114), non-school attendance days and their notice to РУО (Чл. 116, ал. 4), the schedule of
class and test papers (Чл. 136, ал. 2–3) and the director's substitute (Чл. 13).
"""

from __future__ import annotations

from services.documents.catalogue.examples import SCHOOL
from services.documents.catalogue.layouts.school_organisation import (
    build_attendance_days_letter,
    build_attendance_days_order,
    build_class_teachers_order,
    build_class_works_schedule,
    build_director_substitute,
    build_timetable_approval,
    build_timetable_deviation,
)
from services.documents.catalogue.schemas.school_organisation import (
    AttendanceDaysLetterSchema,
    AttendanceDaysOrderSchema,
    ClassTeachersOrderSchema,
    ClassWorksScheduleSchema,
    DirectorSubstituteSchema,
    TimetableApprovalSchema,
    TimetableDeviationSchema,
)
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

CLASS_TEACHERS = {
    "school": SCHOOL, "number": "1003/01.09.2023", "issued_on": "2023-09-01", "school_year": "2023/2024",
    "effective_from": "2023-09-15",
    "classes": [{"class_name": "8а", "teacher": "Стефка Иванова"},
                {"class_name": "9б", "teacher": "Петър Димитров & Мария Колева (по заместване)"},
                {"class_name": "10а", "teacher": "Александра-Мария Христова Петкова-Димитрова"}],
}
TIMETABLE_APPROVAL = {
    "school": SCHOOL, "number": "1010/11.09.2023", "issued_on": "2023-09-11", "school_year": "2023/2024",
    "term": 1, "term_start": "2023-09-15", "council_decision": "протокол № 1 от 08.09.2023 г.",
    "classes": [{"class_name": "8а", "weekly_lessons": 32, "valid_from": "2023-09-15"},
                {"class_name": "10а", "weekly_lessons": 31, "valid_from": "2023-09-15"}],
}
TIMETABLE_DEVIATION = {
    "school": SCHOOL, "number": "1077/16.10.2023", "issued_on": "2023-10-16", "date": "2023-10-17",
    "changes": [
        {"class_name": "10а", "lesson": 3, "change": "Математика – Петър Димитров",
         "ground": 2, "circumstances": "Учителят Стефка Иванова е в отпуск по болест (болничен лист № 123)."},
        {"class_name": "8а", "lesson": 5, "change": "часът отпада", "ground": 1,
         "circumstances": "Регионално външно оценяване „математика & БЕЛ“ по указание на началника на РУО."},
    ],
}
ATTENDANCE_DAYS = [{"date": "2023-11-01", "activity": "Ден на народните будители – „тържествено честване“"},
                   {"date": "2024-05-24", "activity": "Празник на славянската писменост & култура"}]
ATTENDANCE_DAYS_ORDER = {
    "school": SCHOOL, "number": "1050/02.10.2023", "issued_on": "2023-10-02", "school_year": "2023/2024",
    "council_decision": "протокол № 3 от 29.09.2023 г.", "days": ATTENDANCE_DAYS, "ruo": "РУО – Русе",
}
ATTENDANCE_DAYS_LETTER = {
    "school": SCHOOL, "outgoing_number": "1301", "sent_on": "2023-10-03", "ruo": "РУО – Русе",
    "school_year": "2023/2024", "order": {"number": "1050/02.10.2023", "issued_on": "2023-10-02"},
    "council_decision": "протокол № 3 от 29.09.2023 г.", "days": ATTENDANCE_DAYS,
}
CLASS_WORKS_SCHEDULE = {
    "school": SCHOOL, "number": "1030/25.09.2023", "issued_on": "2023-09-25", "school_year": "2023/2024",
    "term": 1, "term_start": "2023-09-15",
    "works": [{"class_name": "10а", "subject": "Български език и литература", "kind": "класна работа",
               "date": "2023-11-08"},
              {"class_name": "10а", "subject": "Математика", "kind": "контролна работа", "date": "2023-10-18"}],
}
DIRECTOR_SUBSTITUTE = {
    "school": SCHOOL, "number": "1120/20.03.2024", "issued_on": "2024-03-20",
    "substitute": "Мария Колева", "position": "заместник-директор по учебната дейност",
    "start_on": "2024-03-25", "end_on": "2024-04-05", "reason": "платен годишен отпуск",
    "powers": "да подписва документи за преместване на ученици и заповеди по чл. 114 „различно разпределение“.",
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "class_teachers_order", "Заповед за определяне на класните ръководители", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 117"), ClassTeachersOrderSchema, CLASS_TEACHERS, build_class_teachers_order,
    ),
    TemplateDefinition(
        "timetable_approval_order", "Заповед за утвърждаване на седмичното разписание", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 113, ал. 3"), TimetableApprovalSchema, TIMETABLE_APPROVAL,
        build_timetable_approval,
    ),
    TemplateDefinition(
        "timetable_deviation_order", "Заповед за разпределение на учебните часове, различно от седмичното "
            "разписание", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 114, ал. 1–2"), TimetableDeviationSchema, TIMETABLE_DEVIATION,
        build_timetable_deviation,
    ),
    TemplateDefinition(
        "attendance_days_order", "Заповед за обявяване на неучебни, но присъствени дни", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 116, ал. 4"), AttendanceDaysOrderSchema, ATTENDANCE_DAYS_ORDER,
        build_attendance_days_order,
    ),
    TemplateDefinition(
        "attendance_days_letter", "Уведомление до началника на РУО за неучебни, но присъствени дни",
        DocumentKind.LETTER, 1, ("Чл. 116, ал. 4",), AttendanceDaysLetterSchema, ATTENDANCE_DAYS_LETTER,
        build_attendance_days_letter,
    ),
    TemplateDefinition(
        "class_works_schedule_order", "Заповед за утвърждаване на графика на класните и контролните работи",
        DocumentKind.ORDER, 1, ("Чл. 11, ал. 1", "Чл. 136, ал. 1–3"), ClassWorksScheduleSchema,
        CLASS_WORKS_SCHEDULE, build_class_works_schedule,
    ),
    TemplateDefinition(
        "director_substitute_order", "Заповед за заместване на директора", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 13, ал. 1–3"), DirectorSubstituteSchema, DIRECTOR_SUBSTITUTE,
        build_director_substitute,
    ),
)
