"""The command palette: every footer action, and the colour themes."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from packstation.tui.station import Station


class StationPalette(CommandPalette):
    """Textual's palette, closed only once.

    Keys of a scanner burst typed while it is open reach its field, and every Enter among
    them selects again: Textual's dismiss pops whatever screen is on top, so the second one
    closed the screen under the palette (or crashed with an empty stack)."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close the palette if it is still the screen on top; otherwise nothing."""
        if self.app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)


class ActionsProvider(Provider):
    """Offers each action of the screen the palette was opened from (the footer's keys)."""

    def _actions(self) -> list[tuple[str, str, object, str]]:
        found: dict[str, tuple[str, str, object, str]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or not active.enabled:
                continue
            if binding.action in ("command_palette", "quit"):
                continue
            label = binding.description
            found.setdefault(label, (label, binding.action, active.node, key))
        return list(found.values())

    async def discover(self) -> Hits:
        """List every action when the palette opens with no query."""
        for label, action, node, key in self._actions():
            yield DiscoveryHit(
                label,
                partial(self.app.run_action, action, node),  # type: ignore[arg-type]
                help=f"key {key}",
            )

    async def search(self, query: str) -> Hits:
        """Actions whose description matches the query."""
        matcher = self.matcher(query)
        for label, action, node, key in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self.app.run_action, action, node),  # type: ignore[arg-type]
                    help=f"key {key}",
                )


class ThemesProvider(Provider):
    """`Theme: <name>` for each theme the station loaded (shipped and user)."""

    def _names(self) -> list[str]:
        app = cast("Station", self.app)
        return app.theme_set.names

    def _apply(self, name: str) -> None:
        self.app.theme = name

    async def discover(self) -> Hits:
        """List the themes."""
        for name in self._names():
            yield DiscoveryHit(f"Theme: {name}", partial(self._apply, name))

    async def search(self, query: str) -> Hits:
        """Themes matching the query."""
        matcher = self.matcher(query)
        for name in self._names():
            label = f"Theme: {name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._apply, name))
