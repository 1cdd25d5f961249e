"""Sanction procedures in the register (санкции, Правилник Чл. 52–60) and the suggestion.

The procedure itself is the sanctions domain's immutable :class:`Sanction`; a row keeps its
completed steps and the procedure is rebuilt from them on every read. Each completed step is
published as ``register.sanction_step_done``; each step that gets a deadline as
``procedure.deadline_set`` and, once done, ``procedure.deadline_closed`` — in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import AbsenceMark, MarkKind, unexcused_total
from services.register.models import TABLES
from services.register.models.absences import Absence
from services.register.models.people import Student
from services.register.models.sanctions import SanctionRecord
from services.register.models.school import School, SchoolYear
from services.register.people.access import CLASS_READERS, check_may_see_student, is_class_teacher
from services.register.people.students import student_or_422
from services.register.sanctions.rules.bands import suggest_sanction
from services.register.sanctions.rules.errors import SanctionError
from services.register.sanctions.rules.kinds import Role, SanctionPolicy, SanctionType, age_on
from services.register.sanctions.rules.procedure import Sanction, SanctionYear
from services.register.sanctions.rules.steps import Step, StepName, StepRecord
from services.register.school.years import calendar_of, year_containing
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

SOURCE = "register"
#: Who may complete a step owned by a role of the procedure (Чл. 56–60).
ROLE_USERS = {Role.DIRECTOR: ["director"], Role.CLASS_TEACHER: ["class_teacher"],
              Role.PEDAGOGICAL_COUNCIL: ["director", "deputy_director"]}


def _sanction_year(session: Session, year: SchoolYear, years: list[SchoolYear] | None = None) -> SanctionYear:
    """The dates of ``year``; ``years`` (every school year, read once for a list of procedures) spares a query."""
    if years is None:
        following = session.scalar(sa.select(SchoolYear).where(SchoolYear.start > year.end)
                                   .order_by(SchoolYear.start))
    else:
        following = min((y for y in years if y.start > year.end), key=lambda y: y.start, default=None)
    return SanctionYear(second_term_end=calendar_of(year).terms[1].end, year_end=year.end,
                        next_year_start=following.start if following else dt.date(year.end.year, 9, 15),
                        next_year_end=following.end if following else None)


def _records(row: SanctionRecord) -> tuple[StepRecord, ...]:
    return tuple(StepRecord(StepName(r["name"]), dt.date.fromisoformat(r["done_on"]), r.get("note", ""),
                            r.get("facts") or {}) for r in row.steps or ())


def policy_of(settings: Any) -> SanctionPolicy:
    """The school's sanction policy: the правилник's defaults and the settings that change them."""
    return SanctionPolicy(appeal_days=settings.sanction_appeal_days)


def procedure(session: Session, row: SanctionRecord, student: Student,
              years: list[SchoolYear] | None = None, policy: SanctionPolicy | None = None) -> Sanction:
    """The domain procedure of a stored sanction, with the calendar of its school year.

    Parameters:
      years: every school year, when the caller reads many procedures (a list costs no query per row).
      policy: the school's (``policy_of(settings)``); the правилник's defaults when left out.
    """
    if years is None:
        year = year_containing(session, row.proposed_on)
    else:
        year = next(y for y in years if y.start <= row.proposed_on <= y.end)
    return Sanction(SanctionType(row.type), str(row.student_id), row.violation, student.birth_date, row.proposed_on,
                    _sanction_year(session, year, years), calendar_of(year), policy or SanctionPolicy(),
                    _records(row))


def _refusal(exc: SanctionError, field_map: dict[str, str] | None = None) -> None:
    if exc.field == "violation_id":
        raise ConflictError(exc.message, "violation")
    raise InvalidInputError({(field_map or {}).get(exc.field, exc.field): exc.message})


def _check_proposer(session: Session, who: Principal, kind: SanctionType, class_code: str) -> None:
    """A remark on the class teacher's proposal; the others on the pedagogical council's (Чл. 56, ал. 1)."""
    if kind is SanctionType.REMARK:
        if not is_class_teacher(session, who, class_code):
            raise NotAllowedError("Забележка се налага по мотивирано писмено предложение на класния ръководител на "
                      "паралелката (Чл. 56, ал. 1; Чл. 100, т. 4).")
    elif not who.is_management:
        raise NotAllowedError("Тази санкция се налага по предложение на педагогическия съвет, което ръководството "
                  "вписва (Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23).")


def check_step_owner(session: Session, who: Principal, step: StepName, kind: SanctionType, class_code: str) -> None:
    owner = step.owner(kind)
    if step in (StepName.ORDER, StepName.ERASURE_ORDER):
        if who.role != "director":
            raise NotAllowedError(f"Заповедта („{step.title_bg}“) се издава от директора ({step.article(kind)}).")
    elif owner is Role.CLASS_TEACHER:
        if not (who.is_management or is_class_teacher(session, who, class_code)):
            raise NotAllowedError(
                f"Стъпката „{step.title_bg}“ се отбелязва от класния ръководител (Чл. 59, ал. 1; Чл. 60).")
    elif not who.is_management:
        raise NotAllowedError(f"Стъпката „{step.title_bg}“ се отбелязва от директора ({step.article(kind)}).")


def open_sanction(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """Open the procedure with its proposal step after the conditions of Чл. 53–54."""
    kind = SanctionType(data["type"])
    if data["proposed_on"] > rt.clock.today():
        raise InvalidInputError({"proposed_on": "Предложението не може да е с бъдеща дата."})
    violation = (data.get("violation") or data["reason"]).strip()
    with rt.db.transaction() as s:
        student = student_or_422(s, data["student_id"])
        _check_proposer(s, who, kind, student.class_code)
        year = year_containing(s, data["proposed_on"])
        if year is None or not year.start <= data["proposed_on"] <= year.end:
            raise InvalidInputError(
                {"proposed_on": "Няма въведена учебна година, която да съдържа тази дата (POST /school-years)."})
        others = [procedure(s, r, student) for r in s.scalars(sa.select(SanctionRecord).where(
            SanctionRecord.student_id == student.id))]
        try:
            sanction = Sanction.open(
                kind, student_id=str(student.id), violation_id=violation, birth_date=student.birth_date,
                opened_on=data["proposed_on"], year=_sanction_year(s, year), calendar=calendar_of(year),
                policy=policy_of(rt.settings),
                behaviour_explained_by_medical_document=data.get("medical_document", False), other_sanctions=others)
            sanction = sanction.complete_step(StepName.PROPOSAL, data["proposed_on"], data["reason"])
        except SanctionError as exc:
            _refusal(exc, {"birth_date": "type", "behaviour_explained_by_medical_document": "medical_document"})
        details = {k: data[k].isoformat() if isinstance(data[k], dt.date) else data[k]
                   for k in ("proposal_ref", "hearing_on", "hearing_time", "hearing_place") if data.get(k)}
        row = SanctionRecord(student_id=student.id, type=str(kind), violation=violation, reason=data["reason"],
                             proposed_on=data["proposed_on"], steps=[], details=details, announced={},
                             created_by=who.id)
        s.add(row)
        s.flush()
        _save_step(s, rt, row, student, sanction, StepName.PROPOSAL)
        audit.record(s, TABLES, who, "sanction.open", "sanction", row.id,
                     after={"student_id": student.id, "type": str(kind), "reason": data["reason"],
                            "proposed_on": data["proposed_on"].isoformat()})
        return row.id


def complete_step(rt: ServiceRuntime, who: Principal, sanction_id: int, name: str, data: dict[str, Any]) -> None:
    """Complete one step in order; the domain checks sequence, presence at the hearing, motives, dates."""
    if data["done_on"] > rt.clock.today():
        raise InvalidInputError({"done_on": "Стъпката не може да се отбележи с бъдеща дата."})
    with rt.db.transaction() as s:
        row = s.get(SanctionRecord, sanction_id, with_for_update=True)
        if row is None:
            raise NotFoundError("Няма такава процедура за налагане на санкция.")
        student = s.get(Student, row.student_id)
        current = procedure(s, row, student, policy=policy_of(rt.settings))
        try:
            step = StepName(name)
        except ValueError:
            raise NotFoundError(f"Процедурата няма стъпка „{name}“.") from None
        check_step_owner(s, who, step, current.sanction_type, student.class_code)
        try:
            advanced = current.complete_step(
                step, data["done_on"], data.get("note", ""), present=[Role(r) for r in data.get("present", ())],
                child_protection_notified=data.get("child_protection_notified", False),
                hearing_mode=data.get("hearing_mode") or "in_person",
                parent_attended=data.get("parent_attended", False),
                protocol_number=data.get("protocol_number") or "", notified_on=data.get("notified_on"),
                appeal_outcome=data.get("appeal_outcome"))
        except SanctionError as exc:
            _refusal(exc)
        if step is StepName.HEARING:
            facts = advanced.record(StepName.HEARING).facts
            row.details = {**(row.details or {}), "parent_attended": facts["parent_attended"]}
        _save_step(s, rt, row, student, advanced, step)
        recorded = advanced.record(step)
        audit.record(s, TABLES, who, f"sanction.step.{step.value}", "sanction", row.id,
                     after={"done_on": data["done_on"].isoformat(), "note": data.get("note", ""),
                            **recorded.facts})


def _title(step: Step, student: Student) -> str:
    return f"{step.title_bg}: {student.full_name}, {student.class_code} клас"


def _document_context(session: Session, row: SanctionRecord, student: Student, sanction: Sanction,
                      step: StepName) -> dict[str, Any]:
    """Facts only the register knows, for the notice (proposal) and the order (documents' templates)."""
    person = {"name": student.full_name, "class_name": student.class_code}
    details = row.details or {}
    if step is StepName.PROPOSAL:
        return {"student": person, "sanction": row.type, "reasons": row.reason, "sent_on": row.proposed_on.isoformat(),
                **{k: details[k] for k in ("hearing_on", "hearing_time", "hearing_place") if k in details}}
    if step is StepName.HEARING:
        hearing = sanction.record(StepName.HEARING)
        return {"student": person, "sanction": row.type, "reasons": row.reason, "held_on": hearing.done_on.isoformat(),
                "mode": hearing.facts["mode"], "explanation": hearing.note or None,
                "parent_attended": hearing.facts["parent_attended"]}
    if step is StepName.ERASURE_ORDER:
        return _erasure_context(row, person, sanction)
    if step is not StepName.ORDER:
        return {}
    hearing = sanction.record(StepName.HEARING)
    school = session.get(School, 1)
    context = {"student": {**person, "birth_date": student.birth_date.isoformat()},
               "school_year": year_containing(session, row.proposed_on).name,
               "motives": sanction.record(StepName.ORDER).note,
               "proposal_ref": _proposal_ref(row, sanction),
               # The order cites the council's decision and its date (Чл. 58, ал. 1; spec §10.B-7).
               **({"proposed_on": sanction.record(StepName.DECISION).done_on.isoformat()}
                  if sanction.sanction_type is not SanctionType.REMARK and sanction.record(StepName.DECISION) else {}),
               "hearing_on": hearing.done_on.isoformat() if hearing else None,
               "parent_attended": bool(details.get("parent_attended")),
               "effective_from": sanction.effective_from.isoformat()}
    if sanction.sanction_type is SanctionType.TRANSFER:
        context["ruo"] = f"РУО – {school.town.removeprefix('гр. ')}" if school and school.town else "РУО"
    return context


def _proposal_ref(row: SanctionRecord, sanction: Sanction) -> str:
    """What the order cites: the council's decision with its protocol (S2–S5) or the proposal (S1), Чл. 58, ал. 1."""
    decision = sanction.record(StepName.DECISION)
    number = decision.facts.get("protocol_number") if decision else None
    if sanction.sanction_type is not SanctionType.REMARK and number:
        return f"№ {number}"
    return (row.details or {}).get("proposal_ref") or f"предложение от {row.proposed_on:%d.%m.%Y}"


def _erasure_context(row: SanctionRecord, person: dict[str, str], sanction: Sanction) -> dict[str, Any]:
    """For O2: the erasure proposal (the council's protocol or the class teacher's) and the order it undoes."""
    proposal = sanction.record(StepName.ERASURE_PROPOSAL)
    number = proposal.facts.get("protocol_number")
    if sanction.sanction_type is SanctionType.REMARK:
        ref = "мотивирано писмено предложение на класния ръководител"
    else:
        ref = f"решение на Педагогическия съвет, протокол № {number}" if number else "решение на Педагогическия съвет"
    return {"student": person, "sanction": row.type, "motives": sanction.record(StepName.ERASURE_ORDER).note,
            "erasure_proposal_ref": ref, "erasure_proposed_on": proposal.done_on.isoformat(),
            "imposed_on": sanction.record(StepName.ORDER).done_on.isoformat(),
            "issued_on": sanction.record(StepName.ERASURE_ORDER).done_on.isoformat()}


def _save_step(session: Session, rt: ServiceRuntime, row: SanctionRecord, student: Student, sanction: Sanction,
               step: StepName) -> None:
    """Store the steps and publish the step, the closed deadline and every new or moved deadline."""
    row.steps = [{"name": r.name.value, "done_on": r.done_on.isoformat(), "note": r.note,
                  **({"facts": r.facts} if r.facts else {})} for r in sanction.records]
    steps = sanction.steps()
    done = next(s for s in steps if s.name is step)
    pending = [s for s in steps if not s.done]
    following = pending[0] if pending else None
    details = {"sanction_id": row.id, "step": step.value, "next_article": following.article if following else None,
               "facts": done.facts, "document_context": _document_context(session, row, student, sanction, step)}
    if step is StepName.PROPOSAL and sanction.sanction_type in sanction.policy.child_protection_types:
        details["child_protection_notice"] = True  # Чл. 57, ал. 1: L3 goes with the opening
    rt.publish(session, "register.sanction_step_done", {
        "sanction_id": row.id, "student_id": student.id, "student_name": student.full_name,
        "class_code": student.class_code, "type": row.type, "step": step.value,
        "done_on": done.done_on.isoformat(), "article": done.article, "proposed_on": row.proposed_on.isoformat(),
        "reason": row.reason, "note": done.note,
        "next_step": following.name.value if following else None,
        "next_due": following.due_on.isoformat() if following and following.due_on else None,
        "details": details,
    })
    announced = dict(row.announced or {})
    key = f"sanction:{row.id}:{{}}"
    if step.value in announced:
        rt.publish(session, "procedure.deadline_closed", {"source": SOURCE, "key": key.format(step.value),
                                                           "done_on": done.done_on.isoformat()})
    applicable = {s.name.value for s in steps}
    for dropped in [name for name in announced if name not in applicable]:
        # An order revoked on appeal leaves nothing to come into force (Чл. 58, ал. 4).
        rt.publish(session, "procedure.deadline_closed", {"source": SOURCE, "key": key.format(dropped),
                                                           "done_on": done.done_on.isoformat()})
        del announced[dropped]
    for item in pending:
        if item.due_on is None or announced.get(item.name.value) == item.due_on.isoformat():
            continue
        rt.publish(session, "procedure.deadline_set", {
            "source": SOURCE, "key": key.format(item.name.value), "title": _title(item, student),
            "due": item.due_on.isoformat(), "responsible_roles": ROLE_USERS[item.owner], "article": item.article,
            "student_id": student.id,
            "details": {"sanction_id": row.id, "step": item.name.value, "class_code": student.class_code,
                        "type": row.type, "deadline": item.deadline_bg},
        })
        announced[item.name.value] = item.due_on.isoformat()
    row.announced = announced


def sanction_view(session: Session, row: SanctionRecord, today: dt.date, *, student: Student | None = None,
                  years: list[SchoolYear] | None = None, policy: SanctionPolicy | None = None) -> dict[str, Any]:
    """``GET /sanctions/{id}``: the contract's fields plus titles, owners, effect dates and effects.

    Parameters:
      student, years: already read by a caller that shows many procedures (the pages' list).
    """
    student = student or session.get(Student, row.student_id)
    sanction = procedure(session, row, student, years, policy)
    steps = [{"name": s.name.value, "title": s.title_bg, "due": s.due_on, "done_at": s.done_on,
              "article": s.article, "owner": s.owner.value, "deadline": s.deadline_bg, "note": s.note,
              "overdue": s.overdue(today), "facts": s.facts} for s in sanction.steps()]
    outcome = sanction.appeal_outcome
    return {"id": row.id, "type": row.type, "type_name": sanction.sanction_type.name_bg, "state": sanction.state,
            "student_id": row.student_id, "reason": row.reason, "proposed_on": row.proposed_on, "steps": steps,
            "effective_from": sanction.effective_from, "expires_on": sanction.expires_on,
            "in_force": sanction.is_in_force(today),
            "blocks_excellence_scholarship": sanction.blocks_excellence_scholarship(today),
            "notified_on": sanction.notified_on, "appeal_due": sanction.appeal_due,
            "appeal_outcome": outcome.value if outcome else None,
            "appeal_outcome_name": outcome.name_bg if outcome else None,
            "erased_early": sanction.erased_early, "available_steps": [s.value for s in sanction.available_steps()]}


def sanctions_visible_to(session: Session, who: Principal, student_id: int | None,
                         today: dt.date, policy: SanctionPolicy | None = None) -> list[dict[str, Any]]:
    """The procedures of one student the caller may see; all of them only for the class readers."""
    stmt = sa.select(SanctionRecord).order_by(SanctionRecord.id)
    if student_id is not None:
        check_may_see_student(session, who, student_id, refuse_it_admin=True)
        stmt = stmt.where(SanctionRecord.student_id == student_id)
    elif who.role not in CLASS_READERS:
        raise NotAllowedError("Посочете ученик (student_id).")
    return [sanction_view(session, row, today, policy=policy) for row in session.scalars(stmt)]


def load_row(session: Session, sanction_id: int) -> SanctionRecord:
    row = session.get(SanctionRecord, sanction_id)
    if row is None:
        raise NotFoundError("Няма такава процедура за налагане на санкция.")
    return row


def suggestion(session: Session, student: Student, today: dt.date, late_half_hours: int) -> dict[str, Any]:
    """The sanction the school year's unexcused absences point to (Чл. 52, ал. 1), lateness as 0.5."""
    year = year_containing(session, today)
    query = sa.select(Absence).where(Absence.student_id == student.id, Absence.date <= today)
    if year is not None:
        query = query.where(Absence.date >= year.start)
    marks = [AbsenceMark(a.date, a.lesson, a.subject, MarkKind(a.kind)) for a in session.scalars(query)]
    total = unexcused_total(marks, late_half_hours=late_half_hours)
    age = age_on(student.birth_date, today)
    found = suggest_sanction(total.absences, age=age)
    return {"student_id": student.id, "unexcused_total": total.half_hours / 2, "age": age,
            "type": str(found.sanction_type) if found else None,
            "type_name": found.sanction_type.name_bg if found else None,
            "alternatives": [str(t) for t in found.alternatives] if found else [],
            "article": found.article if found else None,
            "message": found.message if found else "Броят неизвинени отсъствия не достига прага за санкция "
                                                      "(Чл. 52, ал. 1, т. 1)."}
