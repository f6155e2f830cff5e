"""Would approximate nearest neighbours beat the exact search? PyNNDescent on 37,554 articles.

Issue 7's 10-nearest-neighbour stage is an exact all-pairs search
(``framelens.features.nearest_neighbours``: sparse ``X @ X.T`` keeping each row's top 11
with sparse_dot_topn), whose work grows with n**2. This script measures the obvious
sub-quadratic alternative on the same TF-IDF matrix: PyNNDescent (nearest-neighbour
descent, sparse cosine, 2 threads), its wall time (import, first build with Numba's
compilation, second build) and its recall@10 against the exact neighbours.

PyNNDescent is not a framelens dependency (it pulls in Numba and llvmlite); install it
into a throwaway directory to run this::

    .venv/bin/pip install --target /tmp/ann pynndescent==0.7.0
    PYTHONPATH=/tmp/ann .venv/bin/python benchmarks/approximate_neighbours.py [--n N]

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

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


def recall_at_k(exact: np.ndarray, approx: np.ndarray) -> float:
    """Mean share of each row's exact neighbours that the approximate list also holds."""
    hits = [len(set(e) & set(a)) for e, a in zip(exact.tolist(), approx.tolist())]
    return float(np.sum(hits)) / exact.size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=None, help="first N articles (default all)")
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"{DATA} not found: the benchmark needs ../shared/corpora", file=sys.stderr)
        return 2
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    corpus = load_jsonl(DATA, n=args.n)
    tf = analyse(corpus, steps=("clean", "vocab"), engine="processes", n_jobs=2,
                 chunk_size=500).tfidf
    k = args.k
    t = time.perf_counter()
    nn = nearest_neighbours(tf, k=k, n_jobs=2)
    exact_s = time.perf_counter() - t
    exact = nn["neighbour_row"].to_numpy().reshape(-1, k)
    print(f"n={tf.n_docs}: exact (sparse_dot_topn, 2 threads) {exact_s:.1f} s", flush=True)
    t = time.perf_counter()
    try:
        import pynndescent
    except ImportError:
        print("pynndescent is not installed; see this script's docstring", file=sys.stderr)
        return 2
    print(f"import pynndescent {pynndescent.__version__ if hasattr(pynndescent, '__version__') else ''}"
          f" (and Numba): {time.perf_counter() - t:.1f} s", flush=True)
    x = tf.matrix.astype(np.float32)
    for run in ("first (compiles)", "second"):
        t = time.perf_counter()
        index = pynndescent.NNDescent(x, metric="cosine", n_neighbors=3 * k, random_state=0,
                                      n_jobs=2, low_memory=True)
        graph, _ = index.neighbor_graph
        took = time.perf_counter() - t
        approx = np.array([[j for j in row if j != i][:k] for i, row in enumerate(graph)])
        print(f"pynndescent {run}: {took:.1f} s, recall@{k} {recall_at_k(exact, approx):.4f}",
              flush=True)
    print("load average after " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
