"""What the station says about a print and the queue, in the packer's language."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from packstation.devices.print_result import PrintOutcome, PrintResult
from packstation.i18n import set_language
from packstation.tui.flow import to_pack


def test_a_print_result_is_told_in_the_language_of_the_moment_it_is_shown() -> None:
    spooled = PrintResult(
        PrintOutcome.SPOOLED, "a.zpl", Path("/s/a.zpl"), "printer out of paper", noun="label"
    )
    assert spooled.message == (
        "Printer out of paper: label not printed on paper, saved in the spool folder as /s/a.zpl"
    )
    set_language("nb")
    assert spooled.message == (
        "Printer out of paper: etikett ikke skrevet ut på papir,"
        " lagret i utskriftskøen som /s/a.zpl"
    )
    saved = PrintResult(PrintOutcome.SPOOLED, "a.zpl", Path("/s/a.zpl"))
    assert saved.message == (
        "Ingen skriver satt: etikett ikke skrevet ut på papir, lagret i utskriftskøen som /s/a.zpl"
    )


def test_the_queue_counts_lines_and_units_in_the_language() -> None:
    assert to_pack(1, Decimal(1)) == "1 line, 1 unit"
    assert to_pack(2, Decimal("2.5")) == "2 lines, 2.5 units"
    set_language("sv")
    assert to_pack(1, Decimal(3)) == "1 rad, 3 enheter"
    assert to_pack(4, Decimal("2.5")) == "4 rader, 2,5 enheter"
