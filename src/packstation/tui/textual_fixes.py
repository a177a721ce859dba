"""Work-arounds for Textual bugs that cost the station memory over a shift (the app applies them).

Textual 8.2.8 (the newest) caches `StylesCache.get_inner_outer` with `functools.lru_cache` on
the instance method, so the cache key holds `self`: the last 1,024 StylesCache objects (one per
widget ever rendered) stay alive with every rendered line they cached, long after their widget
was removed. A station composes a pack, review and workflow screen per order, so memory grew
with each order until about 80 orders had filled the cache (+16 % after 150 orders vs order 10,
bench/shift_memory.py). Upstream: https://github.com/Textualize/textual/issues/6665. The
colours alone decide the answer, so the cache is keyed by them only; when Textual fixes the
method (no longer an lru_cache wrapper) this leaves it alone.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Inner and outer background styles (as Textual computes them), cached by colour only."""
    return (Style(background=base_background + background), Style(background=base_background))


def apply() -> bool:
    """Key StylesCache's inner/outer cache by colour, not by instance; True if patched."""
    method = StylesCache.__dict__.get("get_inner_outer")
    if not hasattr(method, "cache_clear"):  # not an instance-keyed lru_cache (fixed upstream)
        return False
    method.cache_clear()  # let go of the StylesCache objects it already holds
    StylesCache.get_inner_outer = staticmethod(_inner_outer)  # type: ignore[method-assign,assignment]
    return True
