"""Same-story grouping quality: NewsWCL50's 10 events hidden among 2,000 other articles.

Run by hand::

    .venv/bin/python benchmarks/story_quality.py [--distractors 2000] [--figure PATH]

Method
------
* Events: the 50 NewsWCL50 articles (10 events of April 2018 x 5 outlets). Each gets the
  date in its URL (``/2018/04/17/``); the four URLs without one (HuffPost, one Breitbart)
  get the date most of the event's other URLs carry, as a news page would show it.
* Distractors: the ``--distractors`` Article-Bias-Prediction articles dated closest to
  2018-04-24 (the middle of the events' dates; ties in file order), so that date
  blocking has to separate stories of the same weeks, not only of different years.
* Truth: one label per event; every distractor its own label (they are treated as
  unrelated, which is not quite true: a few report the same April 2018 events; these are
  counted and listed).
* Pipeline: :func:`framelens.corpus.clean`, then :func:`framelens.stories.group_stories`
  with its defaults (TF-IDF with sublinear tf, English stop words, min_df=2; 3-day date
  window, k=10, links at cosine >= 0.2, each component split by average linkage where
  the mean cosine between two groups falls below 0.2), beside the previous defaults
  (links at cosine >= 0.3, connected components) in the same run, and a grid of link
  thresholds and average-linkage cuts for sensitivity.
* Scores: adjusted Rand index (scikit-learn) over all articles, ARI over the 50 event
  articles only, the number of events whose five articles end in one story, the number
  of events merged into another event's story (a story holding articles of m events
  counts m - 1), and the number of distractors grouped with an event.
* Sizes: ``--distractors 2000 5000`` (default) runs both mixes.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from framelens.corpus import clean  # noqa: E402
from framelens.distributed import load_jsonl  # noqa: E402
from framelens.features import tfidf  # noqa: E402
from framelens.plots import PALETTE, new_axes, use_style  # noqa: E402
from framelens.stories import STORY_TFIDF, group_stories  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
WCL = SHARED / "newswcl50"
ABP = SHARED / "article-bias-prediction" / "articles.jsonl.xz"
CENTRE = pd.Timestamp("2018-04-24")


def load_newswcl50() -> pd.DataFrame:
    urls = pd.read_csv(WCL / "urls.tsv", sep="\t", dtype=str)
    urls.columns = ["event", "code", "url"]
    dates = urls["url"].str.extract(r"/(\d{4}/\d{2}/\d{2})/")[0].str.replace("/", "-")
    urls["date"] = dates
    for event, grp in urls.groupby("event"):
        common = Counter(grp["date"].dropna()).most_common(1)[0][0]
        urls.loc[grp.index, "date"] = grp["date"].fillna(common)
    rows = []
    for r in urls.itertuples(index=False):
        text = (WCL / "articles" / f"event_{r.event}" / f"{r.event}_{r.code}.txt").read_text(
            encoding="utf-8")
        rows.append({"doc_id": f"wcl-{r.event}-{r.code}", "outlet": f"NewsWCL50 {r.code}",
                     "date": r.date, "lean": "unknown", "topic": "unknown", "title": "",
                     "text_raw": text, "truth": f"event {r.event}"})
    return pd.DataFrame(rows)


def distractors(n: int) -> pd.DataFrame:
    abp = load_jsonl(ABP)
    when = pd.to_datetime(abp["date"], errors="coerce", format="mixed")
    gap = (when - CENTRE).abs().dt.days
    keep = gap.dropna().sort_values(kind="stable").index[:n]
    out = abp.loc[sorted(keep)].reset_index(drop=True)
    out["truth"] = [f"abp {i}" for i in out["doc_id"]]
    return out


def score(corpus: pd.DataFrame, stories: pd.DataFrame) -> dict[str, float]:
    truth = corpus["truth"].to_numpy()
    pred = stories["story"].to_numpy()
    is_event = corpus["doc_id"].str.startswith("wcl-").to_numpy()
    event_stories = set(pred[is_event])
    whole = sum(len(set(pred[truth == e])) == 1 for e in sorted(set(truth[is_event])))
    merged = sum(len(set(truth[is_event & (pred == p)])) - 1 for p in event_stories)
    return {
        "ari_all": adjusted_rand_score(truth, pred),
        "ari_events": adjusted_rand_score(truth[is_event], pred[is_event]),
        "events_whole": whole,
        "events_merged": merged,
        "distractors_joined": int(np.isin(pred[~is_event], list(event_stories)).sum()),
    }


def _describe(corpus: pd.DataFrame, stories: pd.DataFrame, titles: bool) -> None:
    is_event = corpus["doc_id"].str.startswith("wcl-")
    ev_story = stories.loc[is_event, "story"]
    for story, grp in corpus[is_event].groupby(ev_story.to_numpy()):
        joined = corpus.loc[(stories["story"] == story) & ~is_event]
        print(f"  story {story}: {', '.join(sorted(grp['truth'].str.replace('event ', 'e')))}"
              + (f" + {len(joined)} distractors" if len(joined) else ""))
        if titles:
            for title in joined["title"]:
                print(f"      {title[:90]}")


def _line(label: str, s: dict[str, float]) -> str:
    return (f"{label}: ARI events {s['ari_events']:.3f}, events whole {s['events_whole']}/10, "
            f"events merged {s['events_merged']}, distractors joined {s['distractors_joined']}, "
            f"ARI all {s['ari_all']:.3f}")


PREVIOUS = {"threshold": 0.3, "linkage": "none"}  # the defaults before issue 17 item 6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distractors", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--titles", action="store_true",
                        help="print the titles of distractors grouped with an event")
    parser.add_argument("--figure", type=Path, default=ROOT / "benchmarks" / "story_ari.png")
    args = parser.parse_args(argv)
    if not WCL.is_dir() or not ABP.is_file():
        print("../shared/corpora (newswcl50, article-bias-prediction) not found", file=sys.stderr)
        return 2
    grids = {}
    for n in args.distractors:
        corpus = pd.concat([load_newswcl50(), distractors(n)], ignore_index=True)
        corpus, _ = clean(corpus)
        dates = pd.to_datetime(corpus["date"], errors="coerce", format="mixed")
        print(f"{len(corpus)} articles: 50 NewsWCL50 + {len(corpus) - 50} distractors dated "
              f"{dates[50:].min():%Y-%m-%d} to {dates[50:].max():%Y-%m-%d}", flush=True)
        features = tfidf(corpus, **STORY_TFIDF)
        before = group_stories(corpus, features=features, **PREVIOUS)
        print(_line("  previous defaults (links >= 0.3, components)", score(corpus, before)))
        default = group_stories(corpus, features=features)
        print(_line("  defaults (links >= 0.2, average linkage at 0.2)", score(corpus, default)))
        _describe(corpus, default, args.titles)
        rows = []
        for threshold in (0.15, 0.2, 0.25, 0.3):
            for min_average in (0.1, 0.15, 0.2, 0.25, 0.3):
                st = group_stories(corpus, features=features, threshold=threshold,
                                   min_average=min_average)
                rows.append({"threshold": threshold, "min_average": min_average,
                             **score(corpus, st)})
        grids[n] = pd.DataFrame(rows)
        print(grids[n].to_string(index=False, float_format=lambda v: f"{v:.3f}"), flush=True)
    use_style()
    ax = new_axes(figsize=(6.5, 4.0))
    for colour, (n, grid) in zip(PALETTE, grids.items()):
        for style, (threshold, grp) in zip(("-", "--", ":", "-."), grid.groupby("threshold")):
            ax.plot(grp["min_average"], grp["ari_events"], marker="o", color=colour, ls=style,
                    label=f"{n:,} distractors, links >= {threshold:.2f}")
    ax.axvline(0.2, color="grey", lw=0.8, ls=":")
    ax.annotate("default", (0.2, 0.02), xytext=(3, 0), textcoords="offset points",
                fontsize=8, color="grey")
    ax.set_xlabel("mean cosine at which average linkage stops merging")
    ax.set_ylabel("ARI on the 50 event articles")
    ax.set_ylim(-0.02, 1.05)
    ax.legend(frameon=False, fontsize=6, ncol=2)
    ax.set_title("NewsWCL50 events among unrelated articles: links at cosine >= 0.2,\n"
                 "split by average linkage at mean cosine 0.2 (3-day date blocks)", fontsize=10)
    ax.figure.savefig(args.figure)
    print(f"figure: {args.figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
