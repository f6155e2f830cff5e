"""CPU time of the pipeline's lexicon step, before and after, in one process.

    git show 52ea005:src/framelens/lexicon.py > /tmp/old_lexicon.py
    PYTHONPATH=src nice .venv/bin/python benchmarks/lexicon_speed.py --old /tmp/old_lexicon.py \\
        [--n 37554] [--repeat 3] [--kwic]

Reads the first ``n`` Article-Bias-Prediction articles in chunks of 500 and cleans them,
as the per-article stage does (``distributed.iter_jsonl``, ``corpus.clean``), then
times, interleaved ``repeat`` times, the step as ``distributed.analyse_chunk`` runs it
with ``keep_hits=False``: for each chunk, :func:`count_hits` with the shipped lexicon,
then :func:`register_rates` with the chunk's word counts, the lexicon a fresh copy
each chunk (unpickled, as a worker process receives it with each chunk; the unpickling
is not timed). Variants:

* ``old``: the module given by ``--old`` (its own matcher per call, pyahocorasick);
* ``new, re``: this module with ``framelens.text.WORD_ENGINE = "re"`` (the same
  automaton as ``old``, the matcher kept across chunks);
* ``new, c``: this module with the C engine (``framelens.textscan.TermTable``).

Every variant's count and rate tables are checked equal to ``old``'s, chunk by chunk.
With ``--kwic`` the keyword-in-context table (:func:`lexicon_hits`, ``sentences=False``)
of the whole corpus is timed too and compared. Prints CPU seconds
(``time.process_time``) per variant and run; no article text is printed.
"""
from __future__ import annotations

import argparse
import importlib.util
import pickle
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

import framelens.text
from framelens import lexicon as new
from framelens.corpus import clean
from framelens.distributed import iter_jsonl

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_lexicon", path)
    old = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(old)  # type: ignore[union-attr]
    return old


def _step(mod: ModuleType, chunks: list[tuple[pd.DataFrame, np.ndarray]], blob: bytes
          ) -> tuple[float, list[tuple[pd.DataFrame, pd.DataFrame]]]:
    """CPU s of count_hits + register_rates over the chunks, and their tables."""
    out, cpu = [], 0.0
    for cleaned, words in chunks:
        lexicon = pickle.loads(blob)
        t = time.process_time()
        counts = mod.count_hits(cleaned, lexicon=lexicon)
        rates = mod.register_rates(counts, cleaned, doc_words=words)
        cpu += time.process_time() - t
        out.append((counts, rates))
    return cpu, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True, help="lexicon.py of the commit before")
    ap.add_argument("--n", type=int, default=37_554)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--kwic", action="store_true", help="time lexicon_hits too")
    args = ap.parse_args()
    old = _module(args.old)
    chunks = []
    for chunk in iter_jsonl(ABP, chunk_size=500):
        cleaned = clean(chunk, text_col="text_raw")[0]
        words = np.asarray(framelens.text.word_matrix(cleaned["text"].tolist())[1].sum(axis=1)).ravel()
        chunks.append((cleaned, words))
        if sum(len(c) for c, _ in chunks) >= args.n:
            break
    n = sum(len(c) for c, _ in chunks)
    blob = pickle.dumps(new.load_lexicon())
    engine = framelens.text.WORD_ENGINE
    print(f"{n} articles in {len(chunks)} chunks, {sum(int(w.sum()) for _, w in chunks):,} words; "
          f"C engine built: {new.TermTable is not None}", flush=True)
    _step(old, chunks[:1], blob)  # imports and first-use caches out of the figures
    variants = [("old", old, engine), ("new, re", new, "re"), ("new, c", new, "c")]
    for run in range(args.repeat):
        want = None
        for name, mod, eng in variants:
            if eng == "c" and new.TermTable is None:
                continue
            framelens.text.WORD_ENGINE = eng
            try:
                cpu, tables = _step(mod, chunks, blob)
            finally:
                framelens.text.WORD_ENGINE = engine
            if want is None:
                want = tables
            for (c1, r1), (c2, r2) in zip(tables, want):
                pd.testing.assert_frame_equal(c1, c2)
                pd.testing.assert_frame_equal(r1, r2)
            hits = sum(int(c["hits"].sum()) for c, _ in tables)
            print(f"run {run + 1}  {name:8s} CPU {cpu:6.2f} s  {cpu / n * 1000:.4f} ms/article  "
                  f"hits {hits:,} (tables equal to old's)", flush=True)
    if args.kwic:
        corpus = pd.concat([c for c, _ in chunks], ignore_index=True)
        lexicon = pickle.loads(blob)
        tables = {}
        for name, mod, eng in variants:
            framelens.text.WORD_ENGINE = eng
            try:
                t = time.process_time()
                tables[name] = mod.lexicon_hits(corpus, lexicon=lexicon, sentences=False)
                cpu = time.process_time() - t
            finally:
                framelens.text.WORD_ENGINE = engine
            pd.testing.assert_frame_equal(tables[name], tables["old"])
            print(f"lexicon_hits  {name:8s} CPU {cpu:6.2f} s  rows {len(tables[name]):,} (equal to old's)",
                  flush=True)


if __name__ == "__main__":
    main()
