"""`packstation scale ...` and `packstation print ...` against simulated devices."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from packstation.cli import main
from packstation.devices.simulators import SimulatedPrinter, SimulatedScale
from packstation.devices.zpl_status import PrinterStatus


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKSTATION_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text(f'data_dir = "{tmp_path / "data"}"\n')


@pytest.mark.parametrize("protocol", ["sics", "continuous"])
def test_scale_read_prints_one_stable_reading(
    protocol: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with SimulatedScale(protocol) as sim:
        sim.show("1.234")
        code = main(["scale", "read", "--port", sim.port, "--protocol", protocol])
    assert (code, capsys.readouterr().out) == (0, "1.234 kg\n")


def test_scale_read_without_stable_reading_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with SimulatedScale("sics") as sim:
        sim.show("0.5", stable=False)
        code = main(["scale", "read", "--port", sim.port, "--protocol", "sics", "--within", "0.5"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert (
        "no stable reading within 0.5 s (last: Scale unstable: settling (0.5 kg))" in captured.err
    )


def test_scale_read_on_a_missing_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scale", "read", "--port", "/nonexistent/ttyX", "--protocol", "sics"]) == 1
    assert "cannot open /nonexistent/ttyX" in capsys.readouterr().err


def test_scale_read_hid_without_hidapi(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "hid", None)
    assert main(["scale", "read", "--protocol", "hid"]) == 1
    assert "hidapi" in capsys.readouterr().err


def test_print_test_reports_the_printer_state(capsys: pytest.CaptureFixture[str]) -> None:
    with SimulatedPrinter() as printer:
        assert main(["print", "test", "--printer", printer.address]) == 0
        (job,) = printer.wait_for_jobs(1)
    assert job.startswith(b"^XA") and b"SAMPLE" in job
    assert capsys.readouterr().out.splitlines() == [
        f"Sent the test label to {printer.address}",
        "Printer ready",
    ]


def test_print_test_on_paper_out(capsys: pytest.CaptureFixture[str]) -> None:
    with SimulatedPrinter(status=PrinterStatus(paper_out=True)) as printer:
        assert main(["print", "test", "--printer", printer.address]) == 1
    assert capsys.readouterr().err == "Printer out of paper: test label not printed\n"


def test_spool_list_and_resend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from packstation.config import Settings
    from packstation.devices.documents import DocumentKind
    from packstation.devices.routing import print_document

    with SimulatedPrinter(status=PrinterStatus(head_open=True)) as printer:
        settings = Settings(data_dir=tmp_path / "data", printers={"sscc_label": printer.address})
        print_document(DocumentKind.SSCC_LABEL, "x.zpl", b"^XA^XZ", settings)
        config = tmp_path / "none.toml"
        config.write_text(config.read_text() + f'[printers]\nsscc_label = "{printer.address}"\n')
        assert main(["print", "spool"]) == 0
        assert "label           x.zpl  (Printer head open)" in capsys.readouterr().out
        assert main(["print", "resend"]) == 1
        printer.status = PrinterStatus()
        assert main(["print", "resend", "x.zpl"]) == 0
        assert printer.wait_for_jobs(1) == [b"^XA^XZ"]
    assert main(["print", "spool"]) == 0
    assert "The spool is empty." in capsys.readouterr().out


def test_scale_watch_prints_changes_in_words() -> None:
    import subprocess

    with SimulatedScale("sics") as sim:
        sim.show("2.500")
        watch = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "packstation.cli",
                "scale",
                "watch",
                "--port",
                sim.port,
                "--protocol",
                "sics",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert watch.stdout is not None
            first = watch.stdout.readline()
            sim.show("2.600", stable=False)
            second = watch.stdout.readline()
        finally:
            watch.terminate()
            watch.wait(10)
    assert first.rstrip().endswith("  2.500 kg")
    assert second.rstrip().endswith("  Scale unstable: settling (2.600 kg)")


def test_simulator_commands() -> None:
    from packstation.devices.simulate_cli import _scale_command

    with SimulatedScale("sics") as sim:
        assert _scale_command(sim, "1.5") == "1.5 kg stable"
        assert _scale_command(sim, "~1.6") == "1.6 kg unstable"
        assert _scale_command(sim, "unit g") == "unit g"
        assert sim.face.unit == "g" and not sim.face.stable
        assert _scale_command(sim, "over") == "overloaded"
        assert _scale_command(sim, "heavy").startswith("not understood")


def test_config_show_lists_the_hardware_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "none.toml"
    config.write_text(
        config.read_text()
        + 'scale_protocol = "continuous"\nscale_port = "/dev/ttyUSB1"\n'
        + '[printers]\nsscc_label = "tcp://10.0.0.21:9100"\npacking_slip = "cups:Laser"\n'
    )
    assert main(["config", "show"]) == 0
    shown = capsys.readouterr().out
    assert '{sscc_label = "tcp://10.0.0.21:9100", packing_slip = "cups:Laser"}' in shown
    assert re.search(r'scale_protocol +"continuous"', shown)


def test_a_printer_address_typo_is_a_settings_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "none.toml"
    config.write_text(config.read_text() + '[printers]\nsscc_label = "zebra-1"\n')
    assert main(["config", "show"]) == 2
    assert "'zebra-1' is not a printer address" in capsys.readouterr().err
