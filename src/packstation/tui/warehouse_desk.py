"""The supervisor desk's side of the warehouse database (warehouse_db set): every station's
cases, and actions that first claim the case there, so two desks never both act on it.

psycopg and the desk module are imported where a desk uses them: a station without
warehouse_db never loads them (about 100 ms before the first screen otherwise).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from packstation.i18n import _
from packstation.station.supervisor_actions import mark_reviewed
from packstation.station.supervisor_cases import SupervisorCase, station_cases
from packstation.tui.case_text import when
from packstation.tui.station import Station

OFFLINE_READ_SECONDS = 1.0
"""How long a desk read waits for a database the publisher last found away: once it is back, a
connection takes milliseconds (the pool retries at once), so a longer wait only delays the
fallback list every few seconds."""


def is_warehouse_case(case: SupervisorCase) -> bool:
    """True when the case is a warehouse database row (its actions are claimed there)."""
    return bool(case.extra.get("warehouse_case"))


async def load_cases(station: Station) -> tuple[list[SupervisorCase], str, bool]:
    """The desk's own cases: every station's from the warehouse database when it answers, else
    this station's; a note saying which (empty when there is nothing to say); and False when
    the warehouse database was not reached."""
    warehouse = station.services.warehouse
    if warehouse is None:
        return await station.in_thread(station_cases, station.store), "", True

    def read() -> list[SupervisorCase]:
        from packstation.warehouse.desk import desk_cases  # deferred: see the docstring

        with warehouse.pool.connection(timeout=_timeout(station)) as conn:
            return desk_cases(conn)

    try:
        return await station.in_thread(read), " " + _("at every station"), True
    except Exception as err:  # unreachable or refused: the desk still shows this station's
        reason = " ".join(str(err).split()) or type(err).__name__
        ours, known = await station.in_thread(_offline, station)
        note = _("at this station (warehouse database not reached: {reason}; {known})")
        return ours, " " + note.format(reason=reason, known=known), False


def _offline(station: Station) -> tuple[list[SupervisorCase], str]:
    """This station's cases, those known settled on another desk marked so (see known_settled:
    what the database said at its last check), and as of when that is known."""
    from packstation.warehouse import known_settled  # deferred: see the docstring

    ours = station_cases(station.store)
    shown = known_settled.settled_offline(ours, known_settled.recall(station.store))
    checked = known_settled.checked_at(station.store)
    if checked is None:
        return shown, _("what other desks settled is not known")
    return shown, _("what other desks settled is known as of {time}").format(time=when(checked))


def _timeout(station: Station) -> float | None:
    """How long a desk read waits for the database: briefly while the publisher finds it away
    (the desk falls back to this station's cases), else the pool's own timeout."""
    warehouse = station.services.warehouse
    return OFFLINE_READ_SECONDS if warehouse and warehouse.publisher.last_error else None


async def claim(
    station: Station, case: SupervisorCase, supervisor: str, action: str, note: str | None = None
) -> SupervisorCase:
    """Record that this supervisor acts on the case now (it stays open); the case as claimed.
    Raises AlreadyActed when another desk acted on it first."""
    return await _act(station, case, supervisor, action, note, settle=False)


async def settle(
    station: Station, case: SupervisorCase, supervisor: str, action: str, note: str | None = None
) -> None:
    """Close the case for every desk. A case a later result already superseded stays so."""
    from packstation.warehouse.desk import AlreadyActed  # deferred: see the docstring

    try:
        await _act(station, case, supervisor, action, note, settle=True)
    except AlreadyActed as err:
        if err.state != "superseded":
            raise


async def review(station: Station, case: SupervisorCase, supervisor: str, note: str) -> None:
    """Mark reviewed: settled for every desk, then noted in this station's store (its audit;
    for this station's own case, the local case too)."""
    await _act(station, case, supervisor, "review", note, settle=True)
    warehouse = station.services.warehouse
    own = warehouse is not None and case.extra.get("station_uid") == warehouse.uid
    # This station's own case is reviewed under its local key, so its store agrees.
    target = replace(case, key=str(case.extra["case_key"])) if own else case
    await station.in_thread(mark_reviewed, station.store, target, supervisor, note)


async def _act(
    station: Station,
    case: SupervisorCase,
    supervisor: str,
    action: str,
    note: str | None,
    *,
    settle: bool,
) -> SupervisorCase:
    warehouse = station.services.warehouse
    if warehouse is None:
        raise RuntimeError("no warehouse database configured")

    def run() -> Any:
        from packstation.warehouse.desk import act  # deferred: see the docstring

        with warehouse.pool.connection() as conn:
            return act(
                conn,
                case,
                supervisor=supervisor,
                station_id=station.settings.station_id,
                action=action,
                note=note,
                settle=settle,
            )

    found: SupervisorCase = await station.in_thread(run)
    return found


async def unsettled(station: Station, cases: list[SupervisorCase]) -> list[SupervisorCase]:
    """Omnium's cases less those another desk settled (all of them when there is no warehouse
    database or it does not answer: this station's own reviews still apply)."""
    warehouse = station.services.warehouse
    if warehouse is None or not cases:
        return cases

    def read() -> set[str]:
        from packstation.warehouse import known_settled  # deferred: see the docstring
        from packstation.warehouse.desk import settled_keys  # deferred: see the docstring

        with warehouse.pool.connection(timeout=_timeout(station)) as conn:
            found = settled_keys(conn, [c.key for c in cases])
        # Kept here, so a desk that cannot reach the database still leaves them out.
        known_settled.remember(station.store, [known_settled.Settled(k, "settled") for k in found])
        return found

    def known() -> set[str]:
        from packstation.warehouse import known_settled  # deferred: see the docstring

        return set(known_settled.recall(station.store))

    try:
        settled = await station.in_thread(read)
    except Exception:  # the desk says the database is away when it lists the cases
        settled = await station.in_thread(known)
    return [c for c in cases if c.key not in settled]


async def share_review(station: Station, case: SupervisorCase, supervisor: str) -> None:
    """After this desk reviewed an Omnium case, tell the other desks (when it can)."""
    warehouse = station.services.warehouse
    if warehouse is None:
        return

    def run() -> None:
        from packstation.warehouse.desk import settle_keys  # deferred: see the docstring

        with warehouse.pool.connection() as conn:
            settle_keys(
                conn,
                list(case.keys),
                supervisor=supervisor,
                station_id=station.settings.station_id,
            )

    try:
        await station.in_thread(run)
    except Exception:  # offline: reviewed here; the other desks keep listing it
        return
