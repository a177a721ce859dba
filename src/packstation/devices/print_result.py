"""What happened to one document sent to a printer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


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

    @property
    def printed(self) -> bool:
        """True when the printer accepted the document."""
        return self.outcome is PrintOutcome.PRINTED

    @property
    def message(self) -> str:
        """One line for the status bar."""
        if self.printed:
            return f"Printed {self.name}" + (f" on {self.printer}" if self.printer else "")
        if not self.error:
            return f"Saved {self.name} to {self.path} (no print command set)"
        reason = self.error[:1].upper() + self.error[1:]
        return f"{reason}: {self.noun} kept in the spool ({self.path})"
