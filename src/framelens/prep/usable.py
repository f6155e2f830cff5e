"""Whether a cleaned text can be analysed: not a web page's interface alone, not letterless,
not too short.

:func:`framelens.corpus.prepare` judges every article here once page furniture is removed
(:func:`framelens.prep.clean.clean`), with the rules actually used.
"""
from __future__ import annotations

__all__ = ["INTERFACE_TEXT", "junk_reason", "too_short"]


#: Lines that are a web page's interface, not an article's text (compared in lower case,
#: surrounding white space and punctuation dropped); see :func:`junk_reason`.
INTERFACE_TEXT: frozenset[str] = frozenset({
    "link copied", "copy link", "copied", "share", "share this", "share this article",
    "share on facebook", "share on twitter", "tweet", "email", "e-mail", "print", "comments",
    "comment", "advertisement", "read more", "click here", "subscribe", "sign up", "log in",
    "close", "menu", "skip to content", "skip to main content", "loading", "play video",
    "watch", "video", "follow us", "related", "more", "next", "previous", "back to top",
})

_EDGE_PUNCT = " \t\u00a0.,:;!?|-–—•·()[]{}\"'“”‘’«»…"


def junk_reason(text: str) -> str:
    """Why a cleaned text is not an article (``""`` when it may be one).

    A text is junk when, once the lines of :data:`INTERFACE_TEXT` (a share button's
    "Link Copied", "Read more", ...) are set aside, no letter is left: only digits,
    punctuation, symbols and white space. :func:`~framelens.corpus.load_corpus` judges the
    text *after* page furniture is removed (see :func:`~framelens.prep.clean.clean`). An empty
    text is not junk but empty (``""`` here; the loader says so in its own words).

    Parameters
    ----------
    text : str
        A cleaned article text.

    Returns
    -------
    str
        The reason, ready to follow "the text ...", or ``""``.

    Examples
    --------
    >>> junk_reason("Link Copied")
    "holds only web-page interface text ('Link Copied'), no article"
    >>> junk_reason("12 345, 678.")
    'holds no letters, only digits, punctuation or symbols (12 345, 678.), no article'
    >>> junk_reason("Kyiv asked NATO.")
    ''
    """
    kept, interface = [], []
    for line in text.splitlines():
        key = line.strip(_EDGE_PUNCT).casefold()
        (interface if key in INTERFACE_TEXT else kept).append(line.strip())
    if any(ch.isalpha() for line in kept for ch in line):
        return ""
    if not any(kept) and not interface:
        return ""  # nothing at all: empty, which the callers say in their own words
    if interface and not any(kept):
        return f"holds only web-page interface text ({' / '.join(interface)[:60]!r}), no article"
    shown = " ".join(" ".join(kept).split())
    shown = shown if len(shown) <= 40 else shown[:40] + "..."
    return f"holds no letters, only digits, punctuation or symbols ({shown}), no article"


def too_short(n: int, min_words: int, cleaned: str = "") -> str:
    """Why a text of ``n`` words after cleaning is too short to analyse or not an article
    (``""`` when it is neither); ``cleaned`` is that text, checked by :func:`junk_reason`.

    >>> too_short(3, 1, "Kyiv asked NATO."), too_short(1, 2, "Kyiv")
    ('', 'has 1 word once page furniture is removed, fewer than min_words=2 (too short to analyse)')
    """
    if min_words == 0:
        return ""
    if n == 0:
        return "has no words once page furniture is removed (too short to analyse)"
    junk = junk_reason(cleaned)
    if junk:
        return f"{junk} once page furniture is removed"
    if n >= min_words:
        return ""
    return (f"has {n} word{'s' if n != 1 else ''} once page furniture is removed, fewer than "
            f"min_words={min_words} (too short to analyse)")
