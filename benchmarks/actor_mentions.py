"""Actor-mention recall and precision of :mod:`framelens.actors` on NewsWCL50.

Run by hand (about a minute)::

    .venv/bin/python benchmarks/actor_mentions.py [--events 0 1 ...] [--details] [--no-titles]
    .venv/bin/python benchmarks/actor_mentions.py --speed 3000 [--chunk 500] [--repeats 5]

Each NewsWCL50 event folder (5 articles, one per outlet) is read as a user's corpus
would be (:func:`framelens.corpus.load_corpus`, :func:`framelens.corpus.clean`), and
its hand-annotated ACTOR mentions (``Annotations.csv``, ``code_type == "ACTOR"``; the
concept is ``code_name``, e.g. ``USA\\Trump``, the surface text ``code_mention``) are
compared with what :func:`framelens.actors.find_mentions` finds. Method, definitions
and figures: ``benchmarks/ACTORS.md``. No article text is printed, only actor names
and counts.
"""
from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.actors import ROLE_WORDS, actors_or_proposed, find_mentions
from framelens.corpus import clean, load_corpus, prepare

ROOT = Path(__file__).resolve().parents[1]
WCL = ROOT.parent / "shared" / "corpora" / "newswcl50"
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
#: Annotation types of concepts that act: persons, unnamed individuals, countries
#: (and their governments), groups; the seed alias table counts NATO, Russia and
#: Ukraine as actors too.
BROAD = ("ACTOR", "ACTOR-I", "COUNTRY", "GROUP")
_TITLES = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen"}


# ----------------------------------------------------------------------------- loading
def load_annotations() -> pd.DataFrame:
    """Annotations.csv (first line ``sep=,``) with ``doc_id`` = the article's file stem."""
    ann = pd.read_csv(WCL / "Annotations.csv", skiprows=1, dtype={"publisher_id": str})
    ann["doc_id"] = ann["event_id"].astype(str) + "_" + ann["publisher_id"]
    ann["concept"] = ann["code_name"].str.split("\\", regex=False).str[-1]
    return ann


def load_event(event: int) -> pd.DataFrame:
    """One event folder as a cleaned corpus (no manifest: each file its own outlet)."""
    return prepare(load_corpus(WCL / "articles" / f"event_{event}")).articles


def _mention_regex(mention: str) -> re.Pattern[str]:
    """The annotated phrase as a pattern: any whitespace, straight or curly quotes,
    ``\u0060\u0060``/``''`` for double quotes, case-insensitive, whole words."""
    m = mention.replace("``", '"').replace("''", '"').translate(_QUOTES).strip()
    parts = []
    for ch in m:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch == "'":
            parts.append("['\u2019\u2018]")
        elif ch == '"':
            parts.append('["\u201c\u201d]')
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    lead = r"\b" if m[:1].isalnum() else ""
    tail = r"\b" if m[-1:].isalnum() else ""
    return re.compile(lead + body + tail, re.IGNORECASE)


def locate(ann: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Character spans of annotations in the cleaned texts.

    An annotation's paragraph (``paragraph``: the n-th non-empty line of the file,
    headline = 0) is found in the cleaned text (clean keeps report lines character
    for character); the mention is searched in that line (:func:`_mention_regex`).
    One occurrence: taken. Several: the annotations of that paragraph sorted by
    (sentence, start token) take the occurrences in order, skipping occurrences
    already taken by an earlier annotation of the same phrase ("order"). Status:
    ``unique``, ``order``, ``not found`` (phrase not in the line: re-collected
    text differs) or ``line removed`` (clean dropped the line).
    """
    texts = dict(zip(corpus["doc_id"].astype(str), corpus["text"].astype(str)))
    raws = dict(zip(corpus["doc_id"].astype(str), corpus["text_raw"].astype(str)))
    out = ann.copy()
    out["char_start"], out["char_end"], out["status"] = -1, -1, "not found"
    for doc_id, grp in ann.groupby("doc_id", sort=True):
        text, raw = texts[doc_id], raws[doc_id]
        lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
        offsets: list[int] = []
        cursor = 0
        for ln in lines:
            at = text.find(ln, cursor)
            offsets.append(at)
            if at >= 0:
                cursor = at + len(ln)
        taken: dict[tuple[int, str], int] = Counter()
        for idx, r in grp.sort_values(["paragraph", "sentence", "start", "end"]).iterrows():
            p = int(r["paragraph"])
            if p >= len(lines) or offsets[p] < 0:
                out.loc[idx, "status"] = "line removed" if p < len(lines) else "not found"
                continue
            hits = list(_mention_regex(str(r["code_mention"])).finditer(lines[p]))
            if not hits:
                continue
            key = (p, str(r["code_mention"]).lower())
            k = min(taken[key], len(hits) - 1)
            taken[key] += 1
            h = hits[k]
            out.loc[idx, ["char_start", "char_end"]] = [offsets[p] + h.start(),
                                                        offsets[p] + h.end()]
            out.loc[idx, "status"] = "unique" if len(hits) == 1 else "order"
    return out


# ------------------------------------------------------------------------ alias tables
def name_runs(mention: str) -> list[str]:
    """Maximal runs of capitalised words in a phrase, without role words (ROLE_WORDS),
    honorifics or possessive endings: "North Korean leader Kim Jong Un" ->
    ["North Korean", "Kim Jong Un"], "Mr. Trump's" -> ["Trump"]."""
    toks = re.findall(r"[\w.'\u2019-]+", mention.translate(_QUOTES))
    runs: list[list[str]] = [[]]
    for t in toks:
        w = re.sub(r"'s$|'$", "", t).rstrip(".")
        if w and w[0].isupper() and w.lower() not in ROLE_WORDS and w.lower() not in _TITLES:
            runs[-1].append(w if not t.endswith(".") or len(w) > 1 else t)
            if w != t.rstrip("."):  # a possessive ends the run
                runs.append([])
        elif runs[-1]:
            runs.append([])
    return [" ".join(r) for r in runs if r]


def _name_part(mention: str, concept_words: set[str]) -> str | None:
    """The last name run (:func:`name_runs`) of a mention holding a word of the concept
    name: "North Korean leader Kim Jong Un" -> "Kim Jong Un"."""
    hits = [r for r in name_runs(mention) if concept_words & set(r.split())]
    return hits[-1] if hits else None


def concept_words(concept: str, mentions: pd.Series) -> set[str]:
    """Words of a concept's name, widened once by the name runs that hold one of them:
    concept "Jong Un" and a mention "Kim Jong Un" give {"Jong", "Un", "Kim"}, so that
    "Mr. Kim" counts as a name mention (concept ids are often partial names)."""
    words = set(concept.split())
    wider = set(words)
    for m in mentions:
        run = _name_part(m, words)
        if run:
            wider.update(run.split())
    return wider


def oracle_table(ann: pd.DataFrame) -> pd.DataFrame:
    """An alias table from the annotated concepts: for each ACTOR concept, every
    proper-name form its annotated mentions use (the name run holding a word of
    the concept's name), as a researcher who knew the answer would write it."""
    rows = []
    act = ann[ann["code_type"] == "ACTOR"]
    for concept, grp in act.groupby("concept", sort=True):
        words = concept_words(concept, grp["code_mention"])
        forms = {f for f in (_name_part(m, words) for m in grp["code_mention"]) if f}
        if not forms:
            continue
        pattern = "|".join(re.escape(f).replace(r"\ ", r"\s+")
                           for f in sorted(forms, key=lambda f: (-len(f), f)))
        rows.append({"actor": concept, "type": "person", "pattern": pattern})
    return pd.DataFrame(rows, columns=["actor", "type", "pattern"])


# ----------------------------------------------------------------------------- scoring
def _overlaps(s: int, e: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    return np.flatnonzero((starts < e) & (ends > s))


def _has_role(phrase: str) -> bool:
    words = re.findall(r"[\w'-]+", phrase.lower())
    return any(p in ROLE_WORDS for w in words for p in re.split(r"[-']", w))


def mention_kind(mention: str, words: set[str]) -> str:
    """``name`` (holds a proper name of the concept: "Mr. Kim", "President Trump"),
    ``title`` (no name but a role word: "the president", "South Korean President") or
    ``other`` (descriptions without either: "his Japanese counterpart")."""
    if _name_part(mention, words):
        return "name"
    return "title" if _has_role(mention) else "other"


def _label_part(mention: str, span: tuple[int, int], name_spans: list[tuple[int, int]],
                words_of_name: set[str] | None = None) -> tuple[int, int] | None:
    """Char span of the title part of a located ACTOR annotation that names the actor
    with a title ("U.S. President", "North Korean leader Kim Jong Un"): the annotation
    holds a role word (:data:`framelens.actors.ROLE_WORDS`) and either contains a name
    mention of the same concept (the label is the part before or after the name) or
    touches one (at most two characters between, e.g. ", "); else None."""
    if not _has_role(mention):
        return None
    s, e = span
    own = _name_part(mention, words_of_name) if words_of_name else None
    if own:  # "President Trump", "North Korean leader Kim Jong Un": the label is the rest
        flat = re.sub(r"\s+", " ", mention)
        at = flat.find(own) if own in flat else -1
        if at >= 0:
            before = flat[:at].strip(" ,")
            after = flat[at + len(own):].strip(" ,")
            before = re.sub(r"\b(?:Mr|Mrs|Ms|Dr)\.?$", "", before).strip(" ,")
            if before and _has_role(before):
                return s, s + len(before)
            if after and _has_role(after) and not after.startswith(("'", "\u2019")):
                return e - len(after), e
        return None
    for ns, ne in name_spans:
        if s <= ns and ne <= e and (ns, ne) != (s, e):  # name inside: label = the rest
            return (s, ns) if ns > s else (ne, e)
        if 0 <= ns - e <= 2 or 0 <= s - ne <= 2:  # adjacent
            return s, e
    return None


def _match(mentions: pd.DataFrame, loc: pd.DataFrame) -> pd.DataFrame:
    """Every (found mention, located annotation) pair whose spans overlap, by the
    mention's name span (``via`` = "name") or its label span ("label")."""
    rows = []
    for doc_id, g in mentions.groupby("doc_id", sort=True):
        a = loc[loc["doc_id"] == doc_id]
        st, en = a["char_start"].to_numpy(), a["char_end"].to_numpy()
        for i, r in zip(g.index, g.itertuples()):
            name = "title" if str(r.label_kind) == "title-reference" else "name"
            for via, (s, e) in ((name, (r.start, r.end)),
                                ("label", (r.label_start, r.label_end))):
                if s < 0:
                    continue
                for j in _overlaps(s, e, st, en):
                    rows.append({"mention": i, "actor": r.actor, "via": via,
                                 "ann": a.index[j], "code_type": a.iloc[j]["code_type"],
                                 "concept": a.iloc[j]["concept"]})
    return pd.DataFrame(rows, columns=["mention", "actor", "via", "ann", "code_type",
                                       "concept"])


def _actor_map(pairs: pd.DataFrame, actors: list[str]) -> dict[str, tuple[str, str]]:
    """Each table actor -> the (code_type, concept) its name spans overlap most often
    (ACTOR preferred on ties; ("unannotated", "") when it overlaps nothing)."""
    out = {}
    named = pairs[(pairs["via"] == "name")
                  & ~pairs["code_type"].isin(["PROPERTY", "ACTION", "EVENT", "MISC"])]
    for actor in actors:
        c = Counter(zip(named.loc[named["actor"] == actor, "code_type"],
                        named.loc[named["actor"] == actor, "concept"]))
        best = sorted(c.items(), key=lambda kv: (-kv[1], kv[0][0] != "ACTOR", kv[0]))
        out[actor] = best[0][0] if best else ("unannotated", "")
    return out


def title_verdicts(mentions: pd.DataFrame, pairs: pd.DataFrame,
                   amap: dict[str, tuple[str, str]]) -> pd.Series:
    """For each title reference ("the president"): ``right actor`` when it overlaps an
    annotated ACTOR mention of the concept its actor stands for, ``other actor``
    when only an ACTOR mention of another concept, ``other annotation`` (a COUNTRY,
    GROUP, ... mention), or ``unannotated``."""
    refs = mentions.index[mentions["label_kind"] == "title-reference"]
    out = pd.Series("unannotated", index=refs, dtype=object)
    mine = pairs[pairs["via"] == "title"]
    for i, g in mine.groupby("mention"):
        actor = g["actor"].iloc[0]
        acts = g[g["code_type"] == "ACTOR"]
        if any(amap[actor] == ("ACTOR", c) for c in acts["concept"]):
            out[i] = "right actor"
        elif len(acts):
            out[i] = "other actor"
        else:
            out[i] = "other annotation"
    return out


def judge(table: pd.DataFrame, mentions: pd.DataFrame, amap: dict[str, tuple[str, str]],
          loc: pd.DataFrame, event: int) -> pd.DataFrame:
    """Verdict on each proposed actor: the annotation type of the concept its mentions
    overlap most (:func:`_actor_map`), provided one of the surface forms it found is
    a whole name run (:func:`name_runs`) of an annotated mention of that type in the
    event; ``fragment`` when it overlaps annotations but is never a whole name there
    ("North" of "North Korea"); ``unannotated`` when it overlaps none ("Tuesday")."""
    runs: dict[str, set[str]] = {}
    for kind, mention in zip(loc["code_type"], loc["code_mention"]):
        runs.setdefault(kind, set()).update(r.lower() for r in name_runs(str(mention)))
    rows = []
    for actor in table["actor"]:
        g = mentions[mentions["actor"] == actor]
        kind, concept = amap[actor]
        forms = {re.sub(r"\s+", " ", f).lower() for f in g["surface"]}
        if kind != "unannotated" and not forms & runs.get(kind, set()):
            kind = "fragment"
        rows.append({"event": event, "actor": actor, "mentions": len(g), "verdict": kind,
                     "concept": concept})
    return pd.DataFrame(rows, columns=["event", "actor", "mentions", "verdict", "concept"])


def score_event(event: int, ann: pd.DataFrame, corpus: pd.DataFrame,
                tables: dict[str, pd.DataFrame]) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Figures for one event; also the per-annotation results and proposed-actor verdicts."""
    loc = locate(ann[ann["event_id"] == event], corpus)
    act = loc[loc["code_type"] == "ACTOR"].copy()
    ok = act[act["char_start"] >= 0]
    row: dict[str, object] = {"event": event, "actor_mentions": len(act), "located": len(ok),
                              "concepts": act["concept"].nunique()}
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    names: dict[tuple[str, str], list[tuple[int, int]]] = {}
    cwords = {c: concept_words(c, g["code_mention"]) for c, g in ok.groupby("concept")}
    for r in ok.itertuples():
        if _name_part(r.code_mention, cwords[r.concept]):
            names.setdefault((r.doc_id, r.concept), []).append((r.char_start, r.char_end))
    labelled = {}
    for r in ok.itertuples():
        lab = _label_part(r.code_mention, (r.char_start, r.char_end),
                          names.get((r.doc_id, r.concept), []), cwords[r.concept])
        if lab is not None:
            labelled[r.Index] = lab
    row["label_mentions"] = len(labelled)
    act["kind"] = [mention_kind(m, cwords.get(c, set(c.split())))
                   for m, c in zip(act["code_mention"], act["concept"])]
    for name in tables:
        act[f"found_{name}"] = False
    verdicts = pd.DataFrame()
    for name, table in tables.items():
        titles = {"resolve_titles": True} if name.endswith("+titles") else {}
        m = find_mentions(corpus, table, **titles)
        pairs = _match(m, loc[loc["char_start"] >= 0])
        amap = _actor_map(pairs, table["actor"].tolist())
        hit = pairs[pairs["ann"].isin(ok.index)]
        same = hit[[amap[a] == ("ACTOR", c) for a, c in zip(hit["actor"], hit["concept"])]]
        if name.endswith("+titles"):
            verdict = title_verdicts(m, pairs, amap)
            row[f"title_refs_{name}"] = len(verdict)
            row[f"title_ref_precision_{name}"] = (verdict == "right actor").mean()
            for v in ("other actor", "other annotation", "unannotated"):
                row[f"title_ref_{v}_{name}"] = int((verdict == v).sum())
        row[f"recall_{name}"] = hit["ann"].nunique() / max(len(ok), 1)
        act[f"found_{name}"] = act.index.isin(same["ann"])
        row[f"recall_name_{name}"] = hit.loc[hit["via"] == "name", "ann"].nunique() / max(
            len(ok), 1)
        row[f"recall_same_actor_{name}"] = same["ann"].nunique() / max(len(ok), 1)
        lab_hit = lab_exact = 0
        for idx, (ls, le) in labelled.items():
            g = m[m["doc_id"] == ok.loc[idx, "doc_id"]]
            lh = _overlaps(ls, le, g["label_start"].to_numpy(), g["label_end"].to_numpy())
            lab_hit += bool(len(lh))
            want = re.sub(r"^(the|a|an)\s+", "", texts[ok.loc[idx, "doc_id"]][ls:le].strip(" ,"),
                          flags=re.I).lower()
            lab_exact += any(str(g.iloc[j]["label"]).lower() == want for j in lh)
        row[f"label_recall_{name}"] = lab_hit / max(len(labelled), 1)
        row[f"label_exact_{name}"] = lab_exact / max(len(labelled), 1)
        named = pairs[(pairs["via"] == "name") & (pairs["code_type"] == "ACTOR")]
        broad = pairs[(pairs["via"] == "name") & pairs["code_type"].isin(BROAD)]
        row[f"mentions_{name}"] = len(m)
        row[f"mention_precision_{name}"] = named["mention"].nunique() / max(len(m), 1)
        row[f"mention_precision_broad_{name}"] = broad["mention"].nunique() / max(len(m), 1)
        if name == "proposed":
            verdicts = judge(table, m, amap, loc, event)
            row["proposed"] = len(verdicts)
            row["proposed_precision"] = (verdicts["verdict"] == "ACTOR").mean()
            row["proposed_precision_broad"] = verdicts["verdict"].isin(BROAD).mean()
            found = {c for v, c in amap.values() if v == "ACTOR"}
            act["proposed"] = act["concept"].isin(found)
    return row, act, verdicts


# -------------------------------------------------------------------------------- main
def run(events: list[int], titles: bool = True
        ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ann = load_annotations()
    rows, acts, verdicts = [], [], []
    for event in events:
        corpus = load_event(event)
        proposed, _ = actors_or_proposed(corpus, WCL / "articles" / f"event_{event}")
        oracle = oracle_table(ann[ann["event_id"] == event])
        tables = {"proposed": proposed, "oracle": oracle}
        if titles:
            tables.update({"proposed+titles": proposed, "oracle+titles": oracle})
        row, act, ver = score_event(event, ann, corpus, tables)
        rows.append(row)
        acts.append(act)
        verdicts.append(ver)
    table = pd.DataFrame(rows).set_index("event")
    act = pd.concat(acts, ignore_index=True)
    ver = pd.concat(verdicts, ignore_index=True)
    total: dict[str, float] = {}
    for col in table.columns:
        if col.startswith(("recall", "label_recall", "label_exact")):
            w = table["label_mentions"] if col.startswith("label") else table["located"]
            total[col] = float((table[col] * w).sum() / w.sum())
        elif col.startswith("mention_precision"):
            w = table["mentions_" + col.split("_")[-1]]
            total[col] = float((table[col] * w).sum() / w.sum())
        elif col.startswith("title_ref_precision"):
            w = table["title_refs_" + col.split("_")[-1]]
            total[col] = float((table[col] * w).sum() / w.sum())
        elif col == "proposed_precision":
            total[col] = float((ver["verdict"] == "ACTOR").mean())
        elif col == "proposed_precision_broad":
            total[col] = float(ver["verdict"].isin(BROAD).mean())
        else:
            total[col] = float(table[col].sum())
    table.loc["all"] = pd.Series(total)
    return table, act, ver


def speed(n: int, repeats: int = 5, chunk: int = 500) -> None:
    """CPU seconds of find_mentions (seeds/actors.csv) on the first ``n`` cleaned
    Article-Bias-Prediction articles, called on ``chunk`` articles at a time as the
    per-article stage calls it (``distributed.analyse_chunk``; 0: all at once); the
    least of ``repeats`` runs (the machine is shared). Uses only the public API, so
    the same script times another version of framelens put first on ``PYTHONPATH``."""
    import framelens
    from framelens.actors import load_actors
    from framelens.distributed import load_jsonl

    corpus, _ = clean(load_jsonl(ABP, n=n))
    table = load_actors(ROOT / "seeds" / "actors.csv")
    step = chunk or len(corpus)
    parts = [corpus.iloc[i:i + step] for i in range(0, len(corpus), step)]
    find_mentions(parts[0].iloc[:50], table)  # compile the patterns outside the timing
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        found = [find_mentions(part, table) for part in parts]
        times.append(time.process_time() - t0)
    print(f"{framelens.__file__}: find_mentions on {len(corpus):,} articles "
          f"({corpus['text'].str.len().sum():,} characters) in {len(parts)} chunk(s): "
          f"{sum(map(len, found)):,} mentions, {min(times):.3f} CPU s (least of {repeats}: "
          + ", ".join(f"{t:.3f}" for t in times) + ")")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, nargs="*", default=list(range(10)))
    ap.add_argument("--details", action="store_true",
                    help="also print each proposed actor's verdict")
    ap.add_argument("--no-titles", action="store_true",
                    help="skip resolve_titles=True (for versions of framelens without it)")
    ap.add_argument("--speed", type=int, metavar="N",
                    help="instead: time find_mentions on N Article-Bias-Prediction articles")
    ap.add_argument("--chunk", type=int, default=500,
                    help="with --speed: articles per find_mentions call (0: all at once)")
    ap.add_argument("--repeats", type=int, default=5, help="with --speed: timed runs")
    args = ap.parse_args(argv)
    if args.speed:
        speed(args.speed, repeats=args.repeats, chunk=args.chunk)
        return
    if not (WCL / "Annotations.csv").is_file():
        raise SystemExit(f"NewsWCL50 not found at {WCL}; this benchmark needs ../shared/corpora")
    table, act, ver = run(args.events, titles=not args.no_titles)
    titles = not args.no_titles
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 40)
    print("annotated ACTOR mentions located in the cleaned text:",
          dict(sorted(Counter(act["status"]).items())))
    print("\nRECALL of located annotated ACTOR mentions (share found)")
    names = {"located": "located", "recall_proposed": "proposed any",
             "recall_same_actor_proposed": "proposed",
             "recall_same_actor_proposed+titles": "proposed+titles",
             "recall_oracle": "oracle any", "recall_same_actor_oracle": "oracle",
             "recall_same_actor_oracle+titles": "oracle+titles"}
    rec = table[[c for c in names if c in table.columns]].rename(columns=names)
    print(rec.round(3).to_string())
    print("\nLABELS of titled mentions; TITLE REFERENCES (resolve_titles=True) and the "
          "share naming the annotated actor")
    names = {"label_mentions": "titled", "label_recall_proposed": "label proposed",
             "label_recall_oracle": "label oracle", "label_exact_oracle": "exact oracle",
             "title_refs_proposed+titles": "refs proposed",
             "title_ref_precision_proposed+titles": "refs right",
             "title_refs_oracle+titles": "refs oracle",
             "title_ref_precision_oracle+titles": "refs right oracle"}
    print(table[[c for c in names if c in table.columns]].rename(columns=names)
          .round(3).to_string())
    if titles:
        print("title references of the oracle table that do not name the annotated actor:",
              {v: int(table.loc["all", f"title_ref_{v}_oracle+titles"])
               for v in ("other actor", "other annotation", "unannotated")})
    ok = act[act["char_start"] >= 0]
    by_kind = ok.groupby("kind").agg(mentions=("id", "size"), **{
        name: (f"found_{name}", "mean") for name in
        (["proposed", "proposed+titles", "oracle", "oracle+titles"] if titles
         else ["proposed", "oracle"])})
    print("\nsame-actor recall by kind of annotated mention")
    print(by_kind.round(3).to_string())
    print("\nPRECISION")
    pre = table[["proposed", "proposed_precision", "proposed_precision_broad",
                 "mentions_proposed", "mention_precision_proposed",
                 "mention_precision_broad_proposed", "mentions_oracle",
                 "mention_precision_oracle"]]
    print(pre.round(3).to_string())
    fp = ver[~ver["verdict"].isin(BROAD)]
    print("\nproposed actors that stand for no acting concept (ACTOR, ACTOR-I, COUNTRY, "
          "GROUP), by verdict:", dict(Counter(fp["verdict"]).most_common()))
    for kind, g in ver[ver["verdict"] != "ACTOR"].groupby("verdict"):
        top = g.groupby("actor")["mentions"].sum().sort_values(ascending=False).head(10)
        print(f"  {kind}: " + ", ".join(f"{a} ({n})" for a, n in top.items()))
    missed = ok[~ok["found_proposed+titles" if titles else "found_proposed"]]
    print("\nannotated ACTOR mentions the proposed table misses, by concept and kind:")
    print(" ", dict(Counter(zip(missed["concept"], missed["kind"])).most_common(12)))
    if args.details:
        print(ver.to_string())


if __name__ == "__main__":
    main()
