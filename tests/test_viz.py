"""Tests for framelens.viz: how many rows fit, which ones are kept, and what the figure says was cut."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framelens.viz import Shortened, displayed_px, fit_count, max_width_in, shortened_note, top_labels


def test_fit_count_hand_worked():
    # the words-per-article figure: 1.6 in fixed + a 0.5 in gap row, 0.5 in an article, (2000 - 150) / 150 in
    assert fit_count(95, per_item_in=0.5, fixed_in=2.1, max_in=1850 / 150) == 20
    assert fit_count(12, per_item_in=0.5, fixed_in=2.1, max_in=1850 / 150) == 12
    assert fit_count(7, per_item_in=3.0, fixed_in=2.0, max_in=4.0) == 1  # never none
    assert fit_count(0, per_item_in=1.0, fixed_in=0.0, max_in=5.0) == 0
    assert fit_count(10, per_item_in=1.0, fixed_in=1.0, max_in=5.0) == 4  # exactly (5 - 1) / 1, no float loss
    with pytest.raises(ValueError, match="per_item_in"):
        fit_count(3, per_item_in=0, fixed_in=1.0, max_in=5.0)


def test_max_width_in_keeps_the_text_at_the_minimum():
    assert max_width_in(9) == pytest.approx(9 * 736 / (72 * 10))
    assert displayed_px(9, width_in=max_width_in(9)) == pytest.approx(10.0)
    assert displayed_px(9, width_in=max_width_in(9) + 0.1) < 10.0
    with pytest.raises(ValueError, match="below min_px"):
        max_width_in(4)  # 4-point text is 8.3 px even unscaled


def test_top_labels_hand_worked():
    scores = {"A": 1.0, "B": 5.0, "C": 5.0, "D": 3.0, "E": 0.0}
    assert top_labels(scores, n=3, order=["E", "D", "C", "B", "A"]) == ["D", "C", "B"]
    assert top_labels(scores, n=2, order=["E", "D", "C", "B", "A"]) == ["C", "B"]
    assert top_labels(scores, n=2, order=["B", "C"]) == ["B", "C"]
    with pytest.raises(ValueError, match="positive integer"):
        top_labels(scores, n=0)


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(-5, 5), max_size=12), st.integers(1, 15))
def test_top_labels_keeps_the_highest_in_the_given_order(scores, n):
    order = sorted(scores, reverse=True)
    kept = top_labels(scores, n=n, order=order)
    assert len(kept) == min(n, len(scores))
    assert kept == [k for k in order if k in kept]  # in the one order
    dropped = set(scores) - set(kept)
    assert all(scores[k] >= scores[d] for k in kept for d in dropped)


def test_shortened_note_names_every_cut_and_the_table():
    cuts = [Shortened("actors", 7, 44, "loaded labels first", "actor_labels"),
            Shortened("outlets", 5, 22, "loaded labels first", "actor_labels")]
    assert shortened_note(cuts) == ("Shown: 7 of 44 actors (loaded labels first); 5 of 22 outlets (loaded labels "
                                    "first); actor_labels.csv holds all.")
    two = [Shortened("articles", 20, 95, "longest", "corpus"), Shortened("outlets", 4, 22, "most", "keyness")]
    assert shortened_note(two).endswith("corpus.csv and keyness.csv hold all.")


def _bars_with_legend_below(n_rows: int):
    """The traces figure of a 22-outlet ABP story: 0.5 in a row + 2 in, legend 18 % of the axes below them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from framelens.plots import style

    with style():
        fig, ax = plt.subplots(figsize=(7.0, 0.5 * n_rows + 2.0))
        names = [f"Outlet {i:02d}" for i in range(n_rows)]
        for kind in ("calque", "pronoun slip", "untranslated fragment", "literal idiom", "wrong register", "false friend", "date format", "unit left", "name order", "title calque", "share button", "byline", "source line",
                     "page furniture (not translation)"):
            ax.barh(names, range(n_rows), label=kind)
        ax.set_xlabel("traces found (grey: page furniture, not translation)")
        ax.legend(frameon=False, ncol=3, loc="upper left", bbox_to_anchor=(0, -0.18))
        ax.set_title("Outlet 00 has the most traces of translation, 12, and its interval overlaps\n"
                     "those of Outlet 03 and Outlet 07 (page furniture apart)", loc="left")
    return fig, plt


def test_fit_saved_height_keeps_the_saved_png_under_the_limit(tmp_path):
    from PIL import Image

    from framelens.viz import fit_saved_height, saved_height_px

    fig, plt = _bars_with_legend_below(22)  # 13 in = 1,950 px: under 2,000 as sized, over it as saved
    assert 0.5 * 22 + 2.0 <= 2000 / 150 and saved_height_px(fig, dpi=150) > 2000
    got = fit_saved_height(fig, limit_px=2000, dpi=150)
    fig.savefig(tmp_path / "t.png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    saved = Image.open(tmp_path / "t.png").size[1]
    assert got <= 2000 and 0 <= got - saved <= 1  # the estimate is the file's height, to rounding


def test_fit_saved_height_leaves_a_figure_that_fits_as_it_is(tmp_path):
    from framelens.viz import fit_saved_height, saved_height_px

    fig, plt = _bars_with_legend_below(5)
    size = tuple(fig.get_size_inches())
    assert fit_saved_height(fig, limit_px=2000, dpi=150) == saved_height_px(fig, dpi=150) < 2000
    assert tuple(fig.get_size_inches()) == size
    plt.close(fig)
