"""Build hook: compile the translation catalogs (.po) into the wheel as .mo files.

The .mo files are never committed: every wheel (and `pip install .`) compiles them from the
.po of its source tree. An editable install gets none; the station then reads the .po with
Babel (packstation.i18n), so a catalog edit shows without a rebuild.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/packstation/locale")


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    """Compile src/packstation/locale/<lang>/LC_MESSAGES/*.po into the wheel's .mo files."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Write the .mo files to a temporary folder and include them in the wheel."""
        if self.target_name != "wheel" or version == "editable":
            return
        self._out = Path(tempfile.mkdtemp(prefix="packstation-mo-"))
        root = Path(self.root)
        for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/*.po")):
            language = po.parent.parent.name
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            mo = self._out / language / po.with_suffix(".mo").name
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as handle:
                write_mo(handle, catalog)
            inside = po.relative_to(root / "src").with_suffix(".mo").as_posix()
            build_data["force_include"][str(mo)] = inside

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary .mo files."""
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
