"""The command palette: every footer action, and the colour themes; Textual's own palette
texts (its placeholder and system commands) in the station's language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any, cast

from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from packstation.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, current_language
from packstation.tui.station import Station


class StationPalette(CommandPalette):
    """Textual's palette, closed only once.

    Keys of a scanner burst typed while it is open reach its field, and every Enter among
    them selects again: Textual's dismiss pops whatever screen is on top, so the second one
    closed the screen under the palette (or crashed with an empty stack)."""

    def __init__(self, **kwargs: Any) -> None:
        # Textual's placeholder is an English constructor default: made in the station's.
        kwargs.setdefault("placeholder", _("Search for commands…"))
        super().__init__(**kwargs)

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


TEXTUAL_COMMAND_TEXTS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""Textual's own palette commands (App.get_system_commands) in English, marked for the
catalogs; a test fails when a Textual upgrade brings one that is not here."""


def translated_system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's palette commands with their title and help in the station's language."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))
