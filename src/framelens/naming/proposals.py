"""Candidate actors for a corpus without an alias table, and the table a notebook uses either way.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from framelens.naming.tables import load_actors
from framelens.naming.words import POSSESSIVE, ROLE_WORDS, STOP, is_role
from framelens.text import TITLES

__all__ = ["CALENDAR_WORDS", "propose_actors", "actors_or_proposed"]

_NAME_SEQ = re.compile(r"[A-Z][\w\u2019'-]*(?:[ \t]+[A-Z][\w\u2019'-]*)*")


#: Weekday and month names and their abbreviations: dates, never actors.
CALENDAR_WORDS: frozenset[str] = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
})
_TITLE_BEFORE = re.compile(r"\b([A-Z][a-z]{1,4})\.?[ \t]+$")
_CONTRACTION = re.compile(r"['\u2019](?:m|re|ve|ll|d)$|n['\u2019]t$", re.IGNORECASE)
_AFTER_TITLE = "\x00title"  # marker: the run follows an honorific such as "Mrs."
#: Words that never continue a first name, even capitalised in a headline.
_FUNCTION_WORDS = frozenset({"and", "or", "but", "of", "the", "a", "an", "in", "on", "to", "for",
                             "with", "at", "by", "from", "as", "is", "are", "was", "were", "be",
                             "will", "would", "says", "said", "has", "have", "had", "not"})
#: Endings that make a country or group name an adjective or demonym:
#: Russia -> Russian, Iran -> Iranian, Japan -> Japanese, Israel -> Israeli,
#: Mexico -> Mexican (final vowel replaced), Democrat -> Democratic.
_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ic", "ish")


def _demonym_of(word: str, names: set[str]) -> str | None:
    """The name ``word`` is an adjective of, if any ("Ukrainian" -> "Ukraine")."""
    for end in _DEMONYM_ENDINGS:
        if not word.endswith(end) or len(word) <= len(end) + 2:
            continue
        stem = word[:-len(end)]
        for cand in (stem, stem + "a", stem + "e", stem + "o", stem + "s", stem + "y"):
            if cand != word and cand in names:
                return cand
    return None


def _split_first_names(groups: dict[str, list[str]], surface: Counter, *,
                       max_distance: float) -> dict[str, list[str]]:
    """Split a last-word group whose multi-word forms open with different words:
    "North Korea" and "South Korea", "Donald Trump" and "Melania Trump" name different
    actors. Forms are clustered by their first word (spelling variants together:
    "Andrii"/"Andrij Sybiha"); the cluster mentioned most keeps the one-word forms
    ("Trump"), every other cluster becomes a group of its own."""
    from framelens.spelling import same_name

    out: dict[str, list[str]] = {}
    for head, forms in groups.items():
        clusters: list[list[str]] = []
        single = [f for f in forms if " " not in f]
        for f in sorted((f for f in forms if " " in f), key=lambda f: (-surface[f], f)):
            first = f.split()[0]
            for c in clusters:
                if same_name(first, c[0].split()[0], max_distance=max_distance):
                    c.append(f)
                    break
            else:
                clusters.append([f])
        if len(clusters) <= 1:
            out[head] = list(forms)
            continue
        clusters.sort(key=lambda c: (-sum(surface[f] for f in c), c))
        out[head] = clusters[0] + single
        for c in clusters[1:]:
            out[f"{head}\x00{c[0]}"] = c
    return out


def _merge_and_drop(groups: dict[str, list[str]], surface: Counter) -> dict[str, list[str]]:
    """Two clean-ups of name groups (head word -> surface forms).

    * A group of one-word forms whose word opens the multi-word forms of exactly one
      other group joins it: "Xi" -> "Xi Jinping", "North" -> "North
      Korea" (grouping by last word alone keeps them apart); so does a word that opens
      the forms of several groups that are spellings of one name ("Moon" -> "Moon
      Jae-in" and "Moon Jae") or that it outnumbers ("Kim" -> "Kim Jong Un" and
      "Kim Jong-il"; not "United" -> "United States" and "United Nations").
    * A group whose head is an adjective of another name found ("Russian" of "Russia",
      "North Korean" of "North Korea", :data:`_DEMONYM_ENDINGS`) is dropped: it
      qualifies an actor rather than naming one.
    """
    names = {w for fs in groups.values() for f in fs for w in f.split()}
    names |= {w[:-1] for w in names if w.endswith("s")}
    out = {h: list(f) for h, f in groups.items()
           if _demonym_of(h.split("\x00")[0], names) is None}
    for head, forms in sorted(out.items()):
        words = {w for f in forms for w in f.split()}
        if len(words) != 1:
            continue
        word = next(iter(words))
        hosts = [h for h, fs in out.items() if h != head
                 and any(word == f.split()[0] for f in fs if " " in f)]
        if head not in out or not hosts:
            continue
        if len(hosts) == 1:
            out[hosts[0]].extend(out.pop(head))
        elif (all(f.split()[0] == word for h in hosts for f in out[h] if " " in f)
              and (len({re.split(r"[-\u2010\u2011]", f.split()[1])[0]
                        for h in hosts for f in out[h] if " " in f}) == 1
                   or surface[word] >= sum(surface[f] for h in hosts for f in out[h]))):
            merged = out.pop(head)
            for h in hosts:
                merged.extend(out.pop(h))
            out[head] = merged
    return out


def _capitalised_runs(texts: list[str]) -> tuple[list[list[list[str]]], set[tuple[int, int]]]:
    """Step 1's input: per document, the runs of capitalised words, cut after a possessive
    and stripped of it, and the (document, run) pairs right after an honorific."""
    runs: list[list[list[str]]] = []  # per document, runs of capitalised words
    after_title: set[tuple[int, int]] = set()  # (doc, run) right after "Mr.", "Mrs." ...
    for d, t in enumerate(texts):
        doc_runs = []
        for m in _NAME_SEQ.finditer(t):
            before = _TITLE_BEFORE.search(t, max(0, m.start() - 12), m.start())
            if before is not None and before.group(1).lower() in TITLES:
                after_title.add((d, len(doc_runs)))
            toks: list[str] = []
            for w in m.group(0).split():
                toks.append(POSSESSIVE.sub("", w).rstrip("'\u2019"))
                if POSSESSIVE.search(w):  # "Russia's Kursk": two names
                    doc_runs.append(toks)
                    toks = []
            if toks:
                doc_runs.append(toks)
        runs.append(doc_runs)
    return runs, after_title


def _name_segments(runs: list[list[list[str]]], after_title: set[tuple[int, int]],
                   labels: list[str], *, lower_seen: set[str],
                   roles: frozenset[str]) -> list[tuple[str, int, str]]:
    """Step 1: the runs split at words that are not names, as ``(name, document, outlet)``."""
    # first names: words that only ever open a longer capitalised run ("Theresa" of
    # "Theresa May"); after one, a word also written in lower case is still a name
    followed: Counter = Counter()
    last_of_run: set[str] = set()
    for doc_runs in runs:
        for toks in doc_runs:
            followed.update(toks[:-1])
            last_of_run.add(toks[-1])
    first_names = {w for w in followed if w not in last_of_run}

    def plain_name(w: str) -> bool:
        low = w.lower()
        return (bool(w) and not is_role(w, roles) and low not in TITLES
                and low not in lower_seen and low not in STOP and low not in CALENDAR_WORDS
                and not _CONTRACTION.search(w))

    # "New York", "Middle East", "Justice Department": a common word opening a name,
    # kept when the same capitalised pair recurs
    pairs: Counter = Counter()
    for doc_runs in runs:
        for toks in doc_runs:
            for a, b in zip(toks, toks[1:]):
                low = a.lower()
                if (low in lower_seen and low not in STOP | _FUNCTION_WORDS | CALENDAR_WORDS
                        and not is_role(a, roles) and plain_name(b)):
                    pairs[(a, b)] += 1
    name_pairs = {p for p, n in pairs.items() if n >= 2}

    def is_name(w: str, prev: str | None, nxt: str) -> bool:
        low = w.lower()
        if not w or is_role(w, roles) or low in TITLES:
            return False  # "President", "Mr" (of "Mr."): titles split a run
        if (prev == _AFTER_TITLE or prev in first_names) and low not in _FUNCTION_WORDS:
            return True   # "Theresa May" although "may" is a common word
        if prev is None and (w, nxt) in name_pairs:
            return True
        return plain_name(w)

    found: list[tuple[str, int, str]] = []
    for d, (doc_runs, lab) in enumerate(zip(runs, labels)):
        for r, toks in enumerate(doc_runs):
            # split at ordinary words and titles: "Russian President Vladimir Putin"
            # -> "Russian" | "Vladimir Putin"
            segment: list[str] = []
            padded = toks + ["", ""]
            for i, w in enumerate(toks + [""]):
                prev = segment[-1] if segment else None
                if i == 0 and (d, r) in after_title:
                    prev = _AFTER_TITLE  # "Mrs. May": a surname follows an honorific
                if is_name(w, prev, padded[i + 1]):
                    segment.append(w)
                    continue
                if segment and not (len(segment) == 1 and len(segment[0]) < 2):
                    found.append((" ".join(segment), d, lab))
                segment = []
    return found


def _split_prefixes(found: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    """Step 2: a name split after a prefix that stands alone more often than the name."""
    # "Ukraine NATO membership": split a sequence after a prefix that stands alone as
    # a name more often than the whole sequence occurs, when the rest stands alone too
    # ("Vladimir" never stands alone, so "Vladimir Putin" stays whole; "Jong Un" never
    # does, so "Kim Jong Un" stays whole although "Kim" often stands alone)
    whole = Counter(s for s, _, _ in found)
    split: list[tuple[str, int, str]] = []
    for s, d, lab in found:
        parts = s.split()
        start = 0
        for k in range(1, len(parts)):
            prefix = " ".join(parts[start:k])
            rest = " ".join(parts[k:])
            if whole[prefix] > whole[s] and rest in whole:  # "United States" | "Donald Trump"
                split.append((prefix, d, lab))
                start = k
        split.append((" ".join(parts[start:]), d, lab))
    return split


def _name_groups(surface: Counter, *, max_distance: float) -> dict[str, list[str]]:
    """Steps 3 and 4: the names grouped by spelling variants of their last word, split by
    first name, merged and cleaned (:func:`_split_first_names`, :func:`_merge_and_drop`)."""
    from framelens.spelling import name_key, same_name

    lasts: dict[str, list[str]] = {}  # name_key -> heads; only equal keys can match
    for s, _ in surface.most_common():
        last = s.split()[-1]
        bucket = lasts.setdefault(name_key(last), [])
        if not any(same_name(last, other, max_distance=max_distance) for other in bucket):
            bucket.append(last)
    groups: dict[str, list[str]] = {}
    for s in surface:
        last = s.split()[-1]
        head = next(o for o in lasts[name_key(last)]
                    if same_name(last, o, max_distance=max_distance))
        groups.setdefault(head, []).append(s)
    groups = _split_first_names(groups, surface, max_distance=max_distance)
    groups = _merge_and_drop(groups, surface)
    return groups


def _proposal_rows(groups: dict[str, list[str]], found: list[tuple[str, int, str]],
                   surface: Counter, *, min_count: int) -> list[dict]:
    """One row of :func:`propose_actors` per group mentioned at least ``min_count`` times."""
    by_form: dict[str, list[tuple[int, str]]] = {}
    for s, d, lab in found:
        by_form.setdefault(s, []).append((d, lab))
    rows = []
    used: set[str] = set()
    for forms in sorted(groups.values(), key=lambda fs: (-sum(surface[f] for f in fs), fs)):
        hits = [h for f in forms for h in by_form[f]]
        count = len(hits)
        if count < min_count:
            continue
        ordered = sorted(forms, key=lambda f: (-surface[f], f))
        last_counts = Counter()
        for f in forms:
            last_counts[f.split()[-1]] += surface[f]
        actor = sorted(last_counts, key=lambda w: (-last_counts[w], w))[0]
        if actor in used:  # "South Korea" after "North Korea" took "Korea"
            actor = ordered[0]
        used.add(actor)
        # a bare "Trump" must not match inside "Melania Trump", another group's name
        others = {f.split()[-2] for fs in groups.values() if fs is not forms
                  for f in fs if len(f.split()) > 1}
        alts = []
        for f in sorted(forms, key=lambda f: (-len(f), f)):
            guard = ""
            if " " not in f:
                guard = "".join(f"(?<!{re.escape(o.split()[-1])} )" for o in sorted(
                    {g.split()[-2] for fs in groups.values() if fs is not forms for g in fs
                     if len(g.split()) > 1 and g.split()[-1] == f} & others))
            alts.append(guard + re.escape(f).replace(r"\ ", r"\s+"))
        pattern = "|".join(alts)
        rows.append({"actor": actor, "count": count, "n_docs": len({d for d, _ in hits}),
                     "outlets": "; ".join(sorted({lab for _, lab in hits})),
                     "variants": "; ".join(f"{f} ({surface[f]})" for f in ordered),
                     "pattern": pattern})
    return rows


def propose_actors(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                   min_count: int = 2, max_distance: float = 0.34,
                   role_words: Iterable[str] | None = None) -> pd.DataFrame:
    """Candidate actors for a corpus without an alias table, for a researcher to confirm.

    Method (each rule measured on NewsWCL50, ``benchmarks/ACTORS.md``):

    1. Runs of capitalised words, cut after a possessive ("Russia's Kursk" ->
       "Russia" | "Kursk"), are split at role/title words ("President"), honorifics
       (``Mr``, ``Mrs``, ``Dr``; :data:`framelens.text.TITLES`), weekday and month
       names (:data:`CALENDAR_WORDS`) and words that are also written in lower case
       in the corpus (sentence-initial "The", "According"); contractions ("I'm") are
       never names. Three exceptions keep a word that is also a common word: right
       after a first name (a word that only ever opens a longer run: "Theresa May"),
       right after an honorific ("Mrs. May"), and opening a name when the same
       capitalised pair occurs at least twice ("New York", "Middle East").
    2. A run is split after a prefix that stands alone as a name more often than the
       whole run occurs, when the rest also stands alone ("Ukraine NATO membership"
       -> "Ukraine" | "NATO"; "Kim Jong Un" and "North Korea" stay whole).
    3. Sequences are grouped when their last words are spelling variants of each
       other (:func:`framelens.spelling.same_name`: transliteration key plus
       normalised edit distance, compared only within one key), so "Vladimir Putin"
       and "Putin", or "Andrii Sybiha" and "Andrij Sybiha" and "Sybiga", form one
       candidate; but multi-word forms opening with different words stay apart
       ("North Korea" | "South Korea", "Donald Trump" | "Melania Trump"), the bare
       last word going to the most frequent, with a guard so that it does not match
       inside the others.
    4. Adjectives of names found are dropped ("Russian", "North Korean" when "Russia",
       "North Korea" are found); a one-word group joins the group whose names it
       opens ("Xi" -> "Xi Jinping", "North" -> "North Korea", "Kim" -> "Kim Jong
       Un").

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus with ``text_col`` and ``label_col``.
    text_col, label_col : str
        Columns of text and outlet.
    min_count : int, default 2
        Keep candidates mentioned at least this often in total.
    max_distance : float, default 0.34
        Largest normalised edit distance between folded spellings grouped together.
    role_words : iterable of str, optional
        Title words stripped from the front (default
        :data:`~framelens.naming.words.ROLE_WORDS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``actor`` (suggested id: the most frequent last word), ``count``,
        ``n_docs``, ``outlets`` ("; "-joined), ``variants`` (surface forms with
        counts), ``pattern`` (a regular expression for the alias table); sorted by
        count descending then actor.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "text": [
    ...     "Russian President Vladimir Putin spoke. Then Putin left.",
    ...     "The talks ended. Putin said then the talks ended."]})
    >>> propose_actors(df)[["actor", "count", "variants"]].to_dict("records")
    [{'actor': 'Putin', 'count': 3, 'variants': 'Putin (2); Vladimir Putin (1)'}]
    """
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count!r}")
    roles = ROLE_WORDS if role_words is None else frozenset(w.lower() for w in role_words)
    texts = corpus[text_col].tolist()
    labels = corpus[label_col].astype(str).tolist()
    lower_seen: set[str] = set()
    for t in texts:
        lower_seen.update(w for w in re.findall(r"\b[a-z][\w'-]*", t))
    runs, after_title = _capitalised_runs(texts)
    found = _name_segments(runs, after_title, labels, lower_seen=lower_seen, roles=roles)
    found = _split_prefixes(found)
    surface = Counter(s for s, _, _ in found)
    groups = _name_groups(surface, max_distance=max_distance)
    rows = _proposal_rows(groups, found, surface, min_count=min_count)
    out = pd.DataFrame(rows, columns=["actor", "count", "n_docs", "outlets", "variants",
                                      "pattern"])
    out = out.astype({"count": "int64", "n_docs": "int64"})
    return out.sort_values(["count", "actor"], ascending=[False, True],
                           kind="mergesort").reset_index(drop=True)


def actors_or_proposed(corpus: pd.DataFrame, folder: str | Path, *, min_count: int = 3,
                       text_col: str = "text", label_col: str = "outlet") -> tuple[pd.DataFrame, str]:
    """The corpus's alias table ``FOLDER/actors.csv``, or proposed actors when there is none.

    Lets one notebook run on any corpus folder: with an ``actors.csv`` it is read
    with :func:`~framelens.naming.tables.load_actors`; without one, :func:`propose_actors`
    candidates (at least ``min_count`` mentions) become the table, with ``type`` "proposed". The
    note returned with it says which happened, in words fit for a report.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus (used only when proposing).
    folder : str or Path
        Corpus folder that may hold ``actors.csv``.
    min_count : int, default 3
        Passed to :func:`propose_actors`.
    text_col, label_col : str
        Columns of text and outlet.

    Returns
    -------
    table : pandas.DataFrame
        Columns ``actor``, ``type``, ``pattern`` (and ``note`` when read).
    note : str
        Which alias table was used.

    Examples
    --------
    >>> import tempfile
    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                   "text": ["Putin spoke. Putin left.", "Putin came. NATO met."]})
    >>> t, note = actors_or_proposed(c, tempfile.mkdtemp())
    >>> t[["actor", "type"]].values.tolist(), note.startswith("No actors.csv")
    ([['Putin', 'proposed']], True)
    """
    path = Path(folder) / "actors.csv"
    if path.is_file():
        table = load_actors(path)
        return table, f"Actors from the corpus's alias table actors.csv ({len(table)} actors)."
    proposed = propose_actors(corpus, text_col=text_col, label_col=label_col, min_count=min_count)
    table = pd.DataFrame({"actor": proposed["actor"].astype(str), "type": "proposed",
                          "pattern": proposed["pattern"].astype(str)})
    table = table.drop_duplicates("actor").reset_index(drop=True)
    return table, (f"No actors.csv in the corpus folder: using {len(table)} proposed actors "
                   f"(propose_actors, min_count={min_count}); write actors.csv to fix them.")
