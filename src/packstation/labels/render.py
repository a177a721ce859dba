"""Render package labels to bytes in the configured format, and name their files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from packstation.labels.label import LabelData, LabelSize
from packstation.labels.label_layout import label_page
from packstation.labels.render_png import DEFAULT_DPI, render_png
from packstation.labels.render_svg import render_svg
from packstation.labels.render_zpl import render_zpl


class LabelFormat(StrEnum):
    """Label file formats (Settings.label_format); the value is the file extension."""

    ZPL = "zpl"
    PNG = "png"
    SVG = "svg"


def render_label(
    data: LabelData,
    fmt: LabelFormat | str = LabelFormat.ZPL,
    size: LabelSize | str = LabelSize.INCH_4X6,
    *,
    dpi: int = DEFAULT_DPI,
) -> bytes:
    """One package label as file content in `fmt` on `size` stock."""
    page = label_page(data, LabelSize(size))
    match LabelFormat(fmt):
        case LabelFormat.ZPL:
            return render_zpl(page).encode("utf-8")
        case LabelFormat.PNG:
            return render_png([page], dpi)
        case LabelFormat.SVG:
            return render_svg([page])


def render_labels_zpl(labels: Sequence[LabelData], size: LabelSize | str) -> bytes:
    """Several labels in one ZPL job (one `^XA...^XZ` block each)."""
    return "".join(render_zpl(label_page(d, LabelSize(size))) for d in labels).encode("utf-8")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def label_filename_prefix(order_id: str) -> str:
    """How every label file name of an order starts: `<order>-`."""
    return (_UNSAFE.sub("_", order_id).strip("_") or "order") + "-"


def label_filename(data: LabelData, fmt: LabelFormat | str) -> str:
    """A file name that says whose label it is: `<order>-<n>of<N>-<sscc>.<ext>`."""
    order = label_filename_prefix(data.order_id)
    return (
        f"{order}{data.package_number}of{data.package_count}-{data.sscc}.{LabelFormat(fmt).value}"
    )
