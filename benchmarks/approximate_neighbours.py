"""Neighbour searches against the exact one: recall@10 and time on 37,554 articles.

``framelens.features.nearest_neighbours`` offers three searches (``framelens.neighbours``):
``exact`` (all pairs, quadratic), ``window`` (within each article's date window, the
default when dates are given) and ``approximate`` (TruncatedSVD + faiss HNSW candidates
re-ranked by the exact cosine). This script times each on the same TF-IDF matrix
(Article-Bias-Prediction, cleaned, sublinear tf, English stop words, min_df=2) and
measures recall@k against the exact search: the mean share of each article's exact
``k`` nearest neighbours that the other search also returns. Articles whose exact
neighbours include similarity-0 fill (no ``k`` similar articles) count like the others.

Run by hand (not part of ``make test``)::

    nice .venv/bin/python benchmarks/approximate_neighbours.py [--n N] \\
        [--settings 512:200 256:100]

``--settings`` lists ``n_components:n_candidates`` pairs for the approximate search.
Results are in ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from framelens.distributed import analyse, load_jsonl
from framelens.features import nearest_neighbours
from framelens.neighbours import recall_at_k

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=None, help="first N articles (default all)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--settings", nargs="*", default=["512:200", "256:100"],
                        help="n_components:n_candidates of the approximate search")
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"{DATA} not found: the benchmark needs ../shared/corpora", file=sys.stderr)
        return 2
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {_load()}", flush=True)
    corpus = load_jsonl(DATA, n=args.n)
    res = analyse(corpus, steps=("clean", "vocab"), engine="processes", n_jobs=args.jobs,
                  chunk_size=500)
    tf, k = res.tfidf, args.k

    def timed(label: str, **kwargs: object) -> np.ndarray:
        t = time.perf_counter()
        nn = nearest_neighbours(tf, k=k, n_jobs=args.jobs, **kwargs)
        took = time.perf_counter() - t
        print(f"  {label}: {took:.1f} s (load average {_load()})", flush=True)
        if kwargs.get("method") == "window":  # fewer than k rows where a window is small
            out = np.full((tf.n_docs, k), -1, dtype=np.int64)
            out[nn["row"].to_numpy(), nn["rank"].to_numpy() - 1] = nn["neighbour_row"]
            return out
        return nn["neighbour_row"].to_numpy().reshape(-1, k)

    print(f"n={tf.n_docs}, {tf.matrix.shape[1]} terms, k={k}", flush=True)
    exact = timed("exact (all pairs, sparse_dot_topn)", method="exact")
    window = timed("window (3 days; undated with each other)", method="window",
                   dates=corpus["date"])
    print(f"    recall@{k} of the window search: {recall_at_k(exact, window):.4f} "
          "(a different question: only neighbours published within 3 days)", flush=True)
    for setting in args.settings:
        comps, cands = (int(v) for v in setting.split(":"))
        approx = timed(f"approximate (SVD {comps} dims, {cands} candidates, faiss HNSW)",
                       method="approximate", n_components=comps, n_candidates=cands)
        print(f"    recall@{k}: {recall_at_k(exact, approx):.4f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
