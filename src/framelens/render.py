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
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

__all__ = [
    "OFFLINE_TEMPLATE",
    "execute_notebook",
    "execute_notebooks",
    "external_references",
    "active_content",
    "render_notebook",
    "render_notebooks",
    "heading_anchors",
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


def execute_notebook(
    path: str | Path,
    *,
    output_path: str | Path | None = None,
    corpus: str | Path | None = None,
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

        from framelens.corpus import TABLE_SUFFIXES, _table_format

        corpus = Path(corpus).resolve()
        if not (corpus.is_dir() or (corpus.is_file() and _table_format(corpus))):
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
        nb = parameterize_notebook(nb, {"CORPUS": str(corpus)}, kernel_name=kernel_name, language="python")
        for cell in nb.cells:
            if cell.metadata.get("tags") == []:
                del cell.metadata["tags"]
        where = f" on corpus {corpus}"
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
            try:
                client.execute()
            finally:
                if km.has_kernel:
                    km.shutdown_kernel(now=False)
    except CellExecutionError as err:
        index, first, summary = _failing_cell(nb)
        raise RuntimeError(
            f"{path.name}: cell {index} ({first!r}) failed{where}: {summary or err}\n"
            "Fix the notebook" + (" or the corpus" if where else "") + " and rerun; nothing was written."
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
    from framelens.findings import _step

    rows = []
    for i, path in enumerate(paths, start=1):
        _step(f"executing {path.name} ({i}/{len(paths)})", verbose)
        target = None if corpus is None else Path(out) / "notebooks" / path.name
        written = execute_notebook(path, output_path=target, corpus=corpus,
                                   kernel_name=kernel_name, timeout=timeout)
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


class _HeadingParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[int, str, str]] = []
        self._current: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._current = [int(tag[1]), dict(attrs).get("id") or "", []]
        elif tag == "a" and self._current is not None and "anchor-link" in (dict(attrs).get("class") or ""):
            self._current.append("skip")

    def handle_endtag(self, tag: str) -> None:
        if self._current is None:
            return
        if tag == "a" and self._current[-1] == "skip":
            self._current.pop()
        elif re.fullmatch(r"h[1-6]", tag):
            level, ident, parts = self._current[:3]
            self.rows.append((level, ident, " ".join("".join(parts).split())))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._current[-1] != "skip":
            self._current[2].append(data)


def heading_anchors(page: str) -> pd.DataFrame:
    """Headings of a rendered page with their ``id`` anchors, in page order.

    Parameters
    ----------
    page : str
        HTML, e.g. a notebook rendered by :func:`render_notebook`.

    Returns
    -------
    pandas.DataFrame
        Columns ``level`` (1-6), ``id`` (the anchor, ``""`` if none) and ``text``.

    Examples
    --------
    >>> heading_anchors('<h2 id="Top-terms">Top terms<a class="anchor-link" href="#Top-terms">¶</a></h2>')
       level         id       text
    0      2  Top-terms  Top terms
    """
    parser = _HeadingParser()
    parser.feed(page)
    parser.close()
    return pd.DataFrame(parser.rows, columns=["level", "id", "text"])


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
    parser.add_argument("--readme", default=None,
                        help="also rewrite the findings summary between the markers of this README "
                             "(framelens.findings.write_readme); make findings passes README.md for the seeds")
    args = parser.parse_args(argv)

    from framelens import findings

    notebooks = Path(args.notebooks)
    out = Path(args.out)
    try:
        if args.no_execute:
            executed = [str(p) for p in _notebook_paths(notebooks)]
        else:
            runs = execute_notebooks(notebooks, out=out, corpus=args.corpus, timeout=args.timeout)
            executed = runs["executed"].tolist()
        for nb_path in executed:
            print(f"executed {Path(nb_path).name}" if not args.no_execute else f"render {Path(nb_path).name}")
        for stale in (out / "notebooks").glob("*.html"):  # pages of notebooks since removed
            stale.unlink()
        findings._step(f"rendering {len(executed)} notebooks to HTML in {out / 'notebooks'}", None)
        pages = render_notebooks(executed, out)
        corpus = Path(args.corpus) if args.corpus else notebooks.resolve().parent / "seeds"
        index = findings.write_findings(corpus, out=out, notebooks=pages, n_boot=args.n_boot,
                                        max_docs=args.max_docs)
        if args.readme:
            findings.write_readme(args.readme, out)
    except (RuntimeError, FileNotFoundError, ValueError) as err:
        print(f"framelens.render: {err}", file=sys.stderr)
        return 1
    for page in pages["html"]:
        print(f"wrote {out / page}")
    print(f"wrote {index}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
