"""HTTP API of the timetable (седмично разписание) and the lessons not recorded (part of ``/api/register``)."""

from __future__ import annotations

from services.register.people.access import check_may_see_class
from services.register.school.schemas import IdSchema
from services.register.timetable import changes, day, timetables
from services.register.timetable.now import lessons_begun
from services.register.timetable.schemas import (
    ChangeSchema,
    TimetableOutSchema,
    TimetableQuerySchema,
    TimetableSchema,
    UnrecordedSchema,
)
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import MANAGEMENT, OFFICE
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

timetable_bp = Blueprint("timetable", __name__, description="Седмично разписание и невписани часове")


@timetable_bp.route("/classes/<code>/timetable", methods=["PUT"])
@require_roles(*OFFICE)
@timetable_bp.arguments(TimetableSchema)
@timetable_bp.response(200, TimetableOutSchema)
def put_timetable(data, code: str):
    """Седмичното разписание на паралелката от дадена дата; утвърждава се от директора (Чл. 113, ал. 3)."""
    return timetables.save_timetable(current_runtime(), current_principal(), code, data)


@timetable_bp.route("/classes/<code>/timetable", methods=["GET"])
@timetable_bp.arguments(TimetableQuerySchema, location="query")
@timetable_bp.response(200, TimetableOutSchema)
def get_timetable(query, code: str):
    """Разписанието в сила на дадена дата (по подразбиране днес), с промените за деня (Чл. 114)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        check_may_see_class(s, current_principal(), code)
        return timetables.timetable_on(s, code, query["date"] or rt.clock.today())


@timetable_bp.route("/classes/<code>/timetable/changes", methods=["POST"])
@require_roles(*OFFICE)
@timetable_bp.arguments(ChangeSchema)
@timetable_bp.response(201, IdSchema)
def post_change(data, code: str):
    """Промяна на един час за един ден – заместване, друг предмет или отпадане (Чл. 114)."""
    return {"id": changes.save_change(current_runtime(), current_principal(), code, data)}


@timetable_bp.route("/lessons/unrecorded", methods=["GET"])
@require_roles(*MANAGEMENT)
@timetable_bp.arguments(TimetableQuerySchema, location="query")
@timetable_bp.response(200, UnrecordedSchema(many=True))
def get_unrecorded(query):
    """Часовете от разписанието за деня, които не са вписани в дневника (Чл. 97, т. 9)."""
    rt = current_runtime()
    chosen = query["date"] or rt.clock.today()
    with rt.db.sessions() as s:
        return [{"class_code": st.lesson.class_code, "lesson": st.lesson.lesson, "subject": st.lesson.subject,
                 "teacher_id": st.lesson.teacher_id, "teacher": st.teacher}
                for st in day.unrecorded(s, chosen, begun=lessons_begun(rt, chosen))]
