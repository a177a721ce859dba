"""The command palette: every footer action, and the colour themes."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from packstation.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
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
            # Descriptions are marked N_() where they are defined, translated here.
            label = _(binding.description)
            found.setdefault(label, (label, binding.action, active.node, key))
        return list(found.values())

    async def discover(self) -> Hits:
        """List every action when the palette opens with no query."""
        for label, action, node, key in self._actions():
            yield DiscoveryHit(
                label,
                partial(self.app.run_action, action, node),  # type: ignore[arg-type]
                help=_("key {key}").format(key=key),
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
                    help=_("key {key}").format(key=key),
                )


class ThemesProvider(Provider):
    """`Theme: <name>` for each theme the station loaded (shipped and user)."""

    def _names(self) -> list[str]:
        app = cast("Station", self.app)
        return app.theme_set.names

    def _apply(self, name: str) -> None:
        self.app.theme = name

    @staticmethod
    def _label(name: str) -> str:
        return _("Theme: {name}").format(name=name)

    async def discover(self) -> Hits:
        """List the themes."""
        for name in self._names():
            yield DiscoveryHit(self._label(name), partial(self._apply, name))

    async def search(self, query: str) -> Hits:
        """Themes matching the query."""
        matcher = self.matcher(query)
        for name in self._names():
            label = self._label(name)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._apply, name))


class LanguagesProvider(Provider):
    """`Language: <name>` for each language the station speaks; choosing one switches every
    screen at once. Each language is named in its own words, so a packer finds their own."""

    def _entries(self) -> list[tuple[str, str]]:
        now = current_language()
        return [
            (_("Language: {name}").format(name=LANGUAGE_NAMES[code]), code)
            for code in LANGUAGES
            if code != now
        ]

    def _apply(self, code: str) -> None:
        app = cast("Station", self.app)
        app.run_soon(partial(app.switch_language, code))

    async def discover(self) -> Hits:
        """List the other languages."""
        for label, code in self._entries():
            yield DiscoveryHit(label, partial(self._apply, code))

    async def search(self, query: str) -> Hits:
        """Languages matching the query (in the current language's words, or their own)."""
        matcher = self.matcher(query)
        for label, code in self._entries():
            score = max(matcher.match(label), matcher.match(f"Language {LANGUAGE_NAMES[code]}"))
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._apply, code))
