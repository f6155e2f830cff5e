"""Scale benchmark: the framelens pipeline on Article-Bias-Prediction (37,554 articles).

Run by hand (not part of ``make test``)::

    .venv/bin/python benchmarks/scale.py            # whole corpus, then 10 % of it
    .venv/bin/python benchmarks/scale.py --n 3000   # first 3,000 articles, then 300
    .venv/bin/python benchmarks/scale.py --n 3000 --frac 0   # skip the small run
    .venv/bin/python benchmarks/scale.py --stage per-article --frac 0   # load + per-article only
    .venv/bin/python benchmarks/scale.py --keep-text   # the scale path before issue 16
    .venv/bin/python benchmarks/scale.py --stage bounds --mb 0.25 2 8   # issue 15's long texts

Stages, all through the public API:

load + per-article
            framelens.distributed.analyse(iter_jsonl(...), engine="processes", n_jobs=2,
            keep_text=False): this process decompresses the xz file and cuts it into
            chunks of 500 lines, which the 2 workers parse and analyse while the next
            are read, each chunk's tables combined as they come back (with --keep-text,
            the path before issue 16: "load", load_jsonl of the whole corpus, then
            "per-article" on the frame, its texts kept); cleaning
            (corpus.clean), actor mentions (actors.find_mentions with seeds/actors.csv),
            lexicon hit counts and rates (lexicon.count_hits, register_rates), word counts
            by lean (keyness.term_counts) and vocabulary counts, chunk by chunk on both
            cores; the rates, keyness and vocabulary counts share one tokenisation per
            chunk (text.word_matrix, the "words" step); the CPU seconds of each step are
            reported too
tfidf       merge of the chunk vocabularies -> exact TF-IDF (sublinear tf, English stop
            words, min_df=2), equal to TfidfVectorizer on the whole corpus
10-NN       features.nearest_neighbours(k=10, dates=date, n_jobs=2): the default with
            dates, each article's 10 most similar within 3 days (date-window chunks on
            2 threads); --neighbours exact|approximate for the other searches
10-NN exact the exact all-pairs search (method="exact": sparse X @ X.T keeping 11 per
            row with sparse_dot_topn on 2 threads), the 10-NN stage before issue 16;
            timed in the same run for comparison and NOT counted in the pipeline total
            (--no-exact skips it)
stories     stories.group_stories (3-day date blocks, k=10, links at cosine >= 0.2, split
            by average linkage at mean cosine 0.2, 2 threads), its links read from the
            10-NN stage's table (neighbours=: the same search, not run again; with
            --neighbours exact|approximate it searches its own window)
labels      actors.label_matrix (actor x outlet)
keyness     keyness.keyness(left vs right)
reference   TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english")
            .fit_transform(raw texts), single-threaded, in this process

Wall time is time.perf_counter; CPU seconds are this process's plus its finished
worker processes' (resource.getrusage), so wall < CPU means both cores were used and
wall > CPU means the machine was busy with other work. Memory is the proportional set
size (PSS: private pages plus a fair share of shared ones, so the pages forked workers
share with this process count once) summed over this process and its worker processes,
sampled every second by a background thread (psutil; its own CPU time is not counted in
the stages); the peak during each stage is printed, and ``ru_maxrss`` (peak RSS) of this
process and of the largest worker at the end.
The load average (``os.getloadavg``) is printed before and after, and at the end a
Markdown table of every stage that can be pasted into ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

import psutil
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

from framelens.actors import label_matrix
from framelens.distributed import analyse, iter_jsonl, load_jsonl, release_free_memory
from framelens.features import nearest_neighbours
from framelens.keyness import keyness
from framelens.progress import is_terminal
from framelens.stories import group_stories

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"
ACTORS = ROOT / "seeds" / "actors.csv"
FULL = 37554
#: MB for each block of the neighbour search's distance matrix (scikit-learn's
#: working_memory; its default, 1024, took the 10-NN stage to 5.3 GB on the full corpus:
#: the sparse product behind each dense block is larger than the block itself).
WORKING_MEMORY = 128


class MemorySampler:
    """Peak memory (bytes) of this process and its children between start() and stop().

    The sum of each process's PSS (proportional set size: private pages plus its share
    of pages shared with others), so pages the forked workers share with this process
    are counted once; RSS would count them once per process.

    Reading PSS makes the kernel walk the process's page tables: about 50 ms of CPU
    per reading of a 4 GB process. Sampled every 0.1 s (the first version) that took
    up to half a core from the pipeline, so the default interval is 1 s, and ``cpu``
    holds the CPU seconds the sampling thread used, which :func:`run` subtracts from
    each stage's CPU seconds.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.proc = psutil.Process(os.getpid())
        self.peak = 0
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def pss(self) -> int:
        """PSS (bytes) of this process and its children now."""
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_full_info().pss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        start = time.thread_time()
        while not self._stop.is_set():
            self.peak = max(self.peak, self.pss())
            self.cpu = time.thread_time() - start
            self._stop.wait(self.interval)

    def start(self) -> None:
        self.peak = self.pss()
        self.cpu = 0.0
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak = max(self.peak, self.pss())
        return self.peak


Times = dict[str, tuple[float, float, int]]


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


#: Stages timed for comparison only, left out of the pipeline total.
EXTRA = ("reference", "10-NN exact")


def run(n: int, *, chunk_size: int, n_jobs: int, neighbours: str = "window",
        exact: bool = True, only_per_article: bool = False,
        keep_text: bool = False) -> tuple[Times, dict[str, float]]:
    """Run every stage on the first ``n`` articles (only load and per-article when
    ``only_per_article``). With ``keep_text=False`` (the default since issue 16) the
    articles are read chunk by chunk while the workers analyse them (one stage, "load +
    per-article"), no text is kept (no later stage reads one), and the free memory is
    handed back after each stage; the reference stage then reads the raw texts again
    (not timed). ``keep_text=True`` is the scale path before: the corpus loaded whole,
    then analysed, its raw and cleaned texts held to the end.

    Returns {stage: (wall seconds, CPU seconds, peak PSS bytes)} and the per-article
    stage's worker CPU seconds by step.
    """
    times: Times = {}
    sampler = MemorySampler()

    def stage(name: str, fn):  # type: ignore[no-untyped-def]
        if is_terminal():  # a stage without its own bar (10-NN) still says it is running
            print(f"  {name} ...", end="\r", file=sys.stderr, flush=True)
        sampler.start()
        c = _cpu()
        t = time.perf_counter()
        out = fn()
        wall = time.perf_counter() - t
        peak = sampler.stop()
        cpu = _cpu() - c - sampler.cpu
        times[name] = (wall, cpu, peak)
        if not keep_text:
            release_free_memory()  # what the stage freed goes back to the system
        print(f"  {name:<12} {wall:8.1f} s  CPU {cpu:8.1f} s  peak PSS {peak / 2**30:5.2f} GB"
              f"  (memory sampling: {sampler.cpu:.1f} CPU s, not counted)", flush=True)
        return out

    steps = ("clean", "actors", "lexicon", "term_counts", "vocab")
    if keep_text:  # before issue 16's memory work: the corpus loaded whole, texts kept
        corpus = stage("load", lambda: load_jsonl(DATA, n=n))
        res = stage("per-article", lambda: analyse(
            corpus, steps=steps, engine="processes", n_jobs=n_jobs, chunk_size=chunk_size,
            actors=ACTORS, keep_hits=False))
    else:  # read chunk by chunk while the workers analyse: no text outlives its chunk
        res = stage("load + per-article", lambda: analyse(
            iter_jsonl(DATA, n=n, chunk_size=chunk_size), steps=steps, engine="processes",
            n_jobs=n_jobs, actors=ACTORS, keep_hits=False, keep_text=False))
    cpu = ", ".join(f"{k} {v:.1f}" for k, v in res.cpu_seconds.items())
    print(f"  {'':<12} (worker CPU seconds: {cpu})", flush=True)
    wall = ", ".join(f"{k} {v:.1f}" for k, v in res.wall_seconds.items())
    print(f"  {'':<12} (wall seconds inside: {wall})", flush=True)
    if only_per_article:
        return times, dict(res.cpu_seconds)
    tf = res.tfidf
    dates = res.corpus["date"] if neighbours == "window" else None
    with sklearn.config_context(working_memory=WORKING_MEMORY):
        nn = stage("10-NN", lambda: nearest_neighbours(tf, k=10, n_jobs=n_jobs,
                                                       method=neighbours, dates=dates))
        if exact:
            stage("10-NN exact", lambda: nearest_neighbours(tf, k=10, n_jobs=n_jobs,
                                                            method="exact"))
    stories = stage("stories", lambda: group_stories(
        res.corpus, features=tf, n_jobs=n_jobs, neighbours=nn if neighbours == "window" else None))
    print(f"  {'':<12} ({int((stories['story_size'] > 1).sum())} articles in "
          f"{int(stories.loc[stories['story_size'] > 1, 'story'].nunique())} multi-article "
          f"stories; the largest has {int(stories['story_size'].max())})", flush=True)
    stage("labels", lambda: label_matrix(res.mentions))
    stage("keyness", lambda: keyness(res.term_counts, target="left", reference="right",
                                     warn=False))
    # the raw texts again (not timed) when the pipeline let them go
    texts = (corpus if keep_text else load_jsonl(DATA, n=n))["text_raw"].tolist()
    stage("reference", lambda: TfidfVectorizer(sublinear_tf=True, min_df=2,
                                               stop_words="english").fit_transform(texts))
    return times, dict(res.cpu_seconds)


def bounds(sizes_mb: list[float]) -> None:
    """Issue 15's two inputs: seed 000 (it holds page furniture) repeated to each size,
    cleaned as one text; the same on one line with its sentence stops removed (one
    endless sentence), through find_mentions with seeds/actors.csv, with and without
    title references. CPU seconds (time.process_time) of this process."""
    import pandas as pd

    from framelens.actors import find_mentions
    from framelens.corpus import clean

    seed = (ROOT / "seeds" / "000_a03c4e4ffd75aa5a.txt").read_text(encoding="utf-8")
    for mb in sizes_mb:
        n = int(mb * 2**20)
        text = (seed * (n // len(seed) + 1))[:n]
        start = time.process_time()
        _, audit = clean(pd.DataFrame({"doc_id": ["a"], "text_raw": [text]}))
        print(f"  clean, {mb:g} MB of seed 000: {time.process_time() - start:.2f} CPU s "
              f"({len(audit)} spans removed)", flush=True)
        line = " ".join(text.split()).translate(str.maketrans("", "", ".!?"))
        doc = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": [line]})
        for titles in (False, True):
            start = time.process_time()
            m = find_mentions(doc, ACTORS, resolve_titles=titles)
            print(f"  find_mentions, {mb:g} MB on one line without sentence stops, "
                  f"resolve_titles={titles}: {time.process_time() - start:.2f} CPU s "
                  f"({len(m)} mentions)", flush=True)


def report(n: int, times: Times) -> tuple[float, float]:
    pipeline = sum(t for k, (t, _, _) in times.items() if k not in EXTRA)
    cpu = sum(c for k, (_, c, _) in times.items() if k not in EXTRA)
    ref = times["reference"][0]
    peak = max(m for k, (_, _, m) in times.items() if k not in EXTRA)
    print(f"n={n}: pipeline {pipeline:.1f} s (CPU {cpu:.1f} s), reference {ref:.1f} s, ratio "
          f"{pipeline / ref:.2f} (target <= 1.0); peak PSS {peak / 2**30:.2f} GB "
          "of the pipeline's stages (target <= 1.5)", flush=True)
    return pipeline, ref


def summary(runs: dict[int, tuple[Times, dict[str, float]]]) -> str:
    """A Markdown table of every stage at every size (wall s / CPU s, peak PSS)."""
    sizes = sorted(runs)
    head = "| stage | " + " | ".join(f"{n:,} articles: wall / CPU s" for n in sizes) + \
        f" | peak PSS ({sizes[-1]:,}) |"
    lines = [head, "|---|" + "---:|" * (len(sizes) + 1)]
    for name in runs[sizes[-1]][0]:
        cells = [f"{runs[n][0][name][0]:.1f} / {runs[n][0][name][1]:.1f}" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) +
                     f" | {runs[sizes[-1]][0][name][2] / 2**30:.2f} GB |")
    steps = runs[sizes[-1]][1]
    cells = [" / ".join(f"{runs[n][1].get(k, 0):.1f}" for k in steps) for n in sizes]
    lines.append(f"| worker CPU s: {' / '.join(steps)} | " + " | ".join(cells) + " | |")
    totals = []
    for n in sizes:
        t = runs[n][0]
        pipe = sum(w for k, (w, _, _) in t.items() if k not in EXTRA)
        cpu = sum(c for k, (_, c, _) in t.items() if k not in EXTRA)
        totals.append((pipe, cpu, t["reference"][0],
                       max(m for k, (_, _, m) in t.items() if k not in EXTRA)))
    lines.append("| **pipeline total** | " + " | ".join(
        f"**{p:.1f}** / {c:.1f}" for p, c, _, _ in totals)
        + f" | **{totals[-1][3] / 2**30:.2f} GB** |")
    lines.append("| pipeline / reference (wall) | " + " | ".join(
        f"{p / r:.2f} x" for p, _, r, _ in totals) + " | |")
    lines.append("| pipeline / reference (CPU) | " + " | ".join(
        f"{c / runs[n][0]['reference'][1]:.2f} x" for n, (_, c, _, _) in zip(sizes, totals))
        + " | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=FULL, help="articles (first N of the file)")
    parser.add_argument("--frac", type=float, default=0.1,
                        help="also run on this fraction of N (0 to skip)")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--neighbours", choices=("window", "approximate", "exact"),
                        default="window", help="method of the 10-NN stage")
    parser.add_argument("--keep-text", action="store_true",
                        help="keep the raw and cleaned texts through every stage (the "
                             "scale path before issue 16's memory work)")
    parser.add_argument("--no-exact", action="store_true",
                        help="skip the exact all-pairs search timed for comparison")
    parser.add_argument("--stage", choices=("all", "per-article", "bounds"), default="all",
                        help="per-article: only load and the per-article stage (cleaning, "
                             "actors, lexicon, word counts), with its CPU seconds by step; "
                             "bounds: clean and find_mentions on one long text (--mb)")
    parser.add_argument("--mb", type=float, nargs="+", default=[0.25, 1, 2],
                        help="with --stage bounds: text sizes in MB")
    args = parser.parse_args(argv)
    if args.stage == "bounds":
        print(f"framelens bounds, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load "
              "average " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
        bounds(args.mb)
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        return 0
    if not DATA.is_file():
        print(f"{DATA} not found: the benchmark needs ../shared/corpora", file=sys.stderr)
        return 2
    print(f"framelens scale benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB RAM")
    sizes = [args.n]
    if args.frac > 0:
        sizes.insert(0, max(2, round(args.n * args.frac)))
    try:
        import sparse_dot_topn  # noqa: F401
        nn_engine = "sparse_dot_topn"
    except ImportError:
        nn_engine = "scikit-learn NearestNeighbors (sparse_dot_topn not installed)"
    print(f"10-NN engine: {nn_engine}; load average before: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    runs = {}
    totals = {}
    for n in sizes:
        print(f"n={n}", flush=True)
        runs[n] = run(n, chunk_size=args.chunk_size, n_jobs=args.jobs,
                      neighbours=args.neighbours, exact=not args.no_exact,
                      only_per_article=args.stage == "per-article",
                      keep_text=args.keep_text)
        if args.stage == "per-article":
            wall, cpu, peak = runs[n][0]["per-article" if args.keep_text
                                         else "load + per-article"]
            print(f"n={n}: per-article {wall:.1f} s wall, {cpu:.1f} s CPU, peak PSS "
                  f"{peak / 2**30:.2f} GB; load average now "
                  + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
            continue
        totals[n] = report(n, runs[n][0])
    if args.stage == "per-article":
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        return 0
    if len(sizes) == 2:
        small, big = sizes
        print(f"scaling: {big / small:.1f}x the articles took "
              f"{totals[big][0] / totals[small][0]:.1f}x the pipeline time "
              f"(target <= 11x for 10x) and {totals[big][1] / totals[small][1]:.1f}x the "
              "reference time")
        for name in runs[big][0]:
            a, b = runs[small][0][name][0], runs[big][0][name][0]
            growth = f"{b / a:.1f}x" if a > 0.05 else "(small run under 0.05 s)"
            print(f"  {name}: {a:.1f} -> {b:.1f} s wall, {growth}")
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print()
    print(summary(runs))
    print()
    print(f"ru_maxrss of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB; of the largest "
          f"worker: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20:.2f} GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
