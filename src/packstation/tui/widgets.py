"""Small widgets shared by the screens: the status bar and the scan result banner."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from packstation.i18n import N_, _
from packstation.tui.alerts import Alert


class StationBar(Widget):
    """The top bar: SANDBOX marker, warehouse/station, packer, pending submits, typed text.

    One widget drawing one line (not a widget per part): every screen has one, and it is
    redrawn on every key the scanner types.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stationbar--sandbox",
        "stationbar--pending",
        "stationbar--waiting",
        "stationbar--typed",
        "stationbar--alerts",
    }
    DEFAULT_CSS = """
    StationBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StationBar > .stationbar--sandbox {
        background: $warning; color: $background; text-style: bold;
    }
    StationBar > .stationbar--pending { text-style: bold; }
    StationBar > .stationbar--waiting {
        background: $warning; color: $background; text-style: bold;
    }
    StationBar > .stationbar--typed { text-style: bold; }
    StationBar > .stationbar--alerts {
        background: $error; color: $background; text-style: bold;
    }
    """

    sandbox: reactive[bool] = reactive(False)
    pending: reactive[int] = reactive(0)
    note: reactive[str] = reactive("")
    packer: reactive[str] = reactive("")
    typed: reactive[str] = reactive("")
    where: reactive[str] = reactive("")
    alerts: reactive[int] = reactive(0)

    def parts(self) -> list[tuple[str, str | None]]:
        """(text, component class) of each part of the bar, left to right, before `typed`."""
        parts: list[tuple[str, str | None]] = []
        if self.sandbox:
            # TRANSLATORS: the top bar's marker of the demo back end (not a real Omnium).
            sandbox = _("SANDBOX")
            parts.append((f" {sandbox} ", "stationbar--sandbox"))
        parts.append((f" {self.where} ", None))
        packer = _("Packer: {packer}").format(packer=self.packer or "-")
        parts.append((f" {packer} ", None))
        note = f" — {self.note}" if self.note and self.pending > 0 else ""
        waiting = "stationbar--waiting" if self.pending > 0 else "stationbar--pending"
        pending = _("Pending submits: {count}").format(count=self.pending)
        parts.append((f" {pending}{note} ", waiting))
        if self.alerts:
            alerts = _("ALERTS: {count}").format(count=self.alerts)
            parts.append((f" {alerts} ", "stationbar--alerts"))
        return parts

    def render(self) -> Text:
        """The parts on the left; what is being typed on the right."""
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for part, component in self.parts():
            text.append(part, self.get_component_rich_style(component) if component else "")
        shown = self.typed.replace("\x1d", "<GS>")
        if shown:
            typed = f" > {shown} "
            gap = self.size.width - text.cell_len - cell_len(typed)
            text.append(" " * max(1, gap))
            text.append(typed, self.get_component_rich_style("stationbar--typed"))
        return text


class ScanBanner(Static):
    """The last scan's result: green when accepted, red with the reason when rejected."""

    DEFAULT_CSS = """
    ScanBanner {
        height: 4;
        content-align: center middle;
        text-style: bold;
        background: $surface;
        color: $foreground;
        border: tall $panel;
    }
    ScanBanner.ok { background: $success; color: $background; border: tall $success; }
    ScanBanner.bad { background: $error; color: $background; border: tall $error; }
    ScanBanner.info { background: $primary; color: $background; border: tall $primary; }
    ScanBanner.wait { background: $warning; color: $background; border: tall $warning; }
    """

    def show(self, text: str, kind: str = "info") -> None:
        """Show a message as ok (green), bad (red), wait (amber: a command waits) or info."""
        self.remove_class("ok", "bad", "info", "wait")
        self.add_class(kind)
        # Text, not markup: banners carry scans, names and server messages (`[/]` would crash).
        self.update(Text(text), layout=False)  # fixed height: no layout pass per scan


class AlertStrip(Static):
    """The oldest unacknowledged alert, in red under the bar, on every screen (hidden if none)."""

    DEFAULT_CSS = """
    AlertStrip {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error;
        color: $background;
        text-style: bold;
    }
    """

    def show_alert(self, alert: Alert | None, count: int) -> None:
        """Show this alert, or hide the strip when there is none."""
        self.display = alert is not None
        if alert is None:
            return
        more = " " + _("(+{count} more)").format(count=count - 1) if count > 1 else ""
        ask = _("scan anything or press Enter to acknowledge")
        self.update(Text(f"⚠ {alert.message}{more} — {ask}"))


_GLYPHS = {
    "O": ("┏━┓", "┃ ┃", "┗━┛"),
    "K": ("╻┏╸", "┣┻┓", "╹ ╹"),
    "N": ("┏┓╻", "┃┃┃", "╹┗┛"),
    "W": ("╻ ╻", "┃╻┃", "┗┻┛"),
    "A": ("┏━┓", "┣━┫", "╹ ╹"),
    "I": ("╺┳╸", " ┃ ", "╺┻╸"),
    "T": ("╺┳╸", " ┃ ", " ╹ "),
    "S": ("┏━╸", "┗━┓", "╺━┛"),
    "P": ("┏━┓", "┣━┛", "╹  "),
    "E": ("┏━╸", "┣╸ ", "┗━╸"),
    "D": ("┳━┓", "┃ ┃", "┻━┛"),
    "V": ("╻ ╻", "╲ ╱", " ╹ "),
    "J": ("  ╻", "  ┃", "┗━┛"),
    "Ä": ("┏┅┓", "┣━┫", "╹ ╹"),
    " ": ("   ", "   ", "   "),
}


GLYPH_LETTERS = frozenset(_GLYPHS)
"""The letters big_word draws: a translated big word may use only these."""


def big_word(word: str) -> str:
    """A word in 3-row block letters (the letters of OK, NO, WAIT, STOP, SENT, DONE and their
    translations in GLYPH_LETTERS; any other letter is a blank)."""
    rows = ["", "", ""]
    for letter in word.upper():
        glyph = _GLYPHS.get(letter, _GLYPHS[" "])
        for i in range(3):
            rows[i] += glyph[i] + " "
    return "\n".join(row.rstrip() for row in rows)


# TRANSLATORS: the big block-letter words of a scan's result, read from across the bench.
# Only the letters A D E I J K N O P S T V W Ä can be drawn.
BIG_WORDS = {"ok": N_("OK"), "bad": N_("NO"), "wait": N_("WAIT"), "info": "", "stop": N_("STOP")}
"""The big word for each kind of scan result (translated when shown)."""


class BigResult(Static):
    """The last scan's result in large letters, readable from across the bench."""

    DEFAULT_CSS = """
    BigResult {
        width: 19;
        height: 4;
        padding: 1 0 0 0;
        content-align: center top;
        text-style: bold;
        background: $surface;
    }
    BigResult.ok { background: $success; color: $background; }
    BigResult.bad { background: $error; color: $background; }
    BigResult.wait { background: $warning; color: $background; }
    BigResult.stop { background: $error; color: $background; }
    BigResult.info { background: $primary; color: $background; }
    """

    def show(self, kind: str) -> None:
        """Show the word of this kind of result (ok, bad, wait, stop, info)."""
        self.remove_class("ok", "bad", "wait", "stop", "info")
        self.add_class(kind)
        word = BIG_WORDS.get(kind, "")
        self.update(Text(big_word(_(word) if word else "")), layout=False)
