"""Plugins (разширения) found through ``importlib.metadata`` entry points, kept in one registry.

Services, document templates, notification channels and rule packs are all plugins: the project's
own come from its ``pyproject.toml`` entry points, a school's or a vendor's from another installed
package.  A plugin that fails to load stops start-up with the entry point named, because a school
that installed an SMS channel must not silently run without it.
"""

from __future__ import annotations

import dataclasses
from importlib.metadata import EntryPoint, entry_points
from typing import Any

#: Entry-point groups, by plugin kind.
GROUPS: dict[str, str] = {
    "services": "school_office.services",
    "templates": "school_office.templates",
    "channels": "school_office.channels",
    "rule_packs": "school_office.rule_packs",
}


class PluginLoadError(RuntimeError):
    """A declared plugin could not be imported; the message names it and why."""


@dataclasses.dataclass(frozen=True)
class Plugin:
    kind: str
    name: str
    value: str
    distribution: str
    obj: Any


class PluginRegistry:
    """Every loaded plugin by kind and name; built once per process by :meth:`discover`."""

    def __init__(self, plugins: list[Plugin]) -> None:
        self._by_kind: dict[str, dict[str, Plugin]] = {kind: {} for kind in GROUPS}
        for plugin in plugins:
            existing = self._by_kind[plugin.kind].get(plugin.name)
            if existing is not None and existing.value != plugin.value:
                raise PluginLoadError(
                    f"Разширението „{plugin.name}“ ({plugin.kind}) е обявено два пъти: "
                    f"{existing.value} ({existing.distribution}) и {plugin.value} ({plugin.distribution})"
                )
            self._by_kind[plugin.kind][plugin.name] = plugin

    @classmethod
    def discover(cls, kinds: tuple[str, ...] = tuple(GROUPS)) -> PluginRegistry:
        plugins = []
        for kind in kinds:
            for ep in sorted(entry_points(group=GROUPS[kind]), key=lambda e: e.name):
                plugins.append(_load(kind, ep))
        return cls(plugins)

    def get(self, kind: str, name: str) -> Any:
        try:
            return self._by_kind[kind][name].obj
        except KeyError:
            raise KeyError(f"няма разширение „{name}“ от вид {kind}") from None

    def names(self, kind: str) -> list[str]:
        return sorted(self._by_kind[kind])

    def items(self, kind: str) -> list[Plugin]:
        return [self._by_kind[kind][name] for name in self.names(kind)]


def _load(kind: str, ep: EntryPoint) -> Plugin:
    try:
        obj = ep.load()
    except Exception as exc:
        dist = ep.dist.name if ep.dist else "?"
        raise PluginLoadError(
            f"Разширението „{ep.name}“ (група {ep.group}, пакет {dist}, {ep.value}) не се зарежда: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    return Plugin(kind=kind, name=ep.name, value=ep.value, distribution=ep.dist.name if ep.dist else "?", obj=obj)
