"""The bar of keys at the bottom of every screen: one widget drawing one line of text.

Textual's Footer mounts a widget per key and styles each one again whenever the bindings
change (every screen change and focus move); with a dozen keys that was the largest single
cost of showing a screen. This bar draws the same keys as one line and answers clicks itself.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from packstation.i18n import _

PALETTE_ACTION = "command_palette"
"""The action of the key that opens the command palette: never left out of a narrow bar."""

MORE = ("", "…", "", False)
"""Drawn where keys were left out (not a key: a click on it presses nothing)."""


class KeyBar(Widget):
    """Every shown binding of the focused widget, its screen and the app: key, then meaning."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--description",
        "keybar--disabled",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--disabled { text-style: dim; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._targets: list[tuple[int, int, str]] = []
        self._palette_keys: set[str] = set()

    def on_mount(self) -> None:
        """Follow the screen's bindings (focus moves, screens with their own keys)."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description, enabled) of each binding shown, once per action."""
        shown: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        self._palette_keys = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            if binding.action.rpartition(".")[2] == PALETTE_ACTION:
                self._palette_keys.add(binding.key)
            # Descriptions are marked N_() where they are defined, translated when drawn.
            description = _(binding.description)
            shown.append(
                (binding.key, self.app.get_key_display(binding), description, active.enabled)
            )
        return shown

    def render(self) -> Text:
        """The keys as one line; each key remembers its cells for clicks.

        When the keys do not fit (a narrow terminal), they are drawn with less space around
        them; when they still do not fit, the last ones are left out whole, `…` says so and the
        command palette's key stays at the end: the palette offers every key of the screen.
        """
        keys = self.keys()
        roomy = sum(cell_len(f" {shown}  {description} ") for _key, shown, description, _on in keys)
        pad = "" if roomy > self.size.width else " "
        if pad == "":
            keys = self._fitting(keys, self.size.width)
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        disabled_style = self.get_component_rich_style("keybar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        targets: list[tuple[int, int, str]] = []
        x = 0
        for key, shown, description, enabled in keys:
            start = x
            pieces = ((f"{pad}{shown}{pad}", key_style), (f" {description} ", description_style))
            for piece, style in pieces:
                text.append(piece, style if enabled else style + disabled_style)
                x += cell_len(piece)
            if key:
                targets.append((start, x, key))
        self._targets = targets
        return text

    def _fitting(
        self, keys: list[tuple[str, str, str, bool]], width: int
    ) -> list[tuple[str, str, str, bool]]:
        """The keys that fit in `width` cells (closed up), chosen by the screen's
        `KEY_PRIORITY` (keys it does not list come after, in their order), drawn in their
        order; the palette's key is kept, last."""

        def cells(entry: tuple[str, str, str, bool]) -> int:
            return cell_len(entry[1]) + cell_len(f" {entry[2]} ")

        if sum(cells(k) for k in keys) <= width:
            return keys
        pinned = [k for k in keys if k[0] in self._palette_keys]
        room = width - sum(cells(k) for k in pinned) - cells(MORE)
        priority: tuple[str, ...] = getattr(self.screen, "KEY_PRIORITY", ())
        rest = [k for k in keys if k not in pinned]

        def rank(position: int) -> int:
            key = rest[position][0]
            return priority.index(key) if key in priority else len(priority) + position

        chosen: set[int] = set()
        for position in sorted(range(len(rest)), key=rank):
            if cells(rest[position]) <= room:
                chosen.add(position)
                room -= cells(rest[position])
        kept = [entry for position, entry in enumerate(rest) if position in chosen]
        return [*kept, MORE, *pinned]

    def key_at(self, x: int) -> str | None:
        """The key drawn at column x, if any."""
        for start, end, key in self._targets:
            if start <= x < end:
                return key
        return None

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        key = self.key_at(event.x)
        if key is not None:
            event.stop()
            self.app.simulate_key(key)
