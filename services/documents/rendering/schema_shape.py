"""The shape of a template context, read from its marshmallow schema (структура на данните).

The upload validator compares the variables a template uses with this shape; the API can list
it as the template's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marshmallow import Schema, fields


@dataclass(frozen=True)
class Shape:
    """A value in the context: an object with known ``members``, a list of ``item``, or a leaf."""

    members: dict[str, Shape] | None = None
    item: Shape | None = None
    label: str = field(default="", compare=False)

    @property
    def is_object(self) -> bool:
        return self.members is not None


#: A scalar or anything the schema does not describe further.
LEAF = Shape()


def _field_shape(value: fields.Field) -> Shape:
    if isinstance(value, fields.Nested):
        nested = value.schema
        return schema_shape(type(nested)) if isinstance(nested, Schema) else LEAF
    if isinstance(value, fields.List):
        return Shape(item=_field_shape(value.inner))
    return LEAF


def schema_shape(schema_cls: type[Schema]) -> Shape:
    """The object shape of a schema, nested schemas and lists included."""
    schema = schema_cls()
    return Shape(members={name: _field_shape(value) for name, value in schema.load_fields.items()})


def field_paths(schema_cls: type[Schema]) -> list[str]:
    """Dotted field paths (``school.name``, ``students[].name``) for listing a template's fields."""
    paths: list[str] = []

    def walk(shape: Shape, prefix: str) -> None:
        for name, declared in (shape.members or {}).items():
            path, member = f"{prefix}{name}", declared
            while member.item is not None:
                path += "[]"
                member = member.item
            if member.is_object:
                walk(member, f"{path}.")
            else:
                paths.append(path)

    walk(schema_shape(schema_cls), "")
    return paths
