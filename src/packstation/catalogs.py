"""The translation catalogs kept in step with the source: extract, update, check, compile.

`python -m packstation.catalogs update` extracts every marked message from src/packstation into
locale/messages.pot and merges it into the nb, sv and da catalogs (new messages empty, changed
ones fuzzy, gone ones dropped). `check` lists what is untranslated or breaks a placeholder (the
test suite runs the same check). `compile` writes the .mo files (the wheel's build hook does
that itself; a source checkout reads the .po). Written without dates or line numbers, sorted
by message: two helpers adding messages rarely touch the same lines of a catalog.
"""

from __future__ import annotations

import argparse
import io
import re
import string
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from packstation.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, catalog_paths

SOURCE_DIR = Path(__file__).parent
"""The package's source: a checkout's src/packstation when run from one (an installed wheel
holds only the compiled catalogs; the tests pass the checkout's folders explicitly)."""
TEMPLATE_NAME = "messages.pot"
TRANSLATED = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
COMMENT_TAGS = ("TRANSLATORS:",)
"""A comment starting so, on the line before a message, reaches the translators."""

FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
"""The date written into every header: a real date would change on every update (conflicts)."""

EXCLUDED = ("sandbox",)
"""Packages whose texts no packer reads (the sandbox answers as Omnium does, in English)."""


def _skip_dir(path: str) -> bool:
    name = Path(path).name
    return not (name.startswith((".", "_")) or name in EXCLUDED or name == "locale")


def extract(source: Path = SOURCE_DIR) -> Catalog:
    """Every message marked in the source (`_`, `ngettext`, `pgettext`, `N_`...)."""
    template = Catalog(
        domain=DOMAIN,
        project="packstation",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        charset="utf-8",
        fuzzy=False,
    )
    found = extract_from_dir(
        source,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=_skip_dir,
    )
    for filename, lineno, message, comments, context in found:
        template.add(
            message,
            None,
            [(f"src/packstation/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def _write(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_output=True,
        ignore_obsolete=True,
        include_lineno=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """A language's catalog (.po) under a locale folder."""
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """A language's .po as it is in the tree."""
    with po_path(language, locale_dir).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def update(source: Path = SOURCE_DIR) -> None:
    """Extract into messages.pot and merge it into each language's .po (created if missing)."""
    locale_dir = source / "locale"
    template = extract(source)
    _write(locale_dir / TEMPLATE_NAME, template)
    for language in TRANSLATED:
        po = po_path(language, locale_dir)
        if po.exists():
            catalog = read_catalog(language, locale_dir)
        else:
            catalog = Catalog(
                locale=language,
                domain=DOMAIN,
                project="packstation",
                creation_date=FIXED_DATE,
                revision_date=FIXED_DATE,
                fuzzy=False,
            )
        catalog.update(template, update_creation_date=False)
        catalog.revision_date = FIXED_DATE
        _write(po, catalog)


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> list[str]:
    """The placeholders of a text, sorted: `{name}` fields and %-style conversions."""
    found: list[str] = []
    try:
        for _literal, field, spec, conversion in string.Formatter().parse(text):
            if field is not None:
                found.append("{" + field + ("!" + conversion if conversion else "") + "}")
                if spec:
                    found.append(":" + spec)
    except ValueError:
        found.append("<unbalanced braces>")
    found.extend(m for m in _PERCENT.findall(text) if m != "%%")
    return sorted(found)


@dataclass(frozen=True)
class Problem:
    """A message of a catalog that is not ready to be shown."""

    language: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.msgid!r}: {self.what}"


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (str(message.id),)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, (list, tuple)):
        return tuple(str(s or "") for s in message.string)
    return (str(message.string or ""),)


def problems(
    template: Catalog, catalogs: dict[str, Catalog], languages: Iterable[str] = TRANSLATED
) -> list[Problem]:
    """Each message of the template that a catalog lacks, leaves empty or fuzzy, or whose
    translation drops, adds or changes a placeholder."""
    found: list[Problem] = []
    for language in languages:
        catalog = catalogs[language]
        for message in template:
            if not message.id:
                continue
            ids = _ids(message)
            translated = catalog.get(ids[0], context=message.context)
            label = ids[0]
            if translated is None:
                found.append(Problem(language, label, "missing (run the update command)"))
                continue
            if translated.fuzzy:
                found.append(Problem(language, label, "fuzzy: check it, then drop the flag"))
                continue
            strings = _strings(translated)
            if not all(strings):
                found.append(Problem(language, label, "not translated"))
                continue
            # nb, sv and da count as English does (form 0 is for one): form 0 keeps the
            # singular's placeholders, every other form the plural's.
            for index, form in enumerate(strings):
                expected = placeholders(ids[min(index, len(ids) - 1)])
                if placeholders(form) != expected:
                    found.append(
                        Problem(
                            language,
                            label,
                            f"placeholders {placeholders(form)} in {form!r}, "
                            f"the source has {expected}",
                        )
                    )
                    break
    return found


def check(source: Path = SOURCE_DIR) -> list[Problem]:
    """The problems of the catalogs in the tree against the source as it is now."""
    template = extract(source)
    found = {language: read_catalog(language, source / "locale") for language in TRANSLATED}
    return problems(template, found)


def compile_catalogs(out_dir: Path | None = None) -> list[Path]:
    """Write each language's .mo (next to its .po, or under out_dir/<lang>/LC_MESSAGES)."""
    written = []
    for language in TRANSLATED:
        catalog = read_catalog(language)
        if out_dir is None:
            target = catalog_paths(language)[0]
        else:
            target = out_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m packstation.catalogs update|check|compile`."""
    parser = argparse.ArgumentParser(prog="python -m packstation.catalogs")
    parser.add_argument("command", choices=("update", "check", "compile"))
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
        print(f"updated {LOCALE_DIR / TEMPLATE_NAME} and the {', '.join(TRANSLATED)} catalogs")
    if args.command in ("update", "check"):
        found = check()
        for problem in found:
            print(problem)
        if args.command == "check":
            return 1 if found else 0
        print(f"{len(found)} message(s) still to translate" if found else "all translated")
    if args.command == "compile":
        for path in compile_catalogs():
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
