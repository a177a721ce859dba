"""The language module: choosing a language, translating, local numbers and dates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from packstation import i18n
from packstation.config import SettingsError, load_settings
from packstation.i18n import (
    _,
    current_language,
    date_text,
    datetime_text,
    ngettext,
    normalize_language,
    number,
    parse_number,
    resolve_language,
    set_language,
    system_language,
    time_text,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("nb", "nb"),
        ("nb_NO.UTF-8", "nb"),
        ("no", "nb"),
        ("sv-SE", "sv"),
        ("da_DK", "da"),
        ("EN_GB", "en"),
        (" da ", "da"),
    ],
)
def test_language_codes_are_read(given: str, expected: str) -> None:
    assert normalize_language(given) == expected


@pytest.mark.parametrize("given", ["", "fr", "de_DE", "C", "POSIX"])
def test_other_languages_are_refused(given: str) -> None:
    with pytest.raises(i18n.LanguageError):
        normalize_language(given)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "da_DK.UTF-8", "LC_ALL": "nb_NO.UTF-8"}, "nb"),
        ({"LANGUAGE": "fr:da", "LANG": "sv_SE"}, "da"),
        ({"LANGUAGE": "", "LC_MESSAGES": "C", "LANG": "sv_SE"}, "en"),
    ],
)
def test_the_system_language_is_one_of_the_four_or_english(
    environ: dict[str, str], expected: str
) -> None:
    assert system_language(environ) == expected
    assert resolve_language("", environ) == expected
    assert resolve_language("da", environ) == "da"


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Undo"), ("nb", "Angre"), ("sv", "Ångra"), ("da", "Fortryd")],
)
def test_a_message_is_translated_in_the_language_set(language: str, text: str) -> None:
    assert set_language(language) == language
    assert current_language() == language
    assert _("Undo") == text


def test_plural_forms_follow_the_count() -> None:
    set_language("sv")
    one = "… and {count} more line ({units} units)"
    more = "… and {count} more lines ({units} units)"
    assert ngettext(one, more, 1).format(count=1, units=3) == "… och 1 rad till (3 enheter)"
    assert ngettext(one, more, 4).format(count=4, units=9) == "… och 4 rader till (9 enheter)"


def test_an_unknown_message_stays_english() -> None:
    set_language("nb")
    assert _("No such message in any catalog") == "No such message in any catalog"


def test_an_unknown_language_is_refused_and_the_current_one_kept() -> None:
    set_language("da")
    with pytest.raises(i18n.LanguageError):
        set_language("fr")
    assert current_language() == "da"


def _catalog_dir(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "nb" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="nb", fuzzy=False)
    catalog.add("Undo", text)
    with (folder / "packstation.po").open("wb") as handle:
        write_po(handle, catalog)
    return folder


def test_the_po_is_read_when_no_mo_was_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalog_dir(tmp_path, "Angre (po)")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        set_language("nb")
        assert _("Undo") == "Angre (po)"
    finally:
        i18n._translations.cache_clear()


def test_a_compiled_mo_is_used_unless_its_po_is_newer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    folder = _catalog_dir(tmp_path, "Angre (po)")
    compiled = Catalog(locale="nb", fuzzy=False)
    compiled.add("Undo", "Angre (mo)")
    with (folder / "packstation.mo").open("wb") as handle:
        write_mo(handle, compiled)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    try:
        i18n._translations.cache_clear()
        set_language("nb")
        assert _("Undo") == "Angre (mo)"
        po = folder / "packstation.po"
        later = (folder / "packstation.mo").stat().st_mtime + 10
        os.utime(po, (later, later))
        i18n._translations.cache_clear()
        assert _("Undo") == "Angre (po)"
    finally:
        i18n._translations.cache_clear()


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", Decimal("2.350"), "2.35"),
        ("nb", Decimal("2.350"), "2,35"),
        ("sv", Decimal("0.5"), "0,5"),
        ("da", Decimal("1E+1"), "10"),
        ("nb", 12, "12"),
        ("da", Decimal("1234.5"), "1234,5"),
    ],
)
def test_numbers_show_with_the_languages_decimal_sign(
    language: str, value: Decimal | int, shown: str
) -> None:
    set_language(language)
    assert number(value) == shown


@pytest.mark.parametrize("language", ["en", "nb", "sv", "da"])
@pytest.mark.parametrize(
    ("typed", "value"),
    [("2,35", "2.35"), ("2.35", "2.35"), (" 70 ", "70"), ("0,5", "0.5"), ("-1,250", "-1.25")],
)
def test_both_decimal_signs_are_read_in_every_language(
    language: str, typed: str, value: str
) -> None:
    set_language(language)
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "1,2,3", "1.2.3", "1e5", "2,3456", "1 000", "abc", "1,"])
def test_what_is_not_a_number_is_refused_with_a_translated_reason(typed: str) -> None:
    set_language("nb")
    with pytest.raises(ValueError, match="er ikke et tall som 1,25"):
        parse_number(typed)


def test_a_too_long_number_is_refused_before_parsing() -> None:
    set_language("sv")
    with pytest.raises(ValueError, match="för långt"):
        parse_number("1" * 13)


@pytest.mark.parametrize(
    ("language", "day", "clock", "both"),
    [
        ("en", "2026-12-05", "07:46", "2026-12-05 07:46"),
        ("nb", "05.12.2026", "07:46", "05.12.2026, 07:46"),
        ("sv", "2026-12-05", "07:46", "2026-12-05 07:46"),
        ("da", "05.12.2026", "07.46", "05.12.2026 07.46"),
    ],
)
def test_dates_and_times_are_in_the_local_form(
    language: str, day: str, clock: str, both: str
) -> None:
    set_language(language)
    moment = datetime(2026, 12, 5, 7, 46, 8)
    assert date_text(moment.date()) == day
    assert time_text(moment) == clock
    assert time_text(moment, seconds=True).startswith(clock)
    assert datetime_text(moment) == both
    assert datetime_text(moment, seconds=True) == both.replace(
        clock, time_text(moment, seconds=True)
    )


@pytest.mark.parametrize(("given", "stored"), [("sv_SE.UTF-8", "sv"), ("", ""), ("DA", "da")])
def test_the_language_setting_is_checked(given: str, stored: str) -> None:
    settings = load_settings(env={"PACKSTATION_LANGUAGE": given}, config_path=None)
    assert settings.language == stored


def test_a_language_the_station_does_not_speak_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="PACKSTATION_LANGUAGE: must be one of en, nb, sv, da"):
        load_settings(env={"PACKSTATION_LANGUAGE": "fr"})
