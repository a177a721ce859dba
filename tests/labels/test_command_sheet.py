"""The command sheet: every command, box and badge, scannable and explained in words."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from labels_support import decode_image, decode_png, svg_barcode_images, svg_texts
from PIL import Image

from packstation.cli import main
from packstation.labels.command_sheet import (
    SheetEntry,
    badge_payload,
    sheet_entries,
    sheet_pages,
    write_command_sheet,
)
from packstation.labels.errors import LabelError
from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset
from packstation.packing.commands import SHEET_COUNTS, Command

SUPERVISORS = ["7", "USER-anna"]
BADGES = ["bob", "USER-7"]


@pytest.fixture(scope="module")
def entries() -> list[SheetEntry]:
    return sheet_entries(DEFAULT_BOX_PRESETS, SUPERVISORS, BADGES, ["WH-BERGEN"])


def test_entries_hold_every_command_box_and_badge(entries: list[SheetEntry]) -> None:
    payloads = [e.payload for e in entries]
    assert payloads[: len(Command)] == [c.value for c in Command]
    for box in DEFAULT_BOX_PRESETS:
        entry = next(e for e in entries if e.payload == f"BOX-{box.name}")
        assert f"{box.length_cm} x {box.width_cm} x {box.height_cm} cm" in entry.meaning
    badges = [e for e in entries if e.section == "Badges"]
    # USER-7 is listed once, as a supervisor.
    assert [e.payload for e in badges] == ["USER-7", "USER-anna", "USER-bob"]
    assert badges[0].meaning.startswith("Supervisor") and badges[2].meaning.startswith("Packer")
    for command in Command:
        assert next(e for e in entries if e.payload == command.value).meaning == command.meaning


def test_the_sheet_carries_every_packer_step_counts_and_destinations(
    entries: list[SheetEntry],
) -> None:
    payloads = {e.payload for e in entries}
    # What a packer did with keys has a barcode (issue 15 item 8).
    for step in ("CMD-NEXT", "CMD-RESUME", "CMD-DISCARD", "CMD-SIGN-OUT", "CMD-REPRINT"):
        assert step in payloads
    assert {"CMD-OPEN-LINES", "CMD-REVIEW"} <= payloads
    counts = [e for e in entries if e.payload.startswith("QTY-")]
    assert "QTY-12" in payloads and "key the number and Enter" in counts[0].section
    split = next(e for e in entries if e.payload == "TO-WH-BERGEN")
    assert split.section == "Split destinations" and "WH-BERGEN" in split.meaning


@pytest.mark.parametrize("dpi", [115, 203])
def test_every_barcode_on_the_png_sheet_decodes(
    entries: list[SheetEntry], tmp_path: Path, dpi: int
) -> None:
    path = tmp_path / "sheet.png"
    write_command_sheet(sheet_pages(entries), path, dpi=dpi)
    decoded = decode_png(path.read_bytes())
    assert sorted(d.raw for d in decoded) == sorted(e.payload for e in entries)
    assert {d.symbology for d in decoded} == {"]C0"}


def test_the_meanings_are_printed_beside_the_barcodes(entries: list[SheetEntry]) -> None:
    pages = sheet_pages(entries)
    words = " ".join(" ".join(page.texts()) for page in pages)
    for entry in entries:
        assert entry.payload in words
        assert entry.meaning in words
    assert {s.payload for page in pages for s in page.symbols()} == {e.payload for e in entries}


def test_svg_sheet_text_and_bars(entries: list[SheetEntry], tmp_path: Path) -> None:
    path = tmp_path / "sheet.svg"
    pages = sheet_pages(entries)
    write_command_sheet(pages, path)
    svg = path.read_bytes()
    texts = svg_texts(svg)
    assert texts == [t for page in pages for t in page.texts()]
    drawn = svg_barcode_images(svg, px_per_mm=10.0)
    assert [payload for payload, _ in drawn] == [s.payload for p in pages for s in p.symbols()]
    for payload, image in drawn:
        assert [d.raw for d in decode_image(image)] == [payload]


def test_pdf_sheet_has_one_page_per_sheet_page(entries: list[SheetEntry], tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    pages = sheet_pages(entries)
    assert len(pages) >= 2  # the default entries do not fit one A4 page
    write_command_sheet(pages, path, dpi=100)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert re.findall(rb"/Count (\d+)", content) == [str(len(pages)).encode()]
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", content)) == len(pages)


def test_unknown_extension_is_refused(entries: list[SheetEntry], tmp_path: Path) -> None:
    with pytest.raises(LabelError, match=re.escape("use .svg, .png or .pdf")):
        write_command_sheet(sheet_pages(entries), tmp_path / "sheet.docx")


def test_badges_need_printable_ascii_and_an_id() -> None:
    assert badge_payload(" 42 ") == "USER-42"
    with pytest.raises(LabelError):
        badge_payload("  ")
    with pytest.raises(LabelError):
        sheet_pages(sheet_entries([], badges=["Åse"]))


def test_custom_box_preset_is_on_the_sheet() -> None:
    box = BoxPreset(name="WINE6", length_cm=30, width_cm=20, height_cm=35, description="wine box")
    entries = sheet_entries([box])
    assert entries[-1] == SheetEntry("Boxes", "BOX-WINE6", "Box WINE6: 30 x 20 x 35 cm, wine box")


@pytest.fixture
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config.toml"
    config.write_text("")
    monkeypatch.setenv("PACKSTATION_CONFIG", str(config))
    for name in ("PACKSTATION_SUPERVISORS", "PACKSTATION_BOX_PRESETS"):
        monkeypatch.delenv(name, raising=False)
    return config


def test_cli_writes_the_sheet(
    isolated_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmd.png"
    code = main(["labels", "command-sheet", "-o", str(out), "--badge", "bob", "--dpi", "150"])
    assert code == 0
    decoded = {d.raw for d in decode_png(out.read_bytes())}
    assert {c.value for c in Command} <= decoded
    assert {f"BOX-{b.name}" for b in DEFAULT_BOX_PRESETS} <= decoded
    assert "USER-bob" in decoded
    assert str(out) in capsys.readouterr().out


def test_cli_errors_are_one_line_with_exit_2(
    isolated_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["labels", "command-sheet", "-o", str(tmp_path / "x.doc")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err and ".doc" in err
    assert main(["labels", "command-sheet", "-o", str(tmp_path / "no" / "dir" / "x.svg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err


def test_cli_help_exists(capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("command-sheet", "sample", "check-sscc"):
        with pytest.raises(SystemExit) as exit_:
            main(["labels", sub, "--help"])
        assert exit_.value.code == 0
        assert "usage: packstation labels " + sub in capsys.readouterr().out


def test_cli_sample_label_and_check_sscc(
    isolated_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sample.png"
    assert main(["labels", "sample", "-o", str(out), "--label-size", "A6"]) == 0
    (decoded,) = decode_png(out.read_bytes())
    assert decoded.symbology == "]C1" and decoded.raw.startswith("00")
    sscc = decoded.raw[2:]
    assert main(["labels", "check-sscc", sscc]) == 0
    assert main(["labels", "check-sscc", "00" + sscc]) == 0
    bad = sscc[:-1] + str((int(sscc[-1]) + 1) % 10)
    capsys.readouterr()
    assert main(["labels", "check-sscc", bad]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["labels", "sample", "-o", str(tmp_path / "x.gif")]) == 2
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.size == (839, 1183)


def test_cli_uses_supervisors_and_boxes_from_the_settings_file(
    isolated_config: Path, tmp_path: Path
) -> None:
    isolated_config.write_text(
        'supervisors = ["anna", "USER-9"]\n'
        'split_warehouses = ["WH-BERGEN"]\n'
        "[[box_presets]]\n"
        'name = "WINE6"\nlength_cm = 30\nwidth_cm = 20\nheight_cm = 35\n'
    )
    out = tmp_path / "cmd.svg"
    assert main(["labels", "command-sheet", "-o", str(out)]) == 0
    svg = out.read_bytes()
    texts = " ".join(svg_texts(svg))
    assert "Box WINE6: 30 x 20 x 35 cm" in texts
    assert "Supervisor badge: sign in as anna" in texts
    payloads = [payload for payload, _ in svg_barcode_images(svg)]
    counts = [f"QTY-{n}" for n in SHEET_COUNTS]
    assert payloads == [c.value for c in Command] + [
        *counts,
        "BOX-WINE6",
        "TO-WH-BERGEN",
        "USER-anna",
        "USER-9",
    ]


def test_cli_reports_bad_settings_in_one_line(
    isolated_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_config.write_text('gs1_company_prefix = "12"\n')
    assert main(["labels", "sample", "-o", str(tmp_path / "s.zpl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gs1_company_prefix" in err


def test_cli_prints_the_sheet_on_its_printer(
    isolated_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from packstation.devices.simulators import SimulatedPrinter

    out = tmp_path / "cmd.svg"
    with SimulatedPrinter() as printer:
        isolated_config.write_text(
            isolated_config.read_text() + f'\n[printers]\ncommand_sheet = "{printer.address}"\n'
        )
        assert main(["labels", "command-sheet", "-o", str(out), "--print"]) == 0
        (job,) = printer.wait_for_jobs(1)
    assert job == out.read_bytes()
    assert f"Printed cmd.svg on {printer.address}" in capsys.readouterr().out
