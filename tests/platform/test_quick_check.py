"""The quick payload check never says yes where marshmallow says no, and says yes to ordinary payloads.

For every declared event schema: payloads built from the schema's fields, then thousands of
seeded mutations of them (a key dropped or added, None, a value of another type, a bad date, a
value outside OneOf or Length), each checked by both.
"""

from __future__ import annotations

import random

import pytest
from marshmallow import Schema, fields, validate

from shared.messages import EVENT_TYPES
from shared.messages.checking import quick_check

ODD_VALUES = (None, True, False, 0, 1, -3, 2.5, float("nan"), float("inf"), "", "x", "7", "2024-02-30", "2024-2-3",
              "2024-02-03", "20240203", [], [1], ["a"], {}, {"a": 1}, b"bytes")


def _value(field: fields.Field, rng: random.Random):
    """A value marshmallow accepts for ``field`` (choosing from OneOf when there is one)."""
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return rng.choice(list(validator.choices))
        if isinstance(validator, validate.Length) and type(field) is fields.String:
            return "a" * (validator.equal or validator.min or 1)
        if isinstance(validator, validate.Range):
            return rng.randint(int(validator.min or 0), int(validator.max or 10_000))
    kind = type(field)
    if kind is fields.String:
        return rng.choice(["Иван Петров", "10а", "Чл. 97, т. 8", "x"])
    if kind is fields.Integer:
        return rng.randint(0, 10_000)
    if kind is fields.Float:
        return rng.choice([3, 8.5, 0.0])
    if kind is fields.Boolean:
        return rng.choice([True, False])
    if kind is fields.Date:
        return rng.choice(["2023-10-02", "2024-02-29"])
    if kind is fields.Dict:
        return {"message": "Съобщение", "n": 1}
    if kind is fields.List:
        return [_value(field.inner, rng) for _ in range(rng.randint(1, 3))]
    if kind is fields.Nested:
        return _payload(field.nested, rng)
    pytest.fail(f"no generator for {kind.__name__}")


def _payload(schema_class: type[Schema], rng: random.Random) -> dict:
    schema = schema_class()
    return {name: _value(field, rng) for name, field in schema.load_fields.items()
            if field.required or rng.random() < 0.7}


def _mutate(payload, rng: random.Random):
    """The payload with one value somewhere inside it replaced, removed or added."""
    if isinstance(payload, list):
        if not payload or rng.random() < 0.3:
            return rng.choice([[], [*payload, rng.choice(ODD_VALUES)], "not a list"])
        i = rng.randrange(len(payload))
        return [*payload[:i], _mutate(payload[i], rng), *payload[i + 1:]]
    if not isinstance(payload, dict) or not payload or rng.random() < 0.2:
        return rng.choice(ODD_VALUES)
    changed = dict(payload)
    key = rng.choice(list(changed))
    action = rng.random()
    if action < 0.2:
        del changed[key]
    elif action < 0.3:
        changed["unexpected"] = 1
    else:
        changed[key] = _mutate(changed[key], rng)
    return changed


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_quick_yes_only_where_marshmallow_says_yes(name):
    etype = EVENT_TYPES[name]
    schema = etype.schema()
    rng = random.Random(name)
    quick = quick_check(etype.schema)
    said_yes = 0
    for _ in range(300):
        payload = _payload(etype.schema, rng)
        assert schema.validate(payload) == {}, payload
        assert quick(payload), f"an ordinary payload went the slow way: {payload}"
        for _ in range(10):
            mutated = _mutate(payload, rng)
            if quick(mutated):
                said_yes += 1
                assert schema.validate(mutated) == {}, f"quick yes, marshmallow no: {mutated}"
            assert etype.errors(mutated) == schema.validate(mutated)
    assert said_yes  # some mutations (an optional key dropped) stay valid, and were judged quickly


def test_what_marshmallow_would_also_take_goes_the_slow_way_and_is_still_accepted():
    etype = EVENT_TYPES["register.absence_recorded"]
    payload = {"class_code": "10а", "date": "2023-10-02", "lesson": "3", "subject": "Математика",
               "marks": [{"absence_id": 1, "student_id": 2, "student_name": "Иван", "kind": "late"}]}
    assert not quick_check(etype.schema)(payload)  # "3" is marshmallow's to accept
    assert etype.errors(payload) == {}
    assert etype.errors({**payload, "marks": []}) == {"marks": ["Shorter than minimum length 1."]}


def test_a_schema_with_hooks_or_a_lenient_unknown_policy_is_always_marshmallows():
    from marshmallow import INCLUDE, validates  # noqa: PLC0415

    class Hooked(Schema):
        n = fields.Integer()

        @validates("n")
        def odd(self, value, **_kwargs):
            if value % 2 == 0:
                raise validate.ValidationError("even")

    class Lenient(Schema):
        class Meta:
            unknown = INCLUDE

        n = fields.Integer()

    assert not quick_check(Hooked)({"n": 2})
    assert not quick_check(Lenient)({"n": 1})


def _quick_load_cases():
    from services.register.absences.schemas import AbsenceLessonSchema  # noqa: PLC0415

    return [("register.AbsenceLessonSchema", AbsenceLessonSchema)] + [
        (name, EVENT_TYPES[name].schema) for name in sorted(EVENT_TYPES)]


@pytest.mark.parametrize(("name", "schema_class"), _quick_load_cases())
def test_quick_load_gives_what_marshmallow_loads_or_leaves_it_to_marshmallow(name, schema_class):
    from shared.messages.loading import quick_load  # noqa: PLC0415

    schema = schema_class()
    rng = random.Random(f"load {name}")
    load = quick_load(schema_class)
    quick = 0
    for _ in range(200):
        payload = _payload(schema_class, rng)
        assert load(payload) == schema.load(payload), payload
        for _ in range(10):
            mutated = _mutate(payload, rng)
            loaded = load(mutated)
            if loaded is not None:
                quick += 1
                assert loaded == schema.load(mutated), mutated
    assert quick


def test_a_lesson_request_loads_quickly_and_a_bad_one_gets_marshmallows_errors(api):
    import datetime as dt  # noqa: PLC0415

    from services.register.absences.schemas import AbsenceLessonSchema  # noqa: PLC0415

    body = {"date": "2023-10-02", "lesson": 3, "subject": "Математика",
            "marks": [{"student_id": 1, "kind": "late"}, {"student_id": 2, "kind": "unexcused"}]}
    assert AbsenceLessonSchema().load(body) == {**body, "date": dt.date(2023, 10, 2)}
    answer = api.post("/api/register/absences", json={**body, "lesson": 15, "marks": [{"student_id": "x"}]})
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"lesson", "marks.0.student_id", "marks.0.kind"}
