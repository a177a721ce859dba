"""A print the packer stopped waiting for (Escape) goes on in its thread: a later print to the
same printer waits its turn, at most its own timeout, instead of opening a second connection
whose labels would mix with the first job's; the stopped job sends nothing more; an IPP
printer's answer has one deadline as a whole."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from packstation.config import Settings
from packstation.devices.documents import DocumentKind
from packstation.devices.ipp import ipp_print
from packstation.devices.print_result import PrintResult
from packstation.devices.routing import STOPPED, print_document
from packstation.devices.simulators import SimulatedPrinter
from packstation.devices.spool import spooled_documents

JOB = b"^XA^FO50,50^A0N,40,40^FDHELLO^FS^XZ"


class HungPrinter:
    """A raw-TCP printer that takes connections and then no data (counts the connections)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        # A small receive buffer: a large job fills it, and the sender's write blocks.
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.connections: list[socket.socket] = []
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.server.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.connected.set()

    def close(self) -> None:
        self.server.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung() -> Iterator[HungPrinter]:
    printer = HungPrinter()
    yield printer
    printer.close()


def test_a_print_behind_a_hung_one_waits_its_turn_and_does_not_mix(
    tmp_path: Path, hung: HungPrinter
) -> None:
    settings = Settings(data_dir=tmp_path, printers={"sscc_label": hung.address})
    first: list[PrintResult] = []
    # The job the packer stopped waiting for: larger than any socket buffer, so it hangs.
    abandoned = threading.Thread(
        target=lambda: first.append(
            print_document(DocumentKind.SSCC_LABEL, "a.zpl", b"X" * (64 << 20), settings)
        )
    )
    abandoned.start()
    assert hung.connected.wait(30)
    later = print_document(DocumentKind.SSCC_LABEL, "b.zpl", JOB, settings, timeout=0.5)
    assert not later.printed
    assert later.error is not None and "still busy with an earlier print" in later.error
    assert "not printed on paper, saved in the spool folder as" in later.message
    assert len(hung.connections) == 1  # no second connection beside the hung one
    abandoned.join(60)
    # The hung job gave up on its own (its transport timeout); the printer is free again.
    assert first and not first[0].printed and "stopped taking data" in (first[0].error or "")
    names = sorted(d.name for d in spooled_documents(tmp_path / "spool"))
    assert names == ["a.zpl", "b.zpl"]


def test_a_stopped_print_sends_nothing_more(tmp_path: Path) -> None:
    printer = SimulatedPrinter()
    printer.start()
    try:
        settings = Settings(data_dir=tmp_path, printers={"sscc_label": printer.address})
        stop = threading.Event()
        sent = print_document(DocumentKind.SSCC_LABEL, "a.zpl", JOB, settings, stop=stop)
        stop.set()
        kept = print_document(DocumentKind.SSCC_LABEL, "b.zpl", JOB, settings, stop=stop)
        assert sent.printed and printer.wait_for_jobs(1) == [JOB]
        assert not kept.printed and kept.error == STOPPED
    finally:
        printer.stop()
    assert printer.jobs == [JOB]
    assert [d.name for d in spooled_documents(tmp_path / "spool")] == ["b.zpl"]


def test_an_ipp_printer_trickling_its_answer_is_given_up_on_at_the_deadline() -> None:
    # One byte at a time, each well within the per-read timeout: only a deadline for the
    # whole answer ends it (else the print, and the printer's turn, were held for ever).
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def trickle() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(10)
            received = b""
            while b"\r\n\r\n" not in received:
                received += conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n")
            conn.sendall(b"Content-Length: 200\r\n\r\n")
            for _ in range(200):
                if done.wait(0.05):
                    return
                try:
                    conn.sendall(b"\x00")
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        uri = f"ipp://127.0.0.1:{server.getsockname()[1]}/printers/slow"
        error = ipp_print(uri, b"%PDF-1.4", job_name="slip.pdf", timeout=0.5)
    finally:
        done.set()
        thread.join(15)
        server.close()
    assert error == f"IPP printer {uri} did not answer within 0.5 s"
