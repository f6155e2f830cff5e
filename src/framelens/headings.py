"""Headings of a rendered HTML page with their anchors.

Shared by :mod:`framelens.render` (a notebook page's title and sections) and
:mod:`framelens.findings` (links from a finding to the notebook section holding its
evidence), so neither imports the other's internals.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pandas as pd

__all__ = ["heading_anchors"]


class _HeadingParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[int, str, str]] = []
        self._current: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._current = [int(tag[1]), dict(attrs).get("id") or "", []]
        elif tag == "a" and self._current is not None and "anchor-link" in (dict(attrs).get("class") or ""):
            self._current.append("skip")

    def handle_endtag(self, tag: str) -> None:
        if self._current is None:
            return
        if tag == "a" and self._current[-1] == "skip":
            self._current.pop()
        elif re.fullmatch(r"h[1-6]", tag):
            level, ident, parts = self._current[:3]
            self.rows.append((level, ident, " ".join("".join(parts).split())))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._current[-1] != "skip":
            self._current[2].append(data)


def heading_anchors(page: str) -> pd.DataFrame:
    """Headings of a rendered page with their ``id`` anchors, in page order.

    Parameters
    ----------
    page : str
        HTML, e.g. a notebook rendered by :func:`render_notebook`.

    Returns
    -------
    pandas.DataFrame
        Columns ``level`` (1-6), ``id`` (the anchor, ``""`` if none) and ``text``.

    Examples
    --------
    >>> heading_anchors('<h2 id="Top-terms">Top terms<a class="anchor-link" href="#Top-terms">¶</a></h2>')
       level         id       text
    0      2  Top-terms  Top terms
    """
    parser = _HeadingParser()
    parser.feed(page)
    parser.close()
    return pd.DataFrame(parser.rows, columns=["level", "id", "text"])
