"""CPU time of the lexicon step, before and after the multi-pattern engine, in one process.

    git show 3c826e6:src/framelens/lexicon.py > /tmp/old_lexicon.py
    PYTHONPATH=src nice .venv/bin/python benchmarks/lexicon_speed.py --old /tmp/old_lexicon.py [--n 37554] [--repeat 2]

Reads the Article-Bias-Prediction articles once, then times, interleaved ``repeat``
times, :func:`lexicon_hits` (``sentences=False``, as the pipeline's rate-only path) plus
:func:`register_rates` with:

* ``old, seed 60``: the module of commit 3c826e6 (one alternation, literal prefixes read
  from ``re._parser``) with the 60 seed terms (``seeds/lexicon-ukraine-war.csv``);
* ``new, seed 60``: this module, same 60 terms;
* ``new, shipped``: this module, the shipped resources (thousands of terms);
* ``new, shipped + 50,000``: the shipped resources plus 50,000 generated two-word terms;
* ``new, shipped, count_hits``: the shipped resources, counted with :func:`count_hits`
  (no keyword-in-context table) and passed to :func:`register_rates`.

Prints CPU seconds (``time.process_time``) per variant and run, per article, and hits.
No article text is printed.
"""
from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import lzma
import time
from pathlib import Path

import pandas as pd

from framelens import lexicon as new

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"
SEED = ROOT / "seeds" / "lexicon-ukraine-war.csv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True, help="lexicon.py of the commit before")
    ap.add_argument("--n", type=int, default=37_554)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("old_lexicon", args.old)
    old = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(old)  # type: ignore[union-attr]
    with lzma.open(ABP, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, args.n)]
    corpus = pd.DataFrame({"doc_id": [r["id"] for r in rows], "outlet": [r["source"] for r in rows],
                           "text": [r["text"] or "" for r in rows]})
    words = corpus["text"].map(new.count_words).to_numpy()
    big = pd.DataFrame({"term": [f"zq{i:05d} word" for i in range(50_000)], "is_regex": "false",
                        "register": "neutral", "target_type": "any", "note": "",
                        "source": "generated"})
    t = time.process_time()
    extra = new.load_lexicon(extra=big)
    load_s = time.process_time() - t
    variants = {
        "old, seed 60": (old, old.load_lexicon(SEED)),
        "new, seed 60": (new, new.load_lexicon(SEED)),
        "new, shipped": (new, new.load_lexicon()),
        "new, shipped + 50,000": (new, extra),
    }
    print(f"{len(corpus)} articles, {int(words.sum()):,} words; loading shipped + 50,000 rows: "
          f"{load_s:.2f} CPU s")
    for run in range(args.repeat):
        t = time.process_time()
        counts = new.count_hits(corpus, lexicon=variants["new, shipped"][1])
        new.register_rates(counts, corpus, doc_words=words)
        cpu = time.process_time() - t
        print(f"run {run + 1}  {'new, shipped, count_hits':24s} terms {len(variants['new, shipped'][1]):6d}  "
              f"CPU {cpu:7.2f} s  {cpu / len(corpus) * 1000:.3f} ms/article  hits {int(counts['hits'].sum()):,}",
              flush=True)
        for name, (mod, lex) in variants.items():
            t = time.process_time()
            hits = mod.lexicon_hits(corpus, lexicon=lex, sentences=False)
            mod.register_rates(hits, corpus, doc_words=words)
            cpu = time.process_time() - t
            print(f"run {run + 1}  {name:24s} terms {len(lex):6d}  CPU {cpu:7.2f} s  "
                  f"{cpu / len(corpus) * 1000:.3f} ms/article  hits {len(hits):,}", flush=True)


if __name__ == "__main__":
    main()
