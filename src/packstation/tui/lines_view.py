"""A fast table of order lines: only the rows that change are drawn again.

Textual's DataTable redraws every visible row on any cell update; with a 250-line order and
a scan burst that dominated the frame time. This view keeps one cached strip per row and
refreshes a single screen line when one row changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


def fit(text: str, width: int) -> str:
    """Pad or cut text to exactly `width` cells (cut text ends with an ellipsis)."""
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


FLASH_SECONDS = 0.4
"""How long the row just scanned shows the flash style."""


class LinesView(ScrollView, can_focus=True):
    """Rows of fixed-width cells with a cursor row; `flex` column takes the spare width."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lines--row",
        "lines--cursor",
        "lines--done",
        "lines--header",
        "lines--flash",
    }
    DEFAULT_CSS = """
    LinesView { height: 1fr; overflow-x: hidden; }
    LinesView > .lines--cursor { background: $success; color: $background; text-style: bold; }
    LinesView > .lines--done { color: $success; }
    LinesView > .lines--row { color: $foreground; }
    LinesView > .lines--header { text-style: bold; color: $accent; }
    LinesView > .lines--flash { background: $warning; color: $background; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "cursor(-20)", "Page up", show=False),
        Binding("pagedown", "cursor(20)", "Page down", show=False),
        Binding("home", "cursor(-100000)", "First", show=False),
        Binding("end", "cursor(100000)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0)
    flash_level: reactive[float] = reactive(0.0)
    """Above 0 while the flashed row shows the flash style (animated back to 0)."""

    class Selected(Message):
        """Enter or a click on a row."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(
        self,
        columns: Sequence[tuple[str, int]],
        flex: int,
        *,
        droppable: int | None = None,
        min_flex: int = 18,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.flex = flex
        self.droppable = droppable
        self.min_flex = min_flex
        self.keys: list[str] = []
        self.cells: list[tuple[str, ...]] = []
        self.done: list[bool] = []
        self.index: dict[str, int] = {}
        self.flash_row: int | None = None
        self._cache: dict[tuple[int, int, bool, bool], Strip] = {}

    def set_rows(self, rows: Sequence[tuple[str, tuple[str, ...], bool]]) -> None:
        """Replace every row: (key, cells, done)."""
        self.keys = [key for key, _, _ in rows]
        self.cells = [cells for _, cells, _ in rows]
        self.done = [done for _, _, done in rows]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.flash_row = None
        self._cache.clear()
        self.virtual_size = Size(0, len(self.keys))
        self.refresh()

    def has(self, key: str) -> bool:
        """True when the row is shown (a filter may leave rows out)."""
        return key in self.index

    def update_row(self, key: str, cells: tuple[str, ...], done: bool) -> None:
        """Change one row and redraw only its screen line."""
        row = self.index[key]
        if self.cells[row] == cells and self.done[row] == done:
            return
        self.cells[row] = cells
        self.done[row] = done
        self._invalidate(row)

    def _invalidate(self, row: int) -> None:
        for cached in [k for k in self._cache if k[0] == row]:
            del self._cache[cached]
        y = row - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def move_to(self, key: str) -> None:
        """Put the cursor on a row and scroll it into view."""
        row = self.index.get(key)
        if row is not None:
            self.cursor = row

    def flash(self, key: str, seconds: float | None = None) -> None:
        """Show a row in the flash style now (this frame), then back after FLASH_SECONDS."""
        row = self.index.get(key)
        if row is None:
            return
        previous, self.flash_row = self.flash_row, row
        if previous is not None and previous != row and previous < len(self.keys):
            self._invalidate(previous)
        self._invalidate(row)
        self.set_reactive(LinesView.flash_level, 1.0)
        # An animation (not a timer): the app's animation level applies, and anything that
        # waits for animations (screenshots) sees the table after the flash.
        self.animate("flash_level", 0.0, duration=seconds or FLASH_SECONDS, level="basic")

    @property
    def flashing_key(self) -> str | None:
        """The key of the row showing the flash style, if any."""
        if self.flash_row is None or self.flash_level <= 0 or self.flash_row >= len(self.keys):
            return None
        return self.keys[self.flash_row]

    def watch_flash_level(self, old: float, new: float) -> None:
        """Redraw the flashed row only when the flash turns off (not on every step)."""
        if new <= 0 < old and self.flash_row is not None and self.flash_row < len(self.keys):
            self._invalidate(self.flash_row)

    @property
    def cursor_key(self) -> str | None:
        """The key of the cursor row."""
        return self.keys[self.cursor] if self.keys else None

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(value, len(self.keys) - 1)) if self.keys else 0

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw both rows and keep the cursor visible."""
        if old < len(self.keys):
            self._invalidate(old)
        if new < len(self.keys):
            self._invalidate(new)
        top = self.scroll_offset.y
        # The rows actually visible: a horizontal scrollbar hid the last one (issue 15 item 6).
        height = max(1, self.scrollable_content_region.height)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor."""
        self.cursor = self.cursor + delta

    def notify_style_update(self) -> None:
        """The theme changed: cached strips carry old colours."""
        self._cache.clear()
        super().notify_style_update()

    def on_resize(self, event: events.Resize) -> None:
        """Widths changed: draw again."""
        self._cache.clear()
        # No wider than the view: the table never scrolls sideways.
        self.virtual_size = Size(0, len(self.keys))

    def on_click(self, event: events.Click) -> None:
        """Clicking a row moves the cursor there."""
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self.keys):
            self.cursor = row
            self.post_message(self.Selected(self.keys[row]))

    def key_enter(self) -> None:
        """Enter selects the cursor row (the scanner's Enter never reaches here)."""
        if self.keys:
            self.post_message(self.Selected(self.keys[self.cursor]))

    def widths(self, total: int) -> list[int]:
        """Each column's width for this total width (0 = column left out when narrow)."""
        widths = [width for _, width in self.columns]
        for drop in (False, True):
            if drop:
                if self.droppable is None:
                    break
                widths[self.droppable] = 0
            fixed = sum(w + 1 for i, w in enumerate(widths) if i != self.flex and w > 0)
            widths[self.flex] = max(4, total - fixed - 1)
            if widths[self.flex] >= self.min_flex:
                break
        return widths

    def _join(self, cells: Sequence[str], widths: list[int]) -> str:
        return " ".join(fit(c, w) for c, w in zip(cells, widths, strict=True) if w > 0)

    def header_text(self, total: int) -> str:
        """The column titles, aligned with the rows."""
        return self._join([title for title, _ in self.columns], self.widths(total))

    def render_line(self, y: int) -> Strip:
        """One screen line: a cached row strip."""
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= len(self.keys):
            return Strip.blank(width)
        is_cursor = row == self.cursor
        is_flash = row == self.flash_row and self.flash_level > 0
        key = (row, width, is_cursor, is_flash)
        strip = self._cache.get(key)
        if strip is None:
            widths = self.widths(width)
            text = self._join(self.cells[row], widths)
            style: Style
            if is_flash:
                style = self.get_component_rich_style("lines--flash")
            elif is_cursor:
                style = self.get_component_rich_style("lines--cursor")
            elif self.done[row]:
                style = self.get_component_rich_style("lines--done")
            else:
                style = self.get_component_rich_style("lines--row")
            strip = Strip([Segment(fit(text, width), style)], width)
            self._cache[key] = strip
        return strip
