"""Execute the notebooks and render them, with the findings page, as offline HTML.

``python -m framelens.render --notebooks notebooks --out reports`` (what ``make findings``
runs) does three things, in order:

1. **Execute** every ``NOTEBOOKS/*.ipynb`` (sorted by name) top to bottom in a fresh
   ``python3`` kernel whose working directory is the notebooks folder, and save it in place
   with the volatile metadata (cell timings, papermill timestamps, widget state) removed, so
   a second run changes nothing in git. With ``--corpus DIR`` (a corpus folder, or one
   CSV/JSONL corpus file) the notebooks are instead run with ``CORPUS`` set to ``DIR``
   (papermill's parameter injection) (their first code cell is tagged
   ``parameters``) and the executed copies are written to ``OUT/notebooks/*.ipynb``; the
   committed notebooks are left untouched.
2. **Render** each executed notebook to ``OUT/notebooks/NAME.html`` with nbconvert's ``lab``
   template, minus everything it would fetch from a CDN (require.js, MathJax, mermaid,
   widget manager); images are embedded as ``data:`` URIs. Any HTML or SVG output that holds
   active content (``<script>``, ``on*=`` handlers, ``javascript:`` links, external
   resources) is replaced by its escaped plain-text form, so article text shown by a
   notebook can never become markup. The written page is checked for external references
   and the run fails if one is found.
3. **Findings**: :func:`framelens.findings.write_findings` computes the tables and figures
   from the library and writes ``OUT/index.html``, linking the rendered notebooks and
   listing the articles that could not be analysed.

On a terminal each notebook and each findings step is named on standard error as it
starts; in logs and tests nothing extra is printed.
"""
from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import signal
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from framelens.headings import heading_anchors
from framelens.progress import step

__all__ = [
    "OFFLINE_TEMPLATE",
    "execute_notebook",
    "execute_notebooks",
    "external_references",
    "active_content",
    "render_notebook",
    "render_notebooks",
    "heading_anchors",
    "claim_output",
    "publish",
    "MARKER",
    "main",
]

#: nbconvert template: the ``lab`` template without any script fetched from a CDN.
OFFLINE_TEMPLATE: str = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
_TEMPLATE_NAME = "framelens_offline.html.j2"

#: Notebook-level and cell-level metadata keys that change from run to run.
_VOLATILE_NB_KEYS = ("papermill", "widgets")
_VOLATILE_CELL_KEYS = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")

_URL_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href",
              "background", "cite", "longdesc", "manifest", "ping"}
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
_ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                "form", "meta", "link", "noscript", "template", "portal"}
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html|livescript)", re.IGNORECASE)


class _RefParser(HTMLParser):
    """Collect (tag, attribute, value) triples for URL-bearing attributes and CSS urls."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []
        self.active: list[tuple[str, str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS and not (tag == "meta" and "http-equiv" not in dict(attrs)):
            self.active.append((tag, "", "element"))
        if tag == "style":
            self._in_style = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.active.append((tag, name, value))
            squeezed = re.sub(r"[\x00-\x20]+", "", value)
            if name in _URL_ATTRS:
                self.refs.append((tag, name, value))
                if _BAD_SCHEME.match(squeezed):
                    self.active.append((tag, name, value))
            if name == "style":
                for m in _CSS_URL.finditer(value):
                    self.refs.append((tag, "style", m.group(1) or m.group(2)))
                if "expression(" in squeezed.lower():
                    self.active.append((tag, name, value))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for m in _CSS_URL.finditer(data):
                self.refs.append(("style", "css", m.group(1) or m.group(2)))


def _parse(markup: str) -> _RefParser:
    parser = _RefParser()
    parser.feed(markup)
    parser.close()
    return parser


def external_references(markup: str) -> pd.DataFrame:
    """List every resource or link in ``markup`` that points off the machine.

    A reference is external when it is an absolute URL with a network location
    (``http://``, ``https://``, protocol-relative ``//host``...). Checked: URL-bearing
    attributes (``src``, ``href``, ``srcset``, ``data``, ``action``...), ``url(...)`` and
    ``@import`` inside ``style`` attributes and ``<style>`` elements.

    Parameters
    ----------
    markup : str
        An HTML document or fragment.

    Returns
    -------
    pandas.DataFrame
        Columns ``tag``, ``attribute``, ``url``; one row per external reference, empty
        when the page is self-contained.

    Examples
    --------
    >>> external_references('<img src="data:image/png;base64,AA"><a href="b.html">b</a>').empty
    True
    >>> external_references('<script src="https://cdn.example/x.js"></script>')["url"].tolist()
    ['https://cdn.example/x.js']
    """
    parser = _parse(markup)
    rows = [r for r in parser.refs if _EXTERNAL.match(r[2])]
    return pd.DataFrame(rows, columns=["tag", "attribute", "url"])


def active_content(markup: str) -> pd.DataFrame:
    """List what in ``markup`` could run code or load a page: the markers of injected markup.

    Flagged: elements ``script``, ``iframe``, ``object``, ``embed``, ``form``, ``base``,
    ``link``, ``meta http-equiv`` (refresh/redirect) and similar; any ``on*`` event-handler attribute; URL attributes
    whose value starts with ``javascript:``, ``vbscript:`` or ``data:text/html``; CSS
    ``expression(...)``.

    Parameters
    ----------
    markup : str
        An HTML fragment (for instance one notebook output).

    Returns
    -------
    pandas.DataFrame
        Columns ``tag``, ``attribute``, ``value``; empty when nothing active was found.

    Examples
    --------
    >>> active_content("<table><tr><td>&lt;script&gt;</td></tr></table>").empty
    True
    >>> active_content('<img src=x onerror="alert(1)">')[["tag", "attribute"]].values.tolist()
    [['img', 'onerror']]
    """
    parser = _parse(markup)
    return pd.DataFrame(parser.active, columns=["tag", "attribute", "value"])


def _strip_volatile(nb: Any) -> Any:
    for key in _VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    return nb


def _failing_cell(nb: Any) -> tuple[int, str, str]:
    """Index (in the source notebook), first line and error of the first cell with an error output."""
    source_cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    for i, cell in enumerate(source_cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return i, first, f"{out.get('ename', '')}: {out.get('evalue', '')}"
    return -1, "", ""


def _run_interruptibly(run: Any) -> None:
    """Call ``run()`` in a worker thread, so that SIGINT/SIGTERM reach this (main) thread.

    nbclient, run in the main thread, installs its own SIGINT and SIGTERM handlers on its
    event loop: they shut the kernel down but leave the run waiting for the cell to
    finish, so a signal did not end a report. In a worker thread nbclient installs none
    (``add_signal_handler`` works only in the main thread), and the main thread, waiting in
    short joins, gets ``KeyboardInterrupt`` at once (SIGTERM is turned into one by
    :func:`main`); the caller then kills the kernel and the daemon thread ends with it.
    """
    import threading

    failed: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as err:  # handed to the main thread below
            failed.append(err)

    worker = threading.Thread(target=target, name="framelens-notebook", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    if failed:
        raise failed[0]


def execute_notebook(
    path: str | Path,
    *,
    output_path: str | Path | None = None,
    corpus: str | Path | None = None,
    columns: dict[str, str] | None = None,
    story: str | None = None,
    group: str | None = None,
    kernel_name: str = "python3",
    timeout: int = 1200,
) -> Path:
    """Run one notebook top to bottom in a fresh kernel, cwd = the notebook's folder.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file.
    output_path : str or Path, optional
        Where to write the executed notebook; default: ``path`` itself (in place).
    corpus : str or Path, optional
        If given, papermill's parameter injection sets ``CORPUS`` to this corpus
        folder or single CSV/JSONL corpus file (made absolute), overriding the value in
        the cell tagged ``parameters``.
    columns : dict, optional
        With ``corpus``: also sets ``COLUMNS`` (a single-file corpus's column renaming,
        ``load_corpus(columns=)``).
    story : str, optional
        With ``corpus``: also sets ``STORY``, the story of a many-story corpus that the
        one-story notebooks drill into.
    group : str, optional
        With ``corpus``: also sets ``GROUP``, the column grouping outlets (e.g. ``lean``)
        that notebook 06 compares across stories.
    kernel_name : str
        Jupyter kernel to start (``"python3"``: the environment running this code).
    timeout : int
        Seconds any one cell may take before the run fails.

    Returns
    -------
    Path
        The written notebook.

    Raises
    ------
    RuntimeError
        When a cell fails; the message names the notebook, the cell number (0-based, as
        nbformat counts cells) and its first line, and the error.
    """
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"notebook {path} does not exist")
    if not isinstance(timeout, int) or timeout <= 0:
        raise ValueError(f"timeout={timeout!r}: expected a positive whole number of seconds")
    output_path = Path(output_path) if output_path is not None else path
    cwd = path.parent.resolve()
    nb = nbformat.read(path, as_version=4)
    where = ""
    if corpus is not None:
        from papermill.parameterize import parameterize_notebook

        from framelens.corpus import TABLE_SUFFIXES, table_format

        corpus = Path(corpus).resolve()
        if not (corpus.is_dir() or (corpus.is_file() and table_format(corpus))):
            raise FileNotFoundError(
                f"corpus folder {corpus} does not exist" if not corpus.exists() else
                f"corpus {corpus} is neither a folder nor a file ending in {', '.join(TABLE_SUFFIXES)}")
        if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
            raise ValueError(
                f"{path.name}: no cell tagged 'parameters'; tag the cell holding CORPUS = ... "
                "so that --corpus can override it"
            )
        # papermill's own injection: a cell tagged "injected-parameters" after the parameters cell
        untagged = [c for c in nb.cells if "tags" not in c.metadata]
        for cell in untagged:  # papermill expects every cell to carry a tags list
            cell.metadata["tags"] = []
        nb.metadata.setdefault("papermill", {})  # where it records the parameters; stripped below
        params: dict[str, Any] = {"CORPUS": str(corpus)}
        if columns is not None:
            params["COLUMNS"] = dict(columns)
        if story is not None:
            params["STORY"] = str(story)
        if group is not None:
            params["GROUP"] = str(group)
        nb = parameterize_notebook(nb, params, kernel_name=kernel_name, language="python")
        for cell in nb.cells:
            if cell.metadata.get("tags") == []:
                del cell.metadata["tags"]
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.id = "injected-parameters"  # papermill draws a random id: two runs would differ
        where = f" on corpus {corpus}" + ("" if story is None else f", story {story}")
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    try:
        # Unix-socket transport: the kernel is reachable only through files in a private
        # temporary folder, not through open TCP ports on localhost.
        with tempfile.TemporaryDirectory(prefix="framelens-kernel-") as tmp:
            km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=str(Path(tmp) / "k"))
            client = NotebookClient(
                nb, km=km, kernel_name=kernel_name, timeout=timeout, record_timing=False,
                resources={"metadata": {"path": str(cwd)}},
            )
            finished = False
            try:
                _run_interruptibly(client.execute)
                finished = True
            finally:
                if km.has_kernel:  # interrupted (SIGINT/SIGTERM): stop the kernel at once
                    km.shutdown_kernel(now=not finished)
    except CellExecutionError as err:
        index, first, summary = _failing_cell(nb)
        raise RuntimeError(
            f"{path.name}: cell {index} ({first!r}) failed{where}: {summary or err}\n"
            "Fix the notebook" + (" or the corpus" if where else "") + " and rerun; this notebook "
            "was not saved."
        ) from None
    output_path.parent.mkdir(parents=True, exist_ok=True)
    _strip_volatile(nb)
    nbformat.write(nb, output_path)
    return output_path


def execute_notebooks(
    notebooks: str | Path,
    *,
    out: str | Path | None = None,
    corpus: str | Path | None = None,
    columns: dict[str, str] | None = None,
    story: str | None = None,
    group: str | None = None,
    kernel_name: str = "python3",
    timeout: int = 1200,
    verbose: bool | None = None,
) -> pd.DataFrame:
    """Execute every ``*.ipynb`` in ``notebooks`` in name order (see :func:`execute_notebook`).

    Parameters
    ----------
    notebooks : str or Path
        Folder of notebooks.
    out : str or Path, optional
        Report folder; required with ``corpus``: executed copies go to ``out/notebooks/``.
    corpus : str or Path, optional
        Run on this corpus instead of each notebook's default (papermill parameter
        ``CORPUS``); without it, notebooks are executed in place.
    columns : dict, optional
        With ``corpus``: the papermill parameter ``COLUMNS`` (see :func:`execute_notebook`).
    story : str, optional
        With ``corpus``: the papermill parameter ``STORY`` (see :func:`execute_notebook`).
    group : str, optional
        With ``corpus``: the papermill parameter ``GROUP`` (see :func:`execute_notebook`).
    kernel_name, timeout
        As in :func:`execute_notebook`.
    verbose : bool or None, default None
        Print one line per notebook on standard error as it starts (``executing
        02-tfidf-clusters.ipynb (2/5)``); ``None``: only when standard error is a
        terminal, so logs and tests stay quiet.

    Returns
    -------
    pandas.DataFrame
        One row per notebook: ``notebook`` (stem), ``source`` and ``executed`` (paths),
        ``code_cells``.
    """
    import nbformat

    folder = Path(notebooks)
    paths = _notebook_paths(folder)
    if corpus is not None and out is None:
        raise ValueError("corpus given without out: executed copies need an output folder")
    if columns is not None and corpus is None:
        raise ValueError("columns given without corpus: --columns renames a single-file corpus's "
                         "columns, so give the corpus file with --corpus")

    rows = []
    for i, path in enumerate(paths, start=1):
        step(f"executing {path.name} ({i}/{len(paths)})", verbose)
        target = None if corpus is None else Path(out) / "notebooks" / path.name
        try:
            written = execute_notebook(path, output_path=target, corpus=corpus, columns=columns,
                                       story=story, group=group, kernel_name=kernel_name,
                                       timeout=timeout)
        except RuntimeError as err:
            if corpus is None and rows:
                saved = ", ".join(Path(r["executed"]).name for r in rows)
                raise RuntimeError(f"{err} The notebooks executed before it were saved in place: "
                                   f"{saved}.") from None
            raise
        nb = nbformat.read(written, as_version=4)
        rows.append({"notebook": path.stem, "source": str(path), "executed": str(written),
                     "code_cells": sum(c.cell_type == "code" for c in nb.cells)})
    return pd.DataFrame(rows, columns=["notebook", "source", "executed", "code_cells"])


def _notebook_paths(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"notebook folder {folder} does not exist")
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if not paths:
        raise FileNotFoundError(f"no .ipynb files in {folder}")
    return paths


def _neutralise_outputs(nb: Any) -> int:
    """Replace HTML/SVG/Markdown outputs holding active content by escaped plain text."""
    replaced = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            for mime in ("text/html", "image/svg+xml", "text/markdown"):
                value = data.get(mime)
                if value is None:
                    continue
                text = value if isinstance(value, str) else "".join(value)
                if active_content(text).empty and external_references(text).empty:
                    continue
                del data[mime]
                data.setdefault("text/plain", text)
                replaced += 1
            if not data:
                data["text/plain"] = ""
    return replaced


def render_notebook(path: str | Path, html_path: str | Path) -> Path:
    """Render one executed notebook to a self-contained HTML page that works offline.

    nbconvert's ``lab`` template without require.js, MathJax, mermaid and the widget
    manager (all fetched from CDNs); images embedded as ``data:`` URIs; headings get
    ``id`` anchors (``## Top terms`` becomes ``#Top-terms``). Outputs holding active
    content (see :func:`active_content`) are shown as escaped text instead.

    Parameters
    ----------
    path : str or Path
        Executed ``.ipynb``.
    html_path : str or Path
        Page to write (folders are created).

    Returns
    -------
    Path
        ``html_path``.

    Raises
    ------
    RuntimeError
        If the page would still reference anything off the machine.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    path, html_path = Path(path), Path(html_path)
    nb = copy.deepcopy(nbformat.read(path, as_version=4))
    _neutralise_outputs(nb)
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: OFFLINE_TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        embed_images=True,
        exclude_input_prompt=False,
    )
    from nbconvert.filters.markdown import markdown2html

    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            active = active_content(markdown2html(cell.source))
            if not active.empty:
                raise RuntimeError(
                    f"{path.name}: {cell.cell_type} cell {i} holds markup that would run in a browser "
                    f"({', '.join(sorted(set(active['tag'] + ' ' + active['attribute'])))}); "
                    "put quoted article text in backticks or write < and > as &lt; and &gt;"
                )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    active = active_content(body)
    if not active.empty:
        raise RuntimeError(
            f"{path.name}: rendered HTML holds active content {active.head(5).values.tolist()}; "
            "nothing was written"
        )
    refs = external_references(body)
    if not refs.empty:
        raise RuntimeError(
            f"{path.name}: rendered HTML still points off the machine: "
            f"{refs['url'].tolist()[:5]}; embed the resource or drop it"
        )
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def render_notebooks(notebooks: Sequence[str | Path], out: str | Path) -> pd.DataFrame:
    """Render executed notebooks to ``out/notebooks/NAME.html`` (see :func:`render_notebook`).

    Returns
    -------
    pandas.DataFrame
        One row per notebook: ``notebook`` (stem), ``html`` (path relative to ``out``),
        ``title`` (first heading, else the stem), ``sections`` (number of heading anchors).
    """
    out = Path(out)
    rows = []
    for nb_path in sorted(Path(p) for p in notebooks):
        target = out / "notebooks" / f"{nb_path.stem}.html"
        render_notebook(nb_path, target)
        anchors = heading_anchors(target.read_text(encoding="utf-8"))
        title = anchors["text"].iloc[0] if len(anchors) else nb_path.stem
        rows.append({"notebook": nb_path.stem, "html": target.relative_to(out).as_posix(),
                     "title": title, "sections": len(anchors)})
    return pd.DataFrame(rows, columns=["notebook", "html", "title", "sections"])


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: execute, render, write the findings page. Returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m framelens.render",
        description="Execute the notebooks, render them to offline HTML and write the findings page.",
    )
    parser.add_argument("--notebooks", default="notebooks", help="folder of *.ipynb (default: notebooks)")
    parser.add_argument("--out", default="reports", help="report folder (default: reports)")
    parser.add_argument("--corpus", default=None,
                        help="run the notebooks on this corpus folder or single .csv/.jsonl corpus file "
                             "(papermill parameter CORPUS); "
                             "executed copies go to OUT/notebooks/ and the committed notebooks are "
                             "left untouched. Default: execute in place on each notebook's own CORPUS, "
                             "findings on NOTEBOOKS/../seeds")
    parser.add_argument("--no-execute", action="store_true",
                        help="render the notebooks as they are (already executed)")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds per cell (default: 1200)")
    parser.add_argument("--n-boot", type=int, default=200,
                        help="bootstrap samples for the cluster-stability finding (default: 200)")
    parser.add_argument("--max-docs", type=int, default=2000,
                        help="above this many articles, pairwise findings are skipped (default: 2000)")
    parser.add_argument("--story", default=None,
                        help="a corpus of several stories: the story notebooks 02-05 drill into "
                             "(default: the largest)")
    parser.add_argument("--group", default=None, metavar="COLUMN",
                        help="a column grouping outlets (e.g. lean), compared like outlets across stories")
    parser.add_argument("--max-story-pages", type=int, default=10,
                        help="a corpus of several stories: pages for all stories up to this many, else "
                             "the largest this many (default: 10)")
    parser.add_argument("--columns", default=None, metavar="OLD=NEW,...",
                        help="single-file corpus: rename the file's columns, e.g. id=doc_id,source=outlet")
    parser.add_argument("--force", action="store_true",
                        help="write into OUT although it is not empty and holds no report written by "
                             "framelens: files of the report's names are replaced, no other is touched")
    parser.add_argument("--readme", default=None,
                        help="also rewrite the findings summary between the markers of this README "
                             "(framelens.findings.write_readme); make findings passes README.md for the seeds")
    args = parser.parse_args(argv)

    from framelens import findings
    from framelens.corpus import parse_columns
    from framelens.pipeline import CACHE_ENV, Settings

    try:
        columns = None if args.columns is None else parse_columns(args.columns)
    except argparse.ArgumentTypeError as err:
        parser.error(f"--columns: {err}")
    own_cache = None
    if args.corpus is not None and CACHE_ENV not in os.environ:
        # the corpus is read and cleaned once, here, for the findings page and every kernel
        own_cache = tempfile.mkdtemp(prefix="framelens-corpus-")
        os.environ[CACHE_ENV] = own_cache
    try:
        return _report(args, columns, findings)
    finally:
        if own_cache is not None:
            del os.environ[CACHE_ENV]
            shutil.rmtree(own_cache, ignore_errors=True)


def _report(args: argparse.Namespace, columns: dict[str, str] | None, findings: Any) -> int:
    """The body of :func:`main` once the options are read."""
    from framelens.pipeline import Settings

    notebooks = Path(args.notebooks)
    out = Path(args.out)
    try:
        settings = Settings(n_boot=args.n_boot, max_docs=args.max_docs, group=args.group,
                            max_story_pages=args.max_story_pages)
        story = _notebook_story(args.corpus, settings, columns=columns, story=args.story)
        created = claim_output(out, force=args.force)
    except (ValueError, FileNotFoundError) as err:
        print(f"framelens.render: {err}", file=sys.stderr)
        return 1
    stage = Path(tempfile.mkdtemp(prefix=".framelens-partial-", dir=out))
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.no_execute:
            executed = [str(p) for p in _notebook_paths(notebooks)]
        else:
            runs = execute_notebooks(notebooks, out=stage, corpus=args.corpus, columns=columns,
                                     story=story, group=args.group, timeout=args.timeout)
            executed = runs["executed"].tolist()
        for nb_path in executed:
            print(f"executed {Path(nb_path).name}" if not args.no_execute else f"render {Path(nb_path).name}")
        step(f"rendering {len(executed)} notebooks to HTML in {out / 'notebooks'}", None)
        pages = render_notebooks(executed, stage)
        corpus = Path(args.corpus) if args.corpus else notebooks.resolve().parent / "seeds"
        findings.write_findings(corpus, out=stage, notebooks=pages, settings=settings, columns=columns,
                                notebook_story=story)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:  # the move into OUT is not interrupted half-way
            written = publish(stage, out)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        if args.readme:  # the README's findings block, from the published tables
            findings.write_readme(args.readme, out)
    except (RuntimeError, FileNotFoundError, ValueError) as err:
        print(f"framelens.render: {err}\n{_left_as_it_was(out, created)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        import logging

        # the abandoned notebook thread's pending asyncio tasks would be logged at exit
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print(f"framelens.render: interrupted. {_left_as_it_was(out, created)}", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(stage, ignore_errors=True)
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
    for page in pages["html"]:
        print(f"wrote {out / page}")
    print(f"wrote {out / 'index.html'} ({len(written)} files, listed in {out / MARKER})")
    return 0


def _notebook_story(corpus: str | None, settings: Any, *, columns: dict[str, str] | None,
                    story: str | None) -> str | None:
    """The story notebooks 02-05 drill into: ``story``, else the largest of a many-story corpus.

    ``None`` for a corpus of one story (and for the notebooks' own corpus, the seeds).
    """
    if corpus is None:
        if story is not None:
            raise ValueError("--story needs --corpus: the seeds are one story")
        return None
    from framelens.pipeline import largest_story, load_stories, select_story

    loaded, n, how = load_stories(corpus, settings, columns=columns)
    if n < 2:
        if story is not None:
            raise ValueError(f"--story {story!r}: the corpus is one story ({how})")
        return None
    if story is not None:
        select_story(loaded, story)  # names the stories when it is not one of them
    chosen = str(story) if story is not None else largest_story(loaded)
    import gc

    from framelens.distributed import release_free_memory

    del loaded  # the kernels and the page read the cached corpus; this process keeps none of it
    gc.collect()
    release_free_memory()
    return chosen


#: The file that marks a folder as written by framelens, listing the files the last run wrote.
MARKER = ".framelens-report.json"

_REPORT_TITLE = "<title>framelens findings</title>"


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM handler: end the run as Ctrl-C does, so the kernel stops and OUT is left alone."""
    raise KeyboardInterrupt


def _left_as_it_was(out: Path, created: bool) -> str:
    if created:
        return f"Nothing was written: {out} did not exist before and was not created."
    return f"{out} is left as it was: nothing of this run was written to it."


def claim_output(out: str | Path, *, force: bool = False) -> bool:
    """Check that ``out`` may receive a report, creating it if missing; ``True`` if created.

    A report folder may be written when it does not exist, is empty, holds the
    :data:`MARKER` file of an earlier run, or holds a findings page written by an
    earlier framelens (``index.html`` titled "framelens findings"). Any other
    non-empty folder is the user's: refused unless ``force``. Nothing is deleted
    here, and :func:`publish` deletes only files the :data:`MARKER` lists.

    Parameters
    ----------
    out : str or Path
        The ``--out`` folder.
    force : bool, default False
        Write into a non-empty folder that no framelens report wrote.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        When ``out`` is a file, or a foreign non-empty folder without ``force``; the
        message says what to do.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> claim_output(folder / "new"), claim_output(folder / "new")
    (True, False)
    >>> _ = (folder / "mine.csv").write_text("a,b", encoding="utf-8")
    >>> claim_output(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --out ... is not empty (2 entries, e.g. mine.csv, new) and holds no report written by framelens...
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file, not a folder; give a folder for the report "
                         f"(it is created if missing)")
    if not out.exists():
        out.mkdir(parents=True)
        return True
    entries = sorted(p.name for p in out.iterdir())
    index = out / "index.html"
    ours = (out / MARKER).is_file() or (
        index.is_file() and _REPORT_TITLE in index.read_text(encoding="utf-8", errors="replace")[:4000])
    if entries and not ours and not force:
        raise ValueError(
            f"--out {out} is not empty ({len(entries)} entries, e.g. {', '.join(entries[:3])}) and "
            f"holds no report written by framelens, so its files are the user's. Give a new or "
            f"empty folder, or pass --force to write the report into it (files of the report's "
            f"names, index.html, notebooks/*.html, tables/*.csv, figures/*, are replaced; no "
            f"other file is touched)")
    return False


def publish(stage: str | Path, out: str | Path) -> list[str]:
    """Move a finished report from ``stage`` into ``out``; return the files written.

    Files an earlier run wrote (listed in ``out``'s :data:`MARKER`) that this run did
    not write are deleted; every other file already in ``out`` stays, unless this
    run writes a file of its name. The new list is written to :data:`MARKER`
    (sorted, nothing that changes from run to run).

    Parameters
    ----------
    stage : str or Path
        The folder the run wrote into.
    out : str or Path
        The report folder (see :func:`claim_output`).

    Returns
    -------
    list of str
        Paths relative to ``out``, sorted.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()); stage = Path(tempfile.mkdtemp())
    >>> _ = (stage / "index.html").write_text("page", encoding="utf-8")
    >>> _ = (out / "mine.txt").write_text("kept", encoding="utf-8")
    >>> publish(stage, out), sorted(p.name for p in out.iterdir())
    (['index.html'], ['.framelens-report.json', 'index.html', 'mine.txt'])
    """
    import json
    import os

    stage, out = Path(stage), Path(out)
    marker = out / MARKER
    before: list[str] = []
    if marker.is_file():
        try:
            before = list(json.loads(marker.read_text(encoding="utf-8")).get("files", []))
        except (ValueError, AttributeError):
            before = []
    files = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    for rel in sorted(set(before) - set(files)):
        old = out / rel
        if ".." not in Path(rel).parts and not Path(rel).is_absolute() and old.is_file():
            old.unlink()
    for rel in files:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / rel, target)
    marker.write_text(json.dumps({"written_by": "framelens report", "files": files}, indent=1) + "\n",
                      encoding="utf-8")
    return files


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
