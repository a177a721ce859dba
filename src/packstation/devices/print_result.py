"""What happened to one document sent to a printer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from packstation.i18n import _


class PrintOutcome(StrEnum):
    """What happened to a document."""

    PRINTED = "printed"
    SPOOLED = "spooled"


@dataclass(frozen=True)
class PrintResult:
    """The outcome of printing one file: printed, or kept in the spool folder (and why)."""

    outcome: PrintOutcome
    name: str
    path: Path | None = None
    error: str | None = None
    command: tuple[str, ...] = ()
    noun: str = "label"
    """The document in words (`label`, `packing slip`) for the message."""
    printer: str = ""
    spool_by_setting: bool = False
    """True when the `printers` setting itself sends this kind to the spool (no failure)."""

    @property
    def printed(self) -> bool:
        """True when the printer accepted the document."""
        return self.outcome is PrintOutcome.PRINTED

    @property
    def why_not(self) -> str:
        """Why a spooled document was not printed ("no printer set", the printer's error)."""
        if self.error:
            return self.error
        if self.spool_by_setting:
            return _("the printers setting sends it to the spool folder")
        return _("no printer set")

    @property
    def where(self) -> str:
        """Where a spooled document is ("saved in the spool folder as /…/name.zpl")."""
        return _("saved in the spool folder as {path}").format(path=self.path)

    @property
    def message(self) -> str:
        """One line for the status bar: printed (where), or not on paper, why and where the
        file is (a spooled label is a file, not a label on the parcel)."""
        if self.printed:
            if self.printer:
                return _("Printed {name} on {printer}").format(name=self.name, printer=self.printer)
            return _("Printed {name}").format(name=self.name)
        reason = self.why_not[:1].upper() + self.why_not[1:]
        return _("{reason}: {document} not printed on paper, {where}").format(
            reason=reason, document=_(self.noun), where=self.where
        )
