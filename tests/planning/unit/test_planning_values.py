"""Units and current/target values (spec annual-plan.md §5, §6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.planning.plans.rules import UnitKind, ValueKind, parse_unit, parse_value


@pytest.mark.parametrize(("raw", "kind", "counted", "text"), [
    ("Брой", UnitKind.COUNT, "", "Брой"),
    ("брой", UnitKind.COUNT, "", "брой"),
    ("Брой срещи", UnitKind.COUNT, "срещи", "Брой срещи"),
    ("Брой консултиран и педагогически специалисти", UnitKind.COUNT, "консултирани педагогически специалисти",
     "Брой консултирани педагогически специалисти"),
    ("%", UnitKind.PERCENT, "", "%"),
    ("% отчетени дейности, съгласно указанията на ЕОУП", UnitKind.PERCENT,
     "отчетени дейности, съгласно указанията на ЕОУП", "% отчетени дейности, съгласно указанията на ЕОУП"),
    ("% обучени педагогически специалисти съгласно квота от МОН", UnitKind.PERCENT,
     "обучени педагогически специалисти съгласно квота от МОН",
     "% обучени педагогически специалисти съгласно квота от МОН"),
    ("Брой публикации в сайта на РУО\nБрой участвали професионални гимназии", UnitKind.COUNT,
     "публикации в сайта на РУО Брой участвали професионални гимназии",
     "Брой публикации в сайта на РУО Брой участвали професионални гимназии"),
    ("", UnitKind.NONE, "", ""),
    ("Часа", UnitKind.OTHER, "Часа", "Часа"),
])
def test_units(raw, kind, counted, text) -> None:
    unit = parse_unit(raw)
    assert (unit.kind, unit.counted, unit.text, unit.raw) == (kind, counted, text, raw)


@pytest.mark.parametrize(("raw", "kind", "number", "qualifier"), [
    ("0", ValueKind.NUMBER, Decimal(0), ""),
    ("10", ValueKind.NUMBER, Decimal(10), ""),
    ("2,5", ValueKind.NUMBER, Decimal("2.5"), ""),
    ("100%", ValueKind.PERCENT, Decimal(100), ""),
    ("50 %", ValueKind.PERCENT, Decimal(50), ""),
    ("100% подкрепен и деца и ученици със СОП съгл. направените оценки", ValueKind.PERCENT, Decimal(100),
     "подкрепени деца и ученици със СОП съгл. направените оценки"),
    ("100% обучени педагогически специалисти", ValueKind.PERCENT, Decimal(100),
     "обучени педагогически специалисти"),
    ("2 срещи", ValueKind.NUMBER, Decimal(2), "срещи"),
    ("-", ValueKind.NONE, None, ""),
    ("", ValueKind.NONE, None, ""),
    ("Съгласно данните от ИСРМ", ValueKind.TEXT, None, ""),
    ("Според броя на заместванията", ValueKind.TEXT, None, ""),
    ("При необходимост", ValueKind.TEXT, None, ""),
])
def test_values(raw, kind, number, qualifier) -> None:
    value = parse_value(raw)
    assert (value.kind, value.number, value.qualifier, value.raw) == (kind, number, qualifier, raw)


def test_ranges() -> None:
    value = parse_value("2-3")
    assert (value.kind, value.low, value.high, value.percent) == (ValueKind.RANGE, Decimal(2), Decimal(3), False)
    value = parse_value("80 – 100%")
    assert (value.kind, value.low, value.high, value.percent) == (ValueKind.RANGE, Decimal(80), Decimal(100), True)
    # a "range" running downwards is not a range: kept as text rather than guessed
    assert parse_value("5-3").kind is ValueKind.TEXT


def test_placeholder_dash_keeps_its_text() -> None:
    value = parse_value("-")
    assert (value.text, value.raw) == ("-", "-")
