"""Test helper: an independent parse of a page's elements, attributes and visible text."""
from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Independent record of a page's elements, attributes and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    """Parse ``page`` with the standard library's HTMLParser."""
    p = Page()
    p.feed(page)
    p.close()
    return p
