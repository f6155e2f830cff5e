"""Tests for framelens.notes: plain notes instead of crashes on corpora too small for a step."""
from __future__ import annotations

import pandas as pd
import pytest

from framelens.features import similarity, tfidf
from framelens.notes import Note, NotEnoughData, count_outlets, or_note, require

ONE_OUTLET = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["Daily A", "Daily A"],
                           "text": ["Kyiv asks NATO to invite it.", "NATO answers Kyiv."]})


def test_not_enough_data_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        raise NotEnoughData("needs 2")


def test_or_note_returns_the_plain_message() -> None:
    note = or_note(tfidf, ["only one article"])
    assert isinstance(note, Note)
    assert note.message == "comparing articles needs at least 2 articles; got 1 (doc 0)"
    assert repr(note) == f"Note: {note.message}"


def test_or_note_passes_results_through() -> None:
    result = or_note(tfidf, ["nato kyiv", "rain snow"])
    assert result.matrix.shape == (2, 4)


def test_a_note_propagates_through_later_steps() -> None:
    note = or_note(tfidf, ["only one"])
    assert or_note(similarity, note) is note
    assert or_note(pd.concat, [note, note]) is note
    assert or_note(similarity, docs=note) is note


def test_a_note_absorbs_indexing_attributes_and_calls() -> None:
    note = Note("needs 2 outlets")
    assert note[["a", "b"]].round(2) is note
    assert note.loc[note["x"], ["y"]] is note
    assert list(note) == [note]


def test_other_errors_still_stop_the_notebook() -> None:
    with pytest.raises(ValueError, match="ngram_range"):
        or_note(tfidf, ["a b", "c d"], ngram_range=(2, 1))


def test_note_html_is_escaped() -> None:
    html = Note("<script>alert(1)</script> needs 2")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_note_is_read_only_and_not_empty() -> None:
    with pytest.raises(AttributeError):
        Note("x").message = "y"
    with pytest.raises(ValueError, match="non-empty"):
        Note("  ")


def test_note_has_no_private_attributes() -> None:
    """IPython probes objects for private methods; a Note must not pretend to have them."""
    assert not hasattr(Note("x"), "_ipython_canary_method_should_not_exist_")


def test_require_outlets_names_what_is_needed_and_given() -> None:
    note = require(ONE_OUTLET, outlets=2, what="comparing outlets' vocabulary")
    assert isinstance(note, Note)
    assert note.message == ("comparing outlets' vocabulary needs at least 2 outlets; "
                            "the corpus has 1 (Daily A).")


def test_require_articles() -> None:
    note = require(ONE_OUTLET, articles=3)
    assert note.message == "this analysis needs at least 3 articles; the corpus has 2."


def test_require_returns_the_corpus_unchanged_when_enough() -> None:
    assert require(ONE_OUTLET, articles=2, outlets=1) is ONE_OUTLET
    previous = Note("earlier step")
    assert require(previous, outlets=2) is previous


def test_require_validates_its_settings() -> None:
    with pytest.raises(ValueError, match="outlets=0"):
        require(ONE_OUTLET, outlets=0)
    with pytest.raises(ValueError, match="'source'"):
        count_outlets(ONE_OUTLET, label_col="source")


def test_a_note_answers_only_the_chain_names() -> None:
    """``note.empty`` used to be a truthy Note: a missing result could pass an ``if``."""
    note = Note("needs 2 outlets")
    assert note.round(2).head(3) is note and note.matrix.shape is note
    for name in ("empty", "any", "all", "columns", "values", "to_csv", "_repr_png_"):
        with pytest.raises(AttributeError):
            getattr(note, name)
    with pytest.raises(AttributeError, match="needs 2 outlets"):
        note.empty  # noqa: B018
