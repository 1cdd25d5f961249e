"""Loading and validating a rule pack (пакет правила) from YAML into frozen dataclasses.

Every error names the rule and the key (``rules[2] „scholarship_suspension“: condition.thresholds``)
and says in Bulgarian what is wrong, because the pack is edited by people, per school.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from services.register.absences.rules.errors import RulePackError
from services.register.absences.rules.periods import PeriodKind
from services.register.absences.rules.rulepack import (
    Action,
    ActionKind,
    Audience,
    BeforeTermEndCondition,
    Comparison,
    Condition,
    CounterCondition,
    NonAttendanceCondition,
    Rule,
    RulePack,
    Sanction,
)

SUPPORTED_VERSION = 1
_RULE_ID = re.compile(r"[a-z][a-z0-9_]*")
_ARTICLE = re.compile(r"Чл\. \d+.*")
_TEMPLATE_SAMPLE = {"count": 1, "threshold": 1, "period": "п", "article": "Чл. 1"}
_E = TypeVar("_E")


def default_rule_pack_path() -> Path:
    """Path of the shipped pack, ``services/register/absences/rulepacks/default.yaml``."""
    return Path(__file__).resolve().parents[1] / "rulepacks" / "default.yaml"


def load_rule_pack_file(path: Path) -> RulePack:
    """Read and validate a rule pack file (UTF-8)."""
    return load_rule_pack(path.read_text(encoding="utf-8"))


def load_rule_pack(text: str) -> RulePack:
    """Parse and validate rule-pack YAML; raise ``RulePackError`` naming the rule and key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulePackError("yaml", f"Файлът с правила не е валиден YAML: {exc}.") from None
    top = _Node(data, "", "")
    top.only_keys({"version", "settings", "rules"})
    version = top.get("version", int)
    if version != SUPPORTED_VERSION:
        raise top.error("version", f"поддържа се само версия {SUPPORTED_VERSION}")
    settings = top.child("settings")
    settings.only_keys({"threshold_counting_period"})
    period = settings.enum("threshold_counting_period", PeriodKind)
    raw_rules = top.get("rules", list)
    if not raw_rules:
        raise top.error("rules", "трябва да има поне едно правило")
    rules = tuple(_rule(raw, index) for index, raw in enumerate(raw_rules))
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.id in seen:
            raise RulePackError(f"rules[{index}].id", f"Правилото „{rule.id}“ е описано повече от веднъж.")
        seen.add(rule.id)
    return RulePack(version=version, threshold_counting_period=period, rules=rules)


class _Node:
    """A mapping inside the YAML with its path, for precise error messages."""

    def __init__(self, data: object, path: str, rule: str) -> None:
        if not isinstance(data, Mapping):
            where = path or "файлът"
            raise RulePackError(path or "yaml", f"{rule}{where}: очаква се речник (ключ: стойност).")
        self.data: Mapping[str, Any] = data
        self.path = path
        self.rule = rule

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> RulePackError:
        return RulePackError(self._key(key), f"{self.rule}ключът „{self._key(key)}“: {problem}.")

    def only_keys(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            raise self.error(unknown[0], "непознат ключ; позволени са " + ", ".join(sorted(allowed)))

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, kind: type[_E]) -> _E:
        if key not in self.data:
            raise self.error(key, "липсва")
        value = self.data[key]
        # bool is an int in Python, but "thresholds: true" is a typo, not the number 1
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = {int: "цяло число", str: "текст", list: "списък", dict: "речник"}
            raise self.error(key, f"очаква се {names.get(kind, kind.__name__)}")
        return value

    def optional(self, key: str, kind: type[_E], default: _E) -> _E:
        return self.get(key, kind) if key in self.data else default

    def positive(self, key: str) -> int:
        value = self.get(key, int)
        if value < 1:
            raise self.error(key, "очаква се цяло положително число")
        return value

    def enum(self, key: str, kind: Callable[[str], _E], default: _E | None = None) -> _E:
        if default is not None and key not in self.data:
            return default
        raw = self.get(key, str)
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(str(member) for member in kind)  # type: ignore[attr-defined]
            raise self.error(key, f"непозната стойност „{raw}“; позволени са {allowed}") from None

    def child(self, key: str) -> _Node:
        if key not in self.data:
            raise self.error(key, "липсва")
        return _Node(self.data[key], self._key(key), self.rule)


def _rule(raw: object, index: int) -> Rule:
    head = _Node(raw, f"rules[{index}]", "")
    rule_id = head.get("id", str)
    if not _RULE_ID.fullmatch(rule_id):
        raise head.error("id", "идентификаторът трябва да е с малки латински букви, цифри и „_“")
    node = _Node(raw, f"rules[{index}]", f"Правило „{rule_id}“, ")
    node.only_keys({"id", "article", "title", "condition", "action", "audience"})
    article = node.get("article", str)
    if not _ARTICLE.fullmatch(article):
        raise node.error("article", "членът се цитира както е отпечатан, напр. „Чл. 97, т. 8“")
    condition = _condition(node.child("condition"))
    action = _action(node.child("action"), condition)
    return Rule(id=rule_id, article=article, title=node.get("title", str), condition=condition, action=action,
                audience=_audience(node))


def _audience(node: _Node) -> frozenset[Audience]:
    """``audience: [staff, parents]``; the staff always read every firing, so it defaults to them alone."""
    raw = node.optional("audience", list, [str(Audience.STAFF)])
    allowed = ", ".join(str(member) for member in Audience)
    try:
        audience = frozenset(Audience(value) for value in raw)
    except (TypeError, ValueError):
        raise node.error("audience", f"очаква се списък от {allowed}") from None
    return audience | {Audience.STAFF}


def _condition(node: _Node) -> Condition:
    kind = node.get("kind", str)
    if kind == "counter":
        node.only_keys({"kind", "thresholds", "comparison", "period", "band_max"})
        thresholds = _thresholds(node)
        band_max = node.optional("band_max", int, 0) or None
        if band_max is not None and band_max < thresholds[-1]:
            raise node.error("band_max", "горната граница не може да е под прага")
        period = None if node.data.get("period", "default") == "default" else node.enum("period", PeriodKind)
        comparison = node.enum("comparison", Comparison, Comparison.AT_LEAST)
        return CounterCondition(thresholds, comparison, period, band_max)
    if kind == "before_term_end":
        node.only_keys({"kind", "months_before", "min_unexcused"})
        return BeforeTermEndCondition(node.positive("months_before"), node.positive("min_unexcused"))
    if kind == "nonattendance":
        node.only_keys({"kind", "months", "comparison", "education_form"})
        return NonAttendanceCondition(
            node.positive("months"),
            node.enum("comparison", Comparison, Comparison.MORE_THAN),
            node.optional("education_form", str, "daily"),
        )
    raise node.error(
        "kind", f"непознат вид условие „{kind}“; позволени са counter, before_term_end, nonattendance"
    )


def _thresholds(node: _Node) -> tuple[int, ...]:
    raw = node.get("thresholds", list)
    if not raw or any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in raw):
        raise node.error("thresholds", "очаква се непразен списък от цели положителни числа")
    if list(raw) != sorted(set(raw)):
        raise node.error("thresholds", "праговете трябва да са във възходящ ред и без повторения")
    return tuple(raw)


def _action(node: _Node, condition: Condition) -> Action:
    node.only_keys({"kind", "message", "recipients", "notes", "sanctions", "due_day_of_next_month"})
    kind = node.enum("kind", ActionKind)
    message = node.get("message", str)
    _check_template(node, "message", message)
    recipients = node.optional("recipients", list, [])
    if any(not isinstance(r, str) for r in recipients):
        raise node.error("recipients", "очаква се списък от текстове")
    notes = _notes(node, condition)
    sanctions = _sanctions(node)
    if kind is ActionKind.SUGGEST_SANCTION and not sanctions:
        raise node.error("sanctions", "предложението за санкция трябва да посочва поне една санкция")
    due = node.optional("due_day_of_next_month", int, 0) or None
    if due is not None and not 1 <= due <= 28:
        raise node.error("due_day_of_next_month", "очаква се ден от 1 до 28")
    return Action(kind, message, tuple(recipients), notes, sanctions, due)


def _check_template(node: _Node, key: str, template: str) -> None:
    try:
        template.format(**_TEMPLATE_SAMPLE)
    except (KeyError, IndexError, ValueError) as exc:
        raise node.error(key, f"неизвестно или сгрешено поле в шаблона ({exc}); позволени са "
                              "{count}, {threshold}, {period}, {article}") from None


def _notes(node: _Node, condition: Condition) -> tuple[tuple[int, str], ...]:
    raw = node.optional("notes", dict, {})
    thresholds = condition.thresholds if isinstance(condition, CounterCondition) else ()
    notes = []
    for threshold, text in raw.items():
        if threshold not in thresholds or not isinstance(text, str):
            raise node.error(f"notes.{threshold}", "бележка може да има само за праг от условието и е текст")
        notes.append((threshold, text))
    return tuple(sorted(notes))


def _sanctions(node: _Node) -> tuple[Sanction, ...]:
    raw = node.optional("sanctions", list, [])
    result = []
    for index, item in enumerate(raw):
        entry = _Node(item, f"{node.path}.sanctions[{index}]", node.rule)
        entry.only_keys({"code", "name"})
        result.append(Sanction(entry.get("code", str), entry.get("name", str)))
    return tuple(result)
