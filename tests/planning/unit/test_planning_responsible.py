"""Responsible cells to roles (spec annual-plan.md §7, §8.9)."""

from __future__ import annotations

import pytest

from services.planning.plans.rules import RESPONSIBLE_PARTIES, SYSTEM_ROLES, normalise_responsible, parse_responsible

#: every distinct cell of the plan with the roles spec §7 gives it
SPEC_CELLS: list[tuple[str, list[str]]] = [
    ("директор", ["директор"]),
    ("Директор", ["директор"]),
    ("учители", ["учител"]),
    ("Учител по математика", ["учител по математика"]),
    ("учители по ПОО", ["учител по ПОО"]),
    ("Учители по ПОО", ["учител по ПОО"]),
    ("Директор Учители по ПОО", ["директор", "учител по ПОО"]),
    ("Директор  Учители по ПОО", ["директор", "учител по ПОО"]),
    ("Директор, учители по ПОО", ["директор", "учител по ПОО"]),
    ("Директор, Учители по ПОО", ["директор", "учител по ПОО"]),
    ("директор учители по ПОО", ["директор", "учител по ПОО"]),
    ("учител по БЕЛ", ["учител по БЕЛ"]),
    ("Учител по БЕЛ", ["учител по БЕЛ"]),
    ("Учител по ИЦ", ["учител по ИЦ"]),
    ("Учител ИЦ", ["учител по ИЦ"]),
    ("Учители по ИЦ и БЕЛ", ["учител по ИЦ", "учител по БЕЛ"]),
    ("Учители по БЕЛ и ИЦ", ["учител по БЕЛ", "учител по ИЦ"]),
    ("Учители по БЕЛ и математика", ["учител по БЕЛ", "учител по математика"]),
    ("Учители по ИТ", ["учител по ИТ"]),
    ("Учител по БЗО", ["учител по БЗО"]),
    ("Старши учител БЗО", ["старши учител по БЗО"]),
    ("Учител по ИЦ, ГИ и ГО Учител по БЕЛ Старши учител по БЗО и ХООС",
     ["учител по ИЦ", "учител по ГИ", "учител по ГО", "учител по БЕЛ", "старши учител по БЗО",
      "старши учител по ХООС"]),
    ("Учител ГО, директор", ["учител по ГО", "директор"]),
    ("директор учител ГИ", ["директор", "учител по ГИ"]),
    ("Старши учител ФВС", ["старши учител по ФВС"]),
    ("Старши учител по ФВС", ["старши учител по ФВС"]),
    ("Директор Старши учител ФВС", ["директор", "старши учител по ФВС"]),
    ("Член на екип за обхват", ["член на екип за обхват"]),
    ("Член на екипи за обхват", ["член на екип за обхват"]),
    ("Директор, член на екип за обхват", ["директор", "член на екип за обхват"]),
    ("Директор, счетоводител", ["директор", "счетоводител"]),
    ("Старши счетоводител", ["старши счетоводител"]),
    ("Директор Старши счетоводител", ["директор", "старши счетоводител"]),
    ("Директор, училищна комисия", ["директор", "училищна комисия"]),
    ("Директор Училищна комисия", ["директор", "училищна комисия"]),
    ("ръководител", ["ръководител на проекта"]),
    ("ТЕУП", ["ТЕУП"]),
    ("Началник на отдел АПФСИО", ["началник на отдел АПФСИО"]),
    ("директор Старши експерт по ПНЕ", ["директор", "старши експерт по ПНЕ"]),
    ("директор Старши експерт по ОНГОР Старши експерт за ОНЕ",
     ["директор", "старши експерт по ОНГОР", "старши експерт за ОНЕ"]),
    ("", []),
]


@pytest.mark.parametrize(("cell", "titles"), SPEC_CELLS)
def test_every_cell_of_the_plan_gives_the_spec_roles(cell: str, titles: list[str]) -> None:
    parties = parse_responsible(cell)
    assert [party.title for party in parties] == titles
    assert all(party.known for party in parties)


def test_role_keys_use_the_system_roles() -> None:
    assert SYSTEM_ROLES == ("deputy_director", "director", "class_teacher", "teacher", "psychologist",
                            "secretary", "parent", "it_admin")
    assert normalise_responsible("Директор  Учители по ПОО") == ("director", "teacher")
    assert normalise_responsible("Учител по ИЦ, ГИ и ГО Учител по БЕЛ") == ("teacher",)
    assert normalise_responsible("Директор, училищна комисия") == ("director", "commission")
    assert normalise_responsible("Директор Старши счетоводител") == ("director", "accountant")
    assert normalise_responsible("директор Старши експерт по ОНГОР Старши експерт за ОНЕ") == (
        "director", "rue_expert")
    assert normalise_responsible("Член на екипи за обхват") == ("coverage_team",)
    assert normalise_responsible("ТЕУП") == ("project_team",)
    assert normalise_responsible("") == ()


def test_other_school_wordings() -> None:
    assert normalise_responsible("ЗДУД, класни ръководители и родители") == (
        "deputy_director", "class_teacher", "parent")
    assert normalise_responsible("Педагогически съветник, психолог") == ("pedagogical_counsellor", "psychologist")
    assert normalise_responsible("Педагогически съвет") == ("pedagogical_council",)
    assert normalise_responsible("Главен счетоводител, ЗАС") == ("chief_accountant", "secretary")
    assert normalise_responsible("Системен администратор") == ("it_admin",)
    teachers = parse_responsible("учители по физическо възпитание и спорт и математика")
    assert [(p.title, p.subject) for p in teachers] == [("учител по ФВС", "ФВС"),
                                                        ("учител по математика", "математика")]


def test_external_parties_are_marked() -> None:
    external = {p.title: p.external for p in parse_responsible("Директор Началник на отдел АПФСИО ТЕУП")}
    assert external == {"директор": False, "началник на отдел АПФСИО": True, "ТЕУП": True}


def test_unknown_wording_is_kept_as_text() -> None:
    parties = parse_responsible("Председател на УН и директор")
    assert [(p.role, p.title, p.known) for p in parties] == [
        ("other", "Председател на УН", False), ("director", "директор", True)]


def test_every_role_key_is_documented_once_with_a_bulgarian_title() -> None:
    keys = [role.key for role in RESPONSIBLE_PARTIES]
    assert set(SYSTEM_ROLES) <= set(keys)
    assert {"pedagogical_council", "chief_accountant", "commission", "coverage_team", "rue_expert",
            "project_team", "project_manager", "other"} <= set(keys)
    assert all(role.title for role in RESPONSIBLE_PARTIES)
