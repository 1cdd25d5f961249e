"""What notifications does with each event it receives: who is told, what, on which channels."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notifications import paper
from services.notifications.delivery import plan
from services.notifications.models import TABLES, Guardian, School
from services.notifications.rules import messages
from services.notifications.rules.notices import About, Recipient
from shared.messages import Envelope
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

#: The parents' prior notice before the ЗАС list (L7, Чл. 97, т. 15): documents' template key.
BENEFIT_NOTICE = "child_benefit_notice"
#: Step names of the sanction procedure (register's sanctions domain) as parents read them.
STEP_TITLES = {
    "proposal": "предложение за налагане на санкция",
    "parent_notified": "уведомяване на родителя за откриване на процедурата",
    "hearing": "изслушване на ученика",
    "decision": "решение на педагогическия съвет",
    "order": "заповед на директора",
    "letter": "писмо до родителите",
    "ruo_informed": "уведомяване на РУО",
    "appeal": "обжалване на заповедта по АПК",
    "in_force": "санкцията е в сила",
    "erasure_proposal": "предложение за предсрочно заличаване",
    "erasure_order": "заповед за предсрочно заличаване",
    "erased": "санкцията е заличена",
}


def _school_name(session: Session) -> str:
    school = session.get(School, 1)
    return school.name if school else "Училището"


def guardian_recipients(session: Session, rt: ServiceRuntime, student_id: int, *, obligatory: bool) -> list[Recipient]:
    """The student's active guardians on each configured channel they chose, plus linked parent users' inboxes.

    Opt-outs apply only to optional notices: the rulebook's notices (Чл. 97, т. 8; Чл. 57) always go,
    and a guardian no channel reaches gets them on paper (the caller's notice carries the letter).
    """
    channels = rt.components.channels
    principal = TABLES.principal
    parents = [p for p in session.scalars(sa.select(principal).where(
        principal.role == "parent", principal.active.is_(True)).order_by(principal.id))
        if student_id in (p.student_ids or [])] if "inbox" in channels else []
    found: list[Recipient] = []
    guardians = session.scalars(sa.select(Guardian).where(
        Guardian.student_id == student_id, Guardian.active.is_(True)).order_by(Guardian.id)).all()
    for guardian in guardians:
        if guardian.opted_out and not obligatory:
            continue
        reached = False
        for name in guardian.channels or ["email"]:
            channel = channels.get(name)
            if channel is None:
                continue
            if channel.address == "user":
                reached = reached or bool(parents)  # the parents' inboxes below
                continue
            address = {"email": guardian.email, "phone": guardian.phone}.get(channel.address)
            if address:
                found.append(Recipient(name, address, guardian.name, guardian_id=guardian.id, digest=guardian.digest))
                reached = True
        if obligatory and not reached:
            found.append(Recipient(paper.CHANNEL, paper.address(guardian.name), guardian.name, guardian_id=guardian.id))
    found.extend(Recipient("inbox", str(p.id), p.name, user_id=p.id) for p in parents)
    return found


def staff_recipients(session: Session, rt: ServiceRuntime, roles: list[str], *, class_code: str | None = None,
                     user_ids: list[int] | None = None) -> list[Recipient]:
    """Staff by role (and, for class roles, by class), by e-mail where configured and in their inbox."""
    channels = rt.components.channels
    principal = TABLES.principal
    query = sa.select(principal).where(principal.active.is_(True))
    if user_ids:
        query = query.where(sa.or_(principal.role.in_(roles), principal.id.in_(user_ids)))
    else:
        query = query.where(principal.role.in_(roles))
    found: list[Recipient] = []
    for person in session.scalars(query.order_by(principal.id)):
        class_role = person.role in ("class_teacher", "teacher")
        if class_code and class_role and class_code not in (person.class_codes or []):
            continue
        if person.email and "email" in channels:
            found.append(Recipient("email", person.email, person.name, user_id=person.id))
        if "inbox" in channels:
            found.append(Recipient("inbox", str(person.id), person.name, user_id=person.id))
    return found


def _staff_name(session: Session, role: str, class_code: str | None = None) -> str | None:
    principal = TABLES.principal
    for person in session.scalars(sa.select(principal).where(
            principal.role == role, principal.active.is_(True)).order_by(principal.id)):
        if class_code is None or class_code in (person.class_codes or []):
            return person.name
    return None


def _has_letter(payload: dict) -> bool:
    """A rung of the unexcused-absence ladder (Чл. 97, т. 8) whose printable letter can be drawn up.

    The letter at 30 names the meeting with the specialised institutions; until register sends its
    date and place (``details.meeting``) the office writes that letter by hand.
    """
    rung = float(payload["threshold"])
    return (payload["article"].startswith("Чл. 97, т. 8") and rung in (3, 8, 20, 30)
            and (rung != 30 or bool(payload["details"].get("meeting"))))


def _ladder_letter(session: Session, payload: dict) -> dict:
    """The printable ladder letter (Чл. 97, т. 8) for a guardian no channel reaches; documents adds the letterhead."""
    rung = int(payload["threshold"])
    context = {
        "student": {"name": payload["student_name"], "class_name": payload["class_code"]},
        "rung": rung, "count": int(payload["count"]),
        "period_from": payload["details"].get("period_from") or f"{payload['period'][:4]}-09-15",
        "period_to": payload["details"].get("period_to") or utcnow().date().isoformat(),
        "class_teacher": _staff_name(session, "class_teacher", payload["class_code"]) or "Класният ръководител",
    }
    if rung in (8, 20):
        context["psychologist"] = _staff_name(session, "psychologist") or "Училищният психолог"
    if rung == 30:
        context["meeting"] = payload["details"]["meeting"]
    return {"template": "absence_letter", "context": context}


def _plan_for_staff(session: Session, rt: ServiceRuntime, about: About, recipients: list[Recipient], text) -> None:
    plan(session, rt, dataclasses.replace(about, audience="staff", obligatory=False, letter=None), recipients, text)


def make_handlers(rt: ServiceRuntime) -> dict:
    def on_school_saved(session: Session, payload: dict, _envelope: Envelope) -> None:
        school = session.get(School, 1) or School(id=1)
        school.name = payload["name"]
        session.add(school)

    def on_absence_recorded(session: Session, payload: dict, envelope: Envelope) -> None:
        """One optional notice per mark of the lesson (setting ``notify_each_absence``), each planned once."""
        if not rt.settings.notify_each_absence:
            return
        lesson = {key: payload[key] for key in ("class_code", "date", "lesson", "subject")}
        school_name = _school_name(session)
        for mark in payload["marks"]:
            text = messages.render(messages.ABSENCE, **lesson, **mark, kind_text=messages.KIND_TEXT[mark["kind"]],
                                   school_name=school_name)
            about = About(key=f"absence:{mark['absence_id']}", kind="absence", student_id=mark["student_id"],
                          occurred_at=envelope.occurred_at)
            plan(session, rt, about, guardian_recipients(session, rt, mark["student_id"], obligatory=False), text)

    def on_rule_fired(session: Session, payload: dict, envelope: Envelope) -> None:
        key = (f"rule:{payload['student_id']}:{payload['rule_id']}:{payload['threshold']:g}:"
               f"{payload['period']}")
        notify_parent = payload["action"] == "notify_parent"
        about = About(key=key, kind="rule", student_id=payload["student_id"], rule_id=payload["rule_id"],
                      article=payload["article"], urgent=payload["urgent"], obligatory=notify_parent,
                      occurred_at=envelope.occurred_at,
                      letter=_ladder_letter(session, payload) if _has_letter(payload) else None)
        message = payload["details"].get("message", "")
        context = {**payload, "message": message, "school_name": _school_name(session),
                   "period": payload["details"].get("period_label", payload["period"])}
        if notify_parent:
            recipients = guardian_recipients(session, rt, payload["student_id"], obligatory=True)
            if about.letter is None:  # no printable letter for this rule: paper is the office's manual job
                recipients = [r for r in recipients if r.channel != paper.CHANNEL]
            plan(session, rt, about, recipients, messages.render(messages.LADDER, **context))
        roles = payload["details"].get("recipients") or ["class_teacher"]
        staff = staff_recipients(session, rt, roles, class_code=payload["class_code"])
        title = payload["details"].get("title", "Правило от правилника")
        _plan_for_staff(session, rt, about, staff, messages.render(messages.STAFF_RULE, **context, title=title))

    def on_sanction_step_done(session: Session, payload: dict, envelope: Envelope) -> None:
        # An appeal is recorded when filed and again with its result (Чл. 58, ал. 4): one notice for each.
        outcome = (payload["details"].get("facts") or {}).get("outcome")
        suffix = f":{outcome}" if payload["step"] == "appeal" and outcome else ""
        about = About(key=f"sanction:{payload['sanction_id']}:{payload['step']}{suffix}", kind="sanction",
                      student_id=payload["student_id"], rule_id=f"sanction_{payload['type']}",
                      article=payload["article"], urgent=True, obligatory=True, occurred_at=envelope.occurred_at)
        text = messages.render(
            messages.SANCTION, **payload, school_name=_school_name(session),
            step_title=STEP_TITLES.get(payload["step"], payload["step"]),
            next_title=STEP_TITLES.get(payload["next_step"] or "", payload["next_step"] or ""))
        # Documents draws up the sanction letters itself (Чл. 58, ал. 3), so no paper fallback here.
        recipients = [r for r in guardian_recipients(session, rt, payload["student_id"], obligatory=True)
                      if r.channel != paper.CHANNEL]
        plan(session, rt, about, recipients, text)

    def on_dropout_report_due(session: Session, payload: dict, envelope: Envelope) -> None:
        """The parents of each student at risk, once per term (Чл. 97, т. 17), on paper where nothing else reaches."""
        school_name = _school_name(session)
        class_teacher = _staff_name(session, "class_teacher", payload["class_code"]) or "Класният ръководител"
        for row in payload["students"]:
            letter = {"template": "dropout_letter", "context": {
                "student": {"name": row["name"], "class_name": payload["class_code"]}, "reasons": row["reasons"],
                "activities": row["activities"], "term_end": payload["term_end"].isoformat(),
                "register_entry": row["register_entry"], "class_teacher": class_teacher,
                "sent_on": row["register_entry_date"].isoformat()}}
            about = About(key=f"dropout:{row['student_id']}:{payload['period']}", kind="rule",
                          student_id=row["student_id"], rule_id="dropout_risk_report", article=payload["article"],
                          urgent=True, obligatory=True, occurred_at=envelope.occurred_at, letter=letter)
            text = messages.render(messages.DROPOUT, student_name=row["name"], class_code=payload["class_code"],
                                   article=payload["article"], reasons=row["reasons"], activities=row["activities"],
                                   register_entry=row["register_entry"], term_end=payload["term_end"],
                                   school_name=school_name)
            plan(session, rt, about, guardian_recipients(session, rt, row["student_id"], obligatory=True), text)

    def on_reminder_due(session: Session, payload: dict, envelope: Envelope) -> None:
        about = About(key=f"reminder:{payload['item_kind']}:{payload['item_id']}:{payload['state']}:{payload['due']}",
                      kind="reminder", urgent=payload["state"] == "overdue", audience="staff",
                      occurred_at=envelope.occurred_at)
        recipients = staff_recipients(session, rt, payload["responsible_roles"],
                                      user_ids=payload["responsible_user_ids"])
        plan(session, rt, about, recipients, messages.render(messages.REMINDER, **payload))

    def on_monthly_exports_ready(session: Session, payload: dict, envelope: Envelope) -> None:
        """The office hears that the month's files are ready, or what keeps the НЕИСПУО file back."""
        about = About(key=f"monthly_exports:{payload['export_id']}", kind="monthly_exports", audience="staff",
                      article="Чл. 97, т. 10 и т. 15", urgent=payload["status"] != "ready",
                      occurred_at=envelope.occurred_at)
        recipients = staff_recipients(session, rt, payload["recipients"] or ["secretary"])
        plan(session, rt, about, recipients, messages.render(messages.MONTHLY_EXPORTS, **payload))

    def on_document_ready(session: Session, payload: dict, envelope: Envelope) -> None:
        paper_done(session, payload, envelope)
        key = payload.get("source_event_id") or ""
        if payload["template"] == BENEFIT_NOTICE and key.startswith("benefit_notice:") and payload.get("letter"):
            send_benefit_notice(session, payload, envelope)

    def send_benefit_notice(session: Session, payload: dict, envelope: Envelope) -> None:
        """The parents' prior notice before the ЗАС list (L7, Чл. 97, т. 15), drawn up and numbered by documents.

        Obligatory, so sent once to every guardian on the channels they chose, and on paper (the same
        letter, with its number) to a guardian no channel reaches; keyed by the letter's own key.
        """
        letter = payload["letter"]
        student_id = payload["student_id"]
        about = About(key=payload["source_event_id"], kind="rule", student_id=student_id, rule_id="child_benefit_list",
                      article="Чл. 97, т. 15", obligatory=True, occurred_at=envelope.occurred_at,
                      letter={"template": BENEFIT_NOTICE, "context": letter})
        text = messages.render(messages.BENEFIT_NOTICE, **letter, number=payload["number"],
                               school_name=_school_name(session))
        plan(session, rt, about, guardian_recipients(session, rt, student_id, obligatory=True), text)

    paper_done = paper.make_document_ready_handler(rt)

    return {
        "register.school_saved": on_school_saved,
        "register.monthly_exports_ready": on_monthly_exports_ready,
        "register.absence_recorded": on_absence_recorded,
        "register.rule_fired": on_rule_fired,
        "register.sanction_step_done": on_sanction_step_done,
        "planning.reminder_due": on_reminder_due,
        "register.dropout_report_due": on_dropout_report_due,
        "documents.document_ready": on_document_ready,
        "documents.document_failed": paper.on_document_failed,
    }
