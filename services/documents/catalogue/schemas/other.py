"""Context schemas of the absence letters, orders, declaration, certificate and lists."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate, validates_schema

from services.documents.catalogue.schemas.common import (
    SCHOOL_YEAR,
    LetterSchema,
    OrderSchema,
    SchoolSchema,
    StudentSchema,
)
from services.documents.catalogue.schemas.fields import (
    BaseSchema,
    Boolean,
    Date,
    Hours,
    Integer,
    List,
    Nested,
    Text,
    at_least,
    one_of,
)

#: The rungs of the unexcused-absence ladder (Чл. 97, т. 8).
ABSENCE_RUNGS = (3, 8, 20, 30)
#: Statuses of an annual-plan activity in the execution report.
PLAN_STATUSES = ("done", "partial", "not_done", "cancelled")


def _period_ok(data: dict[str, Any], start: str, end: str) -> None:
    if data.get(start) and data.get(end) and data[end] < data[start]:
        raise ValidationError("Крайната дата е преди началната.", end)


class MeetingSchema(BaseSchema):
    """Meeting with the parent and specialised institutions at 30 absences (среща)."""

    date = Date(required=True)
    time = Text(required=True, max_length=20)
    place = Text(required=True, max_length=200)
    institutions = Text(required=True, max_length=500)


class AbsenceLetterSchema(LetterSchema):
    """Parent letter at 3, 8, 20 or 30 unexcused absences (уведомително писмо, Чл. 97, т. 8)."""

    rung = Integer(required=True, validate=[one_of(ABSENCE_RUNGS)])
    count = Integer(required=True, validate=[at_least(1)])
    period_from = Date(required=True)
    period_to = Date(required=True)
    class_teacher = Text(required=True, max_length=200)
    psychologist = Text(load_default=None, allow_none=True, max_length=200)
    meeting = Nested(MeetingSchema, load_default=None, allow_none=True)

    @validates_schema
    def _rung_details(self, data: dict[str, Any], **_: Any) -> None:
        _period_ok(data, "period_from", "period_to")
        rung, count = data.get("rung"), data.get("count")
        if rung and count is not None and count < rung:
            raise ValidationError("Броят отсъствия е под прага на писмото.", "count")
        if rung in (8, 20) and not data.get("psychologist"):
            raise ValidationError("При 8 и 20 отсъствия се посочва училищният психолог.", "psychologist")
        if rung == 30 and not data.get("meeting"):
            raise ValidationError("При 30 отсъствия се посочва срещата със специализираните "
                "институции.", "meeting")


class AbsenceNoticeSchema(LetterSchema):
    """One-page notice of a student's absences for a period (уведомление за отсъствия)."""

    period_from = Date(required=True)
    period_to = Date(required=True)
    excused = Integer(required=True, validate=[at_least(0)])
    unexcused = Integer(required=True, validate=[at_least(0)])
    late = Integer(required=True, validate=[at_least(0)])
    unexcused_year = Integer(required=True, validate=[at_least(0)])
    class_teacher = Text(required=True, max_length=200)

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        _period_ok(data, "period_from", "period_to")


class ScholarshipStopSchema(OrderSchema):
    """Scholarship suspension order (заповед за спиране на стипендия, Чл. 26, ал. 1, т. 23)."""

    student = Nested(StudentSchema, required=True)
    scholarship = Text(required=True, max_length=200)
    month = Date(required=True)
    unexcused_hours = Integer(required=True, validate=[at_least(5)])
    control_by = Text(required=True, max_length=200)


class ScholarshipResumptionSchema(OrderSchema):
    """Order on the end of a stop's ground (заповед за възобновяване на стипендия, Чл. 26, ал. 1, т. 23): the
    stopped month's absences were excused later, so its unexcused hours fell below 5 on ``lifted_on``."""

    student = Nested(StudentSchema, required=True)
    scholarship = Text(required=True, max_length=200)
    month = Date(required=True)
    unexcused_hours = Integer(required=True)
    lifted_on = Date(required=True)
    resumes_from = Date(required=True)
    control_by = Text(required=True, max_length=200)


class ExemptStudentSchema(StudentSchema):
    """Student exempted from PE with the medical expertise and period (Чл. 27, ал. 2–3)."""

    medical_document = Text(required=True, max_length=300)
    exempt_from = Date(required=True)
    exempt_to = Date(required=True)
    #: The register's id of the student, where the caller knows it: the parents' notice (L10, Чл. 27,
    #: ал. 5) is addressed by it, not by the name as typed. Not printed, not on the form.
    student_id = Integer(allow_none=True, load_default=None, metadata={"form": False})

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        _period_ok(data, "exempt_from", "exempt_to")


class PeExemptionSchema(OrderSchema):
    """PE exemption order (заповед за освобождаване от физическо възпитание и спорт, Чл. 27)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    students = List(Nested(ExemptStudentSchema), required=True)
    activity = Text(required=True, max_length=1000)
    class_teachers = List(Text(max_length=200), required=True)
    pe_teachers = List(Text(max_length=200), required=True)


class TripLeaderSchema(BaseSchema):
    """Accompanying teacher (ръководител или придружител)."""

    name = Text(required=True, max_length=200)
    role = Text(required=True, max_length=100)


class TripOrderSchema(OrderSchema):
    """Order for an event or trip (заповед за участие в мероприятие / пътуване, Чл. 154–156)."""

    event = Text(required=True, max_length=500)
    organiser = Text(required=True, max_length=300)
    place = Text(required=True, max_length=300)
    outside_town = Boolean(required=True)
    start_on = Date(required=True)
    end_on = Date(required=True)
    school_days = Integer(
        required=True, validate=[validate.Range(0, 5, error="През учебно време – до 5 учебни дни "
            "(Чл. 156, ал. 1).")]
    )
    tour_operator = Text(load_default=None, allow_none=True, max_length=300)
    students = List(Nested(StudentSchema), required=True)
    leaders = List(Nested(TripLeaderSchema), required=True)

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        _period_ok(data, "start_on", "end_on")


class TripConsentSchema(BaseSchema):
    """Parent's consent declaration for a trip (декларация-съгласие, Чл. 154, ал. 3–4)."""

    school = Nested(SchoolSchema, required=True)
    parent_name = Text(required=True, max_length=300)
    parent_phone = Text(required=True, max_length=50)
    student = Nested(StudentSchema, required=True)
    event = Text(required=True, max_length=500)
    place = Text(required=True, max_length=300)
    start_on = Date(required=True)
    end_on = Date(required=True)

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        _period_ok(data, "start_on", "end_on")


class CertificateStudentSchema(StudentSchema):
    """Student identified as on official papers: with ЕГН and birth date."""

    egn = Text(required=True, validate=[validate.Regexp(r"^\d{10}$", error="ЕГН е от 10 цифри.")])
    birth_date = Date(required=True)


class StudentCertificateSchema(BaseSchema):
    """Certificate that a person is a student of the school (удостоверение, че лицето е ученик)."""

    school = Nested(SchoolSchema, required=True)
    number = Text(required=True, max_length=50)
    issued_on = Date(required=True)
    student = Nested(CertificateStudentSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    education_form = Text(required=True, max_length=50)
    purpose = Text(required=True, max_length=300)


class BenefitRowSchema(StudentSchema):
    """One student on the child-benefit list, with the prior written notice to the parents."""

    #: Unexcused hours in the month, a lateness as half (the register applies the school's threshold).
    unexcused = Hours(required=True, validate=[validate.Range(min=0.5, error="Ученик без неизвинени "
        "отсъствия не е в списъка.")])
    notice_number = Text(required=True, max_length=50)
    notified_on = Date(required=True)


class BenefitListSchema(BaseSchema):
    """Monthly named list to ЗАС for stopping child benefits (поименна справка, Чл. 97, т. 15)."""

    school = Nested(SchoolSchema, required=True)
    class_name = Text(required=True, max_length=20)
    month = Date(required=True)
    submitted_on = Date(required=True)
    class_teacher = Text(required=True, max_length=200)
    #: The school's threshold in words, e.g. „повече от 5“ (Чл. 97, т. 15) or „5 и повече“ (spec §10).
    criterion = Text(required=True, max_length=60)
    students = List(Nested(BenefitRowSchema), required=True, min_items=0)

    @validates_schema
    def _notified_first(self, data: dict[str, Any], **_: Any) -> None:
        submitted = data.get("submitted_on")
        rows = data.get("students") or []
        late = [row["name"] for row in rows if submitted and row["notified_on"] > submitted]
        if late:
            raise ValidationError(
                "Родителите трябва да са уведомени писмено преди справката (Чл. 97, т. 15): "
                + ", ".join(late) + ".",
                "students",
            )


class PlanActivitySchema(BaseSchema):
    """One activity of the annual plan with its outcome."""

    number = Text(required=True, max_length=20)
    text = Text(required=True, max_length=2000)
    deadline = Text(required=True, max_length=100)
    responsible = Text(required=True, max_length=300)
    status = Text(required=True, validate=[one_of(PLAN_STATUSES)])
    note = Text(load_default=None, allow_none=True, max_length=1000)


class PlanReportSchema(BaseSchema):
    """End-of-year report on the annual plan (отчет за изпълнението на годишния план, Чл. 20, ал. 1, т. 5)."""

    school = Nested(SchoolSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    prepared_on = Date(required=True)
    council_protocol = Text(required=True, max_length=100)
    activities = List(Nested(PlanActivitySchema), required=True)
