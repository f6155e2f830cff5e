"""Loaded versus neutral wording: a documented lexicon, rates per outlet, keyword in context.

The lexicon ships as package data (``framelens/data/lexicon.csv``), one row per term
or regular expression, with its *register* and the source that motivates it:

``delegitimising``
    denies the target's authority or legitimacy ("illegitimate", "dictator", "regime");
``legitimising``
    the opposite, or a party's own euphemism ("special military operation");
``neutral``
    plain baseline wording for the same referents ("President", "war", "invasion");
``intensifying``
    boosters that raise certainty or magnitude ("inevitable", "constant escalation");
``hedging``
    hedges that lower commitment ("reportedly", "could", "according to").

A researcher extends it with their own CSV of the same columns
(:func:`load_lexicon`). All patterns form a single compiled alternation
(case-insensitive, between word boundaries, longest pattern first, so "special
military operation" wins over any shorter term inside it), which decides every hit.
To scale to tens of thousands of articles it is not run at every position: an
Aho-Corasick automaton (``pyahocorasick``) finds, in one pass over the lowercased
text, the places where some entry's literal beginning occurs ("war", "liberat",
"seem", "appear", ...), and the alternation is tried only there. Entries without a
literal beginning (a user's ``(?:un)?justified``) are located by a scan of those
entries alone. The hits are exactly those of scanning the text with the alternation
(a test checks this on real articles).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from framelens.plots import PALETTE, new_axes
from framelens.text import count_words, sentence_spans

__all__ = ["LexiconError", "REGISTERS", "LEXICON_COLUMNS", "load_lexicon", "lexicon_for_corpus",
           "compile_lexicon", "lexicon_hits", "register_rates", "plot_register_rates"]

#: Allowed registers, in display order.
REGISTERS: tuple[str, ...] = ("delegitimising", "legitimising", "neutral", "intensifying",
                              "hedging")
#: Columns every lexicon file must have.
LEXICON_COLUMNS: tuple[str, ...] = ("term", "is_regex", "register", "target_type", "note",
                                    "source")
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file, the row and the fix."""


def _read(source: str | Path | pd.DataFrame, where: str | None = None
          ) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), where or "lexicon table"
    path = Path(source)
    if not path.is_file():
        raise LexiconError(f"lexicon file {str(path)!r} not found")
    return pd.read_csv(path, dtype=str, keep_default_na=False), str(path)


def _validate(table: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in LEXICON_COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(f"{where}: missing column(s) {missing}; required columns are "
                           f"{list(LEXICON_COLUMNS)}, found {list(map(str, table.columns))}")
    table = table.reset_index(drop=True).astype({c: "string" for c in table.columns})
    table = table.fillna("")
    flags = []
    for i, row in table.iterrows():
        line = int(i) + 2
        term = str(row["term"])
        if not term.strip():
            raise LexiconError(f"{where}, row {line}: empty 'term'")
        flag = str(row["is_regex"]).strip().lower()
        if flag not in _TRUE | _FALSE:
            raise LexiconError(f"{where}, row {line} ({term!r}): is_regex={row['is_regex']!r}; "
                               "use true or false")
        flags.append(flag in _TRUE)
        reg = str(row["register"]).strip()
        if reg not in REGISTERS:
            raise LexiconError(f"{where}, row {line} ({term!r}): register {reg!r} is not one of "
                               f"{list(REGISTERS)}")
        if flag in _TRUE:
            if "(?P<" in term:
                raise LexiconError(f"{where}, row {line}: named group in {term!r}; use (?:...)")
            try:
                rx = re.compile(term, re.IGNORECASE)
            except re.error as err:
                raise LexiconError(f"{where}, row {line}: invalid regular expression {term!r}: "
                                   f"{err}; fix it or set is_regex to false") from None
            if rx.fullmatch(""):
                raise LexiconError(f"{where}, row {line}: pattern {term!r} matches the empty "
                                   "string")
        if not str(row["source"]).strip():
            raise LexiconError(f"{where}, row {line} ({term!r}): empty 'source'; say where the "
                               "term's register comes from")
    table["is_regex"] = pd.array(flags, dtype="boolean")
    table["register"] = table["register"].str.strip()
    table["origin"] = where
    table["row"] = np.arange(2, len(table) + 2)
    return table


def load_lexicon(path: str | Path | pd.DataFrame | None = None, *,
                 extra: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame]
                 | None = None) -> pd.DataFrame:
    """Read, validate and combine lexicon files.

    Parameters
    ----------
    path : path, DataFrame or None, default None
        The base lexicon; None reads the shipped ``framelens/data/lexicon.csv``.
        Columns :data:`LEXICON_COLUMNS`: ``term`` (a word, phrase or regular
        expression), ``is_regex`` (true/false), ``register`` (one of
        :data:`REGISTERS`), ``target_type`` (what it describes: person, government,
        country, territory, war, event, claim), ``note``, ``source`` (required: where
        the register comes from).
    extra : path, DataFrame or list of them, optional
        The researcher's own additions, validated the same way.

    Returns
    -------
    pandas.DataFrame
        The combined lexicon plus ``origin`` (file) and ``row`` (1-based CSV line).

    Raises
    ------
    LexiconError
        Missing column, empty term or source, unknown register, invalid regex, or
        a term (case-insensitive) listed twice; the message names file and row.

    Examples
    --------
    >>> lex = load_lexicon(extra=pd.DataFrame({"term": ["Kremlin regime"],
    ...     "is_regex": ["false"], "register": ["delegitimising"],
    ...     "target_type": ["government"], "note": [""], "source": ["my coding"]}))
    >>> lex.loc[lex["term"] == "Kremlin regime", ["register", "origin"]].to_dict("records")
    [{'register': 'delegitimising', 'origin': 'lexicon table'}]
    """
    if path is None:
        with resources.files("framelens").joinpath("data/lexicon.csv").open(
                encoding="utf-8") as fh:
            base = pd.read_csv(fh, dtype=str, keep_default_na=False)
        parts = [_validate(base, "framelens/data/lexicon.csv")]
    else:
        parts = [_validate(*_read(path))]
    extras: list = []
    if extra is not None:
        extras = list(extra) if isinstance(extra, (list, tuple)) else [extra]
    for e in extras:
        parts.append(_validate(*_read(e)))
    table = pd.concat(parts, ignore_index=True)
    seen: dict[str, tuple[str, int]] = {}
    for term, origin, row in zip(table["term"], table["origin"], table["row"]):
        key = str(term).strip().lower()
        if key in seen:
            o, r = seen[key]
            raise LexiconError(f"{origin}, row {row}: term {term!r} is already listed in {o}, "
                               f"row {r}; remove one (to recode a shipped term, pass your own "
                               "complete file as path=)")
        seen[key] = (str(origin), int(row))
    return table


def lexicon_for_corpus(path: str | Path) -> tuple[pd.DataFrame, str]:
    """The shipped lexicon plus the corpus's own lexicon files.

    Every file named ``lexicon*.csv`` (``lexicon.csv``, ``lexicon-sports.csv``, ...)
    in the corpus folder (for a single-file corpus, the folder holding the file) is
    read, in name order, as an ``extra`` of :func:`load_lexicon`: same columns,
    same validation, and a term already in the shipped lexicon is an error naming
    both rows. The note returned with the table says which files were added, so a
    report states what its counts rest on.

    Parameters
    ----------
    path : str or Path
        The corpus folder or file, as passed to :func:`framelens.corpus.load_corpus`.

    Returns
    -------
    table : pandas.DataFrame
        As :func:`load_lexicon`; ``origin`` names the file of each term.
    note : str
        Which lexicon files were used.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> lexicon_for_corpus(folder)[1]
    'Shipped lexicon only (no lexicon*.csv in the corpus folder).'
    >>> _ = (folder / "lexicon-mine.csv").write_text(
    ...     "term,is_regex,register,target_type,note,source\\n"
    ...     "Kremlin regime,false,delegitimising,government,,my coding\\n", encoding="utf-8")
    >>> lex, note = lexicon_for_corpus(folder)
    >>> note, lex["origin"].iloc[-1].endswith("lexicon-mine.csv")
    ('Shipped lexicon plus 1 term(s) from lexicon-mine.csv.', True)
    """
    from framelens.corpus import corpus_folder

    folder = corpus_folder(path)
    files = sorted(p for p in folder.glob("lexicon*.csv") if p.is_file())
    table = load_lexicon(extra=files or None)
    if files:
        added = int((table["origin"] != "framelens/data/lexicon.csv").sum())
        return table, (f"Shipped lexicon plus {added} term(s) from "
                       f"{', '.join(p.name for p in files)}.")
    return table, "Shipped lexicon only (no lexicon*.csv in the corpus folder)."


def compile_lexicon(lexicon: pd.DataFrame) -> re.Pattern[str]:
    """One case-insensitive alternation of every term, longest first, one named group each.

    Literal terms are escaped and their spaces match any whitespace; the whole
    alternation starts at a word start (``(?<!\\w)``) and each alternative ends at a
    word boundary. The group ``t<i>`` names row ``i``.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> rx = compile_lexicon(lex)
    >>> m = rx.search("a special military operation")
    >>> lex.loc[int(m.lastgroup[1:]), "term"]
    'special military operation'
    """
    return _alternation(lexicon)


def _bodies(lexicon: pd.DataFrame) -> list[str]:
    """Each entry's regular expression as :func:`compile_lexicon` builds it."""
    return [str(term) if bool(is_rx) else r"\s+".join(map(re.escape, str(term).split()))
            for term, is_rx in zip(lexicon["term"], lexicon["is_regex"])]


#: Characters that ``re.IGNORECASE`` matches to an ASCII letter although
#: ``str.lower`` does not make them one (Python's ``re`` documentation); folded first.
_FOLD = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_MAX_PREFIXES = 64


def _prefixes(body: str) -> set[str] | None:
    """Lowercase ASCII strings one of which begins every match of ``body``, or None.

    Read from the parsed pattern (``re``'s own parser): literal characters are
    collected up to the first construct that is not a literal or a group or
    alternation of literals. None when some match could begin otherwise (an empty
    prefix, a character class or optional part first, a non-ASCII letter).
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(body, re.IGNORECASE)
    except Exception:  # pragma: no cover - another Python's internals
        return None

    def walk(items: list[tuple[object, object]]) -> tuple[set[str], bool]:
        out = {""}
        for op, av in items:
            if op is c.LITERAL:
                out = {p + chr(av) for p in out}  # type: ignore[call-overload]
                continue
            if op is c.SUBPATTERN:
                sub, whole = walk(list(av[-1]))  # type: ignore[index]
            elif op is c.BRANCH:
                subs = [walk(list(b)) for b in av[1]]  # type: ignore[index]
                sub = set().union(*(x for x, _ in subs))
                whole = all(w for _, w in subs)
            else:
                return out, False
            out = {p + q for p in out for q in sub}
            if not whole or len(out) > _MAX_PREFIXES:
                return out, False
        return out, True

    try:
        found, _ = walk(list(parsed))
    except Exception:  # pragma: no cover - an unexpected parse tree
        return None
    if not found or any(not p or not p.isascii() for p in found):
        return None
    return {p.lower() for p in found}


def _alternation(lexicon: pd.DataFrame, rows: Iterable[int] | None = None) -> re.Pattern[str]:
    """:func:`compile_lexicon`'s alternation, optionally of some rows only (same order)."""
    alts = []
    for i, body in enumerate(_bodies(lexicon)):
        if rows is None or i in rows:
            alts.append((len(str(lexicon["term"].iloc[i])), i, rf"(?P<t{i}>(?:{body})\b)"))
    alts.sort(key=lambda a: (-a[0], a[1]))
    # one shared left boundary instead of one per branch: about 4x faster on news text
    return re.compile(r"(?<!\w)(?:" + "|".join(a[2] for a in alts) + ")", re.IGNORECASE)


class _Matcher:
    """What :func:`_matches` needs: the alternation, the automaton, the rest's scan.

    ``automaton`` maps each entry beginning (lowercase) to its length and the rows
    that begin so; ``narrow(rows)`` is the alternation of those rows only (cached),
    which at a position where only they can match finds what the whole alternation
    finds there, with far fewer branches to try.
    """

    def __init__(self, lexicon: pd.DataFrame) -> None:
        self.lexicon = lexicon
        self.rx = compile_lexicon(lexicon)
        by_prefix: dict[str, set[int]] = {}
        slow = []
        for i, body in enumerate(_bodies(lexicon)):
            found = _prefixes(body)
            if found is None:
                slow.append(rf"(?:{body})\b")
                continue
            for p in found:
                by_prefix.setdefault(p, set()).add(i)
        self.automaton: Any = None
        if by_prefix:
            self.automaton = ahocorasick.Automaton()
            for p, rows in by_prefix.items():
                self.automaton.add_word(p, (len(p), frozenset(rows)))
            self.automaton.make_automaton()
        self.slow_rx = (re.compile(r"(?<!\w)(?=" + "|".join(slow) + ")", re.IGNORECASE)
                        if slow else None)
        self._narrow: dict[frozenset[int], re.Pattern[str]] = {}

    def narrow(self, rows: frozenset[int]) -> re.Pattern[str]:
        if rows not in self._narrow:
            self._narrow[rows] = _alternation(self.lexicon, rows)
        return self._narrow[rows]


def _matcher(lexicon: pd.DataFrame) -> _Matcher:
    """Build the matcher of :func:`_matches` for a validated lexicon."""
    return _Matcher(lexicon)


def _matches(text: str, matcher: _Matcher) -> Iterator[re.Match[str]]:
    """The matches of ``matcher.rx.finditer(text)``, trying only where one can start.

    Every match starts at a word start where the folded, lowercased text begins with
    one entry's prefix (automaton) or where an entry without a prefix matches
    (``slow_rx``). At the first kind only the entries with that prefix can match, so
    their alternation alone (same order, same group names) is tried; at the second
    the whole one. Trying positions in order and moving on past each match
    reproduces ``finditer``.
    """
    rx = matcher.rx
    folded = text.lower()
    if any(c in text for c in _FOLD):  # rare: str.translate is slow on long texts
        folded = text.translate(str.maketrans(_FOLD)).lower()
    if len(folded) != len(text):  # a character whose lowercase is longer: scan plainly
        yield from rx.finditer(text)
        return
    starts: dict[int, frozenset[int] | None] = {}
    if matcher.automaton is not None:
        for end, (length, rows) in matcher.automaton.iter(folded):
            p = end - length + 1
            if p == 0 or not (text[p - 1].isalnum() or text[p - 1] == "_"):
                starts[p] = starts.get(p, frozenset()) | rows  # type: ignore[operator]
    if matcher.slow_rx is not None:
        for m in matcher.slow_rx.finditer(text):
            starts[m.start()] = None  # an entry without a prefix: the whole alternation
    pos = 0
    for p in sorted(starts):
        if p < pos:
            continue
        rows = starts[p]
        m = (rx if rows is None else matcher.narrow(rows)).match(text, p)
        if m is None:
            continue
        if m.end() == p:  # an empty match: let finditer handle its subtleties
            yield from rx.finditer(text, pos)
            return
        yield m
        pos = m.end()


def lexicon_hits(corpus: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
                 mentions: pd.DataFrame | None = None, text_col: str = "text",
                 label_col: str = "outlet", window: int = 40,
                 registers: Iterable[str] | None = None,
                 sentences: bool = True) -> pd.DataFrame:
    """Every lexicon hit in context (a keyword-in-context table).

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per document: ``doc_id`` (or the index), ``text_col``, ``label_col``.
    lexicon : pandas.DataFrame, optional
        From :func:`load_lexicon` (default: the shipped lexicon).
    mentions : pandas.DataFrame, optional
        From :func:`framelens.actors.find_mentions` on the same corpus; a hit inside
        an actor's label span ("Russian *dictator* Vladimir Putin") names that actor.
    text_col, label_col : str
        Text and outlet columns.
    window : int, default 40
        Characters of left and right context (line breaks shown as spaces).
    registers : iterable of str, optional
        Keep only these registers.
    sentences : bool, default True
        Fill the ``sentence`` column (each hit's sentence, :func:`framelens.text.sentence_spans`).
        ``False`` leaves it ``<NA>`` and skips splitting texts into sentences, for a
        caller that needs only the hits or their counts (about a fifth of the time).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``outlet``, ``term`` (the lexicon entry), ``register``,
        ``target_type``, ``start``, ``end``, ``left``, ``match``, ``right``,
        ``sentence``, ``actor`` (``<NA>`` unless the hit labels an actor); sorted by
        doc_id and start.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                    "text": ["Russian dictator Putin may return."]})
    >>> lexicon_hits(df, window=8)[["term", "register", "left", "match", "right"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'term': 'dictator', 'register': 'delegitimising', 'left': 'Russian ', 'match': 'dictator',
      'right': ' Putin m'},
     {'term': '(?-i:may)|might|could', 'register': 'hedging', 'left': 'r Putin ', 'match': 'may',
      'right': ' return.'}]
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    keep = None
    if registers is not None:
        keep = set(registers)
        bad = sorted(keep - set(REGISTERS))
        if bad:
            raise ValueError(f"unknown register(s) {bad}; allowed: {list(REGISTERS)}")
    if not isinstance(sentences, bool):
        raise ValueError(f"sentences={sentences!r} must be True or False")
    matcher = _matcher(lexicon)
    terms = lexicon["term"].tolist()
    regs = lexicon["register"].tolist()
    targets = lexicon["target_type"].tolist()
    labelled: dict[object, list[tuple[int, int, str]]] = {}
    if mentions is not None:
        lab = mentions[mentions["label_start"] >= 0]
        for d, s, e, a in zip(lab["doc_id"], lab["label_start"], lab["label_end"], lab["actor"]):
            labelled.setdefault(d, []).append((int(s), int(e), str(a)))
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    rows = []
    for doc_id, outlet, text in zip(ids, corpus[label_col].tolist(), corpus[text_col].tolist()):
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: {text_col!r} is not a string ({text!r:.40})")
        spans = None
        starts = None
        for m in _matches(text, matcher):
            i = int(m.lastgroup[1:])
            if keep is not None and regs[i] not in keep:
                continue
            if spans is None and sentences:
                spans = sentence_spans(text)
                starts = np.array([s for s, _ in spans], dtype=np.int64)
            sentence = None
            if sentences:
                k = max(int(np.searchsorted(starts, m.start(), side="right")) - 1, 0)
                ss, se = spans[k] if spans else (0, len(text))
                sentence = text[ss:se]
            actor = next((a for s, e, a in labelled.get(doc_id, [])
                          if s <= m.start() and m.end() <= e), None)
            rows.append({
                "doc_id": doc_id, "outlet": outlet, "term": terms[i], "register": regs[i],
                "target_type": targets[i], "start": m.start(), "end": m.end(),
                "left": re.sub(r"\s", " ", text[max(0, m.start() - window):m.start()]),
                "match": m.group(0),
                "right": re.sub(r"\s", " ", text[m.end():m.end() + window]),
                "sentence": sentence, "actor": actor,
            })
    cols = ["doc_id", "outlet", "term", "register", "target_type", "start", "end", "left",
            "match", "right", "sentence", "actor"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({c: "string" for c in cols if c not in ("start", "end")})
    out = out.astype({"start": "int64", "end": "int64"})
    return out.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def register_rates(hits: pd.DataFrame, corpus: pd.DataFrame, *, text_col: str = "text",
                   label_col: str = "outlet", per: int = 1000,
                   doc_words: Sequence[int] | np.ndarray | None = None) -> pd.DataFrame:
    """Hits per register per outlet, and the rate per ``per`` words.

    ``rate = hits / words * per``, with ``words`` the outlet's token count
    (:func:`framelens.text.count_words`, the number of :func:`framelens.text.words`
    tokens, over ``text_col``).

    ``doc_words`` gives each row's word count when it is known already (the row sums
    of :func:`framelens.text.word_matrix`), so the texts are not tokenised again; it
    must be that count, one per row of ``corpus``.

    Returns
    -------
    pandas.DataFrame
        Tidy, every outlet x register (zeros included): ``outlet``, ``register``,
        ``hits``, ``words``, ``rate`` (per ``per`` words; column name kept as
        ``rate``; pass the same ``per`` to :func:`plot_register_rates`); sorted by outlet, register order
        of :data:`REGISTERS`.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                    "text": ["The dictator may go.", "The president went home."]})
    >>> r = register_rates(lexicon_hits(df), df)
    >>> r[r["hits"] > 0][["outlet", "register", "hits", "words", "rate"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'outlet': 'A', 'register': 'delegitimising', 'hits': 1, 'words': 4, 'rate': 250.0},
     {'outlet': 'A', 'register': 'hedging', 'hits': 1, 'words': 4, 'rate': 250.0},
     {'outlet': 'B', 'register': 'neutral', 'hits': 1, 'words': 4, 'rate': 250.0}]
    """
    if not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    for col in ("outlet", "register"):
        if col not in hits.columns:
            raise ValueError(f"hits lacks column {col!r}; pass the output of lexicon_hits()")
    if doc_words is None:
        per_doc = corpus[text_col].map(count_words)
    else:
        given = np.asarray(doc_words, dtype=np.int64).ravel()
        if len(given) != len(corpus):
            raise ValueError(f"doc_words has {len(given)} counts for {len(corpus)} rows of corpus")
        per_doc = pd.Series(given, index=corpus.index)
    n_words = per_doc.groupby(corpus[label_col].astype(str)).sum()
    outlets = sorted(n_words.index)
    counts = hits.groupby([hits["outlet"].astype(str), hits["register"].astype(str)]).size()
    rows = []
    for o in outlets:
        for reg in REGISTERS:
            h = int(counts.get((o, reg), 0))
            w = int(n_words[o])
            rows.append((o, reg, h, w, h / w * per if w else float("nan")))
    out = pd.DataFrame(rows, columns=["outlet", "register", "hits", "words", "rate"])
    out = out.astype({"outlet": "string", "register": "string", "hits": "int64",
                      "words": "int64", "rate": "float64"})
    return out


def plot_register_rates(rates: pd.DataFrame, *, registers: Sequence[str] | None = None,
                        ax: Axes | None = None, title: str | None = None,
                        per: int = 1000) -> Axes:
    """Grouped horizontal bars: rate per 1,000 words of each register, per outlet.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`register_rates`.
    registers : list of str, optional
        Registers to show, in order (default: all of :data:`REGISTERS`).
    ax : matplotlib Axes, optional
    title : str, optional
        Default names the outlet with the highest delegitimising rate (or of the
        first register shown).
    per : int, default 1000
        The ``per`` the rates were computed with (:func:`register_rates`), for the labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> r = pd.DataFrame({"outlet": ["A", "A", "B", "B"],
    ...                   "register": ["delegitimising", "neutral"] * 2,
    ...                   "hits": [2, 1, 0, 3], "words": [100, 100, 100, 100],
    ...                   "rate": [20.0, 10.0, 0.0, 30.0]})
    >>> ax = plot_register_rates(r, registers=["delegitimising", "neutral"])
    >>> ax.get_title()
    'A uses the most delegitimising wording (20.0 per 1,000 words)'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    regs = list(registers) if registers is not None else list(REGISTERS)
    bad = sorted(set(regs) - set(REGISTERS))
    if bad:
        raise ValueError(f"unknown register(s) {bad}; allowed: {list(REGISTERS)}")
    for col in ("outlet", "register", "rate"):
        if col not in rates.columns:
            raise ValueError(f"rates lacks column {col!r}; pass the output of register_rates()")
    if not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    wide = rates.pivot_table(index="outlet", columns="register", values="rate",
                             aggfunc="sum", observed=True).reindex(columns=regs).fillna(0.0)
    wide = wide.sort_index(ascending=False)
    ax = new_axes(ax, figsize=(7.0, 0.9 * len(wide) + 1.2))
    hits = None
    if "hits" in rates.columns:
        hits = rates.pivot_table(index="outlet", columns="register", values="hits",
                                 aggfunc="sum", observed=True).reindex(
            index=wide.index, columns=regs).fillna(0).astype(int)
    h = 0.8 / len(regs)
    y = np.arange(len(wide))
    for j, reg in enumerate(regs):
        pos = y + (len(regs) - 1 - j - (len(regs) - 1) / 2) * h
        ax.barh(pos, wide[reg], height=h, color=PALETTE[j % len(PALETTE)], label=reg)
        if hits is not None:
            for yy, val, n in zip(pos, wide[reg], hits[reg]):
                ax.text(val, yy, f" {n}", va="center", fontsize=7, color="#444444")
    ax.set_yticks(y, wide.index)
    ax.set_xlabel(f"hits per {per:,} words (raw hit counts at the bar ends)"
                  if hits is not None else f"hits per {per:,} words")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title is None:
        first = regs[0]
        top = wide[first].idxmax()
        title = (f"{top} uses the most {first} wording "
                 f"({wide.loc[top, first]:.1f} per {per:,} words)")
    ax.set_title(title)
    return ax
