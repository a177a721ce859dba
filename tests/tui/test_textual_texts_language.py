"""Textual's own texts that the packer sees (the palette's placeholder and system commands,
the Ctrl+C hint) are in the station's language (issue 19)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.command import CommandInput
from tui_support import SIZE, started, wait_for

from packstation.i18n import _, set_language
from packstation.tui.app import StationApp
from packstation.tui.commands import TEXTUAL_COMMAND_TEXTS, StationPalette


async def test_the_palette_and_its_system_commands_in_norwegian(
    station: Callable[..., StationApp],
) -> None:
    app = station(language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        screen = app.screen
        # Every command Textual offers is marked (a Textual upgrade adding one fails here).
        originals = list(App.get_system_commands(app, screen))
        for command in originals:
            assert command.title in TEXTUAL_COMMAND_TEXTS, command.title
            assert command.help in TEXTUAL_COMMAND_TEXTS, command.help
        shown = list(app.get_system_commands(screen))
        assert [c.title for c in shown] == [_(c.title) for c in originals]
        assert {"Tema", "Avslutt", "Taster", "Skjermbilde"} <= {c.title for c in shown}
        assert [c.discover for c in shown] == [o.discover for o in originals]
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, StationPalette))
        field = app.screen.query_one(CommandInput)
        assert field.placeholder == "Søk etter kommandoer…"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        set_language("en")
        assert StationPalette()._placeholder == "Search for commands…"


async def test_ctrl_c_says_how_to_quit_in_swedish_as_plain_text(
    station: Callable[..., StationApp],
) -> None:
    app = station(language="sv")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        app.action_help_quit()
        wanted = ("Vill du avsluta?", "Tryck ^q för att avsluta programmet")
        await wait_for(pilot, lambda: wanted in [(n.title, n.message) for n in app._notifications])
