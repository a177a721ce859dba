"""The spool folder: every document that was not printed, with the reason beside it.

`name.zpl` holds the document; `.reasons/name.zpl.json` says which kind it is, where it was
meant to go and why it did not get there, so a reprint can offer it and send it again. The
notes sit in a hidden folder so the spool itself holds only documents (something may watch it).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from packstation.devices.documents import DocumentKind
from packstation.private_files import create_private, private_dir, write_private

REASONS_DIR = ".reasons"


@dataclass(frozen=True)
class SpooledDocument:
    """A document waiting in the spool folder."""

    path: Path
    kind: DocumentKind
    reason: str
    printer: str
    spooled_at: str

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name


def _reason_path(path: Path) -> Path:
    return path.parent / REASONS_DIR / f"{path.name}.json"


def write_spool(
    spool: Path,
    name: str,
    content: bytes,
    *,
    kind: DocumentKind = DocumentKind.SSCC_LABEL,
    reason: str = "",
    printer: str = "",
) -> Path:
    """Keep `content` in the spool folder under `name` (never replacing a waiting copy)."""
    private_dir(spool)  # labels carry names and addresses
    stem, suffix = Path(name).stem, Path(name).suffix
    for counter in itertools.count(1):
        # A reprint of a document still waiting must not replace the first copy; exclusive
        # creation also keeps two workers spooling at once from overwriting each other.
        target = spool / (name if counter == 1 else f"{stem}.{counter}{suffix}")
        try:
            with os.fdopen(create_private(target), "wb") as handle:
                handle.write(content)
        except FileExistsError:
            continue
        break
    if not reason and kind is DocumentKind.SSCC_LABEL:
        return target  # a label with no printer set: the note would only repeat the defaults
    _write_note(target, kind, reason, printer, datetime.now(UTC).isoformat(timespec="seconds"))
    return target


def _write_note(path: Path, kind: DocumentKind, reason: str, printer: str, when: str) -> None:
    note = {"kind": kind.value, "reason": reason, "printer": printer, "spooled_at": when}
    notes = _reason_path(path)
    private_dir(notes.parent)  # the reasons may name the customer's order
    write_private(notes, json.dumps(note).encode("utf-8"))


def _read_note(path: Path) -> dict[str, str]:
    try:
        data = json.loads(_reason_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def spooled_documents(spool: Path) -> list[SpooledDocument]:
    """Every document waiting in the spool folder, oldest first."""
    if not spool.is_dir():
        return []
    found = []
    for path in spool.iterdir():
        if not path.is_file() or path.name.startswith("."):
            continue
        note = _read_note(path)
        try:
            kind = DocumentKind(note.get("kind", DocumentKind.SSCC_LABEL.value))
        except ValueError:
            kind = DocumentKind.SSCC_LABEL
        stamp = str(note.get("spooled_at", ""))
        if not stamp:
            mtime = path.stat().st_mtime
            stamp = datetime.fromtimestamp(mtime, UTC).isoformat(timespec="seconds")
        found.append(
            SpooledDocument(
                path,
                kind,
                str(note.get("reason", "")) or "no printer set",
                str(note.get("printer", "")),
                stamp,
            )
        )
    return sorted(found, key=lambda d: (d.spooled_at, d.name))


def note_failure(document: SpooledDocument, reason: str, printer: str) -> None:
    """Record why the latest attempt to print a spooled document failed."""
    _write_note(document.path, document.kind, reason, printer, document.spooled_at)


def remove_spooled(path: Path) -> None:
    """Take a document out of the spool (it was printed)."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        _reason_path(path).unlink(missing_ok=True)
