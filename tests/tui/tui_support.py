"""Helpers for driving the station app in tests: key bursts, settling, reading the screen."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from textual import events
from textual.pilot import Pilot

from packstation.config import Settings
from packstation.omnium.client import OmniumClient
from packstation.tui.app import StationApp
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.workflow import WorkflowScreen
from packstation.tui.station import StationServices
from packstation.tui.themes import load_themes

SIZE = (150, 48)


def make_app(
    client: OmniumClient, data_dir: Path, *, theme: str = "packstation-dark", **settings: Any
) -> StationApp:
    """A station app on the given client, its store in data_dir, no user theme files.

    Orders open before a badge here unless a test says otherwise: most tests are about
    something else (tests/tui/test_shift.py holds the station's default, badge first)."""
    settings.setdefault("allow_packing_before_badge", True)
    config = Settings(data_dir=data_dir, theme=theme, **settings)
    services = StationServices(settings=config, client=client, sandbox=True)
    return StationApp(services, theme_set=load_themes([]))


def key_event(char: str) -> events.Key:
    """The key event a terminal produces for one typed character."""
    if char in "\r":
        return events.Key("enter", "\r")
    if char == "\n":
        return events.Key("ctrl+j", "\n")
    if char == "\x1d":
        return events.Key("ctrl+right_square_bracket", "\x1d")
    if char.isalnum():
        return events.Key(char, char)
    names = {
        "-": "minus",
        ".": "full_stop",
        " ": "space",
        ",": "comma",
        "(": "left_parenthesis",
        ")": "right_parenthesis",
        "_": "underscore",
        ":": "colon",
        "/": "slash",
    }
    return events.Key(names.get(char, char), char)


def burst(app: StationApp, text: str) -> None:
    """Post every key of `text` at once, with no pause between them (a scanner burst)."""
    for char in text:
        app.post_message(key_event(char))


def scans(*codes: str) -> str:
    """Codes as a scanner types them: each followed by Enter."""
    return "".join(f"{code}\r" for code in codes)


async def settle(pilot: Pilot[Any], app: StationApp, rounds: int = 3) -> None:
    """Wait until every posted key is read and every scan applied."""
    for _ in range(rounds):
        await pilot.pause()
        await app.wait_for_scans()
        await asyncio.sleep(0)
    await pilot.pause()


async def started(pilot: Pilot[Any], app: StationApp) -> None:
    """Wait for the start sequence (store, token, resume check)."""
    await asyncio.wait_for(app.started.wait(), 15)
    await pilot.pause()


async def wait_for(pilot: Pilot[Any], predicate: Any, seconds: float = 15) -> None:
    """Poll the app until predicate() is true."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
    await pilot.pause()


async def open_order(
    app: StationApp, pilot: Pilot[Any], order_id: str, *, packer: str | None = None
) -> PackScreen:
    """Wait for the start, then open `order_id` by a scan burst (after a badge, if given)."""
    await started(pilot, app)
    badge = (f"USER-{packer}",) if packer else ()
    burst(app, scans(*badge, order_id))
    await settle(pilot, app)
    pack = app.screen
    assert isinstance(pack, PackScreen)
    return pack


async def workflow_done(pilot: Pilot[Any], app: StationApp) -> WorkflowScreen:
    """Wait until the workflow screen now showing has its outcome, then settle."""
    screen = app.screen
    assert isinstance(screen, WorkflowScreen)
    await wait_for(pilot, lambda: screen.tracker.finished)
    await settle(pilot, app)
    return screen


def screen_text(app: StationApp) -> str:
    """Everything the current screen shows, as plain text (from the rendered SVG's text)."""
    import re
    from html import unescape

    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    text = unescape(" ".join(lines)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


async def fault(
    sandbox_app: FastAPI, omnium_client: OmniumClient, order_id: str, **body: object
) -> None:
    """Inject a sandbox fault on the order (POST /sandbox/faults)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app), base_url="http://sandbox.test"
    ) as admin:
        token = await omnium_client.get_token()
        reply = await admin.post(
            "/sandbox/faults",
            json={"orderId": order_id, **body},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert reply.status_code < 300, reply.text
