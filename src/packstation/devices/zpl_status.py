"""The answer of a Zebra (ZPL) printer to `~HS` (host status), read into words.

Three strings, each framed by STX (0x02) and ETX (0x03) and followed by CR LF:
1. `aaa,b,c,dddd,eee,f,g,h,iii,j,k,l`: b paper out, c paused, f buffer full, j RAM corrupt,
   k under temperature, l over temperature.
2. `mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www`: o head up (open), p ribbon out.
3. `xxxx,y`: password and static RAM.
"""

from __future__ import annotations

from dataclasses import dataclass

HOST_STATUS = b"~HS"
STX, ETX = 0x02, 0x03


@dataclass(frozen=True)
class PrinterStatus:
    """What a ZPL printer reports about itself."""

    paper_out: bool = False
    paused: bool = False
    head_open: bool = False
    ribbon_out: bool = False
    buffer_full: bool = False
    over_temperature: bool = False
    under_temperature: bool = False
    corrupt_ram: bool = False

    @property
    def problems(self) -> list[str]:
        """What stops the printer, in words, worst first."""
        found = [
            (self.paper_out, "out of paper"),
            (self.head_open, "head open"),
            (self.ribbon_out, "out of ribbon"),
            (self.paused, "paused"),
            (self.over_temperature, "too hot"),
            (self.under_temperature, "too cold"),
            (self.buffer_full, "buffer full"),
            (self.corrupt_ram, "memory corrupt"),
        ]
        return [words for flag, words in found if flag]

    @property
    def ready(self) -> bool:
        """True when nothing stops it printing."""
        return not self.problems

    def describe(self) -> str:
        """`Printer ready` or `Printer out of paper, paused`."""
        return "Printer " + (", ".join(self.problems) if self.problems else "ready")


def status_frames(data: bytes) -> list[str]:
    """The complete STX...ETX strings in `data` (garbage between them ignored)."""
    frames = []
    start = None
    for index, byte in enumerate(data):
        if byte == STX:
            start = index + 1
        elif byte == ETX and start is not None:
            frames.append(data[start:index].decode("ascii", "replace"))
            start = None
    return frames


def _flag(fields: list[str], index: int) -> bool:
    return len(fields) > index and fields[index].strip() == "1"


def parse_host_status(data: bytes) -> PrinterStatus | None:
    """The status in a `~HS` answer; None until the first two strings have arrived."""
    frames = status_frames(data)
    if len(frames) < 2:
        return None
    first = frames[0].split(",")
    second = frames[1].split(",")
    if len(first) < 12 or len(second) < 11:
        return None
    return PrinterStatus(
        paper_out=_flag(first, 1),
        paused=_flag(first, 2),
        buffer_full=_flag(first, 5),
        corrupt_ram=_flag(first, 9),
        under_temperature=_flag(first, 10),
        over_temperature=_flag(first, 11),
        head_open=_flag(second, 2),
        ribbon_out=_flag(second, 3),
    )


def host_status_answer(status: PrinterStatus) -> bytes:
    """The `~HS` answer a printer in `status` sends (the simulated printer speaks it)."""

    def bit(flag: bool) -> str:
        return "1" if flag else "0"

    first = (
        f"030,{bit(status.paper_out)},{bit(status.paused)},1218,000,{bit(status.buffer_full)},"
        f"0,0,000,{bit(status.corrupt_ram)},{bit(status.under_temperature)},"
        f"{bit(status.over_temperature)}"
    )
    second = f"001,0,{bit(status.head_open)},{bit(status.ribbon_out)},0,2,6,0,00000000,1,000"
    third = "1234,0"
    return b"".join(b"\x02" + s.encode() + b"\x03\r\n" for s in (first, second, third))
