"""Sizes and titles shared by every figure drawer: whether a figure would be taller than
:data:`framelens.storyreport.MAX_FIGURE_PX` or too wide for its text to stay readable on the
page, the height a shortened figure is given, and titles wrapped to the figure's width.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "too_wide",
    "max_height_in",
    "too_tall",
    "set_title",
]


#: Room kept below MAX_FIGURE_PX when a figure is cut to its top N: what ``bbox_inches="tight"``
#: adds beyond the figure size (a wrapped title, a legend under the axes).
_CUT_MARGIN_PX = 150


def too_wide(width_in: float, *, points: float) -> bool:
    """Whether a figure this wide would show its ``points``-point text below MIN_TEXT_PX on the page."""
    from framelens.viz import max_width_in

    return width_in > max_width_in(points)


def max_height_in() -> float:
    """The height a shortened figure is sized to: MAX_FIGURE_PX less the margin, in inches."""
    from framelens.report.story_page import MAX_FIGURE_PX
    from framelens.viz import SAVE_DPI

    return (MAX_FIGURE_PX - _CUT_MARGIN_PX) / SAVE_DPI


def too_tall(height_in: float) -> bool:
    """Whether a figure of this height would be left out (taller than MAX_FIGURE_PX when saved)."""
    from framelens.report.story_page import MAX_FIGURE_PX
    from framelens.viz import SAVE_DPI

    return int(round(height_in * SAVE_DPI)) > MAX_FIGURE_PX


def set_title(ax: Any, text: str, *, loc: str = "center", fontsize: float = 11) -> None:
    """Set a title wrapped to the figure's width (a wider title would shrink the whole figure)."""
    from framelens.viz import wrap_title

    width = float(ax.figure.get_size_inches()[0]) * float(ax.get_position().width)
    if loc == "center":  # a centred title may spread over the margins as far as the figure's edge
        width = float(ax.figure.get_size_inches()[0]) * min(1.0, 2 * min(ax.get_position().x0 +
                                                                        ax.get_position().width / 2, 1 - ax.get_position().x0 - ax.get_position().width / 2))
    ax.set_title(wrap_title(text, width_in=max(width, 2.5), fontsize=fontsize), loc=loc, fontsize=fontsize)
