from __future__ import annotations

import pytest
import yaml

from services.register.absences.rules.errors import RulePackError
from services.register.absences.rules.periods import PeriodKind
from services.register.absences.rules.rulepack import (
    ActionKind,
    BeforeTermEndCondition,
    Comparison,
    CounterCondition,
    NonAttendanceCondition,
)
from services.register.absences.rules.rulepack_loader import default_rule_pack_path, load_rule_pack


def test_default_pack_carries_the_rulebook_values(pack):
    assert pack.threshold_counting_period is PeriodKind.SCHOOL_YEAR
    ladder = pack.rule("parent_notification_ladder")
    assert ladder.article == "Чл. 97, т. 8"
    assert ladder.condition == CounterCondition((3, 8, 20, 30), Comparison.AT_LEAST, None, None)
    assert "психолог" in ladder.action.note_for(8)
    assert pack.rule("sanction_remark").condition.band_max == 10
    transfer = pack.rule("sanction_transfer")
    assert transfer.condition.comparison is Comparison.MORE_THAN
    assert [s.code for s in transfer.action.sanctions] == ["S3", "S5"]
    scholarship = pack.rule("scholarship_suspension")
    assert (scholarship.condition.period, scholarship.condition.comparison) == (
        PeriodKind.MONTH,
        Comparison.AT_LEAST,
    )
    benefit = pack.rule("child_benefit_list")
    assert benefit.condition.comparison is Comparison.MORE_THAN
    assert benefit.action.due_day_of_next_month == 5
    assert pack.rule("dropout_risk_report").condition == BeforeTermEndCondition(1, 20)
    assert pack.rule("deregistration_review").condition == NonAttendanceCondition(
        2, Comparison.MORE_THAN, "daily"
    )
    assert pack.rule("deregistration_review").action.kind is ActionKind.DEREGISTRATION_REVIEW
    assert all(rule.article.startswith("Чл. ") for rule in pack.rules)


def _pack_with(mutate) -> str:
    data = yaml.safe_load(default_rule_pack_path().read_text(encoding="utf-8"))
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True)


def _rule(data, rule_id):
    return next(r for r in data["rules"] if r["id"] == rule_id)


@pytest.mark.parametrize(
    ("mutate", "field", "message"),
    [
        (
            lambda d: _rule(d, "sanction_remark").pop("article"),
            "rules[1].article",
            "Правило „sanction_remark“, ключът „rules[1].article“: липсва.",
        ),
        (
            lambda d: _rule(d, "sanction_remark").update(article="чл 52"),
            "rules[1].article",
            "както е отпечатан",
        ),
        (
            lambda d: _rule(d, "parent_notification_ladder")["condition"].update(thresholds=[8, 3]),
            "rules[0].condition.thresholds",
            "във възходящ ред",
        ),
        (
            lambda d: _rule(d, "parent_notification_ladder")["condition"].update(thresholds=[3, True]),
            "rules[0].condition.thresholds",
            "цели положителни числа",
        ),
        (
            lambda d: _rule(d, "child_benefit_list")["condition"].update(comparison="about"),
            "rules[5].condition.comparison",
            "непозната стойност „about“",
        ),
        (
            lambda d: _rule(d, "scholarship_suspension")["condition"].update(period="week"),
            "rules[4].condition.period",
            "непозната стойност „week“",
        ),
        (
            lambda d: _rule(d, "sanction_remark")["action"].update(colour="red"),
            "rules[1].action.colour",
            "непознат ключ",
        ),
        (
            lambda d: _rule(d, "sanction_remark")["action"].update(message="{student} има {count}"),
            "rules[1].action.message",
            "неизвестно или сгрешено поле",
        ),
        (
            lambda d: _rule(d, "parent_notification_ladder")["action"]["notes"].update({9: "x"}),
            "rules[0].action.notes.9",
            "само за праг от условието",
        ),
        (
            lambda d: _rule(d, "sanction_remark")["action"].update(sanctions=[]),
            "rules[1].action.sanctions",
            "поне една санкция",
        ),
        (
            lambda d: _rule(d, "sanction_remark")["condition"].update(kind="weather"),
            "rules[1].condition.kind",
            "непознат вид условие „weather“",
        ),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "rules[8].id", "повече от веднъж"),
        (lambda d: d.update(version=2), "version", "само версия 1"),
        (
            lambda d: d["settings"].update(threshold_counting_period="decade"),
            "settings.threshold_counting_period",
            "позволени са school_year, term, month",
        ),
        (
            lambda d: _rule(d, "dropout_risk_report")["condition"].update(months_before=0),
            "rules[6].condition.months_before",
            "цяло положително число",
        ),
    ],
)
def test_invalid_packs_name_the_rule_and_key(mutate, field, message):
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(_pack_with(mutate))
    assert caught.value.field == field
    assert message in caught.value.message


def test_broken_yaml_and_wrong_shapes_are_reported():
    with pytest.raises(RulePackError, match="не е валиден YAML"):
        load_rule_pack("rules: [")
    with pytest.raises(RulePackError, match="очаква се речник"):
        load_rule_pack("- 1\n- 2\n")
    with pytest.raises(RulePackError, match="поне едно правило"):
        load_rule_pack("version: 1\nsettings: {threshold_counting_period: term}\nrules: []\n")


def test_counting_period_can_be_per_term():
    text = _pack_with(lambda d: d["settings"].update(threshold_counting_period="term"))
    term_pack = load_rule_pack(text)
    ids = [rule.id for rule in term_pack.counter_rules(PeriodKind.TERM)]
    assert "parent_notification_ladder" in ids
    assert "scholarship_suspension" not in ids
    assert term_pack.counter_rules(PeriodKind.SCHOOL_YEAR) == ()
