"""One outlet order, one colour per outlet, one heatmap: shared by every framelens figure.

* :func:`outlet_order` puts outlet (or article) labels in one order, the order of the
  corpus (first appearance), so the rows of every figure read the same way.
* :func:`outlet_colours` gives each outlet one colour of :data:`OUTLET_PALETTE`
  (Okabe & Ito 2008, colour-blind safe, readable as text on white), the same on
  every figure; :func:`colour_ticks` paints an axis' outlet labels with it.
* :data:`CATEGORY_PALETTE` colours what is not an outlet (speakers, kinds of trace,
  registers), from Paul Tol's colour-blind-safe "muted" scheme, so a colour never
  means an outlet on one figure and a speaker on the next.
* :func:`heatmap` is the one annotated heatmap (similarity, co-clustering, labels,
  spellings, fact coverage): every cell written in, zeros included.
* A list too long for a readable figure (a story of many outlets, articles, actors or
  speakers) is cut to the ones that carry the finding: :func:`fit_count` says how many
  rows or columns fit, :func:`max_width_in` how wide a figure may be before its text
  shows smaller than :data:`MIN_TEXT_PX`, :func:`top_labels` picks them, and a
  :class:`Shortened` record says what was cut (the figure's note and the report's table).

Sizes are chosen for the findings page, which shows a figure at most
:data:`PAGE_PX` pixels wide: a figure saved at 150 dpi and ``w`` inches wide is
scaled by ``min(1, PAGE_PX / (150 w))``, so text of ``s`` points shows at
``s * 150 / 72 * min(1, PAGE_PX / (150 w))`` pixels (:func:`displayed_px`).
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from framelens.plots import new_axes

__all__ = [
    "PAGE_PX", "SAVE_DPI", "MIN_TEXT_PX", "OUTLET_PALETTE", "CATEGORY_PALETTE", "OTHER_COLOUR",
    "outlet_order", "outlet_colours", "category_colours", "colour_ticks", "heatmap", "displayed_px",
    "wrap_title", "max_width_in", "fit_count", "top_labels", "Shortened", "shortened_note",
    "saved_height_px", "fit_saved_height",
]

#: Widest a figure is shown on the findings page (46rem at 16 px).
PAGE_PX: int = 736
#: Resolution of the saved PNG (``savefig.dpi`` of :data:`framelens.plots.RC`).
SAVE_DPI: int = 150
#: Smallest text a figure may show, in CSS pixels as displayed.
MIN_TEXT_PX: float = 10.0

#: One colour per outlet, in :func:`outlet_order`: Okabe-Ito, the yellow last (weak as text).
OUTLET_PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#B8A600",
)
#: Colour of outlets past the palette's length.
OTHER_COLOUR: str = "#777777"
#: Colours for categories that are not outlets (Paul Tol's "muted" scheme).
CATEGORY_PALETTE: tuple[str, ...] = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
)


def displayed_px(points: float, *, width_in: float, dpi: int = SAVE_DPI, page_px: int = PAGE_PX) -> float:
    """Height in CSS pixels of ``points``-point text in a ``width_in``-inch figure on the page.

    .. math:: px = s \\cdot \\frac{dpi}{72} \\cdot \\min\\left(1, \\frac{page}{dpi \\cdot w}\\right)

    Examples
    --------
    >>> round(displayed_px(9, width_in=11.85), 1)   # the old keyness figure: 1,778 px shown at 736
    7.8
    >>> round(displayed_px(10, width_in=4.0), 1)
    20.8
    """
    return points * dpi / 72 * min(1.0, page_px / (dpi * width_in))


def max_width_in(points: float, *, min_px: float = MIN_TEXT_PX, dpi: int = SAVE_DPI,
                 page_px: int = PAGE_PX) -> float:
    """Widest figure, in inches, whose ``points``-point text still shows at ``min_px`` on the page.

    :func:`displayed_px` solved for the width (a figure narrower than ``page / dpi`` is
    shown unscaled, so its text is never smaller than ``s * dpi / 72``):

    .. math:: w_{max} = \\frac{s \\cdot page}{72 \\cdot px_{min}}

    Examples
    --------
    >>> round(max_width_in(9), 2)   # 9-point cell text: at most 9.2 inches wide
    9.2
    >>> round(displayed_px(9, width_in=max_width_in(9)), 6)
    10.0
    """
    if points <= 0 or min_px <= 0:
        raise ValueError(f"points and min_px must be positive, got points={points!r}, min_px={min_px!r}")
    if points * dpi / 72 < min_px:
        raise ValueError(f"{points}-point text shows at {points * dpi / 72:.1f} px unscaled, below "
                         f"min_px={min_px}: no width keeps it readable; use larger text")
    return points * page_px / (72 * min_px)


def fit_count(total: int, *, per_item_in: float, fixed_in: float, max_in: float) -> int:
    """How many of ``total`` rows (or columns) fit in ``max_in`` inches.

    A figure ``fixed_in + per_item_in * n`` inches long holds

    .. math:: n = \\min\\left(total, \\max\\left(1, \\left\\lfloor \\frac{max - fixed}{per} \\right\\rfloor\\right)\\right)

    items (at least one, so a figure always shows something).

    Examples
    --------
    >>> fit_count(95, per_item_in=0.5, fixed_in=1.6, max_in=12.0)   # (12 - 1.6) / 0.5 = 20.8
    20
    >>> fit_count(5, per_item_in=0.5, fixed_in=1.6, max_in=12.0)
    5
    """
    if per_item_in <= 0:
        raise ValueError(f"per_item_in must be positive, got {per_item_in!r}")
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total!r}")
    room = math.floor((max_in - fixed_in) / per_item_in + 1e-9)
    return int(min(total, max(1, room)))


def top_labels(scores: Mapping[Any, float] | pd.Series, *, n: int,
               order: Sequence[Any] | None = None) -> list[str]:
    """The ``n`` labels with the highest score, listed in the one order (:func:`outlet_order`).

    Ties at the cut go to the label earlier in ``order`` (then by name), so the choice
    does not depend on how the scores were computed.

    Examples
    --------
    >>> top_labels({"A": 1, "B": 5, "C": 5, "D": 3}, n=2, order=["D", "C", "B", "A"])
    ['C', 'B']
    >>> top_labels({"A": 1, "B": 5}, n=5)
    ['A', 'B']
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    values = {str(k): float(v) for k, v in dict(scores).items()}
    ranked = outlet_order(values, order=order)
    place = {k: i for i, k in enumerate(ranked)}
    chosen = set(sorted(ranked, key=lambda k: (-values[k], place[k]))[:int(n)])
    return [k for k in ranked if k in chosen]


class Shortened(NamedTuple):
    """What a figure shows of a list too long to draw whole: ``shown`` of ``total`` ``what``.

    ``chosen`` says which ones (the ordering that keeps the figure's finding, e.g. "the
    longest and the shortest"); ``table`` names the table that holds every one.

    Examples
    --------
    >>> Shortened("outlets", 5, 22, "most passages", "who_said_what").text()
    '5 of 22 outlets (most passages)'
    """

    what: str
    shown: int
    total: int
    chosen: str
    table: str

    def text(self) -> str:
        """``"5 of 22 outlets (chosen)"``."""
        return f"{self.shown} of {self.total} {self.what} ({self.chosen})"


def shortened_note(cuts: Sequence[Shortened]) -> str:
    """The note a shortened figure carries: every cut, then where the rest is.

    Examples
    --------
    >>> shortened_note([Shortened("speakers", 20, 141, "quoted by the most outlets", "who_said_what"),
    ...                 Shortened("outlets", 5, 22, "quoting the most of them", "who_said_what")])
    'Shown: 20 of 141 speakers (quoted by the most outlets); 5 of 22 outlets (quoting the most of them); who_said_what.csv holds all.'
    """
    tables = list(dict.fromkeys(f"{c.table}.csv" for c in cuts))
    return ("Shown: " + "; ".join(c.text() for c in cuts) + "; "
            + " and ".join(tables) + f" hold{'s' if len(tables) == 1 else ''} all.")


def _save_dpi(fig: Any, dpi: float | None) -> float:
    """``dpi``, else ``savefig.dpi`` ("figure": the figure's own), as ``savefig`` reads it."""
    import matplotlib

    if dpi is None:
        dpi = matplotlib.rcParams["savefig.dpi"]
        dpi = fig.dpi if dpi == "figure" else dpi
    return float(dpi)


def saved_height_px(fig: Any, *, dpi: float | None = None) -> int:
    """Height in pixels of ``fig`` saved with ``bbox_inches="tight"``, before saving it.

    The saved image is the figure's tight bounding box (every artist drawn, a title or
    legend past the axes included) plus ``savefig.pad_inches`` on each side, at ``dpi``
    (default ``savefig.dpi``): :math:`\\mathrm{round}((h_{\\mathrm{tight}} + 2p)\\,\\mathrm{dpi})`.
    It can exceed the figure's own size (a legend under the axes) or fall short of it.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 2))
    >>> _ = ax.set_title("a title\\non\\nfour\\nlines")
    >>> saved_height_px(fig, dpi=100) > 0
    True
    >>> plt.close(fig)
    """
    import matplotlib

    dpi = _save_dpi(fig, dpi)
    pad = float(matplotlib.rcParams["savefig.pad_inches"])
    shown = fig.dpi
    fig.set_dpi(dpi)  # text is measured at the saved resolution, as savefig measures it
    try:
        bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.set_dpi(shown)
    return int(round((bbox.height + 2 * pad) * dpi))


def fit_saved_height(fig: Any, *, limit_px: int, dpi: float | None = None, tries: int = 3) -> int:
    """Shorten ``fig`` until its saved (tight) image is at most ``limit_px`` tall; return that height.

    A figure sized to the limit can still be saved taller: text past the axes (a wrapped
    title, a legend under the plot) is added to the figure's height. The figure is
    shortened by the excess, :math:`h \\leftarrow h - (H_{\\mathrm{saved}} - L + 1)/\\mathrm{dpi}`,
    which shrinks the axes and leaves every text its size; this is repeated at most
    ``tries`` times (the tight box moves a little with the axes). A figure that does not
    reach the limit is returned as it is, with its saved height, for the caller to leave
    out.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 3))
    >>> _ = ax.legend(handles=ax.plot([0, 1], [0, 1], label="x"), loc="upper center",
    ...               bbox_to_anchor=(0.5, -0.3))
    >>> saved_height_px(fig, dpi=100) > 300   # the legend under the axes adds height
    True
    >>> fit_saved_height(fig, limit_px=300, dpi=100) <= 300
    True
    >>> plt.close(fig)
    """
    dpi = _save_dpi(fig, dpi)
    height = saved_height_px(fig, dpi=dpi)
    for _ in range(tries):
        if height <= limit_px:
            break
        w, h = fig.get_size_inches()
        shorter = h - (height - limit_px + 1) / dpi
        if shorter <= 0:
            break
        fig.set_size_inches(w, shorter)
        height = saved_height_px(fig, dpi=dpi)
    return height


def wrap_title(text: str, *, width_in: float, fontsize: float = 11) -> str:
    """``text`` broken into lines that fit a figure ``width_in`` inches wide.

    A title wider than its figure widens the saved image (``bbox_inches="tight"``) and so
    shrinks every other text on the page; wrapping keeps the figure at its width. The
    line length is :math:`\\lfloor 72 w / (0.55 s) \\rfloor` characters (DejaVu Sans
    averages about 0.55 em a character).

    Examples
    --------
    >>> print(wrap_title("a b c d e f", width_in=0.5, fontsize=10))
    a b c d e
    f
    """
    import textwrap

    chars = max(10, int(72 * width_in / (0.55 * fontsize)))
    return "\n".join(textwrap.wrap(str(text), width=chars)) or str(text)


def outlet_order(labels: Iterable[Any], *, order: Sequence[Any] | None = None) -> list[str]:
    """The labels in the one outlet order: ``order`` first (corpus order), the rest sorted.

    Parameters
    ----------
    labels : iterable
        Outlet (or article) labels present in a table; repeats are dropped.
    order : sequence, optional
        The reference order (e.g. the ``outlet`` column of ``tables/corpus.csv``,
        which follows the corpus). Labels not in it follow, sorted by name.

    Examples
    --------
    >>> outlet_order(["VTC", "000", "CNN"], order=["000", "CNN", "VTC", "003"])
    ['000', 'CNN', 'VTC']
    >>> outlet_order(["b", "a"])
    ['a', 'b']
    """
    present = list(dict.fromkeys(str(x) for x in labels))
    ref = [str(x) for x in (order or [])]
    first = [x for x in dict.fromkeys(ref) if x in present]
    return first + sorted(x for x in present if x not in first)


def outlet_colours(order: Sequence[Any]) -> dict[str, str]:
    """Outlet -> colour: the ``i``-th outlet of ``order`` gets ``OUTLET_PALETTE[i]``.

    Pass the full corpus order (not the outlets of one table) so an outlet keeps its
    colour on a figure that leaves others out.

    Examples
    --------
    >>> outlet_colours(["A", "B"])
    {'A': '#0072B2', 'B': '#E69F00'}
    """
    names = list(dict.fromkeys(str(x) for x in order))
    return {n: OUTLET_PALETTE[i] if i < len(OUTLET_PALETTE) else OTHER_COLOUR for i, n in enumerate(names)}


def category_colours(categories: Sequence[Any]) -> dict[str, str]:
    """Category -> colour of :data:`CATEGORY_PALETTE`, in the given order (cycled past 9).

    Examples
    --------
    >>> category_colours(["quote", "paraphrase"])["paraphrase"]
    '#88CCEE'
    """
    names = list(dict.fromkeys(str(x) for x in categories))
    return {n: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, n in enumerate(names)}


def colour_ticks(ax: Axes, colours: Mapping[str, str], *, axis: str = "y") -> Axes:
    """Paint the tick labels that name an outlet in that outlet's colour (bold).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> _ = ax.set_yticks([0, 1], labels=["A", "B"])
    >>> _ = colour_ticks(ax, {"B": "#E69F00"})
    >>> [t.get_color() for t in ax.get_yticklabels()][1]
    '#E69F00'
    >>> plt.close("all")
    """
    if axis not in ("x", "y", "both"):
        raise ValueError(f"axis={axis!r}; allowed: 'x', 'y' or 'both'")
    labels = []
    if axis in ("x", "both"):
        labels += ax.get_xticklabels()
    if axis in ("y", "both"):
        labels += ax.get_yticklabels()
    for label in labels:
        colour = colours.get(label.get_text())
        if colour is not None:
            label.set_color(colour)
            label.set_fontweight("bold")
    return ax


def heatmap(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    label: str = "",
    fmt: str = "{:.2f}",
    vmin: float | None = None,
    vmax: float | None = None,
    cmap: Any = "Blues",
    blank_diagonal: bool = False,
    annotate: bool = True,
    max_annotated: int = 20,
    colours: Mapping[str, str] | None = None,
    zero: str | None = None,
    colorbar: bool = True,
    fontsize: float = 10,
    text: pd.DataFrame | None = None,
) -> Axes:
    """Annotated heatmap of a rows x columns table: every cell written in.

    Parameters
    ----------
    matrix : DataFrame
        Numbers; NaN cells stay blank.
    ax : Axes, optional
        A new figure sized to the table (about 0.9 inch a column) when omitted.
    title, label : str
        Axes title (the finding) and colour-bar label.
    fmt : str, default "{:.2f}"
        Format of the annotation.
    vmin, vmax : float, optional
        Colour scale; default 0 and the largest value (at least 1).
    cmap : str or Colormap, default "Blues"
    blank_diagonal : bool, default False
        Leave the diagonal blank (an article with itself).
    annotate : bool, default True
        Write each value in its cell, up to ``max_annotated`` rows and columns.
    colours : mapping, optional
        Outlet -> colour for the tick labels (:func:`colour_ticks`).
    zero : str, optional
        Text for a zero cell (e.g. "0" or "–"); default ``fmt`` applied to 0, so a
        zero shows as a zero, never as an empty cell.
    colorbar : bool, default True
    fontsize : float, default 10
        Points for ticks and cell text.
    text : DataFrame, optional
        Same shape as ``matrix``: the text to write in each cell instead of the
        formatted number (e.g. the labels themselves); empty strings leave a cell blank.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["A", "B"], columns=["A", "B"])
    >>> ax = heatmap(m, title="t", blank_diagonal=True)
    >>> sorted(t.get_text() for t in ax.texts)
    ['0.50', '0.50']
    >>> plt.close("all")
    """
    rows, cols = matrix.shape
    if rows == 0 or cols == 0:
        raise ValueError(f"a heatmap needs at least one row and one column; got shape {matrix.shape}")
    if ax is None:
        width = min(0.95 * cols + 2.6, 9.0)
        ax = new_axes(None, figsize=(width, min(0.5 * rows + 1.6, 9.0)))
    values = matrix.to_numpy(dtype=float)
    shown = values.copy()
    if blank_diagonal and rows == cols:
        np.fill_diagonal(shown, np.nan)
    finite = shown[np.isfinite(shown)]
    lo = 0.0 if vmin is None else float(vmin)
    hi = (max(1.0, float(finite.max())) if finite.size else 1.0) if vmax is None else float(vmax)
    image = ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi, aspect="auto")
    ax.set_xticks(range(cols), labels=[str(c) for c in matrix.columns], rotation=30, ha="right",
                  rotation_mode="anchor", fontsize=fontsize)
    ax.set_yticks(range(rows), labels=[str(i) for i in matrix.index], fontsize=fontsize)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    if annotate and rows <= max_annotated and cols <= max_annotated:
        for i in range(rows):
            for j in range(cols):
                v = shown[i, j]
                if not np.isfinite(v):
                    continue
                if text is not None:
                    cell = str(text.iat[i, j])
                else:
                    cell = zero if (zero is not None and v == 0) else fmt.format(v)
                r, g, b, _ = image.cmap(image.norm(v))
                dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45  # relative luminance of the cell
                ax.text(j, i, cell, ha="center", va="center", fontsize=fontsize,
                        color="white" if dark else "black")
    if colours:
        colour_ticks(ax, colours, axis="both")
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
        bar.set_label(label, fontsize=fontsize)
        bar.ax.tick_params(labelsize=fontsize)
    if title:
        ax.set_title(title)
    return ax
