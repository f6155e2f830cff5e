"""Loaded versus neutral wording: licensed lexicons, hits in context, rates with intervals.

The general lexicons ship as package data under ``framelens/data/lexicons/``, one CSV
per published resource, each with its licence, version and citation beside it
(``resources.csv``, ``LICENSE-*``; ``docs/lexicons.md`` says which resources were
considered and why each was taken or left):

``framelens-general.csv``
    framelens' own coding (MIT): delegitimising labels ("dictator", "regime",
    "so-called"), adverbial hedges ("reportedly", "allegedly"), each with the
    dictionary sense or study behind it;
``vader.csv``
    the VADER sentiment lexicon (Hutto & Gilbert 2014, MIT): words rated negative or
    positive by ten raters (mean valence at least 1.0 from zero), and VADER's
    booster and dampener words as ``intensifying`` and ``hedging``;
``pattern-en-sentiment.csv``
    the subjective adjectives of pattern's English sentiment lexicon (De Smedt &
    Daelemans 2012, as shipped by TextBlob; PDDL).

A term listed by an earlier file is left out of the later ones, so every term has one
register. Each row has a *register* (:data:`REGISTERS`); :data:`LOADED_REGISTERS`
are the evaluative ones. Corpus-specific terms (the seed event's "special military
operation") sit next to the corpus in ``lexicon*.csv`` files of the same columns
(:func:`lexicon_for_corpus`); a corpus term replaces a shipped entry of the same term
(``replaces`` names it), because the researcher's coding of their corpus wins.

A row may name contexts in which its term has another, neutral sense, in the optional
column ``not_after`` (:data:`NOT_AFTER`): words or phrases, ``;``-separated, that, written
right before the term, make a hit not count. "regime" is delegitimising ("the Assad
regime") but a neutral technical noun after "sanctions", "inspection", "tax" or "visa"
(a system of rules: the dictionary's other sense), so ``framelens-general.csv`` lists
those modifiers there; ``docs/lexicons.md`` gives the list and what each removed.

Matching (:class:`LexiconMatcher`) is one pass over the lowercased text for all literal
terms (in C, ``framelens.textscan.TermTable``: each word looked up among the terms'
first words; without the C scanner, an Aho-Corasick automaton, ``pyahocorasick``), and one
``re2.Set`` pass (RE2, linear time) telling which regular-expression terms occur at
all, then only those are run. Hits start and end at word boundaries; a hit preceded by
one of its row's ``not_after`` words is dropped (checked only for the hits of rows that
have them); where hits overlap, the leftmost wins, then the longest, then the earlier
lexicon row. So a lexicon of tens of thousands of terms costs about what one of a
hundred does.

Every hit says whose voice it is in (:func:`lexicon_hits` ``quotes=``): the outlet's
own narration or a quotation, with the quoted speaker when known, and
:func:`voice_rates` counts the two apart, each rate with its count and an exact
Poisson interval (:func:`poisson_interval`).
"""
from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import pandas as pd
import re2
from matplotlib.axes import Axes

import framelens.text
from framelens.patterns import PatternError, compile_pattern, to_re2
from framelens.plots import PALETTE, new_axes
from framelens.text import count_words, sentence_spans

try:  # the C scanner (setup.py); without it the literal terms are found by pyahocorasick
    from framelens.textscan import TermTable
except ImportError:  # not built, or built before it had TermTable
    TermTable = None

__all__ = ["LexiconError", "REGISTERS", "LOADED_REGISTERS", "LEXICON_COLUMNS",
           "NOT_AFTER", "SHIPPED_RESOURCES", "VOICES", "load_lexicon", "lexicon_for_corpus", "shipped_resources",
           "LexiconMatcher", "matcher_spec", "compile_lexicon", "lexicon_hits", "count_hits",
           "poisson_interval", "register_rates", "voice_rates", "plot_register_rates"]

#: Allowed registers, in display order.
REGISTERS: tuple[str, ...] = ("delegitimising", "legitimising", "negative", "positive",
                              "intensifying", "hedging", "neutral")
#: Registers that evaluate their target (the rest modulate certainty or are baselines).
LOADED_REGISTERS: tuple[str, ...] = ("delegitimising", "legitimising", "negative", "positive")
#: Columns every lexicon file must have.
LEXICON_COLUMNS: tuple[str, ...] = ("term", "is_regex", "register", "target_type", "note",
                                    "source")
#: Optional column: words or phrases (``;``-separated) that, right before the term (spaces or a
#: hyphen between, no line break), make a hit not count ("sanctions" before "regime").
NOT_AFTER: str = "not_after"
#: The shipped resources, in priority order (file stems under ``framelens/data/lexicons/``).
SHIPPED_RESOURCES: tuple[str, ...] = ("framelens-general", "vader", "pattern-en-sentiment")
#: Whose words a hit is in.
VOICES: tuple[str, ...] = ("narration", "quotation")
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}
_FIX_ROW = "fix the row or remove it"
_W = r"\p{L}\p{N}_"  # Python's \w as an RE2 class body (as framelens.patterns rewrites it)


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file, the row and the fix."""


# --------------------------------------------------------------------------- reading
def _rows_of_csv(handle: Any, where: str) -> pd.DataFrame:
    """A lexicon CSV as strings, every row checked to have the header's number of fields."""
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise LexiconError(f"{where}: the file is empty; it needs the header "
                           f"{','.join(LEXICON_COLUMNS)}") from None
    except csv.Error as err:
        raise LexiconError(f"{where}, row 1: {err}") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    rows = []
    try:
        for line, fields in enumerate(reader, start=2):
            if not fields:
                continue
            if len(fields) != len(header):
                raise LexiconError(
                    f"{where}, row {line}: {len(fields)} fields where the header has "
                    f"{len(header)} ({', '.join(header)}); a field holding a comma must be "
                    f'quoted ("like, this"), and every row needs all {len(header)} fields')
            rows.append([line, *fields])
    except csv.Error as err:
        raise LexiconError(f"{where}, row {reader.line_num}: {err}; quote the field with "
                           '"..." and double any " inside it') from None
    table = pd.DataFrame(rows, columns=["row", *header], dtype=object)
    return table


def _read(source: str | Path | pd.DataFrame, where: str | None = None) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        table = source.reset_index(drop=True).copy()
        table.insert(0, "row", np.arange(2, len(table) + 2))
        return table, where or "lexicon table"
    path = Path(source)
    if not path.is_file():
        raise LexiconError(f"lexicon file {str(path)!r} not found")
    with path.open(encoding="utf-8", newline="") as fh:
        return _rows_of_csv(fh, str(path)), str(path)


def term_key(term: str) -> str:
    """How a term is compared: lowercase, one space between words, straight apostrophes."""
    return " ".join(str(term).replace("\u2019", "'").lower().split())


_ANCHOR = re.compile(r"(?<!\\)(?:\\\\)*(?:\^|\$)|\\[AzZ]")
# a group ending in a repetition that is itself repeated: (a+)+, (?:\w*)*, (x{2,})+
_NESTED = re.compile(r"[+*}]\)[+*{]")


def _check_regex(term: str, where: str) -> None:
    """Reject what a lexicon regex must not be; RE2 (via compile_pattern) checks the rest."""
    if _ANCHOR.search(term.replace("[^", "[")):
        raise LexiconError(f"{where}: pattern {term!r} has an anchor (^, $, \\A, \\z); a lexicon "
                           "term is found inside running text, so remove the anchor")
    if _NESTED.search(term):
        raise LexiconError(
            f"{where}: pattern {term!r} repeats a repetition, e.g. (a+)+; such a pattern "
            "backtracks catastrophically in Python's re and other tools that read lexicon "
            "files, and it matches what the inner repetition alone matches: drop the outer "
            "repetition (a+)")
    try:
        compile_pattern(term, where=where, ignorecase=True)
    except PatternError as err:
        raise LexiconError(f"{err}; or set is_regex to false for a literal term") from None


def _validate(table: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in LEXICON_COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(f"{where}: missing column(s) {missing}; required columns are "
                           f"{list(LEXICON_COLUMNS)}, found "
                           f"{[c for c in map(str, table.columns) if c != 'row']}")
    lines = table["row"].to_numpy()
    cols = {c: ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                for v in table[c].tolist()] for c in table.columns if c != "row"}
    terms = cols["term"]
    flags = [f.strip().lower() for f in cols["is_regex"]]
    regs = [r.strip() for r in cols["register"]]
    allowed = set(REGISTERS)
    for k, line in enumerate(lines):
        term = terms[k]
        if not term.strip():
            raise LexiconError(f"{where}, row {line}: empty 'term'; write the word or phrase, "
                               "or remove the row")
        if flags[k] not in _TRUE and flags[k] not in _FALSE:
            raise LexiconError(f"{where}, row {line} ({term!r}): is_regex={cols['is_regex'][k]!r}; "
                               "use true or false (a value of another column here means the row "
                               "has a field too many or too few)")
        if regs[k] not in allowed:
            raise LexiconError(f"{where}, row {line} ({term!r}): register {regs[k]!r} is not one "
                               f"of {list(REGISTERS)}; use one of them")
        if not cols["source"][k].strip():
            raise LexiconError(f"{where}, row {line} ({term!r}): empty 'source'; say where the "
                               "term's register comes from")
        if flags[k] in _TRUE:
            _check_regex(term, f"{where}, row {line}")
        elif not any(c.isalnum() for c in term):
            raise LexiconError(f"{where}, row {line}: term {term!r} has no letter or digit; "
                               f"write a word ({_FIX_ROW})")
    after = cols.get(NOT_AFTER, [""] * len(terms))
    for k, line in enumerate(lines):
        if any(w.strip() and not any(c.isalnum() for c in w) for w in after[k].split(";")):
            raise LexiconError(f"{where}, row {line} ({terms[k]!r}): {NOT_AFTER}={after[k]!r} holds a part with "
                               "no letter or digit; write words or phrases separated by ';', or leave it empty")
    cols[NOT_AFTER] = [";".join(term_key(w) for w in a.split(";") if w.strip()) for a in after]
    keys = [term_key(t) if f not in _TRUE else "re:" + t for t, f in zip(terms, flags)]
    seen: dict[str, int] = {}
    for k, key in enumerate(keys):
        if key in seen:
            raise LexiconError(f"{where}, row {lines[k]}: term {terms[k]!r} is already listed in "
                               f"row {lines[seen[key]]}; remove one of the two rows")
        seen[key] = k
    out = pd.DataFrame({c: pd.array(v, dtype="string") for c, v in cols.items()})
    out["term"] = pd.array([t.strip() for t in terms], dtype="string")
    out["is_regex"] = pd.array([f in _TRUE for f in flags], dtype="boolean")
    out["register"] = pd.array(regs, dtype="string")
    # a corpus's own file by its name, so tables do not depend on where the corpus sits
    out["origin"] = Path(where).name if Path(where).is_absolute() else where
    out["row"] = lines.astype("int64")
    out["key"] = keys
    return out


def shipped_resources() -> pd.DataFrame:
    """The shipped lexicon resources: file, version, licence, licence file, citation, url.

    Examples
    --------
    >>> shipped_resources()["resource"].tolist()
    ['framelens-general', 'vader', 'pattern-en-sentiment']
    """
    with resources.files("framelens").joinpath("data/lexicons/resources.csv").open(
            encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return table.set_index("resource").loc[list(SHIPPED_RESOURCES)].reset_index()


def _shipped(names: Sequence[str]) -> list[pd.DataFrame]:
    bad = sorted(set(names) - set(SHIPPED_RESOURCES))
    if bad:
        raise ValueError(f"unknown resource(s) {bad}; shipped: {list(SHIPPED_RESOURCES)}")
    parts = []
    for name in SHIPPED_RESOURCES:
        if name not in names:
            continue
        where = f"framelens/data/lexicons/{name}.csv"
        with resources.files("framelens").joinpath(f"data/lexicons/{name}.csv").open(
                encoding="utf-8", newline="") as fh:
            part = _validate(_rows_of_csv(io.StringIO(fh.read()), where), where)
        part["resource"] = name
        parts.append(part)
    return parts


def load_lexicon(path: str | Path | pd.DataFrame | None = None, *,
                 extra: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame]
                 | None = None, resources: Sequence[str] | None = None) -> pd.DataFrame:
    """Read, validate and combine lexicon files.

    Parameters
    ----------
    path : path, DataFrame or None, default None
        The base lexicon; None reads the shipped resources (``resources``).
        Columns :data:`LEXICON_COLUMNS`: ``term`` (a word, phrase or regular
        expression), ``is_regex`` (true/false), ``register`` (one of
        :data:`REGISTERS`), ``target_type`` (what it describes: person, government,
        country, territory, war, event, claim, any), ``note``, ``source`` (required:
        where the register comes from). Optional ``not_after`` (:data:`NOT_AFTER`):
        words or phrases, ``;``-separated, that right before the term make a hit not
        count ("sanctions;inspection" for "regime"). Further columns are kept.
    extra : path, DataFrame or list of them, optional
        The researcher's own additions, validated the same way. A term also in a
        shipped resource replaces the shipped entry (``replaces`` names it); a term
        in two of the researcher's files is an error.
    resources : list of str, optional
        Shipped resources to read when ``path`` is None (default all of
        :data:`SHIPPED_RESOURCES`).

    Returns
    -------
    pandas.DataFrame
        The combined lexicon, ``not_after`` as compared (:func:`term_key` of each
        part, ``;``-joined; empty when a file has no such column), plus ``origin``
        (file), ``row`` (1-based CSV line), ``resource`` (shipped resource name, or
        ``corpus``/``user``), ``key`` (the
        term as compared, :func:`term_key`), ``replaces`` (the shipped entry a
        corpus term replaced, else empty).

    Raises
    ------
    LexiconError
        Missing column, a row with too many or too few fields, empty term or source,
        unknown register, invalid or pathological regex (``(a+)+``, one that matches
        the empty string, a look-around), or a term listed twice; the message names
        file and row.

    Examples
    --------
    >>> lex = load_lexicon(extra=pd.DataFrame({"term": ["Kremlin regime"],
    ...     "is_regex": ["false"], "register": ["delegitimising"],
    ...     "target_type": ["government"], "note": [""], "source": ["my coding"]}))
    >>> lex.loc[lex["term"] == "Kremlin regime", ["register", "origin"]].to_dict("records")
    [{'register': 'delegitimising', 'origin': 'lexicon table'}]
    """
    if path is None:
        parts = _shipped(list(SHIPPED_RESOURCES) if resources is None else list(resources))
    else:
        base = _validate(*_read(path))
        base["resource"] = "user"
        parts = [base]
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    table["replaces"] = ""
    extras: list = []
    if extra is not None:
        extras = list(extra) if isinstance(extra, (list, tuple)) else [extra]
    if extras:
        shipped_at = {k: i for i, k in enumerate(table["key"])}
        added: dict[str, tuple[str, int]] = {}
        drop: list[int] = []
        new = []
        for e in extras:
            part = _validate(*_read(e))
            part["resource"] = "corpus"
            part["replaces"] = ""
            for j, (key, term, row) in enumerate(zip(part["key"], part["term"], part["row"])):
                origin = str(part["origin"].iloc[0])
                if key in added:
                    o, r = added[key]
                    raise LexiconError(f"{origin}, row {row}: term {term!r} is already listed in "
                                       f"{o}, row {r}; remove one of the two rows")
                added[key] = (origin, int(row))
                if key in shipped_at:
                    i = shipped_at[key]
                    drop.append(i)
                    part.loc[j, "replaces"] = f"{table['origin'].iloc[i]}, row {table['row'].iloc[i]}"
            new.append(part)
        table = pd.concat([table.drop(index=drop), *new], ignore_index=True)
    table["replaces"] = table["replaces"].astype("string")
    return table.reset_index(drop=True)


def lexicon_for_corpus(path: str | Path, *, resources: Sequence[str] | None = None
                       ) -> tuple[pd.DataFrame, str]:
    """The shipped lexicons plus the corpus's own lexicon files.

    Every file named ``lexicon*.csv`` (``lexicon.csv``, ``lexicon-sports.csv``, ...)
    in the corpus folder (for a single-file corpus, the folder holding the file) is
    read, in name order, as an ``extra`` of :func:`load_lexicon`: same columns,
    same validation; a corpus term replaces a shipped entry of the same term. The
    note returned with the table says which files were added, so a report states
    what its counts rest on.

    Parameters
    ----------
    path : str or Path
        The corpus folder or file, as passed to :func:`framelens.corpus.load_corpus`.
    resources : list of str, optional
        Shipped resources to include (default all).

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
    table = load_lexicon(extra=files or None, resources=resources)
    if files:
        added = int((table["resource"] == "corpus").sum())
        return table, (f"Shipped lexicon plus {added} term(s) from "
                       f"{', '.join(p.name for p in files)}.")
    return table, "Shipped lexicon only (no lexicon*.csv in the corpus folder)."


# --------------------------------------------------------------------------- matching
def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


#: Every ASCII byte that is not a word character (``[A-Za-z0-9_]``) -> space.
_SPACE_ASCII = bytes(c if (chr(c).isalnum() or c == 95) else 32 for c in range(128)) + bytes(range(128, 256))
_NON_WORD = re.compile(r"\W")
_NON_ASCII = re.compile("[\x80-\U0010ffff]")
_WHITE = re.compile(r"\s")


def _flat(text: str) -> str:
    """``text`` with every white-space character a plain space (same length)."""
    for ch in "\n\t\r":
        if ch in text:
            text = text.replace(ch, " ")
    # str.isprintable is False for every white space but " " (and for control characters)
    return text if text.isprintable() else _WHITE.sub(" ", text)


_FIRST_WORD = re.compile(r"\w+")


def _phrases(items: list[tuple[int, str]]) -> re.Pattern[str]:
    """Alternation of literal terms (lowercase keys), longest first, group ``p<row>`` each.

    Words may be separated by any run of spaces; a term ending in a word character must
    not be followed by one.
    """
    alts = []
    for i, key in sorted(items, key=lambda x: (-len(x[1]), x[0])):
        body = " +".join(re.escape(w) for w in key.split(" "))
        tail = r"(?!\w)" if _is_word(key[-1]) else ""
        alts.append(f"(?P<p{i}>{body}{tail})")
    return re.compile("|".join(alts))


def _fold(text: str) -> str:
    """Lowercase of ``text`` with the same length (straight apostrophes, tabs as spaces)."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lowercase is longer (U+0130)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if "\u2019" in low:
        low = low.replace("\u2019", "'")
    if "\t" in low or "\u00a0" in low:
        low = low.replace("\t", " ").replace("\u00a0", " ")
    return low


class LexiconMatcher:
    """All terms of a validated lexicon, found in one pass over a text.

    Literal terms are found by their :func:`term_key` forms in one pass over the
    lowercased text (words of a phrase may be separated by any run of spaces or tabs,
    not by a line break; the two engines below); regular-expression terms go into one
    RE2 set that says which of them occur, and only those are run (case-insensitive,
    linear time). A hit must start
    and end at a word boundary (when the term starts or ends with a letter, digit or
    ``_``, the character outside it must not be one). A hit of a row with
    ``not_after`` words (:data:`NOT_AFTER`) is dropped when one of them ends right
    before it: the word or phrase (its words separated by spaces or hyphens), not
    preceded by a word character, then spaces or hyphens up to the hit, no line break
    ("sanctions regime", "visa-free regime", "Iran-sanctions regime"); a Python
    :mod:`re` pattern of escaped literals, run only on the text before such a hit.
    Overlapping hits: the leftmost, then the longest, then the earlier row is kept
    (a dropped hit leaves its place to the others).

    Two engines find the literal terms, with the same hits (``tests/test_lexicon_engines.py``),
    chosen by :data:`framelens.text.WORD_ENGINE` at each call. ``"c"`` (when the C scanner
    ``framelens.textscan`` is built): ``TermTable`` reads the text once, lowercasing as it
    goes, looks each run of word characters up in a hash table of the terms' first words,
    tries that word's phrases where it starts, and keeps the non-overlapping hits, all in
    C. ``"re"``: one Aho-Corasick automaton (pyahocorasick) over a copy of the lowercased
    text in which every non-word character is a space, holding every first word as
    ``" word "``, so that only whole words are found; a phrase's rest is matched at its
    first word by the alternation of the phrases with that first word (Python ``re``).
    On the first 3,000 cleaned Article-Bias-Prediction articles with the shipped lexicon,
    :meth:`find` took 0.44 CPU s with ``"re"`` and 0.12 with ``"c"`` (173,173 hits).

    Examples
    --------
    >>> lex = load_lexicon(pd.DataFrame({"term": ["special operation", "operation", "war(?:s)?"],
    ...     "is_regex": ["false", "false", "true"], "register": ["legitimising", "neutral", "neutral"],
    ...     "target_type": "war", "note": "", "source": "example"}))
    >>> LexiconMatcher(lex).find("A special  operation; wars, warlike.")
    [(2, 20, 0), (22, 26, 2)]
    >>> lex = load_lexicon(pd.DataFrame({"term": ["regime"], "is_regex": ["false"],
    ...     "register": ["delegitimising"], "target_type": "government", "note": "",
    ...     "source": "example", "not_after": ["sanctions;visa-free"]}))
    >>> text = "The regime eased the sanctions regime and the visa-free regime."
    >>> [text[s:e] + f"@{s}" for s, e, _ in LexiconMatcher(lex).find(text)]
    ['regime@4']
    """

    def __init__(self, lexicon: pd.DataFrame) -> None:
        self._build(*matcher_spec(lexicon))

    def __reduce__(self) -> tuple[Any, tuple]:
        """Pickled as its :func:`matcher_spec`: the C table and the patterns are rebuilt."""
        return _matcher_of_spec, (self.spec,)

    def _build(self, terms: tuple[str, ...], flags: tuple[bool, ...], keys: tuple[str, ...],
               not_after: tuple[str, ...] | None, validated: bool) -> None:
        self.spec = (terms, flags, keys, not_after, validated)
        self.odd: Any = None
        literal = [(i, keys[i]) for i, f in enumerate(flags) if not f]
        # One automaton over a copy of the (lowercased) text in which every non-word character
        # is a space, padded with spaces, holds every one-word term as " word ": only whole
        # words are ever found. A term of several words, or with a hyphen or apostrophe,
        # is found there by its first word, and the rest is matched at that place by the
        # alternation of the terms with that first word (longest first). Terms that open
        # with a non-word character ("#metoo") are searched by their own alternation.
        single: dict[str, int] = {}
        groups: dict[str, list[tuple[int, str]]] = {}
        odd: list[tuple[int, str]] = []
        for i, key in literal:
            first = _FIRST_WORD.match(key)
            if first is None:
                odd.append((i, key))
            elif first.end() == len(key):
                single[key] = i
            else:
                groups.setdefault(first.group(0), []).append((i, key))
        # the alternations are compiled when their first word is first met (a list of
        # tens of thousands of phrases costs nothing for those that never occur)
        self.groups = groups
        self.compiled: dict[str, re.Pattern[str]] = {}
        self.single = single
        self.has_literal = bool(single or groups)
        self._automaton: Any = None  # built when the "re" engine first needs it
        if odd:
            self.odd = _phrases(odd)
        # row -> the pattern its not_after words make, run on the text before a hit of that row
        self.not_after: dict[int, re.Pattern[str]] = {}
        for i, words in enumerate(not_after or ()):
            parts = [term_key(w) for w in words.split(";") if w.strip()]
            if parts:
                self.not_after[i] = _not_after_pattern(parts)
        # the C engine's table: each first word, its one-word term's row (or -1) and its
        # phrases in the order the alternation tries them (longest first, then by row)
        self.table: Any = None
        if TermTable is not None:
            self.table = TermTable(
                [(w, single.get(w, -1), [(k, i) for i, k in sorted(groups.get(w, []),
                                                                  key=lambda x: (-len(x[1]), x[0]))])
                 for w in sorted(set(single) | set(groups))],
                sorted(self.not_after))
        self.regex_rows = [i for i, f in enumerate(flags) if f]
        if not validated:  # not from load_lexicon: check the patterns here
            for i in self.regex_rows:
                compile_pattern(terms[i], where=f"lexicon row {i + 2}", ignorecase=True)
        options = re2.Options()
        options.case_sensitive = False
        options.log_errors = False
        self.options = options
        self.bodies = [to_re2(terms[i]) for i in self.regex_rows]
        # compiled when the set first says the term occurs (a pattern with the Unicode class
        # of the boundary takes about a millisecond to compile; most terms never occur)
        self.regexes: dict[int, Any] = {}
        self.set: Any = None
        if self.regex_rows:
            self.set = re2.Set.SearchSet(options)
            for body in self.bodies:
                self.set.Add(body)
            self.set.Compile()

    def _words(self) -> Any:
        """The "re" engine's automaton of the first words (built on first use)."""
        if self._automaton is None:
            self._automaton = ahocorasick.Automaton()
            for w in set(self.single) | set(self.groups):
                self._automaton.add_word(f" {w} ", (len(w), self.single.get(w, -1),
                                                    w if w in self.groups else None))
            self._automaton.make_automaton()
        return self._automaton

    def _literal(self, folded: str) -> list[tuple[int, int, int]]:
        # ASCII non-word characters -> space by a byte table (the UTF-8 of other characters is
        # kept, so the length in characters is the same); each distinct non-ASCII character
        # that is not a word character (curly quotes, dashes) by str.replace
        spaced = folded.encode("utf-8").translate(_SPACE_ASCII).decode("utf-8")
        if not spaced.isascii():
            for ch in {c for c in _NON_ASCII.findall(spaced) if not _is_word(c)}:
                spaced = spaced.replace(ch, " ")
        out = []
        for end, (n, row, phrases) in self._words().iter(f" {spaced} "):
            s = end - n - 1
            if row >= 0:
                out.append((s, s + n, row))
            if phrases is not None:
                rx = self.compiled.get(phrases)
                if rx is None:
                    rx = self.compiled[phrases] = _phrases(self.groups[phrases])
                m = rx.match(folded, s)
                if m is not None:
                    out.append((s, m.end(), int(m.lastgroup[1:])))
        return out

    def _regex(self, text: str) -> list[tuple[int, int, int]]:
        raw = text.encode("utf-8")
        found = self.set.Match(raw)
        if not found:
            return []
        chars = None
        if len(raw) != len(text):  # byte offsets -> character offsets
            b = np.frombuffer(raw, dtype=np.uint8)
            chars = np.concatenate([[0], np.cumsum((b & 0xC0) != 0x80)])
        out = []
        for k in found:
            row = self.regex_rows[k]
            rx = self.regexes.get(k)
            if rx is None:
                # the term, then a non-word character or the end: RE2 tries the term's
                # alternatives in order until one is followed by a boundary
                # ("liberat(?:e|ed)" in "liberated")
                rx = self.regexes[k] = re2.compile(f"({self.bodies[k]})(?:[^{_W}]|\\z)",
                                                   self.options)
            for m in rx.finditer(raw):
                s, e = m.span(1)
                if chars is not None:
                    s, e = int(chars[s]), int(chars[e])
                if s == e or (_is_word(text[s]) and s > 0 and _is_word(text[s - 1])):
                    continue
                out.append((s, e, row))
        return out

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """``(start, end, row)`` of every hit in ``text``, in order, none overlapping."""
        if self.table is not None and framelens.text.WORD_ENGINE == "c":
            return self._find_c(text)
        cands: list[tuple[int, int, int]] = []
        folded = _fold(text) if self.has_literal or self.odd is not None or self.not_after else ""
        if self.has_literal:
            cands += self._literal(folded)
        if self.odd is not None:
            cands += [(m.start(), m.end(), int(m.lastgroup[1:])) for m in self.odd.finditer(folded)]
        if self.set is not None:
            cands += self._regex(text)
        if self.not_after:
            cands = [c for c in cands if c[2] not in self.not_after
                     or self.not_after[c[2]].search(folded, max(0, c[0] - _NOT_AFTER_REACH), c[0]) is None]
        # leftmost, then longest, then the earlier row: (start, -end, row) in tuple order
        order = sorted([(s, -e, row) for s, e, row in cands])
        out = []
        pos = 0
        for s, ne, row in order:
            if s >= pos:
                out.append((s, -ne, row))
                pos = -ne
        return out

    def hit_rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The lexicon row of every hit of each text (:meth:`find`'s hits, without places).

        Returns
        -------
        per_text : numpy.ndarray of int64
            How many hits each text has.
        rows : numpy.ndarray of int64
            The row of every hit, text after text, each text's in order of place.

        Examples
        --------
        >>> lex = load_lexicon(pd.DataFrame({"term": ["regime", "brutal"], "is_regex": "false",
        ...     "register": "delegitimising", "target_type": "x", "note": "", "source": "s"}))
        >>> per_text, rows = LexiconMatcher(lex).hit_rows(["A brutal regime.", "", "Brutal."])
        >>> per_text.tolist(), rows.tolist()
        ([2, 0, 1], [1, 0, 1])
        """
        if self.table is not None and framelens.text.WORD_ENGINE == "c":
            parts = [self._find_c(t, rows=True) for t in texts]
            per_text = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)) // 8
            return per_text, np.frombuffer(b"".join(parts), dtype=np.int64)
        found = [self.find(t) for t in texts]
        per_text = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        return per_text, np.array([r for f in found for _, _, r in f], dtype=np.int64)

    def _find_c(self, text: str, rows: bool = False) -> Any:
        """:meth:`find` with the literal terms found, and the hits chosen, by the C table
        (``rows``: only the hits' rows, as int64 bytes)."""
        folded: str | None = None
        extra: list[tuple[int, int, int]] = []
        if self.odd is not None:
            folded = _fold(text)
            extra += [(m.start(), m.end(), int(m.lastgroup[1:])) for m in self.odd.finditer(folded)]
        if self.set is not None:
            extra += self._regex(text)
        veto = None
        if self.not_after:
            def veto(start: int, row: int) -> bool:  # the folded text only when a row asks
                nonlocal folded
                if folded is None:
                    folded = _fold(text)
                return self.not_after[row].search(folded, max(0, start - _NOT_AFTER_REACH),
                                                  start) is not None
        found = self.table.find(text, True, extra or None, veto, rows)
        if found is None:  # U+0130 or U+03A3: lowercased in Python, as _fold does
            if folded is None:
                folded = _fold(text)
            found = self.table.find(folded, False, extra or None, veto, rows)
        return found


#: Characters before a hit that a ``not_after`` pattern may read (its longest phrase must fit).
_NOT_AFTER_REACH = 120
_JOIN = "[ \\-\u2010\u2011]+"  # spaces (tabs folded to spaces) or hyphens, never a line break


def _not_after_pattern(parts: Sequence[str]) -> re.Pattern[str]:
    """The pattern that tells, searched in the folded text up to a hit, whether one of ``parts``
    ends right before it: ``(?<!\\w)(?:p1|p2|...)[ -]+\\Z``, each part's words (split at spaces and
    hyphens) escaped and joined by spaces or hyphens, longest first."""
    bodies = sorted({_JOIN.join(re.escape(w) for w in re.split(r"[ \-\u2010\u2011]+", p) if w) for p in parts},
                    key=lambda b: (-len(b), b))
    longest = max(len(p) for p in parts)
    if longest > _NOT_AFTER_REACH - 10:
        raise LexiconError(f"{NOT_AFTER} phrase {max(parts, key=len)!r} is {longest} characters long; keep each "
                           f"under {_NOT_AFTER_REACH - 10}")
    return re.compile(f"(?<!\\w)(?:{'|'.join(bodies)}){_JOIN}\\Z")


def matcher_spec(lexicon: pd.DataFrame) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[str, ...],
                                                 tuple[str, ...] | None, bool]:
    """What a :class:`LexiconMatcher` is built from: terms, regex flags, keys, ``not_after``.

    Returns
    -------
    tuple
        ``(terms, is_regex, keys, not_after, validated)``: the lexicon's ``term`` and
        ``is_regex`` columns, its ``key`` column (:func:`term_key` of each term when it
        has none), its :data:`NOT_AFTER` column (``None`` when it has none) and whether
        it has a ``key`` column (it comes from :func:`load_lexicon`, so its regular
        expressions were checked). Two lexicons with the same spec find the same hits.

    Examples
    --------
    >>> spec = matcher_spec(load_lexicon(pd.DataFrame({"term": ["Regime"], "is_regex": ["false"],
    ...     "register": ["delegitimising"], "target_type": "x", "note": "", "source": "s"})))
    >>> spec
    (('Regime',), (False,), ('regime',), ('',), True)
    """
    for col in ("term", "is_regex"):
        if col not in lexicon.columns:
            raise ValueError(f"lexicon lacks column {col!r}; pass the output of load_lexicon()")
    terms = tuple(lexicon["term"].astype(str).tolist())
    flags = tuple(lexicon["is_regex"].astype(bool).tolist())
    validated = "key" in lexicon.columns
    keys = (tuple(lexicon["key"].astype(str).tolist()) if validated
            else tuple(term_key(t) for t in terms))
    not_after = (tuple(lexicon[NOT_AFTER].fillna("").astype(str).tolist())
                 if NOT_AFTER in lexicon.columns else None)
    return terms, flags, keys, not_after, validated


#: The matchers :func:`compile_lexicon` built, by :func:`matcher_spec` (the latest few).
_MATCHERS: dict[tuple, LexiconMatcher] = {}
_MATCHERS_KEPT = 4


def compile_lexicon(lexicon: pd.DataFrame) -> LexiconMatcher:
    """The :class:`LexiconMatcher` of a validated lexicon (build once, match many texts).

    The matchers of the last few lexicons are kept, by :func:`matcher_spec`, so a
    lexicon passed again (or a copy of it, as each chunk of a corpus brings to a worker
    process) is not compiled again: a matcher holds no state but its caches.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> [lex["term"].iloc[r] for _, _, r in compile_lexicon(lex).find("a brutal dictator")]
    ['brutal', 'dictator']
    """
    return _matcher_of_spec(matcher_spec(lexicon))


def _matcher_of_spec(spec: tuple) -> LexiconMatcher:
    matcher = _MATCHERS.get(spec)
    if matcher is None:
        matcher = LexiconMatcher.__new__(LexiconMatcher)
        matcher._build(*spec)
        while len(_MATCHERS) >= _MATCHERS_KEPT:
            del _MATCHERS[next(iter(_MATCHERS))]
        _MATCHERS[spec] = matcher
    return matcher


# --------------------------------------------------------------------------- hits
def _quote_index(quotes: pd.DataFrame | None) -> dict[object, tuple[list[int], list[tuple[int, int, str]]]]:
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
        From :func:`load_lexicon` (default: the shipped lexicons).
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
    matcher = compile_lexicon(lexicon)
    terms = lexicon["term"].astype(str).tolist()
    regs = lexicon["register"].astype(str).tolist()
    targets = lexicon["target_type"].astype(str).tolist()
    labelled: dict[object, list[tuple[int, int, str]]] = {}
    if mentions is not None:
        lab = mentions[mentions["label_start"] >= 0]
        for d, s, e, a in zip(lab["doc_id"], lab["label_start"], lab["label_end"], lab["actor"]):
            labelled.setdefault(d, []).append((int(s), int(e), str(a)))
    qindex = _quote_index(quotes)
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
    :func:`register_rates` (which accepts this table as ``hits``), at a fraction of the
    cost when there are millions of hits.

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
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
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


# --------------------------------------------------------------------------- rates
def poisson_interval(hits: int | np.ndarray, *, confidence: float = 0.95
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval of a count.

    ``low = chi2.ppf(a/2, 2k) / 2`` (0 when ``k = 0``) and
    ``high = chi2.ppf(1 - a/2, 2k + 2) / 2`` with ``a = 1 - confidence``; divide by
    the exposure (words / per) for a rate's interval.

    Examples
    --------
    >>> low, high = poisson_interval(np.array([0, 4]))
    >>> [round(float(x), 3) for x in low], [round(float(x), 3) for x in high]
    ([0.0, 1.09], [3.689, 10.242])
    """
    from scipy.stats import chi2

    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} must lie strictly between 0 and 1")
    k = np.asarray(hits, dtype=float)
    a = 1 - confidence
    low = np.where(k > 0, chi2.ppf(a / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    high = chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return low, high


def _rate_table(counts: pd.Series, words: pd.Series, keys: list[tuple], names: list[str],
                per: int, confidence: float) -> pd.DataFrame:
    counted, worded = counts.to_dict(), words.to_dict()  # a dict lookup per key, not an index's
    h = np.array([int(counted.get(k, 0)) for k in keys], dtype=np.int64)
    w = np.array([int(worded.get(k[:-1] if len(k) > 2 else k[0], 0)) for k in keys], dtype=np.int64)
    low, high = poisson_interval(h, confidence=confidence)
    scale = np.divide(per, w, out=np.full(len(w), np.nan), where=w > 0)
    columns: dict[str, Any] = {c: pd.array([k[j] for k in keys], dtype="string") for j, c in enumerate(names)}
    columns.update(hits=h, words=w, rate=h * scale, low=low * scale, high=high * scale)
    return pd.DataFrame(columns)


def _check_rates_args(hits: pd.DataFrame, per: Any, confidence: float) -> None:
    if isinstance(per, bool) or not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} must lie strictly between 0 and 1")
    for col in ("outlet", "register"):
        if col not in hits.columns:
            raise ValueError(f"hits lacks column {col!r}; pass the output of lexicon_hits()")


def register_rates(hits: pd.DataFrame, corpus: pd.DataFrame, *, text_col: str = "text",
                   label_col: str = "outlet", per: int = 1000,
                   doc_words: Sequence[int] | np.ndarray | None = None,
                   confidence: float = 0.95) -> pd.DataFrame:
    """Hits per register per outlet, the rate per ``per`` words and its interval.

    ``rate = hits / words * per``, with ``words`` the outlet's token count
    (:func:`framelens.text.count_words` over ``text_col``); ``low``/``high`` is the
    exact Poisson interval of the count (:func:`poisson_interval`) on the same scale.
    Two outlets whose intervals overlap are not shown to differ.

    ``doc_words`` gives each row's word count when it is known already (the row sums
    of :func:`framelens.text.word_matrix`), so the texts are not tokenised again.

    Returns
    -------
    pandas.DataFrame
        Tidy, every outlet x register (zeros included): ``outlet``, ``register``,
        ``hits``, ``words``, ``rate`` (per ``per`` words; pass the same ``per`` to
        :func:`plot_register_rates`), ``low``, ``high`` (the exact Poisson interval of
        the rate); sorted by outlet, register order of :data:`REGISTERS`.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                    "text": ["The dictator may go.", "The president went home."]})
    >>> r = register_rates(lexicon_hits(df), df)
    >>> r[r["hits"] > 0][["outlet", "register", "hits", "words", "rate"]].to_dict("records")
    [{'outlet': 'A', 'register': 'delegitimising', 'hits': 1, 'words': 4, 'rate': 250.0}]
    """
    _check_rates_args(hits, per, confidence)
    if doc_words is None:
        per_doc = corpus[text_col].map(count_words)
    else:
        given = np.asarray(doc_words, dtype=np.int64).ravel()
        if len(given) != len(corpus):
            raise ValueError(f"doc_words has {len(given)} counts for {len(corpus)} rows of corpus")
        per_doc = pd.Series(given, index=corpus.index)
    n_words = per_doc.groupby(corpus[label_col].astype(str)).sum()
    keys_ = [hits["outlet"].astype(str), hits["register"].astype(str)]
    # a table of counts (count_hits) is summed; a table of hits (lexicon_hits) counted
    counts = (hits.groupby(keys_)["hits"].sum() if "hits" in hits.columns
              else hits.groupby(keys_).size())
    keys = [(o, r) for o in sorted(n_words.index) for r in REGISTERS]
    out = _rate_table(counts, n_words, keys, ["outlet", "register"], int(per), confidence)
    return out


def voice_rates(hits: pd.DataFrame, corpus: pd.DataFrame, *, quotes: pd.DataFrame,
                text_col: str = "text", label_col: str = "outlet", per: int = 1000,
                confidence: float = 0.95) -> pd.DataFrame:
    """Rates per outlet and register, for the outlet's narration and its quotations apart.

    Words are split by the same ``quotes`` table the hits were marked with: an
    outlet's ``quotation`` words are the :func:`framelens.text.count_words` of its
    quoted passages (overlapping passages counted once), its ``narration`` words
    the rest. ``rate = hits / words * per`` within each voice, with the exact
    Poisson interval (:func:`poisson_interval`).

    Returns
    -------
    pandas.DataFrame
        Every outlet x voice x register: ``outlet``, ``voice``, ``register``,
        ``hits``, ``words``, ``rate``, ``low``, ``high``.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                    "text": ['The dictator fell. "A brutal end," Ann said.']})
    >>> q = pd.DataFrame({"doc_id": ["a"], "start": [20], "end": [32], "speaker": ["Ann"]})
    >>> r = voice_rates(lexicon_hits(df, quotes=q), df, quotes=q)
    >>> r[r["hits"] > 0][["voice", "register", "hits", "words", "rate"]].round(1).to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'voice': 'narration', 'register': 'delegitimising', 'hits': 1, 'words': 5, 'rate': 200.0},
     {'voice': 'quotation', 'register': 'negative', 'hits': 1, 'words': 3, 'rate': 333.3}]
    """
    _check_rates_args(hits, per, confidence)
    if "voice" not in hits.columns or hits["voice"].isna().any():
        raise ValueError("hits have no voice; make them with lexicon_hits(..., quotes=) using the "
                         "same quotes table")
    qindex = _quote_index(quotes)
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    words: dict[tuple[str, str], int] = {}
    for doc_id, outlet, text in zip(ids, corpus[label_col].astype(str), corpus[text_col]):
        total = count_words(text)
        quoted = 0
        end = -1
        for qs, qe, _ in qindex.get(doc_id, ([], []))[1]:
            qs = max(qs, end)
            if qe > qs:
                quoted += count_words(text[qs:qe])
                end = qe
        words[(outlet, "narration")] = words.get((outlet, "narration"), 0) + total - quoted
        words[(outlet, "quotation")] = words.get((outlet, "quotation"), 0) + quoted
    counts = hits.groupby([hits["outlet"].astype(str), hits["voice"].astype(str),
                           hits["register"].astype(str)]).size()
    outlets = sorted({o for o, _ in words})
    keys = [(o, v, r) for o in outlets for v in VOICES for r in REGISTERS]
    out = _rate_table(counts, pd.Series(words), keys, ["outlet", "voice", "register"], int(per),
                      confidence)
    return out


def plot_register_rates(rates: pd.DataFrame, *, registers: Sequence[str] | None = None,
                        ax: Axes | None = None, title: str | None = None,
                        per: int = 1000) -> Axes:
    """Grouped horizontal bars: rate per 1,000 words of each register, per outlet.

    When ``rates`` has ``low`` and ``high`` (:func:`register_rates`), each bar carries
    its interval as an error bar; the raw hit count is written at the bar's end.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`register_rates` (or one voice of :func:`voice_rates`).
    registers : list of str, optional
        Registers to show, in order (default: all of :data:`REGISTERS`).
    ax : matplotlib Axes, optional
    title : str, optional
        Default names the outlet with the highest rate of the first register shown.
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
    if isinstance(per, bool) or not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    per = int(per)

    def wide(col: str) -> pd.DataFrame:
        return rates.pivot_table(index="outlet", columns="register", values=col, aggfunc="sum",
                                 observed=True).reindex(index=outlets, columns=regs).fillna(0.0)

    outlets = sorted(map(str, rates["outlet"].unique()), reverse=True)
    rate = wide("rate")
    ax = new_axes(ax, figsize=(7.0, 0.9 * len(rate) + 1.2))
    hits = wide("hits").astype(int) if "hits" in rates.columns else None
    bounds = (wide("low"), wide("high")) if {"low", "high"} <= set(rates.columns) else None
    h = 0.8 / len(regs)
    y = np.arange(len(rate))
    for j, reg in enumerate(regs):
        pos = y + (len(regs) - 1 - j - (len(regs) - 1) / 2) * h
        xerr = None
        if bounds is not None:
            xerr = np.vstack([rate[reg] - bounds[0][reg], bounds[1][reg] - rate[reg]]).clip(0)
        ax.barh(pos, rate[reg], height=h, color=PALETTE[j % len(PALETTE)], label=reg, xerr=xerr,
                error_kw={"elinewidth": 0.7, "ecolor": "#555555", "capsize": 1.5})
        if hits is not None:
            for yy, val, n in zip(pos, rate[reg], hits[reg]):
                ax.text(val, yy, f" {n}", va="center", fontsize=9, color="#444444")
    ax.set_yticks(y, rate.index)
    label = f"hits per {per:,} words"
    if hits is not None:
        label += " (raw hit counts at the bar ends"
        label += "; lines: 95% exact Poisson intervals)" if bounds is not None else ")"
    ax.set_xlabel(label)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title is None:
        first = regs[0]
        top = rate[first].idxmax()
        title = (f"{top} uses the most {first} wording "
                 f"({rate.loc[top, first]:.1f} per {per:,} words)")
    ax.set_title(title)
    return ax
