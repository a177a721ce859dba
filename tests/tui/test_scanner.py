"""The key buffer: what becomes a scan, what passes through to widgets."""

from __future__ import annotations

from packstation.tui.scanner import GS, KeyOutcome, ScanCapture, is_barcode_shaped


def feed_text(capture: ScanCapture, text: str, **kw: object) -> list[str]:
    scans = []
    for ch in text:
        if ch == "\r":
            outcome = capture.feed("enter", "\r", **kw)  # type: ignore[arg-type]
        elif ch == GS:
            outcome = capture.feed("ctrl+right_square_bracket", GS, **kw)  # type: ignore[arg-type]
        else:
            outcome = capture.feed(ch, ch, **kw)  # type: ignore[arg-type]
        if outcome is KeyOutcome.SCAN:
            assert capture.completed is not None
            scans.append(capture.completed.text)
    return scans


def test_two_back_to_back_scans_stay_two() -> None:
    capture = ScanCapture()
    assert feed_text(capture, "7012345000016\r7012345000023\r") == [
        "7012345000016",
        "7012345000023",
    ]


def test_gs_survives_inside_a_scan() -> None:
    capture = ScanCapture()
    assert feed_text(capture, f"0107012345000016{GS}3103000250\r") == [
        f"0107012345000016{GS}3103000250"
    ]


def test_enter_with_empty_buffer_passes_through() -> None:
    capture = ScanCapture()
    assert capture.feed("enter", "\r") is KeyOutcome.PASS


def test_function_keys_pass_and_keep_the_buffer() -> None:
    capture = ScanCapture()
    capture.feed("1", "1")
    assert capture.feed("f2", None) is KeyOutcome.PASS
    assert capture.text == "1"


def test_backspace_and_escape_edit_the_buffer() -> None:
    capture = ScanCapture()
    feed_text(capture, "12x")
    assert capture.feed("backspace", None) is KeyOutcome.CONSUMED
    assert capture.text == "12"
    assert capture.feed("escape", None) is KeyOutcome.CONSUMED
    assert capture.text == ""
    assert capture.feed("escape", None) is KeyOutcome.PASS


def test_lf_ends_a_scan_like_cr() -> None:
    capture = ScanCapture()
    for ch in "CMD-UNDO":
        capture.feed(ch, ch)
    assert capture.feed("ctrl+j", "\n") is KeyOutcome.SCAN
    assert capture.completed is not None and capture.completed.text == "CMD-UNDO"


def test_field_focused_typed_value_belongs_to_the_field() -> None:
    capture = ScanCapture()
    for ch in "1.25":
        assert capture.feed(ch, ch, field_focused=True) is KeyOutcome.PASS
    assert capture.feed("enter", "\r", field_focused=True) is KeyOutcome.PASS
    assert capture.text == ""


def test_field_focused_barcode_is_still_a_scan() -> None:
    capture = ScanCapture()
    assert feed_text(capture, "BOX-M\r", field_focused=True) == ["BOX-M"]


def test_scans_are_numbered_and_tagged() -> None:
    capture = ScanCapture()
    for text in ("A\r", "B\r"):
        for ch in text[:-1]:
            capture.feed(ch, ch, typed_under="order-1")
        capture.feed("enter", "\r", typed_under="order-1")
    assert capture.completed is not None
    assert capture.completed.seq == 2
    assert capture.completed.typed_under == "order-1"


def test_barcode_shapes() -> None:
    assert is_barcode_shaped("CMD-SUBMIT")
    assert is_barcode_shaped("USER-17")
    assert is_barcode_shaped("7012345000016")
    assert is_barcode_shaped(f"0107012345000016{GS}3103000250")
    assert is_barcode_shaped("(01)07012345000016(3103)000250")
    assert not is_barcode_shaped("1.25")
    assert not is_barcode_shaped("40")
    assert not is_barcode_shaped("hello")
