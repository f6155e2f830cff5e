"""Same-story grouping on events that group_stories did not find: 100 events x 3 outlets.

Run by hand::

    nice .venv/bin/python benchmarks/story_heldout.py [--events 100] [--distractors 5000]

Why this corpus. Issue 17 quotes a held-out corpus of 100 events x 3 outlets that is not in
this workplace; the only event labels here are NewsWCL50's, on which ``group_stories``'
defaults were chosen. This script builds events from Article-Bias-Prediction by a signal
that ``group_stories`` does not use and that was not tuned on: **the same long verbatim
quotation**.

Method
------
* Every article is cleaned (:func:`framelens.corpus.clean`); its quoted spans
  (:func:`framelens.speech.quoted_spans`) of at least ``--min-quote-words`` words (default
  15), lower-cased, words joined by one space (:func:`framelens.text.words`), are its keys.
* An *event* is a key found in articles of at least 3 different outlets whose dates lie
  within 3 days of each other (the first 3 outlets in article order give one article
  each). Keys held by the same article are one candidate, so one article is in one event.
* Events are picked in date order, each at least ``--gap-days`` (default 7) days after the
  previous one, so that no two picked events share a 3-day date window: a merge of two
  picked events would need a chain through other articles.
* Truth: one label per event. Distractors: the ``--distractors`` articles closest in date
  to the events (nearest first over all events, ties in file order), without the picked
  articles and without any article holding a picked event's key (those report the event).
* Scores as ``story_quality.py``: ARI on the event articles, events whole, events merged,
  distractors joined, for ``group_stories`` at its defaults and at the previous defaults
  (links >= 0.3, components).

Limits (said again in ``benchmarks/RESULTS.md``): the signal picks events whose articles
share a passage word for word, which also makes them similar in TF-IDF, so this corpus is
easier than events reported in different words; wire copies (one agency text in three
outlets) are in it. It is independent of the tuning (no NewsWCL50 article, thresholds not
chosen on it), not of the text similarity the grouping rests on.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.corpus import clean
from framelens.distributed import load_jsonl
from framelens.features import tfidf
from framelens.speech import quoted_spans
from framelens.stories import STORY_TFIDF, group_stories
from framelens.text import words

sys.path.insert(0, str(Path(__file__).resolve().parent))
from story_quality import PREVIOUS, score  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


def quote_keys(texts: pd.Series, *, min_words: int) -> pd.DataFrame:
    """One row per (article position, normalised quotation of at least ``min_words`` words)."""
    rows = []
    for i, text in enumerate(texts.tolist()):
        for a, b in quoted_spans(text):
            w = words(text[a:b])
            if len(w) >= min_words:
                rows.append((i, " ".join(w)))
    return pd.DataFrame(rows, columns=["row", "key"]).drop_duplicates()


def find_events(docs: pd.DataFrame, keys: pd.DataFrame, *, n_events: int, gap_days: int) -> pd.DataFrame:
    """Pick ``n_events`` events of 3 outlets each (see the module docstring); rows of ``docs`` with ``truth``."""
    day = pd.to_datetime(docs["date"], errors="coerce", format="mixed").to_numpy()
    keys = keys.assign(outlet=docs["outlet"].to_numpy()[keys["row"]], day=day[keys["row"]])
    keys = keys.dropna(subset=["day"])
    cands = []
    for key, part in keys.groupby("key", sort=True):
        part = part.sort_values("row").drop_duplicates("outlet")
        if len(part) < 3:
            continue
        first = part.head(3)
        if (first["day"].max() - first["day"].min()) > np.timedelta64(3, "D"):
            continue
        cands.append((first["day"].min(), key, tuple(first["row"])))
    cands.sort()
    used: set[int] = set()
    picked, last = [], None
    for when, key, rows in cands:
        if used & set(rows) or (last is not None and when - last < np.timedelta64(gap_days, "D")):
            continue
        picked.append((key, rows))
        used |= set(rows)
        last = when
        if len(picked) == n_events:
            break
    out = []
    for e, (key, rows) in enumerate(picked):
        for r in rows:
            out.append({"row": r, "truth": f"event {e}", "key": key})
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--distractors", type=int, nargs="+", default=[5000])
    parser.add_argument("--min-quote-words", type=int, default=15)
    parser.add_argument("--gap-days", type=int, default=7)
    parser.add_argument("--show", type=int, default=10, help="print the titles of this many events")
    args = parser.parse_args(argv)
    if not ABP.is_file():
        print(f"{ABP} not found", file=sys.stderr)
        return 2
    docs, _ = clean(load_jsonl(ABP))
    docs = docs.reset_index(drop=True)
    keys = quote_keys(docs["text"], min_words=args.min_quote_words)
    events = find_events(docs, keys, n_events=args.events, gap_days=args.gap_days)
    n_ev = events["truth"].nunique()
    ev_docs = docs.iloc[events["row"]].reset_index(drop=True).assign(truth=events["truth"].to_numpy())
    print(f"{len(keys)} quotation keys; {n_ev} events x 3 outlets picked, dated "
          f"{ev_docs['date'].min()} to {ev_docs['date'].max()}; {ev_docs['outlet'].nunique()} outlets")
    for t, part in list(ev_docs.groupby("truth", sort=False))[:args.show]:
        print(f"  {t}: " + " | ".join(f"{r.outlet}, {r.date}: {str(r.title)[:60]}" for r in part.itertuples()))
    ev_docs["doc_id"] = "wcl-" + ev_docs["doc_id"].astype(str)  # score() marks event rows by this prefix
    day = pd.to_datetime(docs["date"], errors="coerce", format="mixed")
    reporting = set(keys.loc[keys["key"].isin(set(events["key"])), "row"])
    free = docs.index[~docs.index.isin(reporting) & day.notna()]
    ev_days = pd.to_datetime(ev_docs["date"], errors="coerce", format="mixed").dropna().unique()
    gaps = np.min(np.abs(day[free].to_numpy()[:, None] - np.asarray(ev_days)[None, :]), axis=1)
    by_gap = free[np.argsort(gaps, kind="stable")]
    for n in [0] + list(args.distractors):
        extra = docs.loc[sorted(by_gap[:n])].assign(truth=lambda d: "abp " + d["doc_id"].astype(str))
        corpus = pd.concat([ev_docs, extra], ignore_index=True)
        features = tfidf(corpus, **STORY_TFIDF)
        for label, kw in (("previous defaults (links >= 0.3, components)", PREVIOUS),
                          ("defaults (links >= 0.2, average linkage at 0.2)", {})):
            s = score(corpus, group_stories(corpus, features=features, **kw))
            print(f"{3 * n_ev} event articles + {n} distractors, {label}: ARI events {s['ari_events']:.3f}, "
                  f"events whole {s['events_whole']}/{n_ev}, events merged {s['events_merged']}, "
                  f"distractors joined {s['distractors_joined']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
