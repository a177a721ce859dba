"""A shift's figures per packer and hour (`packstation stats`, the desk's F8) from the store."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from station_helpers import delivery_patch, small_order, split_patch

from packstation.cli import main
from packstation.i18n import set_language
from packstation.omnium.workflow import ActionResult, WorkflowExecutionResult
from packstation.shifts import current_shift, latest_shift, parse_hours, shift_on
from packstation.station.cli import stats_window
from packstation.station.history import format_table, history_rows
from packstation.station.refusals import record_refusals
from packstation.station.shift_stats import format_stats, shift_stats, stats_cells
from packstation.station.store import StationStore

# Two days ago: within the store's retention (the command cleans up older rows), not today.
DAY = (datetime.now(UTC) - timedelta(days=2)).date()
NEXT = DAY + timedelta(days=1)


def _at(hour: int, minute: int, day: date = DAY) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).isoformat(
        timespec="microseconds"
    )


def _submit(
    store: StationStore, order_id: str, packer: str, at: str, *patches_and_state: object
) -> int:
    patches = [p for p in patches_and_state if not isinstance(p, str)]
    state = next((p for p in patches_and_state if isinstance(p, str)), "done")
    submit_id = store.outbox.enqueue(
        order_id,
        patches,
        packer=packer,
        source_shipment_id="1",  # type: ignore[arg-type]
    )
    with store.writing() as conn:
        conn.execute(
            "UPDATE submits SET created_at = ?, state = ? WHERE id = ?", (at, state, submit_id)
        )
    return submit_id


def _aborted(store: StationStore, order_id: str, submit_id: int) -> None:
    result = WorkflowExecutionResult(
        is_aborted=True,
        order_action_execution_results=[
            ActionResult(action_type="PrintShippingLabel", action_status="Error")
        ],
    )
    store.results.record(
        "submit", order_id, shipment_id="1", user_id="anna", result=result, submit_id=submit_id
    )


def _refused(store: StationStore, packer: str | None, at: str, count: int = 1) -> None:
    with store.reading() as conn:
        before = conn.execute("SELECT coalesce(max(id), 0) FROM refused_scans").fetchone()[0]
    record_refusals(store.connection, None, packer, [("not_on_order", "Item X")] * count)
    with store.writing() as conn:
        conn.execute("UPDATE refused_scans SET recorded_at = ? WHERE id > ?", (at, before))


def _abandoned(store: StationStore, order_id: str, packer: str, at: str) -> None:
    sid = store.journal.start(small_order(order_id), "1", packer)
    store.journal.discard(sid)
    with store.writing() as conn:
        conn.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (at, sid))


@pytest.fixture
def shift_store(store: StationStore) -> StationStore:
    """Two packers' morning: anna from 08:10, bjorn from 09:30; and things outside the shift."""
    _submit(store, "ORD-1", "anna", _at(8, 10), delivery_patch("anna"))
    two = delivery_patch("anna", delivered=(("1", 2), ("2", 1)))
    info = two.shipment_info
    assert info is not None and info.packages
    info.packages.append(info.packages[0].model_copy(update={"id": "370123450100000029"}))
    aborted = _submit(store, "ORD-2", "anna", _at(8, 40), two)
    _aborted(store, "ORD-2", aborted)
    _submit(
        store,
        "ORD-3",
        "anna",
        _at(9, 5),
        delivery_patch("anna", sscc="370123450100000036"),
        "failed",
    )
    _submit(
        store,
        "ORD-4",
        "bjorn",
        _at(9, 30),
        split_patch("bjorn"),
        delivery_patch("bjorn", shipment_id="3", sscc="370123450100000043", delivered=(("1", 3),)),
    )
    _refused(store, "anna", _at(8, 15), 2)
    _refused(store, "bjorn", _at(9, 31))
    _refused(store, None, _at(9, 45))
    _abandoned(store, "ORD-5", "anna", _at(9, 50))
    # Outside the shift: the day before, and after it ends.
    _submit(store, "ORD-6", "anna", _at(7, 59), delivery_patch("anna", sscc="370123450100000050"))
    _submit(store, "ORD-7", "anna", _at(10, 0), delivery_patch("anna", sscc="370123450100000067"))
    _refused(store, "anna", _at(9, 0, DAY - timedelta(days=1)))
    return store


def test_figures_per_packer_and_hour(shift_store: StationStore) -> None:
    window = shift_on(DAY, "08:00-10:00", UTC)
    stats = shift_stats(shift_store, window)
    cells = stats_cells(stats)
    header = ("Packer", "Hour", "Orders", "Units", "Packages", "Refused", "Aborted", "Abandoned")
    assert [dict(zip(header, c, strict=True)) for c in cells] == [
        {"Packer": "-", "Hour": "09:00-10:00", "Orders": "0", "Units": "0", "Packages": "0",
         "Refused": "1", "Aborted": "0", "Abandoned": "0"},
        {"Packer": "-", "Hour": "whole shift", "Orders": "0", "Units": "0", "Packages": "0",
         "Refused": "1", "Aborted": "0", "Abandoned": "0"},
        # 08:00: ORD-1 (5 units, 1 package) and ORD-2 (3 units, 2 packages, aborted).
        {"Packer": "anna", "Hour": "08:00-09:00", "Orders": "2", "Units": "8", "Packages": "3",
         "Refused": "2", "Aborted": "1", "Abandoned": "0"},
        # 09:00: ORD-3 failed (a supervisor case too), ORD-5 abandoned.
        {"Packer": "anna", "Hour": "09:00-10:00", "Orders": "1", "Units": "5", "Packages": "1",
         "Refused": "0", "Aborted": "1", "Abandoned": "1"},
        {"Packer": "anna", "Hour": "whole shift", "Orders": "3", "Units": "13", "Packages": "4",
         "Refused": "2", "Aborted": "2", "Abandoned": "1"},
        # The split request's units are not counted as packed: only the 3 delivered.
        {"Packer": "bjorn", "Hour": "09:00-10:00", "Orders": "1", "Units": "3", "Packages": "1",
         "Refused": "1", "Aborted": "0", "Abandoned": "0"},
        {"Packer": "bjorn", "Hour": "whole shift", "Orders": "1", "Units": "3", "Packages": "1",
         "Refused": "1", "Aborted": "0", "Abandoned": "0"},
        {"Packer": "all packers", "Hour": "whole shift", "Orders": "4", "Units": "16",
         "Packages": "5", "Refused": "4", "Aborted": "2", "Abandoned": "1"},
    ]  # fmt: skip
    text = format_stats(stats)
    assert text.splitlines()[0] == (
        f"Shift {DAY} 08:00-10:00: {DAY} 08:00 to {DAY} 10:00 (local time)"
    )
    assert text.splitlines()[1].split() == list(header)


def test_an_empty_shift_says_so(shift_store: StationStore) -> None:
    stats = shift_stats(shift_store, shift_on(NEXT, None, UTC))
    assert stats.rows == [] and "Nothing packed, refused or abandoned" in format_stats(stats)


def test_shift_windows() -> None:
    fixed = date(2026, 12, 4)
    assert parse_hours("22:00-06:00")[0].hour == 22
    for bad in ("6-14", "06:00", "25:00-06:00", ""):
        with pytest.raises(ValueError, match="HH:MM-HH:MM"):
            parse_hours(bad)
    night = shift_on(fixed, "22:00-06:00", UTC)
    assert (night.start, night.end) == (
        datetime(2026, 12, 4, 22, tzinfo=UTC),
        datetime(2026, 12, 5, 6, tzinfo=UTC),
    )
    shifts = ["06:00-14:00", "14:00-22:00", "22:00-06:00"]
    at_two = datetime(2026, 12, 5, 2, tzinfo=UTC)
    assert current_shift(at_two, shifts) == night  # the night shift that began yesterday
    assert current_shift(datetime(2026, 12, 4, 14, tzinfo=UTC), shifts).name.endswith("14:00-22:00")
    whole = current_shift(at_two, [])
    assert (whole.start, whole.end) == (
        datetime(2026, 12, 5, tzinfo=UTC),
        datetime(2026, 12, 6, tzinfo=UTC),
    )
    assert latest_shift(at_two, "22:00-06:00") == night
    assert latest_shift(at_two, "01:00-03:00").start == datetime(2026, 12, 5, 1, tzinfo=UTC)
    # The command's options: a day alone is that whole day; a day with hours, that shift.
    assert stats_window(at_two, fixed, None, shifts).name == "2026-12-04 (whole day)"
    assert stats_window(at_two, fixed, "06:00-14:00", []).start == datetime(
        2026, 12, 4, 6, tzinfo=UTC
    )
    assert stats_window(at_two, None, None, shifts) == night


def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("PACKSTATION_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time is UTC (the command's shifts are in local time)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("utc_local_time")
def test_stats_command(
    shift_store: StationStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _clean_env(monkeypatch)
    config = tmp_path / "empty.toml"
    config.write_text("")
    data_dir = str(shift_store.path.parent)
    base = ["--config", str(config), "--data-dir", data_dir, "stats"]
    assert main([*base, "--date", str(DAY), "--shift", "08:00-10:00"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"Shift {DAY} 08:00-10:00")
    assert lines[-1].split() == ["all", "packers", "whole", "shift", "4", "16", "5", "4", "2", "1"]
    # The whole day takes in what was sent after the shift (ORD-7 at 10:00) and before it.
    assert main([*base, "--date", str(DAY)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split()[4:6] == ["6", "26"]
    # Without options: today, where nothing was packed.
    assert main(base) == 0
    assert "Nothing packed" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([*base, "--shift", "8-10"])
    assert "use HH:MM-HH:MM" in capsys.readouterr().err
    assert main(["--config", str(config), "--data-dir", str(tmp_path / "none"), "stats"]) == 0
    assert "No packing history yet" in capsys.readouterr().out


def test_figures_and_history_in_the_packers_language(shift_store: StationStore) -> None:
    # Danish writes the time with a dot (08.00), Norwegian a date with dots; the packers'
    # badges stay as they are.
    set_language("da")
    window = shift_on(DAY, "08:00-10:00", UTC)
    stats = shift_stats(shift_store, window)
    cells = stats_cells(stats)
    assert cells[2][:2] == ("anna", "08.00-09.00")
    assert cells[-1][:2] == ("alle pakkere", "hele vagten")
    lines = format_stats(stats).splitlines()
    assert lines[0].startswith("Vagt ") and lines[0].endswith("(lokal tid)")
    assert lines[1].split() == [
        "Pakker", "Time", "Ordrer", "Enheder", "Kolli", "Afvist", "Afbrudt", "Opgivet"
    ]  # fmt: skip
    set_language("nb")
    rows = [r for r in history_rows(shift_store, since=window.start) if r.when < window.end]
    assert [(r.order_id, r.what, r.result) for r in rows[:3]] == [
        ("ORD-1", "pakket 1 kolli", "ferdig"),
        ("ORD-2", "pakket 2 kolli", "AVBRUTT"),
        ("ORD-3", "pakket 1 kolli", "FEILET: None"),
    ]
    table = format_table(rows).splitlines()
    assert table[0].split() == ["Når", "Ordre", "Forsendelse", "Hvem", "Hva", "Resultat"]
    day = DAY.strftime("%d.%m.%Y")
    assert table[2].startswith(f"{day}, ") and "pakket 1 kolli" in table[2]
    set_language("en")
    assert format_table(rows).splitlines()[0].split() == [
        "When", "Order", "Shipment", "Who", "What", "Result"
    ]  # fmt: skip
