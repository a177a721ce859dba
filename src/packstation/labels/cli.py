"""`packstation labels ...`: the command sheet, a sample label, and an SSCC check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packstation.devices.documents import DocumentKind
from packstation.i18n import _, ngettext
from packstation.labels.errors import LabelError
from packstation.labels.sscc import SsccError, format_sscc, validate_sscc

if TYPE_CHECKING:
    # Annotations only: the settings load pydantic (~130 ms), which `--help` does without.
    from packstation.config import Settings

PROG = "packstation labels"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation labels` and its subcommands."""
    labels = subparsers.add_parser(
        "labels",
        help=_("package labels and the command sheet"),
        description=_("Package labels (SSCC, GS1-128) and the command barcode sheet."),
    )
    labels.set_defaults(handler=lambda args: _usage(labels))
    sub = labels.add_subparsers(dest="labels_command", metavar="SUBCOMMAND")

    sheet = sub.add_parser(
        "command-sheet",
        help=_("print every command, box and badge barcode with its meaning"),
        description=_(
            "Write the command sheet: every command barcode, each box preset (BOX-<name>) "
            "and a badge (USER-<id>) for each configured supervisor and each --badge, with "
            "its meaning in words. The format follows the file extension."
        ),
    )
    sheet.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("output file: .svg, .png or .pdf")
    )
    sheet.add_argument(
        "--badge",
        action="append",
        default=[],
        metavar="ID",
        help=_("also print a packer badge USER-<ID> (repeatable)"),
    )
    sheet.add_argument(
        "--dpi", type=int, default=203, metavar="N", help=_("raster resolution for PNG/PDF")
    )
    sheet.add_argument(
        "--print",
        action="store_true",
        dest="print_sheet",
        help=_("also send it to the command_sheet printer (kept in the spool if that fails)"),
    )
    sheet.set_defaults(handler=_command_sheet)

    sample = sub.add_parser(
        "sample",
        help=_("write a sample package label (to try a printer or the layout)"),
        description=_(
            "Write a sample package label with demo data, marked SAMPLE. The format follows "
            "the file extension (.zpl, .png, .svg); the size is the configured label size."
        ),
    )
    sample.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("output file: .zpl, .png or .svg")
    )
    sample.add_argument(
        "--label-size", choices=["A6", "4x6"], help=_("label stock (default: settings)")
    )
    sample.set_defaults(handler=_sample)

    check = sub.add_parser(
        "check-sscc",
        help=_("check that a code is a valid SSCC-18"),
        description=_("Check an SSCC-18 (or a GS1 element string 00 + SSCC); exit 0 if valid."),
    )
    check.add_argument("code", help=_("the 18-digit SSCC"))
    check.set_defaults(handler=_check_sscc)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _fail(message: str) -> int:
    print(_("{prog}: error: {reason}").format(prog=PROG, reason=message), file=sys.stderr)
    return 2


def _settings(args: argparse.Namespace) -> Settings:
    # Deferred: `packstation` imports this module to build its parser; the settings load
    # pydantic (~130 ms), which `--help` and `--version` do without.
    from packstation.config import load_settings

    return load_settings(args)


def _command_sheet(args: argparse.Namespace) -> int:
    # Deferred: Pillow and python-barcode (~35 ms CPU) would load at every `packstation` start.
    from packstation.labels.command_sheet import sheet_entries, sheet_pages, write_command_sheet

    if not 72 <= args.dpi <= 1200:
        return _fail(_("--dpi must be between 72 and 1200, not {dpi}").format(dpi=args.dpi))
    try:
        settings = _settings(args)
        destinations = [
            *settings.split_warehouses,
            *(point for points in settings.pickup_points.values() for point in points),
        ]
        entries = sheet_entries(
            settings.box_presets, settings.supervisors, args.badge, destinations
        )
        write_command_sheet(sheet_pages(entries), Path(args.output), dpi=args.dpi)
    except LabelError as exc:
        return _fail(str(exc))
    count = len(entries)
    wrote = ngettext("wrote {path} ({count} barcode)", "wrote {path} ({count} barcodes)", count)
    print(wrote.format(path=args.output, count=count))
    if args.print_sheet:
        # Deferred: the printer routes load httpx and Pillow (~70 ms CPU) (see _command_sheet).
        from packstation.devices.routing import print_document

        path = Path(args.output)
        result = print_document(DocumentKind.COMMAND_SHEET, path.name, path.read_bytes(), settings)
        print(result.message)
        return 0 if result.printed else 1
    return 0


def _sample(args: argparse.Namespace) -> int:
    # Deferred: Pillow and python-barcode (~65 ms CPU) would load at every `packstation` start.
    from packstation.labels.render import LabelFormat
    from packstation.labels.sample import write_sample_label

    path = Path(args.output)
    try:
        fmt = LabelFormat(path.suffix.lower().lstrip("."))
    except ValueError:
        suffix = repr(path.suffix or _("(none)"))
        return _fail(
            _("unknown label format {suffix}: use .zpl, .png or .svg").format(suffix=suffix)
        )
    try:
        settings = _settings(args)
        size = args.label_size or settings.label_size
        write_sample_label(path, fmt, size, settings.gs1_company_prefix, settings.station_id)
    except LabelError as exc:
        return _fail(str(exc))
    print(_("wrote {path}").format(path=path))
    return 0


def _check_sscc(args: argparse.Namespace) -> int:
    code = args.code.strip()
    if len(code) == 20 and code.startswith("00"):
        code = code[2:]
    try:
        validate_sscc(code)
    except SsccError as exc:
        return _fail(str(exc))
    print(_("valid SSCC: {sscc}").format(sscc=format_sscc(code)))
    return 0
