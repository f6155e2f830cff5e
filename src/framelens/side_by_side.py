"""The versions side by side: one HTML page, a column per outlet, a row per group of matched passages.

Built from the report's saved tables only (``OUT/tables/``), so it shows the alignment the
findings page counts:

* ``sentence_labels.csv``: every sentence with its label (shared verbatim, paraphrased,
  unique) and ``alignment.csv``: every matched pair of sentences. :func:`passage_groups`
  joins matched sentences into groups (connected pieces of the match graph: a sentence
  with its counterparts, their counterparts, ...) and orders the groups by the mean
  relative position of their sentences in their articles; a sentence no other version
  matches is a group of its own. Each sentence keeps its number (``#5``), so a sentence
  placed out of its article's order is visible as such.
* Highlights inside the sentences, from the tables: the labels each outlet gives an
  actor (``actor_labels.csv``), lexicon hits (``lexicon_hits.csv``; loaded registers
  stronger, and marked as in the outlet's own voice or inside a quotation from
  ``quoted_regions.csv``, else ``quotes.csv``), the marked spellings an outlet uses (``spelling_marked.csv``) and
  traces of translation (``traces.csv``, those in the cleaned text).

:func:`mark_spans` writes a text with its highlights as HTML: every piece of article text
goes through :func:`html.escape`, highlights nest, and a highlight that crosses another is
cut at the other's end. The page has no script and no external resource.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

__all__ = ["mark_spans", "passage_groups", "sentence_marks", "side_by_side_page", "PAGE_NAME"]

#: File name of the page inside the report folder.
PAGE_NAME: str = "side_by_side.html"

_LOADED = ("delegitimising", "legitimising")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def mark_spans(text: str, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """``text`` as HTML with each span wrapped in ``<mark class=... title=...>``; all text escaped.

    Parameters
    ----------
    text : str
        Any text (article text included): every character is escaped.
    spans : iterable of (start, end, css_class, title)
        Character offsets into ``text`` (clipped to it; empty spans dropped). A span
        inside another nests in it; a span that crosses the end of an open one is cut
        there, so the markup is always well formed.

    Returns
    -------
    str
        HTML whose visible text is exactly ``text``.

    Examples
    --------
    >>> mark_spans("Russian dictator <b>", [(8, 16, "loaded", "delegitimising"), (0, 16, "label", "Putin")])
    '<mark class="label" title="Putin">Russian <mark class="loaded" title="delegitimising">dictator</mark></mark> &lt;b&gt;'
    """
    n = len(text)
    cleaned = sorted(((max(0, int(s)), min(n, int(e)), str(c), str(t)) for s, e, c, t in spans),
                     key=lambda x: (x[0], -x[1]))
    out: list[str] = []
    pos = 0
    stack: list[int] = []
    for start, end, cls, title in cleaned:
        while stack and stack[-1] <= start:
            out.append(_e(text[pos:stack[-1]]))
            pos = stack.pop()
            out.append("</mark>")
        if stack and end > stack[-1]:
            end = stack[-1]
        if end <= start or start < pos:
            continue
        out.append(_e(text[pos:start]))
        pos = start
        out.append(f'<mark class="{_e(cls)}" title="{_e(title)}">')
        stack.append(end)
    while stack:
        out.append(_e(text[pos:stack[-1]]))
        pos = stack.pop()
        out.append("</mark>")
    out.append(_e(text[pos:]))
    return "".join(out)


def passage_groups(labels: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Give every sentence a row: matched sentences share one, in reading order.

    Parameters
    ----------
    labels : DataFrame
        ``sentence_labels.csv``: ``doc_id``, ``sent_id`` (one row per sentence).
    pairs : DataFrame
        ``alignment.csv``: ``doc_id``, ``sent_id``, ``other_doc_id``, ``other_sent_id``
        (matched pairs, either direction).

    Returns
    -------
    DataFrame
        ``labels`` with ``group`` (0, 1, ... in display order): the connected piece of
        the match graph holding the sentence, ordered by the mean of
        ``sent_id / n_sentences`` of its sentences (ties by the first sentence).

    Examples
    --------
    >>> lab = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 1, 0, 1]})
    >>> pr = pd.DataFrame({"doc_id": ["a"], "sent_id": [1], "other_doc_id": ["b"], "other_sent_id": [0]})
    >>> passage_groups(lab, pr)["group"].tolist()
    [0, 1, 1, 2]
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys = [(str(d), int(s)) for d, s in zip(labels["doc_id"], labels["sent_id"])]
    for k in keys:
        find(k)
    for d, s, od, os_ in zip(pairs["doc_id"], pairs["sent_id"], pairs["other_doc_id"], pairs["other_sent_id"]):
        a, b = find((str(d), int(s))), find((str(od), int(os_)))
        if a != b and a in parent and b in parent:
            parent[a] = b
    size = labels.groupby(labels["doc_id"].astype(str))["sent_id"].transform("count").to_numpy()
    rel = [s / max(n, 1) for (_, s), n in zip(keys, size)]
    roots = [find(k) for k in keys]
    frame = pd.DataFrame({"root": roots, "rel": rel, "pos": range(len(keys))})
    order = frame.groupby("root").agg(mean=("rel", "mean"), first=("pos", "min")).sort_values(
        ["mean", "first"], kind="mergesort")
    rank = {root: i for i, root in enumerate(order.index)}
    return labels.assign(group=[rank[r] for r in roots])


def _word_spans(sentence: str, needle: str) -> list[tuple[int, int]]:
    if not needle:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(sentence)]


def sentence_marks(sent: pd.Series, tables: dict[str, pd.DataFrame | None]) -> list[tuple[int, int, str, str]]:
    """The highlights of one sentence (offsets into the sentence), read from the tables.

    Parameters
    ----------
    sent : Series
        One row of ``sentence_labels.csv`` (``doc_id``, ``outlet``, ``start``, ``end``, ``sentence``).
    tables : dict
        ``actor_labels``, ``lexicon_hits``, ``quotes``, ``spelling_marked`` (or the same columns of
        ``spelling_table.csv``), ``traces`` (any may be None).

    Returns
    -------
    list of (start, end, css_class, title)

    Examples
    --------
    >>> s = pd.Series({"doc_id": "d", "outlet": "A", "start": 10, "end": 35,
    ...                "sentence": "Russian dictator Putin."})
    >>> lab = pd.DataFrame({"actor": ["Putin"], "outlet": ["A"], "label": ["Russian dictator"]})
    >>> sentence_marks(s, {"actor_labels": lab})
    [(0, 16, 'label', 'label of Putin: Russian dictator')]
    """
    text = str(sent["sentence"])
    doc, outlet = str(sent["doc_id"]), str(sent["outlet"])
    lo, hi = int(sent["start"]), int(sent["end"])
    marks: list[tuple[int, int, str, str]] = []
    labels = tables.get("actor_labels")
    if labels is not None and not labels.empty:
        for r in labels[labels["outlet"].astype(str) == outlet].itertuples():
            for a, b in _word_spans(text, str(r.label)):
                marks.append((a, b, "label", f"label of {r.actor}: {r.label}"))
    quotes = tables.get("quotes")
    spans = []
    if quotes is not None and not quotes.empty and "start" in quotes:
        q = quotes[quotes["doc_id"].astype(str) == doc]
        spans = list(zip(q["start"].astype(int), q["end"].astype(int)))
    hits = tables.get("lexicon_hits")
    if hits is not None and not hits.empty:
        mine = hits[(hits["doc_id"].astype(str) == doc) & (hits["start"] >= lo) & (hits["end"] <= hi)]
        for r in mine.itertuples():
            quoted = any(a <= r.start and r.end <= b for a, b in spans)
            voice = "inside a quotation" if quoted else "in the outlet's own voice"
            kind = "loaded" if str(r.register) in _LOADED else "lexicon"
            marks.append((int(r.start) - lo, int(r.end) - lo, f"{kind}{' quoted' if quoted else ''}",
                          f"{r.register} ({r.term}), {voice}"))
    spelling = tables.get("spelling_marked")
    if spelling is not None and not spelling.empty:
        used = spelling[(spelling["outlet"].astype(str) == outlet) & (spelling["count"] > 0)]
        names = spelling[spelling["count"] > 0].groupby("name")["variant"].nunique()
        for r in used[used["name"].isin(names[names > 1].index)].itertuples():
            for a, b in _word_spans(text, str(r.variant)):
                marks.append((a, b, "spelling", f"spelling of {r.name}: {r.variant} ({r.marked_as})"))
    traces = tables.get("traces")
    if traces is not None and not traces.empty:
        mine = traces[(traces["doc_id"].astype(str) == doc) & (traces["column"].astype(str) == "text")]
        for r in mine.itertuples():
            if lo <= int(r.start) and int(r.end) <= hi:
                marks.append((int(r.start) - lo, int(r.end) - lo, "trace", f"{r.kind}: {r.evidence}"))
    return marks


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.5rem}p.meta{color:#555;max-width:60rem}
table{border-collapse:collapse;table-layout:fixed;width:100%;font-size:.9rem}
th{position:sticky;top:0;background:#fff;border-bottom:2px solid #333;text-align:left;padding:.3rem}
td{vertical-align:top;border-bottom:1px solid #ddd;padding:.3rem}
td.group,th.group{width:3rem;color:#777;font-size:.8rem}
.s{display:block;margin:.15rem 0;padding:.15rem .3rem;border-left:4px solid transparent}
.shared-verbatim{border-left-color:#332288;background:#eceaf6}
.paraphrased{border-left-color:#88CCEE;background:#f1f8fc}
.unique{border-left-color:#DDCC77;background:#fbf6e3}
.n{color:#777;font-size:.75rem;margin-right:.3rem}
mark{background:none;color:inherit}
mark.label{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:2px}
mark.loaded{background:#f5c6a5;font-weight:600}mark.loaded.quoted{background:#fbe3d2;font-weight:normal}
mark.lexicon{background:#e6e6e6}mark.lexicon.quoted{background:#f3f3f3}
mark.spelling{outline:2px dotted #117733}
mark.trace{background:#f7d7e5;outline:1px solid #882255}
.legend span{display:inline-block;margin:.2rem .6rem .2rem 0;padding:.1rem .4rem}
ul.furniture{font-size:.8rem;color:#555;margin:.2rem 0;padding-left:1rem}
"""


def _read(out: Path, name: str) -> pd.DataFrame | None:
    path = out / "tables" / f"{name}.csv"
    return pd.read_csv(path, keep_default_na=False) if path.is_file() else None


def side_by_side_page(out: str | Path, *, order: Sequence[str] | None = None,
                      colours: dict[str, str] | None = None) -> str | None:
    """The side-by-side page as one HTML string, or None without ``sentence_labels.csv``.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/``.
    order : sequence of str, optional
        Column order (:func:`framelens.viz.outlet_order`); default the order of the table.
    colours : dict, optional
        Outlet -> colour of its column heading.

    Returns
    -------
    str or None
        The HTML document: no script, no external resource, every piece of text escaped.
    """
    out = Path(out)
    labels = _read(out, "sentence_labels")
    if labels is None or labels.empty:
        return None
    pairs = _read(out, "alignment")
    if pairs is None:
        pairs = pd.DataFrame(columns=["doc_id", "sent_id", "other_doc_id", "other_sent_id"])
    tables = {name: _read(out, name) for name in ("actor_labels", "lexicon_hits", "quotes",
                                                  "spelling_marked", "traces")}
    if (out / "tables" / "quoted_regions.csv").is_file():  # quotations and scare quotes: not the outlet's voice
        tables["quotes"] = _read(out, "quoted_regions")
    if (out / "tables" / "spelling_table.csv").is_file():  # every name spelled in more than one way
        tables["spelling_marked"] = _read(out, "spelling_table")
    from framelens.viz import outlet_order

    grouped = passage_groups(labels, pairs)
    docs = grouped[["doc_id", "outlet"]].drop_duplicates("doc_id")
    column = {str(d): (str(o) if (docs["outlet"] == o).sum() == 1 else f"{o} \u00b7 {d}")
              for d, o in zip(docs["doc_id"], docs["outlet"])}
    heads = outlet_order(column.values(), order=order)
    by_head = {v: k for k, v in column.items()}
    counts = grouped.groupby("doc_id")["label"].value_counts().unstack(fill_value=0)
    from framelens.align import MIN_WORDS, PARAPHRASE, VERBATIM

    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>framelens: the versions side by side</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>The versions side by side</h1>",
        '<p class="meta"><a href="index.html">Back to the findings</a>. One column per version, one row per '
        "group of matched sentences (a sentence, its counterparts in the other versions, theirs, ...), in "
        f"reading order; <span class=\"n\">#n</span> is the sentence's place in its article. A sentence is "
        f"<b>shared verbatim</b> when at least {VERBATIM:.0%} of its word trigrams recur in another version, "
        f"<b>paraphrased</b> when its TF-IDF cosine with its best counterpart is at least {PARAPHRASE:.2f} "
        f"and the two are each other's best match, and <b>unique</b> otherwise (sentences under {MIN_WORDS} "
        "words are never matched). Hover a highlight for what it is.</p>",
        '<p class="legend"><span class="s shared-verbatim">shared verbatim</span>'
        '<span class="s paraphrased">paraphrased</span><span class="s unique">unique</span>'
        '<mark class="label">actor label</mark> <mark class="loaded">loaded term, own voice</mark> '
        '<mark class="loaded quoted">loaded term, quoted</mark> <mark class="lexicon">other lexicon term</mark> '
        '<mark class="spelling">marked spelling</mark> <mark class="trace">translation trace</mark></p>',
        '<table><thead><tr><th class="group">row</th>',
    ]
    width = f"{(100 - 4) / max(1, len(heads)):.1f}%"
    for head in heads:
        doc = by_head[head]
        c = counts.loc[doc] if doc in counts.index else pd.Series(dtype=int)
        tally = ", ".join(f"{int(c.get(k, 0))} {k}" for k in ("shared-verbatim", "paraphrased", "unique"))
        style = f' style="width:{width};color:{_e((colours or {}).get(head, "#1a1a1a"))}"'
        parts.append(f"<th{style}>{_e(head)}<br><span class=\"n\">{_e(tally)} sentences</span></th>")
    parts.append("</tr></thead><tbody>")
    for group, rows in grouped.groupby("group", sort=True):
        parts.append(f'<tr><td class="group">{int(group) + 1}</td>')
        for head in heads:
            mine = rows[rows["doc_id"].astype(str) == by_head[head]].sort_values("sent_id")
            cell = []
            for _, s in mine.iterrows():
                title = f"{s['label']}"
                if int(s["n_words"]) < MIN_WORDS:
                    title += f" (under {MIN_WORDS} words: never matched)"
                if s["shared_with"]:
                    title += f" with {s['shared_with']} (best cosine {float(s['best_cosine']):.2f})"
                body = mark_spans(str(s["sentence"]), sentence_marks(s, tables))
                cell.append(f'<span class="s {_e(s["label"])}" title="{_e(title)}">'
                            f'<span class="n">#{int(s["sent_id"]) + 1}</span>{body}</span>')
            parts.append(f"<td>{''.join(cell)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    furniture = tables.get("traces")
    if furniture is not None and not furniture.empty:
        removed = furniture[furniture["column"].astype(str) != "text"]
        if len(removed):
            parts.append("<h2>Page furniture removed before the comparison</h2><ul class=\"furniture\">")
            parts += [f"<li>{_e(r.outlet)}: {_e(r.rule)}: \u201c{_e(r.evidence)}\u201d</li>"
                      for r in removed.itertuples()]
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
