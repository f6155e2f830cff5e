"""The ``framelens`` command line: ``report``, ``check`` and ``actors`` on a corpus folder.

``framelens report CORPUS_DIR --out DIR`` renders the full report for a corpus (the same
as ``make findings CORPUS=... OUT=...``); ``framelens check CORPUS_DIR`` validates a corpus
and prints each problem with how to fix it; ``framelens actors CORPUS_DIR`` prints a
proposed ``actors.csv`` to start an alias table from. ``python -m framelens`` is the same.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

__all__ = ["main", "build_parser"]

_DEFAULT_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three subcommands.

    Examples
    --------
    >>> build_parser().parse_args(["check", "seeds"]).command
    'check'
    """
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="framelens", formatter_class=fmt,
        description="Compare how news outlets frame one event.",
        epilog="example:\n  framelens check seeds\n  framelens actors seeds > actors.csv\n"
               "  framelens report seeds --out /tmp/report")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "report", formatter_class=fmt,
        help="render the full report (notebooks + findings page) for a corpus folder",
        description="Execute every analysis notebook on CORPUS_DIR and write DIR/index.html and "
                    "DIR/notebooks/*.html (the same as `make findings CORPUS=... OUT=...`).",
        epilog="example:\n  framelens report ../shared/corpora/newswcl50/articles/event_0 --out /tmp/wcl")
    rep.add_argument("corpus", metavar="CORPUS_DIR", help="folder of .txt articles (+ optional manifest.csv)")
    rep.add_argument("--out", required=True, metavar="DIR", help="report folder to write")
    rep.add_argument("--notebooks", default=str(_DEFAULT_NOTEBOOKS),
                     help="folder of analysis notebooks (default: the repository's notebooks/)")
    chk = sub.add_parser(
        "check", formatter_class=fmt, help="validate a corpus folder and say how to fix each problem",
        description="Load CORPUS_DIR collecting every rejected article; print one line per problem "
                    "(file and reason with the fix). Exit status 1 if there is any problem, else 0.",
        epilog="example:\n  framelens check seeds")
    chk.add_argument("corpus", metavar="CORPUS_DIR")
    act = sub.add_parser(
        "actors", formatter_class=fmt, help="print a proposed actors.csv (alias table) for a corpus",
        description="Propose candidate actors (proper-name sequences grouped by spelling variant) "
                    "and print them as CSV with columns actor,type,pattern,note; review and save "
                    "as CORPUS_DIR/actors.csv.",
        epilog="example:\n  framelens actors seeds --min-count 3 > seeds/actors-proposed.csv")
    act.add_argument("corpus", metavar="CORPUS_DIR")
    act.add_argument("--min-count", type=int, default=2, help="minimum total mentions (default: 2)")
    return parser


def _check(corpus_dir: str) -> int:
    from framelens.corpus import CorpusError, load_corpus, rejects_table

    try:
        corpus = load_corpus(corpus_dir, errors="collect")
    except (CorpusError, OSError, ValueError) as err:
        print(f"{corpus_dir}: {err}")
        return 1
    rejects = rejects_table(corpus)
    for row in rejects.itertuples(index=False):
        print(f"{row.path}: {row.reason}")
    n_out = corpus["outlet"].nunique() if "outlet" in corpus.columns else 0
    if len(rejects):
        print(f"{len(rejects)} problem(s); {len(corpus)} article(s) usable from {n_out} outlet(s).")
        return 1
    print(f"OK: {len(corpus)} article(s) from {n_out} outlet(s) in {corpus_dir}.")
    return 0


def _actors(corpus_dir: str, min_count: int) -> int:
    from framelens.actors import propose_actors
    from framelens.corpus import clean, load_corpus

    corpus, _ = clean(load_corpus(corpus_dir))
    proposed = propose_actors(corpus, min_count=min_count)
    table = proposed.assign(type="proposed",
                            note="mentions: " + proposed["count"].astype(str) + "; variants: "
                                 + proposed["variants"].astype(str))
    table[["actor", "type", "pattern", "note"]].to_csv(sys.stdout, index=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``framelens`` command line; returns the exit status.

    Examples
    --------
    >>> main(["check", "/nonexistent-folder"]) == 1  # doctest: +ELLIPSIS
    /nonexistent-folder: ...
    True
    """
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return _check(args.corpus)
    if args.command == "actors":
        return _actors(args.corpus, args.min_count)
    from framelens import render

    return render.main(["--notebooks", args.notebooks, "--out", args.out, "--corpus", args.corpus])
