"""The workflow steps a submit runs in Omnium, in one line for the review and the workflow screen.

A one-scan submit (nothing to decide) skips the review, so the workflow screen shows the same
line from its first frame: the packer still sees what sending runs before the answer is in.
"""

from __future__ import annotations

from packstation.i18n import _
from packstation.packing.session import PackingSession
from packstation.packing.workflow_preview import preview_steps, scope_of
from packstation.tui.station import Station


def will_run_text(app: Station, session: PackingSession) -> str:
    """ "In Omnium: PackedAndReady will run: A, B" for the session's shipment ("" when the
    order types were not read)."""
    order_types = app.services.order_types
    if not order_types:
        return ""  # not read (the start-up reads them before any order opens)
    preview = preview_steps(
        order_types,
        session.order.order_type,
        session.target_status,
        scope_of(session.order, session.shipment, app.settings.warehouse),
    )
    return _("In Omnium: {steps}").format(steps=preview.text)
