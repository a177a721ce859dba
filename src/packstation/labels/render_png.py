"""Raster output (PNG, and PDF through Pillow) of laid-out pages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import barcode  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont

from packstation.labels.layout import Bars, Page, Rule, Text

DEFAULT_DPI = 203
"""Thermal label printers print at 203 dpi; a 0.5 mm module is then exactly 4 dots."""

_FONT_PATH = Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf"

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=64)
def _font(size_px: int) -> FontType:
    try:
        return ImageFont.truetype(str(_FONT_PATH), size_px)
    except OSError:
        return ImageFont.load_default(size_px)


def _px(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def _module_px(bars: Bars, dpi: int) -> int:
    """Whole pixels per module (every bar and space exact), at most 15 % wider than laid out."""
    exact = bars.module * dpi / 25.4
    module = max(1, round(exact))
    if module > 1 and module > exact * 1.15:
        module -= 1
    return module


def render_page_image(page: Page, dpi: int = DEFAULT_DPI) -> Image.Image:
    """Draw one page as a 1-bit-looking greyscale image at `dpi`."""
    image = Image.new("L", (_px(page.width, dpi), _px(page.height, dpi)), 255)
    draw = ImageDraw.Draw(image)
    for item in page.items:
        if isinstance(item, Text):
            font = _font(max(6, _px(item.size, dpi)))
            draw.text(
                (_px(item.x, dpi), _px(item.y, dpi)),
                item.text,
                fill=0,
                font=font,
                anchor="ls",
                stroke_width=1 if item.bold else 0,
                stroke_fill=0,
            )
        elif isinstance(item, Rule):
            x0, y0 = _px(item.x, dpi), _px(item.y, dpi)
            x1 = x0 + max(1, _px(item.width, dpi)) - 1
            y1 = y0 + max(1, _px(item.height, dpi)) - 1
            draw.rectangle((x0, y0, x1, y1), fill=0)
        elif isinstance(item, Bars):
            module = _module_px(item, dpi)
            # Centre the snapped bars on the box the layout gave them.
            intended = item.width * dpi / 25.4
            x0 = round(item.x * dpi / 25.4 + (intended - module * item.symbol.width_modules) / 2)
            y0 = _px(item.y, dpi)
            y1 = y0 + _px(item.height, dpi) - 1
            for start, run in item.symbol.runs():
                left = x0 + start * module
                draw.rectangle((left, y0, left + run * module - 1, y1), fill=0)
    return image


def render_png(pages: Sequence[Page], dpi: int = DEFAULT_DPI) -> bytes:
    """One PNG; several pages are stacked top to bottom."""
    images = [render_page_image(page, dpi) for page in pages]
    if not images:
        raise ValueError("nothing to render")
    if len(images) == 1:
        sheet = images[0]
    else:
        sheet = Image.new("L", (max(i.width for i in images), sum(i.height for i in images)), 255)
        top = 0
        for img in images:
            sheet.paste(img, (0, top))
            top += img.height
    out = io.BytesIO()
    sheet.save(out, "PNG", dpi=(dpi, dpi), optimize=False)
    return out.getvalue()


def render_pdf(pages: Sequence[Page], dpi: int = DEFAULT_DPI) -> bytes:
    """A PDF with one page per Page, each at its true size."""
    images = [render_page_image(page, dpi) for page in pages]
    if not images:
        raise ValueError("nothing to render")
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out.getvalue()
