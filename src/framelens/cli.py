"""The ``framelens`` command line: ``report``, ``check`` and ``actors`` on a corpus.

A corpus is a folder of UTF-8 ``.txt`` articles (with an optional ``manifest.csv``) or a
single ``.csv``/``.jsonl`` file (optionally ``.gz``/``.xz``) with one article per row and
at least the columns ``doc_id`` and ``text`` (see :func:`framelens.corpus.load_corpus`).

``framelens report CORPUS --out DIR`` renders the full report for a corpus (the same as
``make findings CORPUS=... OUT=...``); ``framelens check CORPUS`` validates a corpus and
prints each problem with how to fix it; ``framelens actors CORPUS`` prints a proposed
``actors.csv`` to start an alias table from. ``python -m framelens`` is the same.

The analysis notebooks that ``report`` executes ship with the package (installed under
``sys.prefix/share/framelens/notebooks``); :func:`find_notebooks` says where they are
looked for.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from framelens.corpus import MAX_ARTICLE_CHARS, parse_columns  # noqa: F401 (parse_columns: re-exported)

__all__ = ["main", "build_parser", "find_notebooks", "notebook_candidates", "parse_columns"]

_CORPUS_HELP = ("folder of .txt articles (+ optional manifest.csv), or one .csv/.jsonl file "
                "(optionally .gz/.xz) with an article per row and columns doc_id and text")
_FORMS = ("corpus forms:\n"
          "  a folder:  seeds/a.txt, seeds/b.txt, ... + optional seeds/manifest.csv\n"
          "             (doc_id,outlet,origin_language,translated,date,url,...)\n"
          "  one file:  articles.csv with a header line doc_id,outlet,date,text (one article a row),\n"
          "             or articles.jsonl with {\"doc_id\": ..., \"outlet\": ..., \"text\": ...} a line;\n"
          "             actors.csv and facts.csv are read from the folder holding the file\n")


def notebook_candidates(explicit: str | Path | None = None) -> list[tuple[str, Path]]:
    """Where the analysis notebooks are looked for, in order: ``(origin, folder)`` pairs.

    1. ``explicit`` (the ``--notebooks`` option), when given;
    2. the source tree's ``notebooks/`` folder (an editable install or a checkout),
       i.e. two levels above the ``framelens`` package;
    3. ``sys.prefix/share/framelens/notebooks``, where a wheel installs them
       (``[tool.setuptools.data-files]`` in ``pyproject.toml``).

    Parameters
    ----------
    explicit : str or Path, optional
        A folder given by the user; when set, it is the only candidate.

    Returns
    -------
    list of (str, Path)

    Examples
    --------
    >>> [origin for origin, _ in notebook_candidates()]
    ['source tree', 'installed with the package']
    >>> notebook_candidates("my-notebooks")
    [('--notebooks', PosixPath('my-notebooks'))]
    """
    if explicit is not None:
        return [("--notebooks", Path(explicit))]
    return [
        ("source tree", Path(__file__).resolve().parents[2] / "notebooks"),
        ("installed with the package", Path(sys.prefix) / "share" / "framelens" / "notebooks"),
    ]


def find_notebooks(explicit: str | Path | None = None) -> Path:
    """The first folder of :func:`notebook_candidates` that holds ``*.ipynb`` files.

    Parameters
    ----------
    explicit : str or Path, optional
        The ``--notebooks`` option; when given it must hold notebooks itself.

    Returns
    -------
    Path

    Raises
    ------
    FileNotFoundError
        When no candidate holds a notebook; the message lists every place looked in
        and what to do.

    Examples
    --------
    >>> find_notebooks().name
    'notebooks'
    """
    tried = []
    for origin, folder in notebook_candidates(explicit):
        if folder.is_dir() and any(p.suffix == ".ipynb" and not p.name.startswith(".")
                                   for p in folder.iterdir()):
            return folder
        tried.append(f"{folder} ({origin})")
    raise FileNotFoundError(
        "no analysis notebooks (*.ipynb) found; looked in " + "; ".join(tried) + ". Reinstall "
        "framelens from a wheel or a checkout, or pass --notebooks FOLDER."
    )


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
        description="Compare how news outlets frame the same events, story by story.\n\n" + _FORMS,
        epilog="example:\n  framelens check seeds\n  framelens check articles.csv\n"
               "  framelens actors seeds > actors.csv\n  framelens report seeds --out /tmp/report")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "report", formatter_class=fmt,
        help="render the full report (notebooks + findings page) for a corpus",
        description="Execute every analysis notebook on CORPUS and write DIR/index.html and "
                    "DIR/notebooks/*.html (the same as `make findings CORPUS=... OUT=...`). "
                    "Articles that cannot be analysed are listed on the findings page with the "
                    "reason.\n\n" + _FORMS,
        epilog="example:\n  framelens report ../shared/corpora/newswcl50/articles/event_0 --out /tmp/wcl\n"
               "  framelens report my-event/articles.csv --out /tmp/my-event")
    rep.add_argument("corpus", metavar="CORPUS", help=_CORPUS_HELP)
    rep.add_argument("--out", required=True, metavar="DIR", help="report folder to write")
    rep.add_argument("--columns", type=parse_columns, default=None, metavar="OLD=NEW,...",
                     help="single-file corpus: rename the file's columns, e.g. id=doc_id,source=outlet")
    rep.add_argument("--force", action="store_true",
                     help="write into DIR even though it is not empty and holds no report written "
                          "by framelens; files of the report's names are replaced, no other file is "
                          "touched")
    rep.add_argument("--story", default=None, metavar="ID",
                     help="a corpus of several stories: the story notebooks 02-05 drill into "
                          "(default: the largest)")
    rep.add_argument("--group", default=None, metavar="COLUMN",
                     help="a column grouping outlets (e.g. lean), compared like outlets across stories")
    rep.add_argument("--max-story-pages", type=int, default=10, metavar="N",
                     help="a corpus of several stories: a page for every story up to N stories, else for "
                          "the N largest (default: 10)")
    rep.add_argument("--notebooks", default=None, metavar="FOLDER",
                     help="folder of analysis notebooks (default: the source tree's notebooks/ if "
                          "present, else the copies installed with the package)")
    chk = sub.add_parser(
        "check", formatter_class=fmt, help="validate a corpus and say how to fix each problem",
        description="Load CORPUS collecting every rejected article; print one line per problem "
                    "(file or FILE:line, and the reason with the fix). Exit status 1 if there is "
                    "any problem, else 0.\n\n" + _FORMS,
        epilog="example:\n  framelens check seeds\n  framelens check articles.jsonl.xz --min-words 50\n"
               "  framelens check articles.jsonl.xz --columns id=doc_id,source=outlet")
    chk.add_argument("corpus", metavar="CORPUS", help=_CORPUS_HELP)
    chk.add_argument("--min-words", type=int, default=1, metavar="N",
                     help="reject articles with fewer than N words after cleaning (default: 1)")
    chk.add_argument("--columns", type=parse_columns, default=None, metavar="OLD=NEW,...",
                     help="single-file corpus: rename the file's columns, e.g. id=doc_id,source=outlet")
    chk.add_argument("--max-article-chars", type=int, default=MAX_ARTICLE_CHARS, metavar="N",
                     help=f"reject articles longer than N characters (default: {MAX_ARTICLE_CHARS:,})")
    act = sub.add_parser(
        "actors", formatter_class=fmt, help="print a proposed actors.csv (alias table) for a corpus",
        description="Propose candidate actors (proper-name sequences grouped by spelling variant) "
                    "and print them as CSV with columns actor,type,pattern,note; review and save "
                    "as actors.csv in the corpus folder (next to the file for a CSV/JSONL corpus).",
        epilog="example:\n  framelens actors seeds --min-count 3 > seeds/actors-proposed.csv\n"
               "  framelens actors my-event/articles.csv > my-event/actors.csv")
    act.add_argument("corpus", metavar="CORPUS", help=_CORPUS_HELP)
    act.add_argument("--min-count", type=int, default=2, help="minimum total mentions (default: 2)")
    act.add_argument("--columns", type=parse_columns, default=None, metavar="OLD=NEW,...",
                     help="single-file corpus: rename the file's columns, e.g. id=doc_id,source=outlet")
    act.add_argument("--max-article-chars", type=int, default=MAX_ARTICLE_CHARS, metavar="N",
                     help=f"reject articles longer than N characters (default: {MAX_ARTICLE_CHARS:,})")
    return parser


def _check(corpus_path: str, min_words: int, columns: dict[str, str] | None = None,
           max_chars: int = MAX_ARTICLE_CHARS) -> int:
    from framelens.corpus import CorpusError, duplicate_texts, load_corpus, prepare

    try:
        loaded = prepare(load_corpus(corpus_path, errors="collect", columns=columns,
                                     max_chars=max_chars),
                         min_words=min_words, errors="collect")
    except (CorpusError, OSError, ValueError) as err:
        print(f"{corpus_path}: {err}")
        return 1
    rejects, corpus = loaded.rejects, loaded.articles
    for row in rejects.itertuples(index=False):
        print(f"{row.path}: {row.reason}")
    dups = duplicate_texts(corpus)
    for row in dups.itertuples(index=False):
        print(f"{row.path}: warning: {row.reason}.")
    n_out = corpus["outlet"].nunique() if "outlet" in corpus.columns else 0
    stories = f" in {corpus['story'].nunique()} stories" if "story" in corpus.columns else ""
    if len(rejects) or len(dups):
        print(f"{len(rejects) + len(dups)} problem(s); {len(corpus)} article(s) usable from "
              f"{n_out} outlet(s){stories}.")
        return 1
    print(f"OK: {len(corpus)} article(s) from {n_out} outlet(s){stories} in {corpus_path}.")
    return 0


def _actors(corpus_path: str, min_count: int, columns: dict[str, str] | None = None,
            max_chars: int = MAX_ARTICLE_CHARS) -> int:
    from framelens.actors import propose_actors
    from framelens.corpus import CorpusError, load_corpus, prepare

    try:
        loaded = prepare(load_corpus(corpus_path, errors="collect", columns=columns,
                                     max_chars=max_chars), min_words=0, errors="collect")
    except (CorpusError, OSError, ValueError) as err:
        print(f"framelens actors: {corpus_path}: {err}", file=sys.stderr)
        return 1
    for row in loaded.rejects.itertuples(index=False):  # said, then left out
        print(f"framelens actors: {row.path} left out: {row.reason}", file=sys.stderr)
    corpus = loaded.articles
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
        return _check(args.corpus, args.min_words, args.columns, args.max_article_chars)
    if args.command == "actors":
        return _actors(args.corpus, args.min_count, args.columns, args.max_article_chars)
    try:
        notebooks = find_notebooks(args.notebooks)
    except FileNotFoundError as err:
        print(f"framelens report: {err}", file=sys.stderr)
        return 1
    from framelens import render

    return render.main(["--notebooks", str(notebooks), "--out", args.out, "--corpus", args.corpus,
                        "--max-story-pages", str(args.max_story_pages),
                        *(["--story", args.story] if args.story is not None else []),
                        *(["--group", args.group] if args.group is not None else []),
                        *(["--force"] if args.force else []),
                        *(["--columns", ",".join(f"{k}={v}" for k, v in args.columns.items())]
                          if args.columns else [])])
