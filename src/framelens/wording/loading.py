"""Lexicon tables: reading, validating and combining the shipped resources and a corpus's own files.

:func:`load_lexicon` reads the shipped lexicons (package data under
``framelens/data/lexicons/``, each with its licence and citation, :func:`shipped_resources`)
or a file or table of the same columns, checks every row (:class:`LexiconError` names the file,
the row and the fix) and adds the researcher's own files; :func:`lexicon_for_corpus` adds those
that sit next to a corpus. :func:`term_key` is how terms are compared. The module docstring of
:mod:`framelens.lexicon` describes the resources and the columns.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.patterns import PatternError, compile_pattern

__all__ = ["LexiconError", "REGISTERS", "LOADED_REGISTERS", "LEXICON_COLUMNS", "NOT_AFTER",
           "SHIPPED_RESOURCES", "term_key", "shipped_resources", "load_lexicon", "lexicon_for_corpus"]

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
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}
_FIX_ROW = "fix the row or remove it"


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file, the row and the fix."""


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
