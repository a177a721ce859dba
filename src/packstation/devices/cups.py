"""Printing to a CUPS queue with `lp` (or `lpr` where only that is installed)."""

from __future__ import annotations

import shutil


def cups_argv(queue: str, path: str, title: str, *, raw: bool) -> list[str] | None:
    """The `lp`/`lpr` command that prints `path` on `queue` (the default one when empty).

    `raw` passes the file to the printer untouched (ZPL); a PDF goes through CUPS's filters.
    None when neither program is installed.
    """
    options = ["-o", "raw"] if raw else []
    if shutil.which("lp"):
        target = ["-d", queue] if queue else []
        return ["lp", *target, "-t", title, *options, path]
    if shutil.which("lpr"):
        target = ["-P", queue] if queue else []
        return ["lpr", *target, "-T", title, *options, path]
    return None
