"""The demo school's structure: staff, classes 8–12, curriculum, ~300 students with guardians."""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from services.register.demo.names import FEMALE, MALE, STREETS, SURNAMES, person
from services.register.models.school import School, SchoolYear
from services.register.people.classes import create_assignment, create_class
from services.register.people.rules.personal_number import Sex, fake_egns
from services.register.people.students import create_student
from services.register.people.users import create_user
from services.register.school import years
from shared.auth.principal import Principal
from shared.runtime import ServiceRuntime

SCHOOL = {
    "name": "Професионална гимназия по речно корабостроене и корабоплаване", "neispuo_code": "1800000",
    "address": "пл. „Васил Левски“ № 1А", "town": "гр. Русе", "director_name": "инж. Ивелина Георгиева",
    "phone": "082/834-282", "email": "school@example.bg",
}
CLASSES = ("8а", "8б", "9а", "9б", "10а", "10б", "11а", "11б", "12а", "12б")
STUDENTS_PER_CLASS = 30
#: Subjects with weekly hours in each term (a simplified curriculum of a vocational high school).
CURRICULUM = {"Български език и литература": 4, "Математика": 4, "Английски език": 3, "История и цивилизации": 2,
              "Физика и астрономия": 2, "Физическо възпитание и спорт": 2, "Корабоводене": 4,
              "Техническо чертане": 2}
SEED = 2023


def school_year_for(today: dt.date) -> dict:
    """The school year containing ``today`` (or starting this autumn), with the usual vacations."""
    first = today.year if today.month >= 9 else today.year - 1
    nxt = first + 1
    return {
        "name": f"{first}/{nxt}", "start": dt.date(first, 9, 15), "end": dt.date(nxt, 6, 30),
        "terms": [{"start": dt.date(first, 9, 15), "end": dt.date(nxt, 1, 29)},
                  {"start": dt.date(nxt, 2, 3), "end": dt.date(nxt, 6, 30)}],
        "vacations": [{"start": dt.date(first, 10, 31), "end": dt.date(first, 11, 3)},
                      {"start": dt.date(first, 12, 23), "end": dt.date(nxt, 1, 3)},
                      {"start": dt.date(nxt, 4, 1), "end": dt.date(nxt, 4, 9)}],
        "non_school_days": [], "declared_working_days": [],
    }


def _user(rt: ServiceRuntime, name: str, role: str, classes: tuple[str, ...] = ()) -> Principal:
    with rt.db.transaction() as s:
        user, _token = create_user(rt, s, name=name, role=role, class_codes=list(classes),
                                   email=f"{role}.{len(name)}@example.bg")
        return Principal(id=user.id, name=name, role=role, class_codes=tuple(classes))


def create_school(rt: ServiceRuntime, context: dict) -> None:
    with rt.db.sessions() as s:
        if s.scalar(sa.select(School.id)) is not None or s.scalar(sa.select(SchoolYear.id)) is not None:
            return  # a school is already set up here: the demo never overwrites real data
    rng = random.Random(SEED)  # noqa: S311 - demo data
    director = _user(rt, "инж. Ивелина Георгиева", "director")
    context["director"] = director
    with rt.db.transaction() as s:
        s.add(School(id=1, **SCHOOL))
        rt.publish(s, "register.school_saved", dict(SCHOOL))
    years.create_school_year(rt, director, school_year_for(rt.clock.today()))
    for name, role in (("Милена Тодорова", "deputy_director"), ("Галя Петкова", "secretary"),
                       ("Весела Николова", "psychologist")):
        _user(rt, name, role)
    teachers = {subject: _user(rt, " ".join(person(rng, rng.random() < 0.7)[::2]), "teacher", CLASSES)
                for subject in CURRICULUM}
    context["teachers"] = teachers
    today = rt.clock.today()
    egns = iter(fake_egns(len(CLASSES) * STUDENTS_PER_CLASS, seed=SEED, born_from=dt.date(today.year - 19, 1, 1),
                          born_to=dt.date(today.year - 15, 12, 31)))
    students: dict[str, list[int]] = {}
    for code in CLASSES:
        class_teacher = _user(rt, " ".join(person(rng, rng.random() < 0.7)[::2]), "class_teacher", (code,))
        create_class(rt, director, {"code": code, "grade": int(code[:-1]), "class_teacher_id": class_teacher.id})
        for subject, hours in CURRICULUM.items():
            create_assignment(rt, director, {"teacher_id": teachers[subject].id, "class_code": code,
                                                    "subject": subject, "weekly_hours": {"1": hours, "2": hours}})
        students[code] = [_student(rt, director, rng, code, next(egns)) for _ in range(STUDENTS_PER_CLASS)]
    context["students"] = students


def _student(rt: ServiceRuntime, director: Principal, rng: random.Random, code: str, egn) -> int:
    surname, father = rng.choice(SURNAMES), rng.choice(MALE)
    first, middle, last = person(rng, egn.sex is Sex.FEMALE, father=father, surname=surname)
    mother = rng.choice(FEMALE)
    guardians = [{"name": f"{mother} {surname}а", "email": f"roditel{rng.randrange(10**6):06d}@example.bg",
                  "phone": f"+35988{rng.randrange(10**7):07d}"}]
    if rng.random() < 0.6:
        guardians.append({"name": f"{father} {surname}", "email": None, "phone": f"+35987{rng.randrange(10**7):07d}"})
    # The family's postal address, from a generator of its own (the names and classes stay as they were):
    # most families give one; the others' letters on paper go „чрез ученика“.
    home = random.Random(egn.egn)  # noqa: S311 - demo data
    if home.random() < 0.85:
        address = f"ул. „{home.choice(STREETS)}“ № {home.randrange(1, 120)}, гр. Русе"
        guardians = [guardian | {"address": address} for guardian in guardians]
    return create_student(rt, director, {
        "first_name": first, "middle_name": middle, "last_name": last, "egn": egn.egn,
        "birth_date": egn.birth_date, "class_code": code, "guardians": guardians})
