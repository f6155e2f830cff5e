"""Story titles on axes and pages: datelines set aside, cut at a word boundary."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from framelens.storyreport import shorten, story_overview


@pytest.mark.parametrize("first, title", [
    ("WEST PALM BEACH, Fla. — President Trump dispatched his CIA director", "President Trump dispatched his CIA director"),
    ("WASHINGTON — President Trump spoke", "President Trump spoke"),
    ("KYIV (Reuters) - Ukraine asked NATO", "Ukraine asked NATO"),
    ("(CNN) - A new survey shows", "A new survey shows"),
    ("UK - US trade deal", "UK - US trade deal"),          # too short for a dateline: kept
    ("North Korean Leader Says Nothing", "North Korean Leader Says Nothing"),
])
def test_titles_set_datelines_aside(first: str, title: str) -> None:
    arts = pd.DataFrame({"doc_id": ["a", "b"], "story": ["s", "s"], "outlet": ["X", "Y"],
                         "text": [first + "\nMore text.", "Other."]})
    assert story_overview(arts)["title"].tolist() == [title]


def test_shorten_cuts_at_a_word_boundary() -> None:
    assert shorten("Mueller Has Dozens of Inquiries for Trump in Broad Russia Probe", 30) == "Mueller Has Dozens of…"
    assert shorten("short", 30) == "short"
    assert shorten("x" * 40, 10) == "x" * 9 + "…"  # no space: cut at the limit


@given(st.text(), st.integers(min_value=2, max_value=80))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= limit
    assert out == text or out.endswith("…")


def test_a_title_column_names_the_story_before_the_first_line() -> None:
    arts = pd.DataFrame({"doc_id": ["b", "a", "c"], "story": ["s", "s", "t"], "outlet": ["X", "Y", "Z"],
                         "title": ["Second", "  Trump   mocks Ford at rally ", ""],
                         "text": ["Image copyright AFP\nBody.", "Image copyright Reuters\nBody.", "Headline here\nBody."]})
    # story s: the first article by doc_id ("a") gives its title; story t has an empty title: its first line
    assert story_overview(arts).set_index("story")["title"].to_dict() == {
        "s": "Trump mocks Ford at rally", "t": "Headline here"}
