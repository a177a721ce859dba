"""The station in the packer's language: chosen at start, switched from the palette at once."""

from __future__ import annotations

from collections.abc import Callable

from tui_support import (
    SIZE,
    burst,
    open_order,
    scans,
    screen_text,
    settle,
    started,
    wait_for,
    workflow_done,
)

from packstation.i18n import current_language
from packstation.tui.app import StationApp
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.review import ReviewScreen

EAN_1 = "7042113000020"  # ORD-1003's first line
PACKED = ("USER-anna", EAN_1, "BOX-M", "3103001250")  # 1.25 kg


def bar_text(app: StationApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_a_station_set_to_norwegian_packs_in_norwegian(
    station: Callable[..., StationApp],
) -> None:
    app = station(language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1003")
        burst(app, scans(*PACKED))
        await settle(pilot, app)
        text = screen_text(app)
        for norwegian in (
            "ORDRE ORD-1003",
            "Pakker: anna",
            "Venter på innsending: 0",
            "Kolli 1",
            "ÅPENT",
            "eske M",
            "1,25 kg",
            "Nytt kolli",
            "Eske / vekt",
            "Angre",
            "Avbryt ordre",
            "Kommandoer",
            "Pakket",
        ):
            assert norwegian in text, norwegian
        assert "Kolli 1 ÅPENT" in text
        # The banner's "Package 1: …" is the packing session's message (not translated yet).
        for english in ("New package", "Packer:", "Pending submits", "1.25 kg"):
            assert english not in text, english


async def test_switching_from_the_palette_changes_every_screen_at_once(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003")
        burst(app, scans(*PACKED))
        await settle(pilot, app)
        assert "New package" in bar_text(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"svenska")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: current_language() == "sv")
        await settle(pilot, app)
        assert app.screen is pack  # the same screen, with the same order, now in Swedish
        text = screen_text(app)
        for swedish in (
            "ORDER ORD-1003",
            "Packare: anna",
            "Väntar på inskick: 0",
            "Kolli 1",
            "kartong M",
            "1,25 kg",
            "Nytt kolli",
            "Ångra",
            "Granska",
            "Skicka",
            "Avbryt order",
            "Namn",
            "Packat",
            "Kommandon",
        ):
            assert swedish in text, swedish
        for english in ("New package", "Packer:", "Pending submits", "Undo"):
            assert english not in text, english
        # The packing goes on where it was: the rows and packages are the same.
        assert pack.session.totals().units_packed == 1
        burst(app, scans("CMD-NEW-PACKAGE"))
        await settle(pilot, app)
        assert "Kolli 2" in screen_text(app)


async def test_the_language_switch_reaches_screens_under_the_top_one(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003")
        await pilot.press("f3")  # the package dialog on top of the pack screen
        await settle(pilot, app)
        assert app.screen is not pack
        await app.switch_language("da")
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        text = screen_text(app)
        assert "Nyt kolli" in text and "Kasse / vægt" in text and "Pakker:" in text


async def test_the_palette_lists_the_other_languages_in_their_own_words(
    station: Callable[..., StationApp],
) -> None:
    app = station(language="da")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sprog")
        # (The palette draws the matched letters apart: compared without spaces.)
        await wait_for(pilot, lambda: "Sprog:Svenska" in screen_text(app).replace(" ", ""))
        text = screen_text(app).replace(" ", "")
        for entry in ("Sprog:English", "Sprog:Norsk(bokmål)", "Sprog:Svenska"):
            assert entry in text, entry
        assert "Sprog:Dansk" not in text  # the language it speaks now


async def test_the_review_and_workflow_screens_switch_too(
    station: Callable[..., StationApp],
) -> None:
    app = station(printers={"carrier_label": "command:true"})
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1003")
        burst(app, scans(*PACKED, "CMD-SUBMIT"))
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "REVIEW ORDER ORD-1003" in screen_text(app)
        await app.switch_language("nb")
        await settle(pilot, app)
        text = screen_text(app)
        for norwegian in (
            "KONTROLLER ORDRE ORD-1003",
            "Bekreft og send",
            "Igjen",
            "BEHOLD",
            "Skann CMD-SUBMIT igjen (eller F6) for å bekrefte og sende",
        ):
            assert norwegian in text, norwegian
        # The table still works: a decision on the highlighted line, then send.
        await pilot.press("f3")
        await settle(pilot, app)
        assert "KANSELLER" in screen_text(app)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        workflow = await workflow_done(pilot, app)
        await wait_for(pilot, lambda: bool(workflow.tracker.carrier_labels))
        assert "ORDRE ORD-1003 SENDT" in screen_text(app)
        await app.switch_language("sv")
        await settle(pilot, app)
        text = screen_text(app)
        for swedish in (
            "ORDER ORD-1003 SKICKAD",
            "Anrop 1/",
            "Nästa order / kvittera",
        ):
            assert swedish in text, swedish
        # What already happened keeps the words it was told in (the labels printed in nb).
        assert "Fraktetikett skrevet ut" in text


async def test_the_order_screen_and_package_dialog_speak_the_language(
    station: Callable[..., StationApp],
) -> None:
    app = station(language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await settle(pilot, app)
        text = screen_text(app)
        for norwegian in ("SKANN EN ORDRE", "Klar for neste ordre", "Ordrer som venter", "Kunde"):
            assert norwegian in text, norwegian
        for english in ("SCAN AN ORDER", "Ready for the next order", "Customer"):
            assert english not in text, english
        await app.switch_language("sv")
        await settle(pilot, app)
        text = screen_text(app)
        assert "SKANNA EN ORDER" in text and "Klar för nästa order" in text, text
        assert "SKANN EN ORDRE" not in text
        await open_order(app, pilot, "ORD-1003")
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press(*"2,5")
        await app.switch_language("da")
        await settle(pilot, app)
        text = screen_text(app)
        assert "KOLLI 1 af ordre ORD-1003" in text and "Længde (cm)" in text, text
        assert "Gem (F6)" in text and "Vægt (kg" in text
        assert "2,5" in text  # what was typed stays in the field
