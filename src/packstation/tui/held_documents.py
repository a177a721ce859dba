"""What the station does not print for a parcel whose submit went wrong, in words.

A parcel whose workflow aborted (or whose booking failed after the answer, or whose submit
failed) must be set aside: a package label, carrier label, pickup slip or packing slip would
make it look ready to go. None of them prints after such an answer; the packer is told which
were held, and the supervisor desk prints them after a rerun that succeeds.
"""

from __future__ import annotations

from packstation.config import Settings
from packstation.i18n import _, ngettext
from packstation.packing.rules import PackingRules
from packstation.tui.tracker import SubmitTracker


def held_documents(settings: Settings, pickup: bool) -> list[str]:
    """The documents the settings would print after a successful submit, in print order."""
    held: list[str] = []
    if settings.print_labels:
        held.append(_("pickup slip") if pickup else _("package labels"))
    if settings.print_carrier_labels and not pickup:
        held.append(_("carrier label"))
    if settings.print_packing_slip:
        held.append(_("packing slip"))
    return held


def why_held(tracker: SubmitTracker) -> str:
    """Why the parcel is set aside, in a few words ("the workflow aborted")."""
    if tracker.aborted:
        return _("the workflow aborted")
    if tracker.failed_later:
        return _("a step failed after Omnium's answer")
    return _("the submit failed")


def held_message(settings: Settings, tracker: SubmitTracker) -> str:
    """ "Not printed: package labels, carrier label (…)", or "" when nothing would print."""
    order = tracker.latest_order
    pickup = order is not None and PackingRules.from_settings(settings).is_pickup(order.order_type)
    held = held_documents(settings, pickup)
    if not held:
        return ""
    return ngettext(
        "Not printed: {documents} — {why}, so the parcel is not labelled as ready. Set it "
        "aside; the supervisor desk prints it after a rerun that succeeds.",
        "Not printed: {documents} — {why}, so the parcel is not labelled as ready. Set it "
        "aside; the supervisor desk prints them after a rerun that succeeds.",
        len(held),
    ).format(documents=", ".join(held), why=why_held(tracker))
