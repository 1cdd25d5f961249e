"""Checks of an uploaded template's Jinja syntax tree: unknown fields and unsafe constructs.

The sandbox already refuses dunder access at run time; refusing it at upload as well means a
hostile or broken template never becomes a version anyone can select.
"""

from __future__ import annotations

from jinja2 import Environment, nodes

from .schema_shape import LEAF, Shape
from .upload_scan import UploadProblem

#: Statements that would reach other templates or Python objects.
_FORBIDDEN = {
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}",
    nodes.Include: "{% include %}",
    nodes.Extends: "{% extends %}",
    nodes.ExprStmt: "{% do %}",
}
#: Filters that read attributes by name, a way around the dunder check.
_UNSAFE_FILTERS = frozenset({"attr"})
_NAMES_OF_INTERNALS = frozenset({"self", "lipsum", "cycler", "joiner", "config", "request"})


class TemplateChecker:
    """Walks the tree once, resolving names against the schema shape and local scopes."""

    def __init__(self, shape: Shape, environment: Environment) -> None:
        self.shape = shape
        self.environment = environment
        self.problems: list[UploadProblem] = []
        self._seen: set[str] = set()

    def report(self, code: str, message: str) -> None:
        if message not in self._seen:
            self._seen.add(message)
            self.problems.append(UploadProblem(code, message))

    def check(self, template: nodes.Template) -> list[UploadProblem]:
        self._body(template.body, {})
        return self.problems

    # statements ---------------------------------------------------------------------------
    def _body(self, body: list[nodes.Node], scope: dict[str, Shape]) -> None:
        for node in body:
            self._statement(node, scope)

    def _statement(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        for kind, label in _FORBIDDEN.items():
            if isinstance(node, kind):
                self.report("unsafe", f"Етикетът {label} не е позволен в шаблон на документ.")
                return
        if isinstance(node, nodes.For):
            iterated = self._expr(node.iter, scope)
            inner = dict(scope, loop=LEAF)
            self._bind(node.target, iterated.item or LEAF, inner)
            if node.test is not None:
                self._expr(node.test, inner)
            self._body(node.body, inner)
            self._body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self._expr(node.node, scope)
            self._bind(node.target, LEAF, scope)
        elif isinstance(node, nodes.AssignBlock):
            self._body(node.body, scope)
            self._bind(node.target, LEAF, scope)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for argument in node.args:
                inner[argument.name] = LEAF
            for default in node.defaults:
                self._expr(default, scope)
            if isinstance(node, nodes.Macro):
                scope[node.name] = LEAF
            else:
                self._expr(node.call, scope)
            self._body(node.body, dict(inner, caller=LEAF, varargs=LEAF, kwargs=LEAF))
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self._bind(target, self._expr(value, scope), inner)
            self._body(node.body, inner)
        else:
            # If, Output, FilterBlock, Scope…: check expressions here, recurse into statements.
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Stmt):
                    self._statement(child, scope)
                elif isinstance(child, nodes.Expr):
                    self._expr(child, scope)
                elif isinstance(child, nodes.Helper):
                    self._statement(child, scope)

    def _bind(self, target: nodes.Node, shape: Shape, scope: dict[str, Shape]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, LEAF, scope)

    # expressions --------------------------------------------------------------------------
    def _expr(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        if isinstance(node, nodes.Name):
            return self._name(node.name, scope)
        if isinstance(node, nodes.Getattr):
            return self._member(self._expr(node.node, scope), node.attr, node)
        if isinstance(node, nodes.Getitem):
            base = self._expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._member(base, node.arg.value, node)
            self._expr(node.arg, scope)
            return base.item or LEAF
        if isinstance(node, nodes.Filter | nodes.Test):
            self._callable(node)
        for child in node.iter_child_nodes():
            self._expr(child, scope)
        return LEAF

    def _name(self, name: str, scope: dict[str, Shape]) -> Shape:
        if name.startswith("_") or name in _NAMES_OF_INTERNALS:
            self.report("unsafe", f"Името „{name}“ дава достъп до вътрешни обекти и не е позволено.")
            return LEAF
        if name in scope:
            return scope[name]
        if self.shape.members is not None and name in self.shape.members:
            return self.shape.members[name]
        if name in self.environment.globals:
            return LEAF
        self.report("unknown_field", f"Полето „{name}“ не е описано в схемата на шаблона.")
        return LEAF

    def _member(self, base: Shape, name: str, node: nodes.Node) -> Shape:
        if name.startswith("_"):
            self.report("unsafe", f"Достъпът до „{name}“ (вътрешен атрибут на Python) не е позволен.")
            return LEAF
        if base.members is None:
            return LEAF
        if name not in base.members:
            path = _dotted(node)
            self.report("unknown_field", f"Полето „{path}“ не е описано в схемата на шаблона.")
            return LEAF
        return base.members[name]

    def _callable(self, node: nodes.Filter | nodes.Test) -> None:
        registry = self.environment.filters if isinstance(node, nodes.Filter) else self.environment.tests
        word = "филтър" if isinstance(node, nodes.Filter) else "проверка"
        if node.name in _UNSAFE_FILTERS:
            self.report("unsafe", f"Филтърът „{node.name}“ не е позволен: чрез него се достигат "
                f"вътрешни атрибути.")
        elif node.name not in registry:
            self.report("unknown_filter", f"Непознат {word} „{node.name}“.")


def _dotted(node: nodes.Node) -> str:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const):
            parts.append(str(node.arg.value))
        node = node.node
    if isinstance(node, nodes.Name):
        parts.append(node.name)
    return ".".join(reversed(parts))
