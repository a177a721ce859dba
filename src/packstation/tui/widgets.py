"""Small widgets shared by the screens: the status bar and the scan result banner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static


class StationBar(Horizontal):
    """The top bar: SANDBOX marker, warehouse/station, packer, pending submits, typed text."""

    DEFAULT_CSS = """
    StationBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StationBar > Static { width: auto; padding: 0 1; }
    StationBar #sandbox { background: $warning; color: $background; text-style: bold; }
    StationBar #pending { text-style: bold; }
    StationBar #pending.waiting { background: $warning; color: $background; }
    StationBar #typed { width: 1fr; content-align: right middle; text-style: bold; }
    """

    sandbox: reactive[bool] = reactive(False)
    pending: reactive[int] = reactive(0)
    note: reactive[str] = reactive("")
    packer: reactive[str] = reactive("")
    typed: reactive[str] = reactive("")
    where: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        """The parts of the bar, left to right."""
        yield Static("SANDBOX", id="sandbox")
        yield Static("", id="where")
        yield Static("", id="packer")
        yield Static("", id="pending")
        yield Static("", id="typed")

    def on_mount(self) -> None:
        """Show the initial values."""
        self.watch_sandbox(self.sandbox)
        self.watch_pending(self.pending)
        self.watch_packer(self.packer)
        self.watch_where(self.where)

    def watch_sandbox(self, value: bool) -> None:
        """Hide the SANDBOX marker on a real Omnium."""
        if self.children:
            self.query_one("#sandbox", Static).display = value

    def watch_where(self, value: str) -> None:
        """Warehouse and station."""
        if self.children:
            self.query_one("#where", Static).update(value)

    def watch_pending(self, value: int) -> None:
        """The number of submits still waiting to reach Omnium (and what they wait for)."""
        if self.children:
            label = self.query_one("#pending", Static)
            note = f" — {self.note}" if self.note and value > 0 else ""
            label.update(f"Pending submits: {value}{note}")
            label.set_class(value > 0, "waiting")

    def watch_note(self, _value: str) -> None:
        """The sender's wait reason changed."""
        self.watch_pending(self.pending)

    def watch_packer(self, value: str) -> None:
        """Who is packing (from the last USER- badge)."""
        if self.children:
            self.query_one("#packer", Static).update(f"Packer: {value or '-'}")

    def watch_typed(self, value: str) -> None:
        """What has been typed or scanned since the last Enter."""
        if self.children:
            shown = value.replace("\x1d", "<GS>")
            typed = self.query_one("#typed", Static)
            typed.update(f"> {shown}" if shown else "", layout=False)


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
    """

    def show(self, text: str, kind: str = "info") -> None:
        """Show a message as ok (green), bad (red) or info."""
        self.remove_class("ok", "bad", "info")
        self.add_class(kind)
        self.update(text, layout=False)  # fixed height: no layout pass per scan
