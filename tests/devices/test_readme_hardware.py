"""Every TOML example in the README's hardware section is a valid settings file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packstation.config import Settings
from packstation.devices.documents import DocumentKind
from packstation.devices.printer_target import PrinterKind, parse_printer

README = Path(__file__).resolve().parents[2] / "README.md"


def hardware_examples() -> list[dict[str, object]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Hardware: scales and printers", 1)[1].split("\n## ", 1)[0]
    return [tomllib.loads(block) for block in re.findall(r"```toml\n(.*?)```", section, re.S)]


def test_each_device_kind_has_a_valid_example(tmp_path: Path) -> None:
    examples = hardware_examples()
    protocols = set()
    printer_kinds = set()
    for example in examples:
        settings = Settings(data_dir=tmp_path, **example)
        protocols.add(settings.scale_protocol)
        printer_kinds.update(parse_printer(spec).kind for spec in settings.printers.values())
        if settings.scale_protocol not in ("none", "hid"):
            assert settings.has_scale
    assert {"sics", "continuous", "hid"} <= protocols
    assert {PrinterKind.RAW_TCP, PrinterKind.CUPS, PrinterKind.IPP, PrinterKind.COMMAND} <= (
        printer_kinds
    )
    routed = {kind for e in examples for kind in Settings(**e).printers}
    assert routed == set(DocumentKind)
