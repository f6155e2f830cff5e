"""Lexicon hits: every hit in context with its voice (:func:`lexicon_hits`), or only counted
(:func:`count_hits`).

A hit's voice is the outlet's own narration or a quotation (:data:`VOICES`), read from a table
of quoted passages (:func:`quote_index`).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

import numpy as np
import pandas as pd

from framelens.text import sentence_spans
from framelens.wording.loading import REGISTERS, load_lexicon
from framelens.wording.matcher import compile_lexicon

__all__ = ["VOICES", "quote_index", "lexicon_hits", "count_hits"]

#: Whose words a hit is in.
VOICES: tuple[str, ...] = ("narration", "quotation")
_WHITE = re.compile(r"\s")


def _flat(text: str) -> str:
    """``text`` with every white-space character a plain space (same length)."""
    for ch in "\n\t\r":
        if ch in text:
            text = text.replace(ch, " ")
    # str.isprintable is False for every white space but " " (and for control characters)
    return text if text.isprintable() else _WHITE.sub(" ", text)


def quote_index(quotes: pd.DataFrame | None) -> dict[object, tuple[list[int], list[tuple[int, int, str]]]]:
    """The quoted passages of each document: ``doc_id -> (starts, [(start, end, speaker)])``, by start.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "a"], "start": [30, 4], "end": [40, 9], "speaker": ["Ann", None]})
    >>> quote_index(q)
    {'a': ([4, 30], [(4, 9, ''), (30, 40, 'Ann')])}
    """
    if quotes is None:
        return {}
    need = [c for c in ("doc_id", "start", "end") if c not in quotes.columns]
    if need:
        raise ValueError(f"quotes lacks column(s) {need}; pass a table with doc_id, start, end "
                         "(character offsets of each quoted passage) and optionally speaker, "
                         "e.g. framelens.quotes.quotes(corpus, min_words=1)")
    speakers = (quotes["speaker"] if "speaker" in quotes.columns
                else pd.Series("", index=quotes.index)).fillna("").astype(str)
    index: dict[object, tuple[list[int], list[tuple[int, int, str]]]] = {}
    ordered = sorted(zip(quotes["doc_id"], quotes["start"].astype(int), quotes["end"].astype(int),
                         speakers), key=lambda q: (str(q[0]), q[1]))
    for d, s, e, spk in ordered:
        starts, spans = index.setdefault(d, ([], []))
        starts.append(s)
        spans.append((s, e, spk))
    return index


def _voice(qindex: dict, doc_id: object, s: int, e: int) -> tuple[str, str | None]:
    got = qindex.get(doc_id)
    if got is None:
        return "narration", None
    starts, spans = got
    k = bisect_right(starts, s) - 1
    while k >= 0:  # the latest quote starting at or before the hit that still holds it
        qs, qe, spk = spans[k]
        if qe >= e:
            return "quotation", (spk or None)
        k -= 1
        if qs < s - 5000:
            break
    return "narration", None


_HIT_COLUMNS = ["doc_id", "outlet", "term", "register", "target_type", "start", "end", "left",
                "match", "right", "sentence", "actor", "voice", "speaker"]


def _check_columns(corpus: pd.DataFrame, *, text_col: str, label_col: str) -> None:
    """Refuse a text or label column the corpus lacks, naming the columns it has."""
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")


def _kept_registers(registers: Iterable[str] | None) -> set[str] | None:
    """The registers to keep (None: all), each one of :data:`~framelens.wording.loading.REGISTERS`."""
    if registers is None:
        return None
    keep = set(registers)
    bad = sorted(keep - set(REGISTERS))
    if bad:
        raise ValueError(f"unknown register(s) {bad}; allowed: {list(REGISTERS)}")
    return keep


def _label_spans(mentions: pd.DataFrame | None) -> dict[object, list[tuple[int, int, str]]]:
    """Each document's actor label spans, ``(start, end, actor)`` (none without ``mentions``)."""
    labelled: dict[object, list[tuple[int, int, str]]] = {}
    if mentions is not None:
        lab = mentions[mentions["label_start"] >= 0]
        for d, s, e, a in zip(lab["doc_id"], lab["label_start"], lab["label_end"], lab["actor"]):
            labelled.setdefault(d, []).append((int(s), int(e), str(a)))
    return labelled


def lexicon_hits(corpus: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
                 mentions: pd.DataFrame | None = None, quotes: pd.DataFrame | None = None,
                 text_col: str = "text", label_col: str = "outlet", window: int = 40,
                 registers: Iterable[str] | None = None,
                 sentences: bool = True) -> pd.DataFrame:
    """Every lexicon hit in context (a keyword-in-context table), with its voice.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per document: ``doc_id`` (or the index), ``text_col``, ``label_col``.
    lexicon : pandas.DataFrame, optional
        From :func:`~framelens.wording.loading.load_lexicon` (default: the shipped lexicons).
    mentions : pandas.DataFrame, optional
        From :func:`framelens.actors.find_mentions` on the same corpus; a hit inside
        an actor's label span ("Russian *dictator* Vladimir Putin") names that actor.
    quotes : pandas.DataFrame, optional
        Quoted passages: ``doc_id``, ``start``, ``end`` (character offsets of the
        quoted words in the text) and optionally ``speaker``, e.g.
        :func:`framelens.quotes.quotes` ``(corpus, min_words=1)``. A hit lying
        wholly inside a passage is in the ``quotation`` voice, with that passage's
        speaker; every other hit is ``narration``. Without ``quotes`` the voice is
        not known (``<NA>``).
    text_col, label_col : str
        Text and outlet columns.
    window : int, default 40
        Characters of left and right context (line breaks shown as spaces).
    registers : iterable of str, optional
        Keep only these registers.
    sentences : bool, default True
        Fill the ``sentence`` column (each hit's sentence, :func:`framelens.text.sentence_spans`).
        ``False`` leaves it ``<NA>`` and skips splitting texts into sentences.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``outlet``, ``term`` (the lexicon entry), ``register``,
        ``target_type``, ``start``, ``end``, ``left``, ``match``, ``right``,
        ``sentence``, ``actor`` (``<NA>`` unless the hit labels an actor), ``voice``
        (``narration``/``quotation``, ``<NA>`` without ``quotes``), ``speaker``
        (the quoted speaker, ``<NA>`` when unknown or in narration); sorted by doc_id
        and start.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                    "text": ['The dictator fell. "A brutal end," Ann said.']})
    >>> q = pd.DataFrame({"doc_id": ["a"], "start": [20], "end": [32], "speaker": ["Ann"]})
    >>> lexicon_hits(df, quotes=q)[["match", "register", "voice", "speaker"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'match': 'dictator', 'register': 'delegitimising', 'voice': 'narration', 'speaker': None},
     {'match': 'brutal', 'register': 'negative', 'voice': 'quotation', 'speaker': 'Ann'}]
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    _check_columns(corpus, text_col=text_col, label_col=label_col)
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    keep = _kept_registers(registers)
    if not isinstance(sentences, bool):
        raise ValueError(f"sentences={sentences!r} must be True or False")
    matcher = compile_lexicon(lexicon)
    terms = lexicon["term"].astype(str).tolist()
    regs = lexicon["register"].astype(str).tolist()
    targets = lexicon["target_type"].astype(str).tolist()
    labelled = _label_spans(mentions)
    qindex = quote_index(quotes)
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    keep_rows = None if keep is None else np.array([r in keep for r in regs], dtype=bool)
    doc_at, starts_, ends_, rows_ = [], [], [], []
    lefts, matches, rights, sents, voices, speakers = [], [], [], [], [], []
    for k, (doc_id, text) in enumerate(zip(ids, corpus[text_col].tolist())):
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: {text_col!r} is not a string ({text!r:.40})")
        found = matcher.find(text)
        if keep_rows is not None:
            found = [f for f in found if keep_rows[f[2]]]
        if not found:
            continue
        flat = _flat(text)
        spans = sentence_spans(text) if sentences else None
        sent_starts = [a for a, _ in spans] if spans else None
        doc_at.extend([k] * len(found))
        starts_.extend([f[0] for f in found])
        ends_.extend([f[1] for f in found])
        rows_.extend([f[2] for f in found])
        lefts.extend([flat[max(0, f[0] - window):f[0]] for f in found])
        matches.extend([text[f[0]:f[1]] for f in found])
        rights.extend([flat[f[1]:f[1] + window] for f in found])
        if spans is not None:
            for f in found:
                j = max(bisect_right(sent_starts, f[0]) - 1, 0)
                sents.append(text[spans[j][0]:spans[j][1]] if spans else text)
        if quotes is not None:
            for f in found:
                v, spk = _voice(qindex, doc_id, f[0], f[1])
                voices.append(v)
                speakers.append(spk)
    n = len(rows_)
    at = np.asarray(doc_at, dtype=np.int64)
    row_at = np.asarray(rows_, dtype=np.int64)

    def pick(values: list) -> np.ndarray:
        return np.asarray(values, dtype=object)[row_at] if n else np.array([], dtype=object)

    none = [None] * n
    out = pd.DataFrame({
        "doc_id": np.asarray(ids, dtype=object)[at] if n else [],
        "outlet": np.asarray(corpus[label_col].tolist(), dtype=object)[at] if n else [],
        "term": pick(terms), "register": pick(regs), "target_type": pick(targets),
        "start": np.asarray(starts_, dtype=np.int64), "end": np.asarray(ends_, dtype=np.int64),
        "left": lefts, "match": matches, "right": rights,
        "sentence": sents if sentences else none,
        "actor": _actors_for(labelled, ids, at, starts_, ends_),
        "voice": voices if quotes is not None else none,
        "speaker": speakers if quotes is not None else none,
    }, columns=_HIT_COLUMNS)
    out = out.astype({c: "string" for c in _HIT_COLUMNS if c not in ("start", "end")})
    return out.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def _actors_for(labelled: dict, ids: list, at: np.ndarray, starts: list[int], ends: list[int]) -> list:
    """The actor whose label span holds each hit (None when none or without mentions)."""
    if not labelled:
        return [None] * len(starts)
    out = []
    for k, s, e in zip(at.tolist(), starts, ends):
        mine = labelled.get(ids[k], [])
        out.append(next((a for ls, le, a in mine if ls <= s and e <= le), None))
    return out


def count_hits(corpus: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
               text_col: str = "text", label_col: str = "outlet") -> pd.DataFrame:
    """Hits per outlet and register, without the keyword-in-context table.

    The same hits as :func:`lexicon_hits`, counted: for a caller that needs only
    :func:`~framelens.wording.rates.register_rates` (which accepts this table as ``hits``),
    at a fraction of the cost when there are millions of hits.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``register``, ``hits`` (only pairs with at least one hit).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": ["A brutal, cruel dictator."]})
    >>> count_hits(df).to_dict("records")
    [{'outlet': 'A', 'register': 'delegitimising', 'hits': 1}, {'outlet': 'A', 'register': 'negative', 'hits': 2}]
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    _check_columns(corpus, text_col=text_col, label_col=label_col)
    matcher = compile_lexicon(lexicon)
    codes, names = pd.factorize(lexicon["register"].astype(str))
    outlets, labels = pd.factorize(corpus[label_col].astype(str))
    texts = corpus[text_col].tolist()
    for text in texts:
        if not isinstance(text, str):
            raise ValueError(f"{text_col!r} holds a value that is not a string ({text!r:.40})")
    per_doc, rows = matcher.hit_rows(texts)
    # table[outlet, register] = the number of hits: one bincount over outlet x register cells
    cells = np.repeat(outlets.astype(np.int64), per_doc) * len(names) + codes[rows]
    table = np.bincount(cells, minlength=len(labels) * len(names)).reshape(len(labels), len(names))
    o_idx, r_idx = np.nonzero(table)
    out = pd.DataFrame({"outlet": pd.array(labels[o_idx], dtype="string"),
                        "register": pd.array(names[r_idx], dtype="string"),
                        "hits": table[o_idx, r_idx]})
    return out.sort_values(["outlet", "register"], kind="mergesort").reset_index(drop=True)
