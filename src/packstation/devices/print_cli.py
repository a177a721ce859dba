"""`packstation print ...`: try a printer, list the spool, send spooled documents again."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from packstation.devices.printer_target import PrinterKind, parse_printer
from packstation.devices.raw_tcp import PrinterError, printer_status
from packstation.devices.simulate_cli import add_printer_simulator
from packstation.devices.spool import spooled_documents
from packstation.i18n import _

PROG = "packstation print"
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation print test`, `print spool` and `print resend`."""
    printing = subparsers.add_parser(
        "print",
        help=_("try a printer; list and resend documents kept in the spool"),
        description=_(
            "Printers are addresses: tcp://HOST:9100 (ZPL, raw TCP), cups:QUEUE (lp/lpr), "
            "ipp://HOST/printers/NAME (IPP), command:PROGRAM {file}, or spool."
        ),
    )
    printing.set_defaults(handler=lambda args: _usage(printing))
    sub = printing.add_subparsers(dest="print_command_name", metavar="SUBCOMMAND")

    test = sub.add_parser(
        "test",
        help=_("send a sample label to a printer and report its state"),
        description=_(
            "Send the sample label (marked SAMPLE) to the printer and report its state. "
            "Exit 1 when it was not printed."
        ),
    )
    test.add_argument("--printer", required=True, metavar="ADDRESS", help=_("e.g. tcp://HOST:9100"))
    test.set_defaults(handler=run_test)

    spool = sub.add_parser(
        "spool",
        help=_("list the documents kept in the spool and why"),
        description=_("List every document waiting in the spool folder, with the reason."),
    )
    spool.set_defaults(handler=run_spool)

    resend = sub.add_parser(
        "resend",
        help=_("send spooled documents to their printer again"),
        description=_(
            "Send documents waiting in the spool to their kind's printer; each printed one "
            "leaves the spool. Without names, all of them."
        ),
    )
    resend.add_argument("names", nargs="*", metavar="NAME", help=_("spooled file names"))
    resend.set_defaults(handler=run_resend)
    add_printer_simulator(sub)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_test(args: argparse.Namespace) -> int:
    """Send the sample label; report the printer's state."""
    # Deferred: the printer routes and the label renderer load httpx, Pillow and
    # python-barcode (~70 ms CPU), which every `packstation` start would pay; the settings
    # load pydantic (~130 ms), which `--help` and `--version` do without.
    from packstation.config import load_settings
    from packstation.devices.routing import send_to
    from packstation.labels.render import LabelFormat, label_filename, render_label
    from packstation.labels.sample import sample_label

    settings = load_settings(args)
    try:
        target = parse_printer(args.printer)
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    if target.kind is PrinterKind.SPOOL:
        print(_("{prog}: spool is not a printer").format(prog=PROG), file=sys.stderr)
        return 2
    # A raw TCP printer speaks ZPL; the others get the configured format.
    fmt = LabelFormat.ZPL if target.kind is PrinterKind.RAW_TCP else settings.label_format
    data = sample_label(settings.gs1_company_prefix, settings.station_id)
    error, _unused = send_to(
        target, label_filename(data, fmt), render_label(data, fmt, settings.label_size)
    )
    if error is not None:
        print(_("{reason}: test label not printed").format(reason=error), file=sys.stderr)
        return EXIT_FAILED
    print(_("Sent the test label to {printer}").format(printer=target))
    if target.kind is PrinterKind.RAW_TCP:
        try:
            status = printer_status(target.address, target.port)
        except PrinterError as exc:
            print(str(exc))
            return EXIT_FAILED
        print(
            status.describe() if status is not None else _("Printer state unknown (no ~HS answer)")
        )
    return 0


def run_spool(args: argparse.Namespace) -> int:
    """List the spool folder."""
    # Deferred: as in run_test (the routes load httpx and Pillow; the settings pydantic).
    from packstation.config import load_settings
    from packstation.devices.routing import spool_dir

    documents = spooled_documents(spool_dir(load_settings(args)))
    if not documents:
        print(_("The spool is empty."))
        return 0
    for doc in documents:
        print(f"{doc.spooled_at}  {doc.kind.noun:<14}  {doc.name}  ({doc.reason})")
    return 0


def run_resend(args: argparse.Namespace) -> int:
    """Send spooled documents again; exit 1 when any stays in the spool."""
    # Deferred: as in run_test (the routes load httpx and Pillow; the settings pydantic).
    from packstation.config import load_settings
    from packstation.devices.routing import resend_spooled, spool_dir

    settings = load_settings(args)
    documents = spooled_documents(spool_dir(settings))
    if args.names:
        known = {doc.name for doc in documents}
        missing = [name for name in args.names if name not in known]
        if missing:
            names = ", ".join(missing)
            print(
                _("{prog}: not in the spool: {names}").format(prog=PROG, names=names),
                file=sys.stderr,
            )
            return 2
        documents = [doc for doc in documents if doc.name in args.names]
    failed = 0
    for doc in documents:
        result = resend_spooled(doc, settings)
        print(result.message)
        failed += not result.printed
    return EXIT_FAILED if failed else 0
