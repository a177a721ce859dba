"""The catalogs are complete: every message of the source translated in nb, sv and da, with the
same placeholders; texts are marked so extraction finds them; the glossary's words are used."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from packstation import catalogs
from packstation.i18n import LANGUAGES, _, set_language
from packstation.tui.widgets import BIG_WORDS, GLYPH_LETTERS

REPOSITORY = Path(__file__).resolve().parents[2]
SOURCE = REPOSITORY / "src" / "packstation"
"""The checkout's source and catalogs (.ci/run tests an installed wheel: it has no .po)."""
LOCALE = SOURCE / "locale"
GLOSSARY = REPOSITORY / "docs" / "glossary.md"
MARKERS = frozenset({"_", "ngettext", "pgettext", "N_"})


def test_every_message_is_translated_with_its_placeholders() -> None:
    found = catalogs.check(SOURCE)
    assert found == [], (
        "Run `python -m packstation.catalogs update`, translate what it lists in the three "
        "catalogs (docs/translating.md):\n" + "\n".join(map(str, found))
    )


def test_the_template_in_the_tree_is_up_to_date() -> None:
    template = _read(LOCALE / catalogs.TEMPLATE_NAME)
    in_tree = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    extracted = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalogs.extract(SOURCE) if m.id
    }
    assert in_tree == extracted, "run `python -m packstation.catalogs update`"


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return catalogs.read_po(handle)


# --- the check itself catches what it must ------------------------------------------------------


def _template(*messages: str | tuple[str, str]) -> Catalog:
    template = Catalog(locale=None, fuzzy=False)
    for message in messages:
        template.add(message)
    return template


def _translated(pairs: dict[str | tuple[str, str], str | tuple[str, ...]]) -> Catalog:
    catalog = Catalog(locale="nb", fuzzy=False)
    for msgid, string in pairs.items():
        catalog.add(msgid, string)
    return catalog


@pytest.mark.parametrize(
    ("msgid", "string", "reason"),
    [
        ("Order {order_id} sent", "Ordre sendt", "placeholders"),
        ("Order {order_id} sent", "Ordre {ordre_id} sendt", "placeholders"),
        ("Order {order_id} sent", "Ordre {order_id} {order_id} sendt", "placeholders"),
        ("%s units", "enheter", "placeholders"),
        ("%(count)d units", "%(antall)d enheter", "placeholders"),
        ("Weight {kg:.2f} kg", "Vekt {kg} kg", "placeholders"),
        ("Scan the items", "", "not translated"),
        (
            ("{count} package", "{count} packages"),
            ("{count} kolli", "kolli"),
            "placeholders",
        ),
        (("{count} package", "{count} packages"), ("{count} kolli", ""), "not translated"),
    ],
)
def test_a_broken_translation_is_caught(
    msgid: str | tuple[str, str], string: str | tuple[str, ...], reason: str
) -> None:
    found = catalogs.problems(_template(msgid), {"nb": _translated({msgid: string})}, ["nb"])
    assert len(found) == 1 and reason in found[0].what, found


def test_a_missing_or_fuzzy_message_is_caught() -> None:
    template = _template("Undo", "Review")
    catalog = _translated({"Undo": "Angre"})
    assert [p.what for p in catalogs.problems(template, {"nb": catalog}, ["nb"])] == [
        "missing (run the update command)"
    ]
    catalog.add("Review", "Kontroller", flags=["fuzzy"])
    assert "fuzzy" in catalogs.problems(template, {"nb": catalog}, ["nb"])[0].what


def test_a_good_translation_passes() -> None:
    template = _template("Order {order_id} sent", ("{count} package", "{count} packages"))
    catalog = _translated(
        {
            "Order {order_id} sent": "Ordre {order_id} er sendt",
            ("{count} package", "{count} packages"): ("{count} kolli", "{count} kolli"),
        }
    )
    assert catalogs.problems(template, {"nb": catalog}, ["nb"]) == []


def test_placeholders_are_read_from_both_styles() -> None:
    assert catalogs.placeholders("{a} and {b!r} at %s, %(n)d%% {c:>3}") == sorted(
        ["{a}", "{b!r}", "%s", "%(n)d", "{c}", ":>3"]
    )


# --- marked so that extraction finds it ---------------------------------------------------------


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SOURCE.rglob("*.py"))]


def _marker_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in MARKERS
    ]


def test_no_marked_text_is_built_where_extraction_cannot_read_it() -> None:
    """`_(f"...")`, `_("a" + b)` and `f"{_('x')}"` are invisible to extraction (or translate
    a text no catalog holds): the message must be a plain literal, formatted after `_()`."""
    bad = []
    for path, tree in _modules():
        where = path.relative_to(SOURCE.parent)
        for call in _marker_calls(tree):
            if any(isinstance(arg, (ast.JoinedStr, ast.BinOp)) for arg in call.args):
                bad.append(f"{where}:{call.lineno}: a built text given to {call.func.id}()")  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and _marker_calls(node):
                bad.append(f"{where}:{node.lineno}: _() inside an f-string (not extracted)")
    assert bad == []


def test_modules_that_translate_never_rebind_the_underscore() -> None:
    """`for _ in ...` or `a, _ = ...` in a module that imports `_` makes `_` a local in that
    function: its `_("...")` then fails (UnboundLocalError) or calls the wrong thing."""
    bad = []
    for path, tree in _modules():
        imports_it = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "packstation.i18n"
            and any(alias.name == "_" for alias in node.names)
            for node in ast.walk(tree)
        )
        if not imports_it:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                bad.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    assert bad == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_big_words_can_be_drawn(language: str) -> None:
    set_language(language)
    for word in BIG_WORDS.values():
        if word:
            assert set(_(word).upper()) <= GLYPH_LETTERS, (language, _(word))


# --- the glossary -------------------------------------------------------------------------------


def _glossary_stems() -> list[tuple[str, dict[str, str]]]:
    """The rows of the glossary's checked table: English word, and the stem each language's
    translation of a message with that word must contain."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split("## Checked words", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("en", "") or set(cells[0]) <= {"-", ":"}:
            continue
        rows.append((cells[0], dict(zip(("nb", "sv", "da"), cells[1:], strict=True))))
    return rows


def test_the_glossary_lists_checked_words() -> None:
    assert len(_glossary_stems()) >= 8


@pytest.mark.parametrize("language", ["nb", "sv", "da"])
def test_the_catalogs_use_the_glossarys_words(language: str) -> None:
    catalog = catalogs.read_catalog(language, LOCALE)
    off = []
    for english, stems in _glossary_stems():
        word = re.compile(rf"\b{re.escape(english)}s?\b", re.IGNORECASE)
        for message in catalog:
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            source = re.sub(r"\{[^}]*\}", "", ids[0])  # placeholders are no words
            if not message.id or not word.search(source) or "no-glossary" in message.user_comments:
                continue
            strings = [message.string] if isinstance(message.string, str) else message.string
            if not any(stems[language].lower() in (s or "").lower() for s in strings):
                off.append(f"{english} -> {stems[language]}: {ids[0]!r} = {strings!r}")
    assert off == []
