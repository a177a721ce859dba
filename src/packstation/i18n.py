"""The station's language: gettext catalogs (English source; nb, sv, da), and local formats.

Every text a packer or supervisor reads goes through `_()` (or `ngettext` for counts) where it
is shown. Texts defined at class or module level (key bar descriptions, constants) are marked
with `N_()`, which returns them unchanged, and translated with `_()` where they are drawn, so a
language switch shows at the next redraw. No Textual here: packing/ and station/ use it too.

Catalogs: `locale/<lang>/LC_MESSAGES/packstation.mo`, compiled into the wheel by the build hook
(hatch_build.py); a source checkout has only the `.po`, which is read with Babel instead.

Babel is imported in the functions that read a `.po` or format a date, not at the top: the CLI
imports this module for every command (its help is translated), and `--version` or an English
`--help` would load babel.dates (20-70 ms, `python -X importtime`) for nothing.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Annotations only: Babel is imported where it is used (see the module docstring).
    from babel import Locale

# Babel is imported where it is used (reading a .po, formatting a date), not here: the CLI
# imports this module for `--version` and `--help`, which must stay cheap (issue 16 item 7);
# babel.dates alone took 20-70 ms to import on this machine (`python -X importtime`).

DOMAIN = "packstation"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "nb", "sv", "da")
"""The languages the station speaks: English (the source) first."""

LANGUAGE_NAMES = {"en": "English", "nb": "Norsk (bokmål)", "sv": "Svenska", "da": "Dansk"}
"""Each language in its own words (the palette lists them so; never translated)."""

_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "swe": "sv", "dan": "da", "eng": "en"}
"""Locale codes that mean one of the four: Norwegian without a variant is read as Bokmål."""

_FORMAT_LOCALES = {"en": "en_GB", "nb": "nb_NO", "sv": "sv_SE", "da": "da_DK"}
"""The Babel locale of each language's dates and numbers (en_GB: a 24-hour clock)."""


class LanguageError(ValueError):
    """A language the station does not speak."""


def normalize_language(value: str) -> str:
    """One of LANGUAGES for a code such as `nb`, `nb_NO.UTF-8`, `sv-SE` or `no`.

    Raises LanguageError for anything else (an empty value included)."""
    code = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    code = _ALIASES.get(code, code)
    if code not in LANGUAGES:
        raise LanguageError(f"{value!r} is not one of {', '.join(LANGUAGES)}")
    return code


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The system locale's language when it is one of the four, else English.

    Read the way gettext reads it: LANGUAGE (a colon-separated list), LC_ALL, LC_MESSAGES,
    LANG; the first one set decides."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if not value:
            continue
        for candidate in value.split(":"):
            try:
                return normalize_language(candidate)
            except LanguageError:
                continue
        return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def resolve_language(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """The language a `language` setting means: empty = the system's (else English)."""
    return normalize_language(setting) if setting.strip() else system_language(environ)


def catalog_paths(language: str) -> tuple[Path, Path]:
    """The compiled (.mo) and source (.po) catalog of a language."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> gettext.NullTranslations:
    """The language's catalog: the compiled .mo, else the .po read with Babel, else none."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    mo, po = catalog_paths(language)
    # A .mo older than its .po (compiled by hand, then the .po changed) would show stale text.
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.is_file():
        from babel.messages.mofile import write_mo  # deferred: see the module docstring
        from babel.messages.pofile import read_po

        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # fuzzy entries are left out, as pybabel compile does
        compiled.seek(0)
        return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


_current = SOURCE_LANGUAGE


def set_language(language: str) -> str:
    """Speak this language from now on (every later `_()` call); returns its code."""
    global _current
    code = normalize_language(language)
    _translations(code)  # load now: a broken catalog fails here, not in the middle of a redraw
    _current = code
    return code


def current_language() -> str:
    """The language the station speaks now."""
    return _current


def _(message: str) -> str:
    """The message in the current language (the English source when it has no translation)."""
    return _translations(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message (as the current language counts) for `count`."""
    return _translations(_current).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """The message in a context, for one English word that two languages say differently."""
    return _translations(_current).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a text for translation without translating it now: `_()` it where it is shown."""
    return message


# --- local formats ------------------------------------------------------------------------------


def _locale() -> Locale:
    from babel import Locale  # deferred: see the module docstring

    return Locale.parse(_FORMAT_LOCALES[_current])


def decimal_symbol() -> str:
    """The decimal separator of the current language: `,` in nb, sv and da."""
    return "." if _current == SOURCE_LANGUAGE else ","


def number(value: Decimal | int | float) -> str:
    """A weight, dimension or quantity as the packer writes it: no trailing zeros, no grouping,
    the language's decimal separator (`2,35` in nb/sv/da, `2.35` in English)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{exact.normalize():f}"
    return text.replace(".", decimal_symbol())


MAX_NUMBER_CHARS = 12
"""A typed weight or dimension longer than this is refused before it is parsed."""

_NUMBER = re.compile(r"-?[0-9]{1,7}(?:[.,][0-9]{1,3})?")
"""Digits with at most one decimal point (or comma) and three decimals: no exponents, so
`1e1000000` never becomes a million-digit number (that froze the screen for 35 s)."""


def parse_number(text: str) -> Decimal:
    """A number the packer typed: `2,35` and `2.35` both mean 2.35, in every language.

    Raises ValueError with the reason, in the current language."""
    cleaned = text.strip()
    if len(cleaned) > MAX_NUMBER_CHARS:
        raise ValueError(_("too long: at most {count} characters").format(count=MAX_NUMBER_CHARS))
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(
            _("{typed} is not a number like {example}").format(
                typed=repr(text), example=number(Decimal("1.25"))
            )
        )
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation as err:  # unreachable after the pattern; kept as a ValueError
        raise ValueError(str(err)) from err


def date_text(value: date) -> str:
    """A date in the local short form (05.12.2026 in nb and da, 2026-12-05 in sv).

    English keeps the form the station has always printed, 2026-12-05 (en_GB's 05/12/2026
    reads as the 12th of May to many)."""
    if _current == SOURCE_LANGUAGE:
        return value.strftime("%Y-%m-%d")
    from babel.dates import format_date  # deferred: see the module docstring

    return str(format_date(value, format="short", locale=_locale()))


def time_text(value: datetime | time, *, seconds: bool = False) -> str:
    """A time of day in the local form, 24-hour (07:46 or 07:46:08; 07.46 in Danish)."""
    if _current == SOURCE_LANGUAGE:  # en_GB's form, without loading Babel for it
        return value.strftime("%H:%M:%S" if seconds else "%H:%M")
    from babel.dates import format_time  # deferred: see the module docstring

    return str(format_time(value, format="medium" if seconds else "short", locale=_locale()))


def datetime_text(value: datetime, *, seconds: bool = False) -> str:
    """A date and time in the local short form (05.12.2026, 07:46 in nb; 2026-12-05 07:46 in
    English and sv)."""
    day, clock = date_text(value), time_text(value, seconds=seconds)
    if _current == SOURCE_LANGUAGE:
        return f"{day} {clock}"
    # The locale's own pattern for putting the two together ("{1}, {0}" in nb).
    return str(_locale().datetime_formats["short"]).format(clock, day)
