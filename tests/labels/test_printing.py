"""Printing runs the configured command without a shell, or keeps the file in the spool."""

from __future__ import annotations

import itertools
import shlex
import sys
from pathlib import Path

import pytest
from labels_support import order_with_packages

from packstation.config import Settings
from packstation.labels.label import labels_for_shipment
from packstation.labels.printing import (
    PrintOutcome,
    build_command,
    print_file,
    print_labels,
    spool_dir,
)
from packstation.labels.render import label_filename, render_label
from packstation.labels.sscc import DEMO_COMPANY_PREFIX, SsccAllocator

PY = shlex.quote(sys.executable)
# A stand-in printer: copies the file it is given into the folder named first.
COPY = "import shutil, sys; shutil.copy(sys.argv[2], sys.argv[1])"


def fake_printer(out: Path) -> str:
    return f"{PY} -c {shlex.quote(COPY)} {shlex.quote(str(out))} {{file}}"


def test_no_command_spools_the_file(tmp_path: Path) -> None:
    result = print_file("a.zpl", b"^XA^XZ", command="  ", spool=tmp_path / "spool")
    assert result.outcome is PrintOutcome.SPOOLED and not result.printed
    assert result.path == tmp_path / "spool" / "a.zpl"
    assert result.path.read_bytes() == b"^XA^XZ"
    assert result.error is None
    # Plainly: not on paper, why, and the file's whole path.
    assert result.message == (
        f"No printer set: label not printed on paper, saved in the spool folder as {result.path}"
    )


def test_command_gets_the_file_and_nothing_is_spooled(tmp_path: Path) -> None:
    out = tmp_path / "printed"
    out.mkdir()
    result = print_file("b.zpl", b"LABEL", command=fake_printer(out), spool=tmp_path / "spool")
    assert result.printed, result.error
    assert result.path is None and result.error is None
    assert (out / "b.zpl").read_bytes() == b"LABEL"
    assert not (tmp_path / "spool").exists()
    assert result.message == "Printed b.zpl"


def test_file_is_appended_when_the_command_has_no_placeholder(tmp_path: Path) -> None:
    argv = build_command("lp -d 'Front desk' -o raw", tmp_path / "x.zpl")
    assert argv == ["lp", "-d", "Front desk", "-o", "raw", str(tmp_path / "x.zpl")]
    argv = build_command("print-it --file={file}.bak", Path("/tmp/y.png"))
    assert argv == ["print-it", "--file=/tmp/y.png.bak"]


def test_no_shell_is_involved(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    out = tmp_path / "printed"
    out.mkdir()
    command = fake_printer(out) + f" ; touch {shlex.quote(str(marker))}"
    result = print_file("c.zpl", b"X", command=command, spool=tmp_path / "spool")
    assert result.printed
    assert not marker.exists()
    assert ";" in result.command  # passed as a plain argument, not interpreted


def test_failing_command_spools_and_says_why(tmp_path: Path) -> None:
    script = "import sys; sys.stderr.write('lp: printer Zebra is offline\\nmore\\n'); sys.exit(3)"
    command = f"{PY} -c {shlex.quote(script)} {{file}}"
    result = print_file("d.zpl", b"D", command=command, spool=tmp_path / "spool")
    assert result.outcome is PrintOutcome.SPOOLED
    assert result.path is not None and result.path.read_bytes() == b"D"
    assert result.error is not None
    assert "status 3" in result.error and "printer Zebra is offline" in result.error
    assert "\n" not in result.error and "\n" not in result.message


def test_missing_program_spools(tmp_path: Path) -> None:
    result = print_file("e.zpl", b"E", command="no-such-printer-program-xyz {file}", spool=tmp_path)
    assert not result.printed
    assert result.error == "command not found: no-such-printer-program-xyz"
    assert result.path is not None and result.path.exists()


def test_unparsable_command_spools(tmp_path: Path) -> None:
    result = print_file("f.zpl", b"F", command="lp 'unclosed", spool=tmp_path)
    assert not result.printed and result.error is not None and "parsed" in result.error


def test_hanging_command_times_out_and_spools(tmp_path: Path) -> None:
    command = f"{PY} -c 'import time; time.sleep(30)' {{file}}"
    result = print_file("g.zpl", b"G", command=command, spool=tmp_path, timeout=0.5)
    assert not result.printed
    assert result.error is not None and "did not finish" in result.error


def test_reprint_to_spool_keeps_both_copies(tmp_path: Path) -> None:
    one = print_file("h.zpl", b"1", command="", spool=tmp_path)
    two = print_file("h.zpl", b"2", command="", spool=tmp_path)
    assert one.path != two.path
    assert one.path is not None and two.path is not None
    assert (one.path.read_bytes(), two.path.read_bytes()) == (b"1", b"2")


@pytest.mark.parametrize("fmt", ["zpl", "svg", "png"])
def test_print_labels_renders_in_the_configured_format(tmp_path: Path, fmt: str) -> None:
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", itertools.count(1).__next__)
    labels = labels_for_shipment(order_with_packages([alloc(), alloc()]), "S-1")
    settings = Settings(data_dir=tmp_path, label_format=fmt, label_size="A6", print_command="")
    results = print_labels(labels, settings)
    assert [r.outcome for r in results] == [PrintOutcome.SPOOLED] * 2
    for data, result in zip(labels, results, strict=True):
        assert result.path == spool_dir(settings) / label_filename(data, fmt)
        assert result.path.read_bytes() == render_label(data, fmt, "A6")


def test_print_labels_with_a_printer(tmp_path: Path) -> None:
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", itertools.count(1).__next__)
    labels = labels_for_shipment(order_with_packages([alloc()]), "S-1")
    out = tmp_path / "printer"
    out.mkdir()
    settings = Settings(data_dir=tmp_path / "data", print_command=fake_printer(out))
    (result,) = print_labels(labels, settings)
    assert result.printed
    printed = out / label_filename(labels[0], "zpl")
    assert printed.read_bytes() == render_label(labels[0], "zpl", settings.label_size)


def test_concurrent_spooling_of_one_name_loses_nothing(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(
                lambda i: print_file("same.zpl", f"copy {i}".encode(), command="", spool=tmp_path),
                range(16),
            )
        )
    paths = {r.path for r in results}
    assert len(paths) == 16
    contents = sorted(p.read_bytes() for p in paths if p is not None)
    assert contents == sorted(f"copy {i}".encode() for i in range(16))
