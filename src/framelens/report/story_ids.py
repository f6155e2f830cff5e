"""Stories of a many-story corpus: each article's story id, a story's folder and page, its title.

:func:`story_ids` says where the ids come from (:data:`STORY_SOURCES`: a column, found by
:func:`framelens.stories.group_stories`, or one story); :func:`story_folder` and
:func:`page_name` name a story's page safely whatever its id; :func:`story_overview` gives
one row per story with a readable title (:func:`shorten`, :func:`headline`).
"""
from __future__ import annotations

import hashlib
import re

import pandas as pd

__all__ = ["STORY_SOURCES", "MIN_ARTICLES_TO_FIND", "story_ids", "story_folder", "page_name", "DATELINE",
           "shorten", "headline", "story_overview"]


#: Where stories come from (``Settings.stories``): ``auto`` (a ``story`` or ``event``
#: column if the corpus has one, else found), ``column`` (the column, required), ``found``
#: (:func:`framelens.stories.group_stories` whatever the corpus holds), ``one`` (the whole
#: corpus is one story).
STORY_SOURCES = ("auto", "column", "found", "one")

#: With ``stories="auto"`` and no story column, a corpus of fewer articles is read as one
#: story (the seeds: five versions of one report); give a ``story`` column to split it.
MIN_ARTICLES_TO_FIND = 10


def story_ids(articles: pd.DataFrame, *, source: str = "auto") -> tuple[pd.Series, str]:
    """Each article's story id, and a sentence saying where the ids came from.

    Parameters
    ----------
    articles : pandas.DataFrame
        Cleaned articles (``text``, optionally ``story``/``event``, ``date``).
    source : {"auto", "column", "found", "one"}
        See :data:`STORY_SOURCES`.

    Returns
    -------
    (ids, how) : (pandas.Series of str, str)
        ``ids`` aligned with ``articles``; ``how`` for the page, e.g. "Stories from the
        corpus's story column." or "Stories found by group_stories ...: 120 articles
        share a story with another, 80 stand alone."

    >>> a = pd.DataFrame({"text": ["x", "y"], "story": ["s1", "s2"]})
    >>> ids, how = story_ids(a)
    >>> ids.tolist(), how
    (['s1', 's2'], "Stories from the corpus's story column.")
    >>> story_ids(a.drop(columns="story"))[0].tolist()
    ['all', 'all']
    """
    if source not in STORY_SOURCES:
        raise ValueError(f"stories={source!r}: expected one of {list(STORY_SOURCES)}")
    col = next((c for c in ("story", "event") if c in articles.columns), None)
    if source == "column" and col is None:
        raise ValueError("stories='column' but the corpus has no 'story' or 'event' column; "
                         "add one to the manifest (or put each story's files in a sub-folder)")
    if source in ("auto", "column") and col is not None:
        ids = articles[col].astype("string")
        empty = ids.isna() | (ids.str.strip() == "")
        if empty.any():
            where = articles.loc[empty, "doc_id"].astype(str).tolist()[:5] if "doc_id" in articles else []
            raise ValueError(f"the {col!r} column is empty for {int(empty.sum())} article(s) "
                             f"({', '.join(where)}); give every article a story id")
        return ids.astype(str), f"Stories from the corpus's {col} column."
    if source == "one" or (source == "auto" and len(articles) < MIN_ARTICLES_TO_FIND):
        reason = ("" if source == "one" else
                  f" (fewer than {MIN_ARTICLES_TO_FIND} articles and no story column)")
        return pd.Series(["all"] * len(articles), index=articles.index, dtype=str), \
            f"The whole corpus is one story{reason}."
    from framelens.stories import group_stories

    found = group_stories(articles, date_col="date" if "date" in articles.columns else None)
    alone = int((found["story_size"] == 1).sum())
    ids = ("found-" + found["story"].astype(str)).astype(str)
    return ids, (f"Stories found by group_stories (TF-IDF cosine >= 0.2 to a nearest neighbour within a 3-day "
                 f"date window, split by average linkage): {len(articles) - alone:,} articles share a story "
                 f"with another, {alone:,} stand alone.")


def story_folder(story: object) -> str:
    """A safe, unique folder name for a story's page; the story id is still shown as given.

    ASCII letters, digits and ``-`` from the id (at most 40), then 8 hex digits of
    its SHA-256, so ids that differ only in unsafe characters get different folders.

    >>> story_folder("event_1")
    'event-1-41bda90b'
    >>> story_folder("../../etc/passwd").startswith("etc-passwd-")
    True
    """
    text = str(story)
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "story"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def page_name(story: object) -> str:
    """A story's page under ``stories/``: its :func:`story_folder` and ``index.html`` there
    (the page's tables and figures sit beside it).

    >>> page_name("event_1")
    'event-1-41bda90b/index.html'
    """
    return f"{story_folder(story)}/index.html"


#: A dateline opening a first line: "WASHINGTON — ", "WEST PALM BEACH, Fla. — ", "KYIV (Reuters) - ",
#: "(CNN) - ".
DATELINE = re.compile(r"^(?:[A-Z][A-Z .,'’-]{2,}[A-Z](?:,\s*[A-Z][\w.]*)?(?:\s*\([^)]{1,40}\))?|\([A-Z][\w ]{1,20}\))"
                      r"\s*[—–-]{1,2}\s+")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…" when cut.

    >>> shorten("Trump Signals Openness to a 'New Deal' to Constrain Iran", 30)
    'Trump Signals Openness to a…'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:—–-") + "…"


def headline(text: str, limit: int = 90) -> str:
    """The first non-empty line, without a leading dateline (:data:`DATELINE`), at most ``limit`` characters.

    >>> headline("\\nWASHINGTON — The Senate voted on Monday.\\nMore text.")
    'The Senate voted on Monday.'
    """
    first = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    first = DATELINE.sub("", first, count=1) or first
    return shorten(first, limit)


def story_overview(articles: pd.DataFrame, *, story_col: str = "story", outlet_col: str = "outlet",
                   text_col: str = "text", title_col: str = "title") -> pd.DataFrame:
    """One row per story: ``story``, ``title``, ``n_articles``, ``n_outlets``, ``outlets``, ``page``.

    ``title`` is a readable name for axes and links: the ``title_col`` of the story's
    first article (by ``doc_id``) when the corpus has that column and the value is not
    empty (Article-Bias-Prediction's headlines), else the first line of its text
    without a leading dateline (a first line can be page furniture such as "Image
    copyright AFP": the headline column is preferred for that reason). Sorted by
    ``n_articles`` descending, then story.
    """
    rows = []
    has_title = title_col in articles.columns
    for story, part in articles.groupby(articles[story_col].astype(str), sort=True):
        part = part.sort_values("doc_id") if "doc_id" in part.columns else part
        outlets = sorted(map(str, part[outlet_col].unique()))
        given = next((str(t).strip() for t in part[title_col] if pd.notna(t) and str(t).strip()), "") \
            if has_title else ""
        rows.append({"story": story, "title": shorten(" ".join(given.split()), 90) if given
                     else headline(part[text_col].iloc[0]),
                     "n_articles": len(part), "n_outlets": len(outlets),
                     "outlets": "; ".join(outlets), "page": page_name(story)})
    out = pd.DataFrame(rows, columns=["story", "title", "n_articles", "n_outlets", "outlets", "page"])
    return out.sort_values(["n_articles", "story"], ascending=[False, True], kind="stable").reset_index(drop=True)
