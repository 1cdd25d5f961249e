"""The parent's pages in a real browser (issue 18, point 5; ``../shared/spec/web-ui.md``).

A parent signs in and sees only their child on the home page, with the absences (halves „5,5“), the
ladder's letter, grades by subject, the sanction's state and the unread notices; opens a notice in
the inbox, and the school's delivery log shows when (``read_at``). The parent applies to excuse a
day (Чл. 61, ал. 1, т. 3), the class teacher accepts it on the card and the totals change; another
application is refused with a reason the parent reads. Every URL of the other child, tampered by
the parent, answers 403 or 404 without the other child's data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.school import SCHOOL, YEAR
from tests.web.browser import PASSWORD, check_quality, sign_in

pytestmark = pytest.mark.integration

#: A Friday of the first term: Wednesday's and Thursday's absences are within the parent's 3 school days.
TODAY = dt.date(2023, 12, 1)
WEDNESDAY, THURSDAY = dt.date(2023, 11, 29), dt.date(2023, 11, 30)
PARENT, OTHER_PARENT, CLASS_TEACHER = "Елена Иванова", "Петър Борисов", "Мария Петрова"
CHILD, OTHER_CHILD = "Ана Петрова Иванова", "Борис Петров Борисов"
OTHER_EGN = "0843156783"
#: „Извинени“ alone, not inside „Неизвинени“.
EXCUSED = re.compile(r"^Извинени$")


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@dataclasses.dataclass
class School:
    child: int
    other_child: int
    other_sanction: int
    other_document: int
    other_parent_token: str


def _created(answer) -> int:
    assert answer.status_code in (201, 202), answer.json
    return answer.json["id"]


@pytest.fixture
def school(api, make_user) -> School:
    """10а (Ана, her parent Елена) and 10б (Борис, his parent Петър), each child with absences, a grade,
    a sanction procedure; a document about Борис. Ана: five unexcused hours and one lateness (5,5)."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher, class_teacher_token = make_user("class_teacher", CLASS_TEACHER, classes=["10а"], password=PASSWORD)
    other_ct, other_ct_token = make_user("class_teacher", "Илия Тодоров", classes=["10б"], password=PASSWORD)
    teacher, teacher_token = make_user("teacher", "Георги Учителов", classes=["10а", "10б"], password=PASSWORD)
    for code, leader in (("10а", class_teacher), ("10б", other_ct)):
        assert api.post("/api/register/classes", json={"code": code, "grade": 10,
                                                       "class_teacher_id": leader}).status_code == 201
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher, "class_code": code, "subject": "Математика",
            "weekly_hours": {"1": 4, "2": 4}}).status_code == 201
    children = []
    for (first, middle, last), egn, code, guardian in (
            (CHILD.split(), "0841011230", "10а", {"name": PARENT, "email": "elena@example.bg",
                                                  "phone": "+359888000002"}),
            (OTHER_CHILD.split(), OTHER_EGN, "10б", {"name": OTHER_PARENT, "email": "petar@example.bg",
                                                     "phone": "+359888000001"})):
        children.append(_created(api.post("/api/register/students", json={
            "first_name": first, "middle_name": middle, "last_name": last, "egn": egn, "class_code": code,
            "guardians": [guardian]})))
    child, other = children
    make_user("parent", PARENT, students=[child], password=PASSWORD)
    _id, other_parent_token = make_user("parent", OTHER_PARENT, students=[other], password=PASSWORD)
    lessons = api.as_(teacher_token)
    for student in children:
        for day, lesson, kind in [(WEDNESDAY, 1, "unexcused"), (WEDNESDAY, 2, "unexcused"),
                                  (WEDNESDAY, 3, "unexcused"), (THURSDAY, 1, "unexcused"),
                                  (THURSDAY, 2, "unexcused"), (TODAY, 1, "late")]:
            recorded = lessons.post("/api/register/absences", json={
                "date": day.isoformat(), "lesson": lesson, "subject": "Математика",
                "marks": [{"student_id": student, "kind": kind}]})
            assert recorded.status_code == 201, recorded.json
        assert lessons.post("/api/register/grades", json={
            "student_id": student, "subject": "Математика", "value": 5 if student == child else 3, "kind": "oral",
            "date": TODAY.isoformat()}).status_code == 201
    sanctions = []
    for student, token in ((child, class_teacher_token), (other, other_ct_token)):
        sanctions.append(_created(api.as_(token).post("/api/register/sanctions", json={
            "student_id": student, "type": "remark", "proposed_on": TODAY.isoformat(), "reason": "Бягство от час"})))
    template = api.get("/api/documents/templates").json[0]
    document = _created(api.post("/api/documents/documents", json={
        "template": template["key"], "context": template["example"], "student_id": other}))
    api.drain()
    return School(child, other, sanctions[1], document, other_parent_token)


def open_home(page: Page, name: str) -> None:
    sign_in(page, name)
    expect(page.locator(".home-placeholder")).to_have_count(0)


def test_the_parent_sees_only_their_child_and_reads_a_notice_the_school_sees_read(page: Page, school, api):
    open_home(page, PARENT)
    register = page.get_by_role("region", name="Дневник")
    expect(register.get_by_role("heading", name=f"{CHILD}, 10а клас")).to_be_visible()
    expect(register.locator(".home-child")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Борис")
    expect(register.locator("dt", has_text="Неизвинени").locator("+ dd")).to_have_text("5,5")
    expect(register.locator("dt", has_text=EXCUSED).locator("+ dd")).to_have_text("0")
    expect(register.locator("dt", has_text="Закъснения").locator("+ dd")).to_have_text("1")
    expect(register.locator(".letters li").first).to_contain_text("при 3 неизвинени отсъствия (Чл. 97, т. 8")
    expect(register.locator(".subject-grades")).to_contain_text("Математика: 5")
    expect(register.locator(".sanction")).to_contain_text(
        "Санкция „забележка“: Предложение за налагане на санкция (01.12.2023)")
    expect(register.locator(".sanction")).to_contain_text("следва:")
    card = register.get_by_role("link", name="Ученическа карта на Ана")
    expect(card).to_have_attribute("href", f"/register/students/{school.child}")
    notices = page.get_by_role("region", name="Известия")
    expect(notices.locator(".family-letters")).to_contain_text("Чл. 97, т. 8")
    unread = notices.locator(".unread-count a")
    expect(unread).to_have_attribute("href", "/notifications/inbox")
    before = int(unread.locator("strong").inner_text())
    assert before >= 2  # the ladder's letter and the sanction's notice
    check_quality(page)

    unread.click()
    expect(page.get_by_role("heading", name="Известия", exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Борис")
    check_quality(page)
    page.locator(".inbox .unread button").first.click()
    expect(page).to_have_url(re.compile(r"/notifications/inbox/\d+$"))
    opened = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_text("прочетено на")).to_be_visible()
    check_quality(page)
    [seen] = [d for d in api.get("/api/notifications/deliveries").json if d["id"] == opened]
    assert seen["channel"] == "inbox"
    assert seen["read_at"] is not None
    page.goto("/")
    expect(page.locator(".home-placeholder")).to_have_count(0)
    expect(page.get_by_role("region", name="Известия").locator(".unread-count")).to_contain_text(str(before - 1))


def test_every_notice_to_the_family_reaches_the_parents_inbox_whatever_its_channel(school, api):
    deliveries = api.get("/api/notifications/deliveries", query_string={"student_id": school.child}).json
    family = [d for d in deliveries if d["audience"] == "guardian"]
    by_notice: dict[str, set[str]] = {}
    for delivery in family:
        by_notice.setdefault(delivery["subject"], set()).add(delivery["channel"])
    other_channels = {subject: channels for subject, channels in by_notice.items() if channels - {"inbox"}}
    assert other_channels, "no notice went to the family by e-mail, SMS or paper"
    for subject, channels in other_channels.items():
        assert "inbox" in channels, f"„{subject}“ went by {channels}, not into the parent's inbox"


def _sign_in_elsewhere(browser: Browser, base_url: str, name: str) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url, locale="bg-BG")
    page = context.new_page()
    sign_in(page, name)
    return page


def test_the_parent_applies_to_excuse_and_the_class_teacher_decides_on_the_card(page: Page, school, chromium,
                                                                                 live_server, api):
    sign_in(page, PARENT, path=f"/register/students/{school.child}")
    applications = page.get_by_role("region", name="Заявления от родителя")
    expect(applications).to_contain_text("до 3 учебни дни в учебната година")
    # Five school days are more than the year allows (Чл. 61, ал. 1, т. 3): refused, nothing stored.
    applications.get_by_label("От").fill("2023-12-04")
    applications.get_by_label("До").fill("2023-12-08")
    applications.get_by_label("Причина", exact=True).fill("Семейно пътуване")
    applications.get_by_role("button", name="Подай заявлението").click()
    expect(page.locator("#field-to-error")).to_contain_text("Чл. 61, ал. 1, т. 3")
    expect(page.locator("#field-to-error")).to_contain_text("остават 3, а се искат 5")
    check_quality(page)
    assert api.get("/api/register/excuse-applications", query_string={"student_id": school.child}).json == []

    for day, text in ((WEDNESDAY, "Болно дете, без медицинска бележка"), (THURSDAY, "Семейни причини")):
        form = page.get_by_role("region", name="Заявления от родителя")
        form.get_by_label("От").fill(day.isoformat())
        form.get_by_label("До").fill(day.isoformat())
        form.get_by_label("Причина", exact=True).fill(text)
        form.get_by_role("button", name="Подай заявлението").click()
        expect(page.get_by_text("Заявлението е подадено.")).to_be_visible()
    expect(page.locator(".application.status-pending")).to_have_count(2)
    expect(page).to_have_url(re.compile(rf"/register/students/{school.child}$"))  # htmx swapped the section
    check_quality(page)

    teacher = _sign_in_elsewhere(chromium, live_server, CLASS_TEACHER)
    try:
        expect(teacher.locator(".home-placeholder")).to_have_count(0)
        waiting = teacher.get_by_role("region", name="Дневник").locator(".home-applications")
        expect(waiting.locator(".pending-applications")).to_have_text("2")
        check_quality(teacher)
        waiting.get_by_role("link", name=f"{CHILD}, 29.11.2023").click()
        expect(teacher.get_by_role("heading", name=CHILD)).to_be_visible()
        totals = teacher.locator("#totals")
        expect(totals.locator("dt", has_text="Неизвинени").locator("+ dd")).to_have_text("5,5")
        check_quality(teacher)
        wednesday = teacher.locator(".application", has_text="29.11.2023")
        wednesday.get_by_role("button", name="Приеми").click()
        expect(teacher.get_by_text("Заявлението е прието. Извинени учебни часове: 3.")).to_be_visible()
        expect(totals.locator("dt", has_text="Неизвинени").locator("+ dd")).to_have_text("2,5")
        expect(totals.locator("dt", has_text=EXCUSED).locator("+ dd")).to_have_text("3")
        thursday = teacher.locator(".application", has_text="30.11.2023")
        thursday.get_by_role("button", name="Откажи").click()  # without a reason: the browser asks for one
        expect(thursday.locator(".application-status")).to_have_text("Чака решение")
        thursday.get_by_label("Причина за отказа").fill("Отсъствието е предварително неуведомено")
        thursday.get_by_role("button", name="Откажи").click()
        expect(teacher.get_by_text("Заявлението е отказано.")).to_be_visible()
        check_quality(teacher)
    finally:
        teacher.context.close()

    summary = api.get(f"/api/register/students/{school.child}/absences/summary").json
    assert (summary["excused"], summary["unexcused_total"]) == (3, 2.5)
    decided = {a["from"]: a for a in api.get("/api/register/excuse-applications",
                                             query_string={"student_id": school.child}).json}
    assert decided[WEDNESDAY.isoformat()]["status"] == "accepted"
    assert decided[WEDNESDAY.isoformat()]["excuse_id"]
    assert decided[THURSDAY.isoformat()]["status"] == "refused"

    page.reload()
    expect(page.locator(".application.status-accepted")).to_contain_text("Прието")
    expect(page.locator(".application.status-refused")).to_contain_text(
        "Отказано: Отсъствието е предварително неуведомено")
    expect(page.locator("#totals dt", has_text="Неизвинени").locator("+ dd")).to_have_text("2,5")
    check_quality(page)


def _refused(answer, what: str) -> None:
    body = answer.text()
    assert answer.status in (403, 404), f"{what}: {answer.status}"
    for secret in ("Борис", OTHER_EGN, OTHER_PARENT):
        assert secret not in body, f"{what} shows {secret}"


def test_the_parent_never_sees_the_other_child_by_changing_a_url(page: Page, school, api):
    open_home(page, PARENT)
    other = school.other_child
    for path in (f"/register/students/{other}", f"/register/students/{other}/personal-number",
                 "/register/classes/10б/absences?month=2023-11", "/register/classes/10б/lessons",
                 f"/documents/{school.other_document}", f"/api/documents/documents/{school.other_document}/file",
                 f"/documents/?student_id={other}", f"/documents/new?template=absence_letter&student_id={other}",
                 f"/api/register/students/{other}/sanction-suggestion",
                 f"/api/documents/documents/{school.other_document}",
                 f"/api/register/students/{other}/absences/summary", f"/api/register/students/{other}/grades",
                 f"/api/register/students/{other}/final-grades", f"/api/register/rule-firings?student_id={other}",
                 f"/api/register/sanctions?student_id={other}", f"/api/register/sanctions/{school.other_sanction}",
                 f"/api/register/excuse-applications?student_id={other}",
                 f"/api/notifications/deliveries?student_id={other}"):
        _refused(page.request.get(path), path)
    # The other parent's notice in the inbox is as unknown as a missing one.
    others = [d["id"] for d in api.get("/api/notifications/deliveries", query_string={"student_id": other}).json
              if d["channel"] == "inbox"]
    assert others
    _refused(page.request.get(f"/notifications/inbox/{others[0]}"), "the other parent's notice")
    # Without a student named, the lists hold only the parent's own child.
    mine = page.request.get("/api/register/excuse-applications")
    assert mine.status == 200
    assert {a["student_id"] for a in mine.json()} <= {school.child}
    deliveries = page.request.get("/api/notifications/deliveries").json()
    assert {d["student_id"] for d in deliveries} == {school.child}
    # The fragments name nobody else.
    for fragment in ("/register/fragments/home", "/notifications/fragments/home", "/documents/fragments/home",
                     "/planning/fragments/home"):
        answer = page.request.get(fragment)
        assert answer.status == 200, fragment
        assert "Борис" not in answer.text(), fragment

    # Forms of the other child's card, posted with a valid CSRF token: refused, nothing stored.
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    applied = page.request.post(f"/register/students/{other}/excuse-applications", form={
        "csrf_token": token, "from": THURSDAY.isoformat(), "to": THURSDAY.isoformat(), "reason": "Опит"})
    _refused(applied, "an application for the other child")
    assert api.get("/api/register/excuse-applications", query_string={"student_id": other}).json == []
    excused = page.request.post(f"/register/students/{other}/excuses", form={
        "csrf_token": token, "from": THURSDAY.isoformat(), "to": THURSDAY.isoformat(), "reason": "parent",
        "evidence": "Опит"})
    _refused(excused, "an excuse of the other child")
    assert api.get(f"/api/register/students/{other}/absences/summary").json["excused"] == 0
    # An application of the other child, named under the own child's card: the parent decides nothing.
    application = _created(api.as_(school.other_parent_token).post("/api/register/excuse-applications", json={
        "student_id": other, "from": THURSDAY.isoformat(), "to": THURSDAY.isoformat(), "reason": "Семейни причини"}))
    for action in ("accept", "refuse"):
        answer = page.request.post(f"/register/students/{school.child}/excuse-applications/{application}/{action}",
                                   form={"csrf_token": token, "refusal": "Опит"})
        _refused(answer, f"{action} of the other child's application")
    assert api.get("/api/register/excuse-applications", query_string={"student_id": other}).json[0]["status"] == (
        "pending")


def test_the_application_and_the_decision_work_without_javascript(school, chromium, live_server, api):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, base_url=live_server, locale="bg-BG",
                                   java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, PARENT, path=f"/register/students/{school.child}")
        form = page.get_by_role("region", name="Заявления от родителя")
        form.get_by_label("От").fill(WEDNESDAY.isoformat())
        form.get_by_label("До").fill(WEDNESDAY.isoformat())
        form.get_by_label("Причина", exact=True).fill("Семейни причини")
        form.get_by_role("button", name="Подай заявлението").click()
        expect(page).to_have_url(re.compile(rf"/register/students/{school.child}#applications$"))
        expect(page.get_by_text("Заявлението е подадено.")).to_be_visible()
        page.get_by_role("button", name="Изход").click()
        sign_in(page, CLASS_TEACHER, path=f"/register/students/{school.child}")
        page.locator(".application", has_text="29.11.2023").get_by_role("button", name="Приеми").click()
        expect(page).to_have_url(re.compile(rf"/register/students/{school.child}#applications$"))
        expect(page.get_by_text("Заявлението е прието. Извинени учебни часове: 3.")).to_be_visible()
        expect(page.locator("#totals dt", has_text=EXCUSED).locator("+ dd")).to_have_text("3")
    finally:
        context.close()
    assert api.get(f"/api/register/students/{school.child}/absences/summary").json["excused"] == 3
