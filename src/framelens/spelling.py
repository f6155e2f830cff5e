"""Spelling and transliteration of names as a signal of origin and stance.

Two complementary views:

* a general method, :func:`spelling_variants`: proper names (capitalised words never
  written in lower case in the corpus) are grouped when they share a
  transliteration *skeleton* (:func:`name_key`) and their folded forms
  (:func:`fold`) are within a normalised edit distance, so Zelensky / Zelenskyy /
  Zelenskyi, Sybiha / Sybiga, Andrii / Andrij and Olga / Olha are found without
  being listed anywhere;
* a small curated list of politically marked pairs shipped as package data
  (``framelens/data/spellings.csv``: Kyiv/Kiev, Odesa/Odessa, Donbas/Donbass, ...,
  with the source that marks each form), counted by :func:`count_marked`.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from importlib import resources
from pathlib import Path

import pandas as pd

from framelens.text import sentence_spans

__all__ = ["fold", "name_key", "name_distance", "same_name", "proper_names",
           "spelling_variants", "spelling_table", "mixed_spellings", "variant_table",
           "marked_spellings", "count_marked", "marked_evidence"]

#: Transliteration folds applied in order to a lower-cased, accent-free name: the
#: spellings that Ukrainian/Russian romanisation systems disagree on.
FOLDS: tuple[tuple[str, str], ...] = (
    ("yy", "i"), ("yi", "i"), ("iy", "i"), ("ij", "i"), ("ii", "i"), ("yj", "i"),
    ("y", "i"), ("j", "i"), ("h", "g"), ("w", "v"), ("ph", "f"),
)
_VOWELS = set("aeiou")
#: Shortest name compared by edit distance; shorter ones must fold to the same form.
MIN_FUZZY_LENGTH = 4
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$", re.IGNORECASE)
_CAP_WORD = re.compile(r"\b[^\W\d_][\w'\u2019-]*")
_LOWER_WORD = re.compile(r"\b[a-z][\w'-]*")
MARKED_COLUMNS: tuple[str, ...] = ("name", "variant", "pattern", "marked_as", "note", "source")


def fold(name: str) -> str:
    """Lower-case, accent-free, transliteration-folded form of a name.

    Steps: strip a possessive ('s), NFKD-decompose and drop accents, lower-case,
    apply :data:`FOLDS` in order (``yy, yi, iy, ij, ii, yj, y, j -> i``; ``h -> g``;
    ``w -> v``), then collapse doubled letters (``ss -> s``).

    Examples
    --------
    >>> [fold(n) for n in ["Zelenskyy", "Zelenskyi", "Zelensky", "Kyiv", "Sybiha", "Olha"]]
    ['zelenski', 'zelenski', 'zelenski', 'kiv', 'sibiga', 'olga']
    """
    s = _POSSESSIVE.sub("", name)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.lower()
    for a, b in FOLDS:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def name_key(name: str) -> str:
    """Transliteration skeleton: first letter of :func:`fold` plus its consonants.

    Vowels carry most of the disagreement between romanisations (Kyiv/Kiev,
    Kharkiv/Kharkov), consonants little; derived forms add consonants
    (Russia -> Russian), so they get a different key.

    Examples
    --------
    >>> name_key("Kyiv"), name_key("Kiev"), name_key("Russia"), name_key("Russian")
    ('kv', 'kv', 'rs', 'rsn')
    """
    f = fold(name)
    if not f:
        return ""
    return f[0] + "".join(c for c in f[1:] if c not in _VOWELS and c.isalpha())


def name_distance(a: str, b: str) -> float:
    """Levenshtein distance between the folded names over the longer length (0..1).

    Examples
    --------
    >>> name_distance("Kyiv", "Kiev")  # 'kiv' vs 'kiev': one insertion / 4
    0.25
    >>> name_distance("Andrii", "Andrij")
    0.0
    """
    x, y = fold(a), fold(b)
    if not x and not y:
        return 0.0
    prev = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        cur = [i]
        for j, cy in enumerate(y, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cx != cy)))
        prev = cur
    return prev[-1] / max(len(x), len(y))


def same_name(a: str, b: str, *, max_distance: float = 0.34) -> bool:
    """Whether two spellings are variants of one name.

    True when the strings are equal, or when they share :func:`name_key` and
    :func:`name_distance` is at most ``max_distance``. Names shorter than
    :data:`MIN_FUZZY_LENGTH` characters (acronyms, "Abe") match only when their
    folded forms are equal.

    Examples
    --------
    >>> same_name("Sybiha", "Sybiga"), same_name("Russia", "Russian"), same_name("Kyiv", "Kiev")
    (True, False, True)
    """
    if not 0 <= max_distance <= 1:
        raise ValueError(f"max_distance must be between 0 and 1, got {max_distance!r}")
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return fold(a) == fold(b)  # AP / APA, Abe / Abu: too short to tell by distance
    return name_key(a) == name_key(b) and name_distance(a, b) <= max_distance


def _check(corpus: pd.DataFrame, text_col: str, label_col: str) -> None:
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")


def proper_names(corpus: pd.DataFrame, *, text_col: str = "text",
                 label_col: str = "outlet") -> pd.DataFrame:
    """Capitalised words that are never written in lower case anywhere in the corpus.

    Possessives are removed ("Kyiv's" counts as "Kyiv"). A word that also occurs
    in lower case ("The", "President" / "president") is not a proper name.

    Returns
    -------
    pandas.DataFrame
        Columns ``outlet``, ``name``, ``count``; sorted by name then outlet.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "text": ["The Kyiv talks.", "the Kiev's mayor"]})
    >>> proper_names(df).to_dict("records")
    [{'outlet': 'B', 'name': 'Kiev', 'count': 1}, {'outlet': 'A', 'name': 'Kyiv', 'count': 1}]
    """
    _check(corpus, text_col, label_col)
    texts = corpus[text_col].tolist()
    lower: set[str] = set()
    for t in texts:
        lower.update(w.lower() for w in _LOWER_WORD.findall(t))
    counts: Counter[tuple[str, str]] = Counter()
    for t, lab in zip(texts, corpus[label_col].astype(str).tolist()):
        for w in _CAP_WORD.findall(t):
            w = _POSSESSIVE.sub("", w)
            if w[0].isupper() and w.lower() not in lower and len(w) > 1:
                counts[(lab, w)] += 1
    out = pd.DataFrame([(o, n, c) for (o, n), c in counts.items()],
                       columns=["outlet", "name", "count"])
    out = out.astype({"outlet": "string", "name": "string", "count": "int64"})
    return out.sort_values(["name", "outlet"], kind="mergesort").reset_index(drop=True)


def spelling_variants(corpus: pd.DataFrame, *, text_col: str = "text",
                      label_col: str = "outlet", max_distance: float = 0.34,
                      min_forms: int = 2) -> pd.DataFrame:
    """Groups of proper names spelled differently across the corpus, counted per outlet.

    Proper names (:func:`proper_names`) are taken from the most frequent down; each
    joins the first group whose head it matches by :func:`same_name`, else starts a
    new group. Groups with at least ``min_forms`` distinct spellings are returned.
    A name written in capitals (a headline's ``WASHINGTON``) counts as its
    capitalised form (``Washington``) when the corpus also writes it that way:
    capitals are typography, not spelling. Spellings of a first name that are
    followed by the names of different people (``Vladimir Putin``, ``Volodymyr
    Zelensky``) are different names, not variants (:func:`_split_by_referent`).

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus.
    text_col, label_col : str
        Text and outlet columns.
    max_distance : float, default 0.34
        See :func:`same_name`.
    min_forms : int, default 2
        Smallest number of distinct spellings for a group to be reported.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``name`` (the group's most frequent spelling), ``variant``,
        ``outlet``, ``count`` (non-zero rows only); sorted by name, variant, outlet.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B", "C"],
    ...     "text": ["Zelensky met Sybiha.", "Zelenskyy met Sybiga.", "Zelensky met Sybiha."]})
    >>> spelling_variants(df)[["name", "variant", "outlet"]].to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'name': ['Sybiha', 'Sybiha', 'Sybiha', 'Zelensky', 'Zelensky', 'Zelensky'],
     'variant': ['Sybiga', 'Sybiha', 'Sybiha', 'Zelensky', 'Zelensky', 'Zelenskyy'],
     'outlet': ['B', 'A', 'C', 'A', 'C', 'B']}
    """
    if not isinstance(min_forms, int) or min_forms < 1:
        raise ValueError(f"min_forms must be a positive integer, got {min_forms!r}")
    names = proper_names(corpus, text_col=text_col, label_col=label_col)
    known = set(names["name"])
    names["name"] = names["name"].map(
        lambda n: n[0] + n[1:].lower() if n.isupper() and n[0] + n[1:].lower() in known else n)
    names = names.groupby(["outlet", "name"], as_index=False, sort=True)["count"].sum()
    totals = names.groupby("name")["count"].sum()
    order = sorted(totals.index, key=lambda n: (-int(totals[n]), n))
    heads: dict[str, list[str]] = {}  # name_key -> group heads (only equal keys can match)
    group_of: dict[str, str] = {}
    for n in order:
        bucket = heads.setdefault(name_key(n), [])
        head = next((h for h in bucket if same_name(n, h, max_distance=max_distance)), None)
        if head is None:
            bucket.append(n)
            head = n
        group_of[n] = head
    group_of = _split_by_referent(group_of, corpus[text_col].tolist())
    names["group"] = names["name"].map(group_of)
    n_forms = names.groupby("group")["name"].nunique()
    keep = set(n_forms[n_forms >= min_forms].index)
    out = names[names["group"].isin(keep)].rename(columns={"name": "variant", "group": "name"})
    out = out[["name", "variant", "outlet", "count"]].astype({"name": "string"})
    return out.sort_values(["name", "variant", "outlet"], kind="mergesort").reset_index(drop=True)


def _split_by_referent(group_of: dict[str, str], texts: list[str]) -> dict[str, str]:
    """Split groups whose spellings are first names of different people.

    For each spelling, the names written right after it ("Vladimir" -> Putin,
    "Volodymyr" -> Zelensky, each mapped to its own group) are its referents.
    Within a group, spellings whose referent sets overlap stay together; a
    spelling never followed by a name joins the group's most frequent part; a
    part whose referents share nothing with the head's becomes its own group,
    named by its first spelling (in ``group_of`` order: most frequent first).
    """
    follows: dict[str, set[str]] = {}
    pair = re.compile(r"\b([^\W\d_][\w'\u2019-]*)(?=[ \t]+([^\W\d_][\w'\u2019-]*))")
    for t in texts:
        for m in pair.finditer(t):
            a, b = m.group(1), _POSSESSIVE.sub("", m.group(2))
            if a in group_of and b[0].isupper():
                follows.setdefault(a, set()).add(group_of.get(b, b))
    members: dict[str, list[str]] = {}
    for n, h in group_of.items():
        members.setdefault(h, []).append(n)
    out = dict(group_of)
    for head, forms in members.items():
        parts: list[tuple[list[str], set[str]]] = []
        for f in forms:
            ref = follows.get(f, set())
            if not ref:
                continue
            hit = next((p for p in parts if p[1] & ref), None)
            if hit is None:
                parts.append(([f], set(ref)))
            else:
                hit[0].append(f)
                hit[1].update(ref)
        for forms_, _ in parts[1:]:
            for f in forms_:
                out[f] = forms_[0]
    return out


def spelling_table(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                   marked: pd.DataFrame | None = None, max_distance: float = 0.34,
                   zeros: bool = True) -> pd.DataFrame:
    """Every name spelled differently across the corpus, per outlet: the table behind a spelling figure.

    The union of the general groups of :func:`spelling_variants` (Sybiha / Sybiga,
    Andrii / Andrij, Zelensky / Zelenskyy / Zelenskyi, ...) and the curated marked
    pairs :func:`count_marked` finds in two or more spellings (Kyiv / Kiev,
    "the Ukraine"). A general group holding a curated spelling takes the curated
    name and each variant its ``marked_as``; other variants are ``unmarked``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus.
    text_col, label_col : str
        Text and outlet columns.
    marked : pandas.DataFrame, optional
        Output of :func:`marked_spellings` (default: the shipped list).
    max_distance : float, default 0.34
        See :func:`same_name`.
    zeros : bool, default True
        List every outlet for every variant, zeros included (a figure shows them);
        False keeps the rows with a count only (many outlets: the table stays small).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``variant``, ``marked_as``, ``outlet``, ``count`` (with ``zeros``,
        every outlet for every variant), ``mixed`` (bool: this outlet writes two or
        more spellings of the name, e.g. 000's Zelensky and Zelenskyi); sorted by
        name, variant, outlet. ``table["name"].nunique()`` is the number of names
        spelled differently.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "text": ["Kyiv asked Sybiha and Sybiga.", "Kiev asked Sybiha."]})
    >>> t = spelling_table(df)
    >>> t[t["outlet"] == "A"][["name", "variant", "marked_as", "count", "mixed"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['Kyiv', 'Kiev', 'Russian-based', 0, False], ['Kyiv', 'Kyiv', 'Ukrainian-based', 1, False],
     ['Sybiha', 'Sybiga', 'unmarked', 1, True], ['Sybiha', 'Sybiha', 'unmarked', 1, True]]
    """
    _check(corpus, text_col, label_col)
    marked = marked_spellings() if marked is None else marked
    general = spelling_variants(corpus, text_col=text_col, label_col=label_col,
                                max_distance=max_distance)
    curated = count_marked(corpus, text_col=text_col, label_col=label_col, marked=marked)
    used = curated[curated["count"] > 0].groupby("name")["variant"].nunique()
    curated = curated[curated["name"].isin(used[used >= 2].index)]
    as_marked = {str(v): (str(n), str(m)) for n, v, m in zip(marked["name"], marked["variant"],
                                                             marked["marked_as"])}
    rows = []
    for head, g in general.groupby("name", sort=False):
        cur = next((as_marked[v][0] for v in g["variant"] if v in as_marked), None)
        name = cur or str(head)
        if cur and name in set(curated["name"]):
            continue  # the curated count covers it (its patterns, e.g. "the Ukraine")
        for r in g.itertuples(index=False):
            rows.append((name, str(r.variant), as_marked.get(str(r.variant), ("", "unmarked"))[1],
                         str(r.outlet), int(r.count)))
    rows += [(str(r.name), str(r.variant), str(r.marked_as), str(r.outlet), int(r.count))
             for r in curated.itertuples(index=False)]
    cols = ["name", "variant", "marked_as", "outlet", "count"]
    t = pd.DataFrame(rows, columns=cols)
    if not isinstance(zeros, bool):
        raise ValueError(f"zeros={zeros!r} must be True or False")
    key = ["name", "variant", "marked_as"]
    t = t.groupby(key + ["outlet"], as_index=False)["count"].sum()
    if zeros:
        outlets = pd.DataFrame({"outlet": list(dict.fromkeys(corpus[label_col].astype(str)))})
        t = t[key].drop_duplicates().merge(outlets, how="cross").merge(t, on=key + ["outlet"], how="left")
        t["count"] = t["count"].fillna(0).astype("int64")
    else:
        t = t[t["count"] > 0].astype({"count": "int64"})
    forms = t[t["count"] > 0].groupby(["name", "outlet"])["variant"].nunique()
    t["mixed"] = [bool(forms.get((n, o), 0) >= 2) for n, o in zip(t["name"], t["outlet"])]
    return t.sort_values(["name", "variant", "outlet"], kind="mergesort").reset_index(drop=True)


def mixed_spellings(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                    marked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Texts that write one name in two or more spellings, with each spelling's sentences.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus (``doc_id`` column, else the index, identifies texts).
    text_col, label_col : str
        Text and outlet columns.
    marked : pandas.DataFrame, optional
        Output of :func:`marked_spellings`.

    Returns
    -------
    pandas.DataFrame
        One row per (text, name, spelling) of a mixed name: ``doc_id``, ``outlet``,
        ``name``, ``variant``, ``count``, ``sentence`` (the first sentence with the
        spelling).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...     "text": ["Zelensky spoke. Later Zelenskyi left.", "Zelenskyy spoke."]})
    >>> mixed_spellings(df)[["doc_id", "variant", "count", "sentence"]].values.tolist()
    [['a', 'Zelensky', 1, 'Zelensky spoke.'], ['a', 'Zelenskyi', 1, 'Later Zelenskyi left.']]
    """
    _check(corpus, text_col, label_col)
    ids = corpus["doc_id"] if "doc_id" in corpus.columns else pd.Series(corpus.index, index=corpus.index)
    per_doc = corpus.assign(_doc=ids.astype(str).to_numpy())
    t = spelling_table(per_doc, text_col=text_col, label_col="_doc", marked=marked, zeros=False)
    t = t[t["mixed"] & (t["count"] > 0)]
    outlet = dict(zip(ids.astype(str), corpus[label_col].astype(str)))
    text = dict(zip(ids.astype(str), corpus[text_col]))
    rows = []
    for r in t.itertuples(index=False):
        body = text[r.outlet]
        m = re.search(r"\b" + re.escape(r.variant) + r"\b", body)
        sentence = next((body[a:b] for a, b in sentence_spans(body) if m and a <= m.start() < b), "")
        rows.append((r.outlet, outlet[r.outlet], r.name, r.variant, int(r.count), sentence))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "name", "variant", "count", "sentence"])


def variant_table(variants: pd.DataFrame, *, outlets: list[str] | None = None) -> pd.DataFrame:
    """Outlet x (name, variant) counts: a pivot of :func:`spelling_variants` or
    :func:`count_marked` output.

    Returns
    -------
    pandas.DataFrame
        Index ``outlet``; column MultiIndex (``name``, ``variant``); int counts,
        0 where an outlet never uses a spelling.

    Examples
    --------
    >>> v = pd.DataFrame({"name": ["Kyiv", "Kyiv"], "variant": ["Kiev", "Kyiv"],
    ...                   "outlet": ["B", "A"], "count": [7, 3]})
    >>> variant_table(v).to_dict("index")
    {'A': {('Kyiv', 'Kiev'): 0, ('Kyiv', 'Kyiv'): 3}, 'B': {('Kyiv', 'Kiev'): 7, ('Kyiv', 'Kyiv'): 0}}
    """
    for col in ("name", "variant", "outlet", "count"):
        if col not in variants.columns:
            raise ValueError(f"variants lacks column {col!r}; pass spelling_variants() or "
                             "count_marked() output")
    t = variants.pivot_table(index="outlet", columns=["name", "variant"], values="count",
                             aggfunc="sum", fill_value=0, observed=True)
    if outlets is not None:
        t = t.reindex(outlets, fill_value=0)
    t = t.astype("int64")
    t.index.name = "outlet"
    return t


def marked_spellings(path: str | Path | None = None) -> pd.DataFrame:
    """The curated list of politically marked spelling pairs.

    Parameters
    ----------
    path : path, optional
        A researcher's own CSV with columns :data:`MARKED_COLUMNS`; default the
        shipped ``framelens/data/spellings.csv``. ``pattern`` is a regular expression
        matched case-sensitively between word boundaries.

    Returns
    -------
    pandas.DataFrame
        One row per spelling: name, variant, pattern, marked_as, note, source.

    Examples
    --------
    >>> m = marked_spellings()
    >>> m.loc[m["name"] == "Kyiv", ["variant", "marked_as"]].to_dict("list")
    {'variant': ['Kyiv', 'Kiev'], 'marked_as': ['Ukrainian-based', 'Russian-based']}
    """
    if path is None:
        with resources.files("framelens").joinpath("data/spellings.csv").open(
                encoding="utf-8") as fh:
            table = pd.read_csv(fh, dtype=str, keep_default_na=False)
        where = "framelens/data/spellings.csv"
    else:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        where = str(path)
    missing = [c for c in MARKED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{where}: missing column(s) {missing}; required {list(MARKED_COLUMNS)}")
    for i, p in enumerate(table["pattern"]):
        try:
            re.compile(p)
        except re.error as err:
            raise ValueError(f"{where}, row {i + 2}: invalid pattern {p!r}: {err}") from None
    return table.astype("string")


def count_marked(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                 marked: pd.DataFrame | None = None, keep_zero: bool = False) -> pd.DataFrame:
    """Count each curated marked spelling per outlet.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus.
    text_col, label_col : str
        Text and outlet columns.
    marked : pandas.DataFrame, optional
        Output of :func:`marked_spellings` (default: the shipped list).
    keep_zero : bool, default False
        Keep rows of spellings no outlet uses (else only names some outlet writes).

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``variant``, ``marked_as``, ``outlet``, ``count``; every
        outlet appears for each name kept (zeros included, so the table pivots
        cleanly); sorted by name, variant, outlet.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "text": ["Kyiv and Kyiv's mayor", "Kiev"]})
    >>> c = count_marked(df)
    >>> c[["variant", "outlet", "count"]].to_dict("list")
    {'variant': ['Kiev', 'Kiev', 'Kyiv', 'Kyiv'], 'outlet': ['A', 'B', 'A', 'B'], 'count': [0, 1, 2, 0]}
    """
    _check(corpus, text_col, label_col)
    marked = marked_spellings() if marked is None else marked
    outlets = sorted(map(str, corpus[label_col].unique()))
    rows = []
    for r in marked.itertuples(index=False):
        rx = re.compile(rf"\b(?:{r.pattern})\b")
        per = Counter()
        for t, lab in zip(corpus[text_col].tolist(), corpus[label_col].astype(str).tolist()):
            per[lab] += len(rx.findall(t))
        for o in outlets:
            rows.append((r.name, r.variant, r.marked_as, o, per[o]))
    out = pd.DataFrame(rows, columns=["name", "variant", "marked_as", "outlet", "count"])
    out = out.astype({"name": "string", "variant": "string", "marked_as": "string",
                      "outlet": "string", "count": "int64"})
    if not keep_zero:
        used = out.groupby("name")["count"].sum()
        out = out[out["name"].isin(used[used > 0].index)]
    return out.sort_values(["name", "variant", "outlet"], kind="mergesort").reset_index(drop=True)


def marked_evidence(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                    marked: pd.DataFrame | None = None, mixed_only: bool = True) -> pd.DataFrame:
    """Every occurrence of a curated marked spelling, with the sentence it stands in.

    The evidence behind :func:`count_marked`: one row per match, so each count in
    its table can be checked against the text.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus (``doc_id`` column, else the index, identifies articles).
    text_col, label_col : str
        Text and outlet columns.
    marked : pandas.DataFrame, optional
        Output of :func:`marked_spellings` (default: the shipped list).
    mixed_only : bool, default True
        Keep only names the corpus writes in two or more of their variants (Kyiv
        *and* Kiev): a name every article spells one way carries no signal here.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``variant``, ``marked_as``, ``outlet``, ``doc_id``,
        ``match`` (as written), ``start`` (character offset in ``text_col``) and
        ``sentence``; sorted by name, variant, outlet, document and position.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                    "text": ["Talks in Kyiv. Kyiv's mayor spoke.", "Kiev in Ukraine."]})
    >>> marked_evidence(df)[["variant", "outlet", "match", "sentence"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['Kiev', 'B', 'Kiev', 'Kiev in Ukraine.'], ['Kyiv', 'A', 'Kyiv', 'Talks in Kyiv.'],
     ['Kyiv', 'A', 'Kyiv', "Kyiv's mayor spoke."]]
    """
    _check(corpus, text_col, label_col)
    if not isinstance(mixed_only, bool):
        raise ValueError(f"mixed_only={mixed_only!r} must be True or False")
    marked = marked_spellings() if marked is None else marked
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    texts = corpus[text_col].tolist()
    outlets = corpus[label_col].astype(str).tolist()
    spans = [sentence_spans(t) for t in texts]
    rows = []
    for r in marked.itertuples(index=False):
        rx = re.compile(rf"\b(?:{r.pattern})\b")
        for doc_id, outlet, text, sp in zip(ids, outlets, texts, spans):
            for m in rx.finditer(text):
                sentence = next((text[a:b] for a, b in sp if a <= m.start() < b), "")
                rows.append((r.name, r.variant, r.marked_as, outlet, doc_id, m.group(0),
                             m.start(), sentence))
    out = pd.DataFrame(rows, columns=["name", "variant", "marked_as", "outlet", "doc_id", "match",
                                      "start", "sentence"])
    out = out.astype({"name": "string", "variant": "string", "marked_as": "string",
                      "outlet": "string", "match": "string", "start": "int64",
                      "sentence": "string"})
    if mixed_only:
        forms = out.groupby("name")["variant"].nunique()
        out = out[out["name"].isin(forms[forms >= 2].index)]
    return out.sort_values(["name", "variant", "outlet", "doc_id", "start"],
                           kind="mergesort").reset_index(drop=True)
