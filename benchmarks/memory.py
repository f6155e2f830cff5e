"""What holds the memory of the scale path, stage by stage (issue 16, peak memory).

Run by hand (not part of ``make test``)::

    nice .venv/bin/python benchmarks/memory.py            # all 37,554 articles
    nice .venv/bin/python benchmarks/memory.py --n 3755

The stages of ``benchmarks/scale.py`` (load, per-article on 2 worker processes, 10-NN
within the date window, stories), without the comparison stages. After each stage it
prints

- the proportional set size (PSS) now and the peak during the stage, summed over this
  process and its workers (``scale.MemorySampler``), and ``ru_maxrss`` of this process
  and of its largest finished worker;
- the bytes of what the scale path holds at that point: the raw texts, the cleaned
  texts, the other corpus columns, the actor mentions, the cleaning audit, the word
  counts by lean, the TF-IDF matrix (data, indices, indptr), the neighbour and story
  tables (``sys.getsizeof`` of every string; ``DataFrame.memory_usage(deep=True)``;
  ``nbytes`` of arrays);
- the bytes of one chunk's results as a worker returns them (pickled), times the
  number of chunks: the list that ``analyse`` holds before it combines them.
"""
from __future__ import annotations

import argparse
import gc
import os
import pickle
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ACTORS, DATA, FULL, WORKING_MEMORY, MemorySampler  # noqa: E402

import sklearn  # noqa: E402

from framelens.actors import load_actors  # noqa: E402
from framelens.distributed import (  # noqa: E402
    analyse,
    analyse_chunk,
    iter_jsonl,
    load_jsonl,
    release_free_memory,
)
from framelens.features import nearest_neighbours  # noqa: E402
from framelens.stories import group_stories  # noqa: E402

GB = 2 ** 30
MB = 2 ** 20
STEPS = ("clean", "actors", "lexicon", "term_counts", "vocab")


def text_bytes(values: Any) -> int:
    """Bytes of the Python strings in ``values`` (each counted once)."""
    return sum(sys.getsizeof(s) for s in values)


def frame_bytes(frame: pd.DataFrame | None, *, without: tuple[str, ...] = ()) -> int:
    if frame is None:
        return 0
    return int(frame.drop(columns=[c for c in without if c in frame.columns])
               .memory_usage(deep=True, index=True).sum())


def sparse_bytes(m: sp.spmatrix | None) -> int:
    if m is None:
        return 0
    m = sp.csr_matrix(m)
    return int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes)


def maxrss() -> str:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2 ** 20
    return f"ru_maxrss {own:.2f} GB (this process), {kids:.2f} GB (largest worker)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=FULL)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--trim", action="store_true",
                        help="after each stage, hand the C heap's free pages back to the "
                             "system (distributed.release_free_memory)")
    parser.add_argument("--keep-text", action="store_true",
                        help="keep the raw and cleaned texts (the scale path before issue 16)")
    args = parser.parse_args(argv)
    print(f"framelens memory breakdown, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"n={args.n}, load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
          flush=True)
    sampler = MemorySampler()
    held: dict[str, int] = {}

    def stage(name: str, fn: Any) -> Any:
        sampler.start()
        t = time.perf_counter()
        out = fn()
        wall = time.perf_counter() - t
        peak = sampler.stop()
        gc.collect()
        if args.trim:
            release_free_memory()
        now = sampler.pss()
        print(f"{name:<12} {wall:7.1f} s wall; PSS peak {peak / GB:.2f} GB, after {now / GB:.2f} GB;"
              f" {maxrss()}", flush=True)
        return out

    def show() -> None:
        print("    held: " + "; ".join(f"{k} {v / MB:,.0f} MB" for k, v in held.items()),
              flush=True)

    base = MemorySampler().pss()
    print(f"start        PSS {base / GB:.2f} GB (interpreter and libraries)", flush=True)
    first = next(iter_jsonl(DATA, n=args.n, chunk_size=args.chunk_size))
    if args.keep_text:  # the scale path before issue 16: the corpus loaded whole, texts kept
        corpus = stage("load", lambda: load_jsonl(DATA, n=args.n))
        held["raw texts"] = text_bytes(corpus["text_raw"])
        held["other corpus columns"] = frame_bytes(corpus, without=("text_raw",))
        show()
    # one chunk's results, as a worker pickles them back
    actors = load_actors(ACTORS)
    one = analyse_chunk(first, steps=STEPS, actors=actors, keep_hits=False)
    sizes = {k: len(pickle.dumps(v, protocol=5)) for k, v in one.items()}
    n_chunks = -(-args.n // args.chunk_size)
    print(f"    one chunk of {args.chunk_size} returns (pickled): "
          + "; ".join(f"{k} {v / MB:.1f} MB" for k, v in sorted(sizes.items(), key=lambda x: -x[1])
                      if v > 10_000)
          + f"; x {n_chunks} chunks = {sum(sizes.values()) * n_chunks / GB:.2f} GB", flush=True)
    del one, first
    if args.keep_text:
        res = stage("per-article", lambda: analyse(
            corpus, steps=STEPS, engine="processes", n_jobs=args.jobs,
            chunk_size=args.chunk_size, actors=ACTORS, keep_hits=False))
        held["cleaned texts"] = text_bytes(res.corpus["text"])
    else:  # read chunk by chunk: no text is held beyond the chunks being analysed
        res = stage("load + per-article", lambda: analyse(
            iter_jsonl(DATA, n=args.n, chunk_size=args.chunk_size), steps=STEPS,
            engine="processes", n_jobs=args.jobs, actors=ACTORS, keep_hits=False,
            keep_text=False))
        held["corpus columns"] = frame_bytes(res.corpus)
    held["mentions"] = frame_bytes(res.mentions)
    held["audit"] = frame_bytes(res.audit)
    held["word counts by lean"] = frame_bytes(res.term_counts)
    held["tf-idf matrix"] = sparse_bytes(res.tfidf.matrix)
    held["tf-idf terms"] = text_bytes(res.tfidf.terms)
    show()
    dates = res.corpus["date"]
    with sklearn.config_context(working_memory=WORKING_MEMORY):
        nn = stage("10-NN", lambda: nearest_neighbours(res.tfidf, k=10, n_jobs=args.jobs,
                                                         method="window", dates=dates))
    held["neighbours"] = frame_bytes(nn)
    show()
    stories = stage("stories", lambda: group_stories(res.corpus, features=res.tfidf,
                                                     n_jobs=args.jobs))
    held["stories"] = frame_bytes(stories)
    show()
    print(f"held in all: {sum(held.values()) / GB:.2f} GB; load average after "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
