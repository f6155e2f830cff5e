"""One matplotlib style for every framelens figure.

A colour-blind-safe palette (Okabe & Ito 2008), titles that state the finding,
labelled axes. Figure functions elsewhere take data and an optional ``ax`` and
return the :class:`matplotlib.axes.Axes`.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes

#: Okabe-Ito colour-blind-safe palette (black moved last).
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
)

#: rcParams applied by :func:`style`.
RC: dict[str, object] = {
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "svg.hashsalt": "framelens",  # deterministic SVG ids
    "svg.fonttype": "none",
    "image.cmap": "viridis",
    "text.parse_math": False,  # outlet names are text: "$\\alpha$" stays as written, never mathtext
}


@contextmanager
def style() -> Iterator[None]:
    """Context manager applying the framelens figure style.

    Examples
    --------
    >>> with style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(RC):
        yield


def use_style() -> None:
    """Apply the framelens style globally (for notebooks)."""
    mpl.rcParams.update(RC)


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (6.0, 4.0)) -> Axes:
    """Return ``ax`` or a fresh Axes of ``figsize`` inches."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax
