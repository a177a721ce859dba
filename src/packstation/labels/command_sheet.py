"""The command sheet: every command, box and badge barcode with its meaning, on A4 pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packstation.i18n import _
from packstation.labels.barcodes import QUIET_ZONE_MODULES, code128
from packstation.labels.errors import LabelError
from packstation.labels.layout import Bars, Item, Page, Rule, Text, fit_text, wrap_text
from packstation.labels.render_png import DEFAULT_DPI, render_pdf, render_png
from packstation.labels.render_svg import render_svg
from packstation.packing.boxes import BoxPreset
from packstation.packing.commands import (
    BADGE_PREFIX,
    BOX_PREFIX,
    COUNT_PREFIX,
    DESTINATION_PREFIX,
    SHEET_COUNTS,
    Command,
)

A4 = (210.0, 297.0)
MARGIN = 12.0
ROW_HEIGHT = 24.0
BAR_HEIGHT = 13.0
MAX_MODULE = 0.33
"""A comfortable X-dimension for hand scanners at arm's length."""
MIN_MODULE = 0.25
BARCODE_COLUMN = 80.0


@dataclass(frozen=True)
class SheetEntry:
    """One barcode on the sheet: what it scans as and what it does."""

    section: str
    payload: str
    meaning: str


def badge_payload(badge: str) -> str:
    """`USER-<id>` for a badge id given with or without its prefix."""
    badge = badge.strip()
    if not badge:
        raise LabelError("a badge id must not be empty")
    return badge if badge.startswith(BADGE_PREFIX) else BADGE_PREFIX + badge


def sheet_entries(
    boxes: Iterable[BoxPreset],
    supervisors: Iterable[str] = (),
    badges: Iterable[str] = (),
    destinations: Iterable[str] = (),
) -> list[SheetEntry]:
    """Every command, the counts, each box preset, each split destination, then each badge
    (supervisors first), in order."""
    entries = [SheetEntry(_("Commands"), cmd.value, cmd.meaning) for cmd in Command]
    counts = _("Counts (or key the number and Enter)")
    for count in SHEET_COUNTS:
        meaning = _(
            "The next item scanned counts {count} units (within what is open on its line)"
        ).format(count=count)
        entries.append(SheetEntry(counts, f"{COUNT_PREFIX}{count}", meaning))
    for box in boxes:
        meaning = _("Box {name}: {length} x {width} x {height} cm").format(
            name=box.name, length=box.length_cm, width=box.width_cm, height=box.height_cm
        )
        if box.description:
            meaning += f", {box.description}"
        entries.append(SheetEntry(_("Boxes"), BOX_PREFIX + box.name, meaning))
    for code in destinations:
        code = code.strip()
        if code:
            meaning = _("After CMD-SPLIT-LINE and the item: its rest goes to {code}")
            entries.append(
                SheetEntry(
                    _("Split destinations"), DESTINATION_PREFIX + code, meaning.format(code=code)
                )
            )
    seen: set[str] = set()
    roles = (
        (_("Supervisor badge: sign in as {person}"), supervisors),
        (_("Packer badge: sign in as {person}"), badges),
    )
    for role, ids in roles:
        for badge in ids:
            payload = badge_payload(badge)
            if payload in seen:
                continue
            seen.add(payload)
            person = payload.removeprefix(BADGE_PREFIX)
            entries.append(SheetEntry(_("Badges"), payload, role.format(person=person)))
    return entries


def _entry_items(entry: SheetEntry, top: float, width: float) -> list[Item]:
    symbol = code128(entry.payload)
    room = BARCODE_COLUMN - 2 * QUIET_ZONE_MODULES * MIN_MODULE
    module = min(MAX_MODULE, room / symbol.width_modules)
    if module < MIN_MODULE:
        raise LabelError(f"{entry.payload!r} is too long to print as a readable barcode")
    x = MARGIN + QUIET_ZONE_MODULES * module
    text_x = MARGIN + BARCODE_COLUMN + 4
    text_w = width - MARGIN - text_x
    items: list[Item] = [
        Bars(x, top, module, BAR_HEIGHT, symbol),
        Text(x, top + BAR_HEIGHT + 4.0, 3.2, entry.payload),
        Text(text_x, top + 4.5, 4.2, fit_text(entry.payload, 4.2, text_w), bold=True),
    ]
    for i, line in enumerate(wrap_text(entry.meaning, 3.4, text_w)):
        items.append(Text(text_x, top + 10.0 + i * 4.6, 3.4, line))
    return items


def sheet_pages(entries: Sequence[SheetEntry], title: str | None = None) -> list[Page]:
    """Lay the entries out on as many A4 pages as they need, with section headings (the title
    defaults to "packstation command sheet" in the station's language)."""
    title = title or _("packstation command sheet")
    width, height = A4
    pages: list[Page] = []
    items: list[Item] = []
    y = MARGIN
    section = ""

    def new_page() -> None:
        nonlocal items, y
        if items:
            pages.append(Page(width, height, tuple(items)))
        items = []
        y = MARGIN + 7.0
        page_no = len(pages) + 1
        items.append(Text(MARGIN, y, 7.0, title, bold=True))
        items.append(Text(width - MARGIN - 30, y, 3.4, _("page {number}").format(number=page_no)))
        y += 4.0

    new_page()
    for entry in entries:
        need = ROW_HEIGHT + (11.0 if entry.section != section else 0.0)
        if y + need > height - MARGIN:
            new_page()
            section = ""
        if entry.section != section:
            section = entry.section
            y += 8.0
            items.append(Text(MARGIN, y, 5.0, section, bold=True))
            y += 1.5
            items.append(Rule(MARGIN, y, width - 2 * MARGIN, 0.4))
            y += 1.5
        items.extend(_entry_items(entry, y + 2.0, width))
        y += ROW_HEIGHT
    pages.append(Page(width, height, tuple(items)))
    return pages


def write_command_sheet(pages: Sequence[Page], path: Path, *, dpi: int = DEFAULT_DPI) -> None:
    """Write the sheet as SVG, PNG or PDF, chosen by the file extension."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        content = render_svg(pages)
    elif suffix == ".png":
        content = render_png(pages, dpi)
    elif suffix == ".pdf":
        content = render_pdf(pages, dpi)
    else:
        raise LabelError(
            f"unknown sheet format {path.suffix or '(none)'!r}: use .svg, .png or .pdf"
        )
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise LabelError(f"cannot write {path}: {exc.strerror or exc}") from exc
