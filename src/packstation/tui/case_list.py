"""The supervisor desk's list of cases: which cases it lists, and how a row and the count read.

Plain text from the case records (no Textual): the desk puts each cell into `Text` as text.
"""

from __future__ import annotations

from collections.abc import Mapping

from packstation.i18n import N_, _, ngettext
from packstation.station.supervisor_cases import SupervisorCase
from packstation.tui.case_text import error_text, when

COLUMNS = (
    (N_("Order"), 12),
    (N_("Problem"), 24),
    (N_("Packer"), 8),
    (N_("When"), 11),
    (N_("Shipment"), 8),
    (N_("Source"), 14),
)
"""The cases table's columns (keyed by the English title, shown translated) and widths."""


def with_closed(
    fresh: Mapping[str, SupervisorCase],
    listed: Mapping[str, SupervisorCase],
    closed: Mapping[str, str],
) -> dict[str, SupervisorCase]:
    """The fresh cases, with those closed here kept where they were listed."""
    order = list(fresh)
    for index, key in enumerate(listed):
        if key in closed and key not in fresh:
            order.insert(min(index, len(order)), key)
    return {key: fresh.get(key) or listed[key] for key in order}


def case_cells(case: SupervisorCase, closed_here: bool) -> tuple[str, ...]:
    """A case's row: order, what went wrong (or who settled or closed it), packer, when,
    shipment, where the case was found."""
    failing = next((s for s in case.steps or [] if str(s.status).lower() == "error"), None)
    what = f"{failing.name}: {failing.reason}" if failing else error_text(case.error or "")
    if case.review is not None:
        # Settled on some desk (the warehouse database shows it to every desk a while).
        what = _("SETTLED by {supervisor}: {what}").format(
            supervisor=case.review.supervisor, what=what
        )
    elif closed_here:
        what = "✔ " + _("closed: {what}").format(what=what)
    return (
        case.order_id,
        what[:60],
        case.packer or "",
        when(case.packed_at)[5:16],
        case.shipment_id or "",
        case.sources,
    )


def count_text(cases: Mapping[str, SupervisorCase], closed: Mapping[str, str]) -> str:
    """How many listed cases are still open, and how many were closed at this desk."""
    still_open = sum(1 for c in cases.values() if c.review is None and c.key not in closed)
    count = ngettext("{count} open case", "{count} open cases", still_open).format(count=still_open)
    if closed:
        count += ngettext(", {count} closed here", ", {count} closed here", len(closed)).format(
            count=len(closed)
        )
    return count


def unread_note(where: str, problem: str) -> str:
    """The banner's warning when the cases were not all read: which list is shown, and why."""
    said = f"{where}{problem}".strip()
    # "(Omnium not read: …)" alone loses its brackets; "at this station (…)" keeps both.
    if said.startswith("(") and said.endswith(")"):
        said = said[1:-1]
    return said
