"""What every station screen shares: the status bar on top and the footer of keys."""

from __future__ import annotations

from typing import Any, cast

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

from packstation.tui.keybar import KeyBar
from packstation.tui.station import Station
from packstation.tui.widgets import AlertStrip, StationBar


class StationScreen(Screen[Any]):
    """A full screen with the station bar and the footer."""

    @property
    def station(self) -> Station:
        """The app, typed."""
        return cast("Station", self.app)

    def compose(self) -> ComposeResult:
        """Bar, the screen's body, footer."""
        yield StationBar()
        yield AlertStrip()
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_screen_resume(self) -> None:
        """Bring the bar up to date whenever this screen shows."""
        for bar in self.query(StationBar):
            self.station.fill_bar(bar)

    async def change_language(self) -> None:
        """Show this screen in the language just chosen (the app calls it on every screen).

        Here the bar, the alert strip and the key bar. A screen with texts of its own
        overrides it: `await self.recompose()` (compose runs again), then fill in what its
        on_mount filled in, then `await super().change_language()`."""
        redraw_shared(self, self.station)


def redraw_shared(screen: Screen[Any], station: Station) -> None:
    """Draw a screen's station bar, alert strip and key bar again (their texts are translated
    when drawn)."""
    for bar in screen.query(StationBar):
        station.fill_bar(bar)
        bar.refresh()
    for keys in screen.query(KeyBar):
        keys.refresh()


class StationModal(ModalScreen[Any]):
    """A dialog over a screen; takes no scans unless it defines handle_scan."""

    BLOCKS_SCANS = True

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close this dialog; nothing when it is no longer on top (a key queued before it closed).

        Textual's dismiss pops whatever screen is on top, so a late second dismiss would close
        the screen under it."""
        if self.app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    @property
    def station(self) -> Station:
        """The app, typed."""
        return cast("Station", self.app)

    async def change_language(self) -> None:
        """Show this dialog in the language just chosen (see StationScreen.change_language)."""
        redraw_shared(self, self.station)
