from __future__ import annotations

import re
from datetime import date

import pytest

from services.register.people.rules.personal_number import IdentityError, Sex, fake_egns, validate_egn, validate_lnch

# Check digits below were computed by hand with the weights 2,4,8,5,10,9,7,3,6 (mod 11).


@pytest.mark.parametrize(
    ("egn", "born", "sex"),
    [
        ("8001010008", date(1980, 1, 1), Sex.MALE),
        ("8001010013", date(1980, 1, 1), Sex.FEMALE),
        ("0541010000", date(2005, 1, 1), Sex.MALE),
        ("9921010007", date(1899, 1, 1), Sex.MALE),
        ("8001010800", date(1980, 1, 1), Sex.MALE),  # remainder 10 gives check digit 0
        (" 8001010008 ", date(1980, 1, 1), Sex.MALE),
    ],
)
def test_valid_egn_yields_birth_date_and_sex(egn, born, sex):
    info = validate_egn(egn)
    assert (info.egn, info.birth_date, info.sex) == (egn.strip(), born, sex)


@pytest.mark.parametrize(
    ("egn", "message"),
    [
        ("800101000", "точно 10 цифри"),
        ("80010100a8", "точно 10 цифри"),
        ("8001010009", "Контролната цифра на ЕГН е грешна: очаква се 8, а е 9."),
        ("8013010008", "невалиден месец „13“"),
        ("8002300008", "несъществуваща дата на раждане 30.02.1980"),
    ],
)
def test_invalid_egn_is_refused_with_a_bulgarian_message(egn, message):
    with pytest.raises(IdentityError, match=message) as caught:
        validate_egn(egn, field="student_egn")
    assert caught.value.field == "student_egn"


def test_egn_born_after_today_is_refused_only_when_today_is_given():
    assert validate_egn("0541010000").birth_date == date(2005, 1, 1)
    with pytest.raises(IdentityError, match=r"в бъдещето \(01.01.2005\)"):
        validate_egn("0541010000", today=date(2004, 12, 31))


def test_lnch_checksum():
    # 1·21 + 1·13 = 34 → check digit 4
    assert validate_lnch("1001000004") == "1001000004"
    with pytest.raises(
        IdentityError, match=re.escape("Контролната цифра на ЛНЧ е грешна: очаква се 4, а е 5.")
    ):
        validate_lnch("1001000005")
    with pytest.raises(IdentityError, match="ЛНЧ трябва да съдържа точно 10 цифри"):
        validate_lnch("12345")


def test_fake_egns_are_valid_distinct_and_reproducible():
    people = fake_egns(200, seed=7, born_from=date(2008, 1, 1), born_to=date(2011, 12, 31))
    assert len({p.egn for p in people}) == 200
    for person in people:
        info = validate_egn(person.egn)
        assert info == person
        assert date(2008, 1, 1) <= info.birth_date <= date(2011, 12, 31)
    assert fake_egns(200, seed=7, born_from=date(2008, 1, 1), born_to=date(2011, 12, 31)) == people
    assert fake_egns(200, seed=8, born_from=date(2008, 1, 1), born_to=date(2011, 12, 31)) != people
    assert {p.sex for p in people} == {Sex.MALE, Sex.FEMALE}


def test_fake_egns_cover_the_1800s_and_refuse_impossible_requests():
    (old,) = fake_egns(1, seed=1, born_from=date(1899, 3, 1), born_to=date(1899, 3, 1))
    assert old.egn[2:4] == "23"
    assert fake_egns(0, seed=1, born_from=date(2010, 1, 1), born_to=date(2010, 1, 1)) == ()
    with pytest.raises(IdentityError, match="Не могат да се генерират 1001 различни ЕГН"):
        fake_egns(1001, seed=1, born_from=date(2010, 1, 1), born_to=date(2010, 1, 1))
