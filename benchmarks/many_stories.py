"""Time and memory of the many-story report (issue 17 item 7), case by case.

Run by hand, one case a process (peak memory is the process's)::

    .venv/bin/python benchmarks/many_stories.py newswcl50
    .venv/bin/python benchmarks/many_stories.py abp-300      # 100 found stories x 3 outlets
    .venv/bin/python benchmarks/many_stories.py abp-all      # 37,554 articles, stories found

What is timed: cleaning (:func:`framelens.corpus.clean`), finding stories where the corpus
has none (:func:`framelens.stories.group_stories`, defaults), every table of
:func:`framelens.storyreport.many_story_tables` (lean as the outlet group for
Article-Bias-Prediction) and :func:`framelens.storyreport.write_many_story_report` into a
temporary folder. Reading the corpus is timed apart. Peak memory is ``ru_maxrss`` of this
process. Results go to ``benchmarks/RESULTS.md`` by hand, with machine, date and load.

``abp-300``: the first 100 stories (by story id, from ``group_stories`` on the whole cleaned
corpus, not timed) that hold three different outlets, one article of each (the first three
outlets in article order): 300 raw articles in 100 stories given as a column, as a researcher's
manifest would give them; built once in a child process into a temporary JSONL file, then
read and timed like the others.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from framelens.corpus import clean  # noqa: E402
from framelens.distributed import load_jsonl  # noqa: E402
from framelens.stories import group_stories  # noqa: E402
from framelens.storyreport import many_story_tables, write_many_story_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
WCL = SHARED / "newswcl50" / "articles"
ABP = SHARED / "article-bias-prediction" / "articles.jsonl.xz"
WCL_OUTLETS = {"LL": "HuffPost", "L": "New York Times", "M": "USA Today", "R": "Fox News", "RR": "Breitbart"}
CACHE = Path(tempfile.gettempdir()) / "framelens-abp-300.jsonl"
WCL_LEAN = {"LL": "left", "L": "left", "M": "center", "R": "right", "RR": "right"}


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def load(case: str) -> tuple[pd.DataFrame, str]:
    if case == "newswcl50":
        rows = [{"doc_id": f.stem, "story": f.parent.name, "outlet": WCL_OUTLETS[f.stem.split("_")[1]],
                 "lean": WCL_LEAN[f.stem.split("_")[1]], "text_raw": f.read_text(encoding="utf-8")}
                for f in sorted(WCL.glob("event_*/*.txt"))]
        return pd.DataFrame(rows), "sub-folders"
    abp = load_jsonl(ABP)
    if case == "abp-all":
        return abp, "group_stories"
    if case == "abp-300":  # read the corpus built by build_abp_300, as a researcher's file
        return pd.read_json(CACHE, lines=True, dtype=str), "story column"
    cleaned, _ = clean(abp)  # building the 300-article corpus is not timed
    found = group_stories(cleaned)
    abp = abp.assign(story=found["story"].astype(str).to_numpy(), outlet=abp["outlet"].astype(str))
    picked = []
    for _, part in abp.groupby(found["story"].to_numpy(), sort=True):
        first = part.drop_duplicates("outlet").head(3)
        if len(first) == 3:
            picked.append(first)
        if len(picked) == 100:
            break
    return pd.concat(picked, ignore_index=True), "story column"


def build_abp_300(path: Path) -> None:
    """Write the 300-article corpus once (its building reads all 37,554 articles: not timed)."""
    docs, _ = load("abp-300-build")
    docs.to_json(path, orient="records", lines=True, force_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", choices=["newswcl50", "abp-300", "abp-all"])
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--build-only", action="store_true", help="abp-300: only write its corpus file")
    args = parser.parse_args(argv)
    if args.build_only:
        build_abp_300(CACHE)
        return 0
    if not SHARED.is_dir():
        print("../shared/corpora not found", file=sys.stderr)
        return 2
    if args.case == "abp-300" and not CACHE.is_file():
        # built in a child process, so this process's peak memory is the 300-article run's
        import subprocess
        subprocess.run([sys.executable, __file__, "abp-300", "--build-only"], check=True)
    t0 = time.perf_counter()
    docs, how = load(args.case)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs, _ = clean(docs)
    if how == "group_stories":
        found = group_stories(docs)
        docs = docs.assign(story=found["story"].astype(str).to_numpy())
    t_prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    group = "lean" if "lean" in docs.columns else None
    tables = many_story_tables(docs, group_col=group, n_boot=args.n_boot)
    t_tables = time.perf_counter() - t0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_many_story_report(tables, tmp, articles=docs, how_found=how)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    t_report = time.perf_counter() - t0
    print(f"{args.case}: {len(docs)} articles, {docs['outlet'].nunique()} outlets, "
          f"{docs['story'].nunique()} stories ({how}); load {t_load:.1f} s, clean+stories "
          f"{t_prep:.1f} s, tables {t_tables:.1f} s, report {t_report:.1f} s "
          f"({size / 1e6:.1f} MB); total without load {t_prep + t_tables + t_report:.1f} s; "
          f"peak {_peak_gb():.2f} GB; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
