"""The monthly НЕИСПУО file, the child-benefit list and the РУО report, through the API."""

from __future__ import annotations

import io
import re

import openpyxl

from tests.support.school import setup_small_school


def record(api, token, student_id, day, lesson, kind="unexcused"):
    answer = api.as_(token).post("/api/register/absences", json={
        "date": day, "lesson": lesson, "subject": "Математика", "marks": [{"student_id": student_id, "kind": kind}]})
    assert answer.status_code == 201, answer.json
    return answer


def add_student(api, first, last, egn):
    answer = api.post("/api/register/students", json={"first_name": first, "middle_name": "", "last_name": last,
                                                      "egn": egn, "class_code": "10а", "guardians": []})
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def parse_like_the_importer(content: bytes, name: str) -> list[list[str]]:
    """The checks of НЕИСПУО's importer: encoding, 15 separators, formats, one institution/month, no repeats."""
    assert re.fullmatch(r"\d{7}_\d{4}_\d{2}_File\.txt", name)
    lines = [line for line in content.decode("cp1251").splitlines() if line]
    rows = [line.split("|") for line in lines]
    assert all(line.count("|") == 15 for line in lines)
    assert len({(r[0], r[1], r[2]) for r in rows}) == 1
    assert len({(r[3], r[4]) for r in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"\d{7}", row[0])
        assert re.fullmatch(r"\d{2}", row[8])
        assert row[13] == "" or re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", row[13])
        assert re.fullmatch(r"\d+\.\d{2}", row[14])
        assert re.fullmatch(r"\d+\.\d{2}", row[15])
    return rows


def test_october_file_passes_the_importers_checks_and_matches_the_register(api, make_user):
    school = setup_small_school(api, make_user)
    other = add_student(api, "Елена", "Колева", "0851208761")
    for lesson in (1, 2, 3):
        record(api, school.teacher_token, school.student_id, "2023-10-02", lesson)
    record(api, school.teacher_token, school.student_id, "2023-10-03", 1, "late")
    record(api, school.teacher_token, school.student_id, "2023-10-03", 2, "excused")
    record(api, school.teacher_token, other, "2023-11-06", 1)  # another month: not in October's file
    answer = api.get("/api/register/exports/neispuo-absences", query_string={"year": 2023, "month": 10})
    assert answer.status_code == 200, answer.json
    name = re.search(r'filename="([^"]+)"', answer.headers["Content-Disposition"]).group(1)
    assert name == "2500603_2023_10_File.txt"
    rows = parse_like_the_importer(answer.data, name)
    by_egn = {row[4]: row for row in rows}
    assert set(by_egn) == {"0441011235", "0851208761"}  # every student of the school, once
    maria = by_egn["0441011235"]
    assert maria[:3] == ["2500603", "2023", "10"]
    assert maria[3] == ""  # ЕГН is written as an empty identification type
    assert maria[5:8] == ["Мария", "Петрова", "Иванова"]
    assert maria[8] == "10"
    assert maria[11] == "10а"
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary",
                      query_string={"from": "2023-10-01", "to": "2023-10-31"}).json
    assert float(maria[14]) == summary["excused"] == 1
    assert float(maria[15]) == summary["unexcused_total"] == 3.5
    assert by_egn["0851208761"][14:] == ["0.00", "0.00"]
    again = api.get("/api/register/exports/neispuo-absences", query_string={"year": 2023, "month": 10})
    assert again.data == answer.data  # byte-identical


def test_a_name_cp1251_cannot_hold_is_reported_not_exported(api, make_user):
    setup_small_school(api, make_user)
    odd = add_student(api, "Зоя🙂", "Ли", "0851208761")
    answer = api.get("/api/register/exports/neispuo-absences", query_string={"year": 2023, "month": 10})
    assert answer.status_code == 422
    [message] = answer.json["errors"][f"students.{odd}"]
    assert "U+1F642" in message
    assert "Windows-1251" in message


def test_only_the_office_downloads_exports(api, make_user):
    school = setup_small_school(api, make_user)
    query = {"year": 2023, "month": 10}
    assert api.as_(school.teacher_token).get("/api/register/exports/neispuo-absences",
                                             query_string=query).status_code == 403
    assert api.get("/api/register/exports/neispuo-absences", query_string={"year": 2023, "month": 13}
                   ).status_code == 422


def test_benefit_list_and_ruo_report_workbooks(api, make_user):
    school = setup_small_school(api, make_user)
    for lesson in range(1, 7):
        record(api, school.teacher_token, school.student_id, "2023-10-02", lesson)
    answer = api.get("/api/register/exports/benefit-list.xlsx", query_string={"year": 2023, "month": 10})
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [(1, "Мария Петрова Иванова", "10а", 6, rows[0][4])]
    assert rows[0][4] != "НЕ СА УВЕДОМЕНИ"  # the ladder's letter at 3 went first
    report = api.get("/api/register/exports/ruo-report.xlsx", query_string={"year": 2023, "month": 10})
    book = openpyxl.load_workbook(io.BytesIO(report.data))
    student_row = next(iter(book["По ученици"].iter_rows(min_row=3, values_only=True)))
    assert student_row[:5] == ("10а", "Мария Петрова Иванова", 0, 6, 0)
    assert next(iter(book["По паралелки"].iter_rows(min_row=3, values_only=True)))[:3] == ("10а", 0, 6)


def _benefit_rows(api) -> list[tuple]:
    answer = api.get("/api/register/exports/benefit-list.xlsx", query_string={"year": 2023, "month": 10})
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).active
    assert "повече от 5" in sheet["A1"].value  # the rule pack's criterion, in words
    return [row[1:4] for row in sheet.iter_rows(min_row=3, values_only=True)]


def _benefit_fired(api, student_id: int) -> bool:
    return any(f["rule_id"] == "child_benefit_list" for f in api.get(
        "/api/register/rule-firings", query_string={"student_id": student_id}).json)


def test_the_rule_and_the_list_to_zas_count_a_lateness_alike_two_of_them_make_an_absence(api, make_user):
    """Чл. 61, ал. 5: two latenesses are one unexcused absence; one alone is none yet (issue 19, point 3)."""
    school = setup_small_school(api, make_user)
    for lesson in range(1, 6):
        record(api, school.teacher_token, school.student_id, "2023-10-02", lesson)
    record(api, school.teacher_token, school.student_id, "2023-10-02", 6, "late")
    # 5 absences and a lateness: five, not „повече от 5“, for the rule and the list alike.
    assert not _benefit_fired(api, school.student_id)
    assert _benefit_rows(api) == []
    record(api, school.teacher_token, school.student_id, "2023-10-03", 1, "late")
    assert _benefit_fired(api, school.student_id)
    assert _benefit_rows(api) == [("Мария Петрова Иванова", "10а", 6)]
