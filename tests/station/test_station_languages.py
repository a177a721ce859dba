"""The station's submit texts in the packer's language; Omnium's own values pass unchanged."""

from __future__ import annotations

from packstation.i18n import _, set_language
from packstation.omnium.errors import Forbidden
from packstation.omnium.workflow import ActionResult, WorkflowExecutionResult
from packstation.station.errors import SubmitNotRecorded
from packstation.station.progress import WAIT_TEXT, WaitReason
from packstation.station.submit_outcome import done_text, refusal_text

ABORTED = WorkflowExecutionResult(
    is_aborted=True,
    order_action_execution_results=[
        ActionResult(
            action_type="BookShipment",
            action_status="Error",
            error_reason="carrier down",
            cancel_workflow=True,
        )
    ],
)


def test_an_aborted_submit_is_told_in_norwegian_with_omniums_step_and_reason_as_sent() -> None:
    set_language("nb")
    assert done_text([ABORTED]) == (
        "ferdig, men arbeidsflyten ble avbrutt ved BookShipment: carrier down "
        "(sendt til arbeidsleder)"
    )
    set_language("en")
    assert done_text([ABORTED]) == (
        "done, but workflow aborted at BookShipment: carrier down (sent to the supervisor)"
    )


def test_a_refusal_keeps_omniums_error_and_the_order_id() -> None:
    set_language("sv")
    text = refusal_text(Forbidden("no access to ORD-7", status_code=403), "ORD-7")
    assert text == (
        "Omnium vägrade: den här stationens API-användare får inte ändra order ORD-7 "
        "(HTTP 403: no access to ORD-7)"
    )


def test_a_submit_not_recorded_speaks_danish_and_keeps_its_codes() -> None:
    set_language("da")
    err = SubmitNotRecorded("ORD-7", "disk I/O error", full=True)
    assert err.full and err.order_id == "ORD-7" and err.reason == "disk I/O error"
    assert str(err).startswith("Ordre ORD-7 IKKE sendt: stationens disk er fuld (disk I/O error).")
    assert "CMD-SUBMIT" in str(err)


def test_every_wait_reason_is_marked_and_translated() -> None:
    set_language("nb")
    for reason in WaitReason:
        assert _(WAIT_TEXT[reason]) != WAIT_TEXT[reason], reason
