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
  window, k=10, cosine >= 0.3), and a grid of thresholds and windows for sensitivity.
* Scores: adjusted Rand index (scikit-learn) over all articles, ARI over the 50 event
  articles only, the number of events whose five articles end in one story, and the
  number of distractors grouped with an event.
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
    return {
        "ari_all": adjusted_rand_score(truth, pred),
        "ari_events": adjusted_rand_score(truth[is_event], pred[is_event]),
        "events_whole": whole,
        "distractors_joined": int(np.isin(pred[~is_event], list(event_stories)).sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distractors", type=int, default=2000)
    parser.add_argument("--titles", action="store_true",
                        help="print the titles of distractors grouped with an event")
    parser.add_argument("--figure", type=Path, default=ROOT / "benchmarks" / "story_ari.png")
    args = parser.parse_args(argv)
    if not WCL.is_dir() or not ABP.is_file():
        print("../shared/corpora (newswcl50, article-bias-prediction) not found", file=sys.stderr)
        return 2
    corpus = pd.concat([load_newswcl50(), distractors(args.distractors)], ignore_index=True)
    corpus, _ = clean(corpus)
    dates = pd.to_datetime(corpus["date"], errors="coerce", format="mixed")
    print(f"{len(corpus)} articles: 50 NewsWCL50 + {len(corpus) - 50} distractors dated "
          f"{dates[50:].min():%Y-%m-%d} to {dates[50:].max():%Y-%m-%d}")
    features = tfidf(corpus, **STORY_TFIDF)
    default = group_stories(corpus, features=features)
    s = score(corpus, default)
    print(f"defaults (window 3 days, k=10, cosine >= 0.3): ARI all {s['ari_all']:.3f}, "
          f"ARI events {s['ari_events']:.3f}, events whole {s['events_whole']}/10, "
          f"distractors joined to an event {s['distractors_joined']}")
    is_event = corpus["doc_id"].str.startswith("wcl-")
    ev_story = default.loc[is_event, "story"]
    for story, grp in corpus[is_event].groupby(ev_story.to_numpy()):
        joined = corpus.loc[(default["story"] == story) & ~is_event]
        print(f"  story {story}: {', '.join(sorted(grp['truth'].str.replace('event ', 'e')))}"
              + (f" + {len(joined)} distractors" if len(joined) else ""))
        if args.titles:
            for title in joined["title"]:
                print(f"      {title[:90]}")
    rows = []
    for window in (1, 3, 7, None):
        for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
            st = group_stories(corpus, features=features, threshold=threshold,
                               window_days=window if window is not None else 0,
                               date_col="date" if window is not None else None)
            label = "no blocking" if window is None else \
                f"±{window} day{'s' if window > 1 else ''}"
            rows.append({"window": label,
                         "threshold": threshold, **score(corpus, st)})
    grid = pd.DataFrame(rows)
    print(grid.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    use_style()
    ax = new_axes(figsize=(6.5, 4.0))
    for colour, (window, grp) in zip(PALETTE, grid.groupby("window", sort=False)):
        ax.plot(grp["threshold"], grp["ari_events"], marker="o", color=colour, label=window)
    ax.axvline(0.3, color="grey", lw=0.8, ls=":")
    ax.annotate("default", (0.3, 0.02), xytext=(3, 0), textcoords="offset points",
                fontsize=8, color="grey")
    ax.set_xlabel("cosine threshold for a same-story link")
    ax.set_ylabel("ARI on the 50 event articles\n(grouped among 2,050)")
    ax.set_ylim(-0.02, 1.05)
    ax.legend(title="date window", frameon=False, fontsize=8)
    best = grid.loc[grid["ari_events"].idxmax()]
    ax.set_title(f"NewsWCL50 events recovered with ARI {s['ari_events']:.2f} at the defaults;\n"
                 f"best {best['ari_events']:.2f} at cosine {best['threshold']:.2f}, "
                 f"{best['window']} window", fontsize=10)
    ax.figure.savefig(args.figure)
    print(f"figure: {args.figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
