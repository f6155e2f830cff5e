"""Tests for framelens.render: execution, offline HTML, neutralised outputs, the CLI."""
from __future__ import annotations

import base64
import io
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import (new_code_cell, new_markdown_cell, new_notebook, new_output)

from framelens import render

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click me</a>',
)
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


from _html import parse  # shared test helper


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _executed_notebook(path: Path) -> Path:
    """A notebook with hand-made outputs (no kernel needed) carrying the payloads."""
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC})
    code = new_code_cell("show()", execution_count=1)
    code.outputs = [
        new_output("execute_result", execution_count=1, data={
            "text/html": f"<table class='dataframe'><tr><td>{PAYLOADS[0]}</td></tr></table>",
            "text/plain": f"quoted {PAYLOADS[0]}"}),
        new_output("display_data", data={"text/html": PAYLOADS[1], "text/plain": f"quoted {PAYLOADS[1]}"}),
        new_output("display_data", data={"text/markdown": PAYLOADS[2]}),
        new_output("display_data", data={"text/html": "<table class='dataframe'><tr><td>&lt;script&gt; safe"
                                                       "</td></tr></table>", "text/plain": "safe"}),
        new_output("stream", name="stdout", text=f"printed {PAYLOADS[0]}\n"),
        new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"}),
    ]
    nb.cells = [new_markdown_cell("# Lexicon\n\n## Loaded wording hits\n\nQuoted: `<script>x</script>`."), code]
    nbformat.write(nb, path)
    return path


def test_outputs_with_active_content_become_text(tmp_path):
    nb = _executed_notebook(tmp_path / "03-lexicon.ipynb")
    page = render.render_notebook(nb, tmp_path / "out" / "03-lexicon.html").read_text(encoding="utf-8")
    p = parse(page)
    assert [t for t, _ in p.tags if t in {"script", "iframe", "object", "embed"}] == []
    assert [(t, k) for t, a in p.tags for k in a if k.startswith("on")] == []
    assert not [a for t, a in p.tags if t == "a" and a.get("href", "").lower().startswith("javascript")]
    text = "".join(p.text)
    assert f"quoted {PAYLOADS[0]}" in text and f"quoted {PAYLOADS[1]}" in text
    assert PAYLOADS[2] in text
    assert f"printed {PAYLOADS[0]}" in text
    # safe HTML is kept as HTML, the image embedded, headings anchored
    assert sum(t == "table" for t, _ in p.tags) == 1
    imgs = [a["src"] for t, a in p.tags if t == "img"]
    assert len(imgs) == 1 and imgs[0].startswith("data:image/png;base64,")
    assert "Loaded-wording-hits" in render.heading_anchors(page)["id"].tolist()
    assert render.external_references(page).empty


def test_no_cdn_in_rendered_page(tmp_path):
    nb = _executed_notebook(tmp_path / "n.ipynb")
    page = render.render_notebook(nb, tmp_path / "n.html").read_text(encoding="utf-8")
    for cdn in ("require.js", "mathjax", "cdnjs", "unpkg", "jsdelivr", "mermaid"):
        assert cdn not in page.lower()
    assert "<style" in page  # the lab CSS is inlined


def test_markdown_with_raw_markup_is_refused_naming_the_cell(tmp_path):
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC},
                      cells=[new_markdown_cell("# Fine"), new_markdown_cell(f"Quote: {PAYLOADS[1]}")])
    path = tmp_path / "04-bad.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RuntimeError, match=r"04-bad\.ipynb: markdown cell 1 .*img onerror"):
        render.render_notebook(path, tmp_path / "bad.html")
    assert not (tmp_path / "bad.html").exists()


@pytest.mark.parametrize("markup, url", [
    ('<script src="https://cdn.example/a.js"></script>', "https://cdn.example/a.js"),
    ('<link rel="stylesheet" href="//fonts.example/f.css">', "//fonts.example/f.css"),
    ("<style>@import 'https://fonts.example/x.css';</style>", "https://fonts.example/x.css"),
    ('<div style="background: url(http://x.example/i.png)"></div>', "http://x.example/i.png"),
])
def test_external_references_found(markup, url):
    assert render.external_references(markup)["url"].tolist() == [url]


def test_local_references_are_not_external():
    page = '<a href="notebooks/01.html#A">a</a><img src="figures/x.png"><a href="#top">t</a>'
    assert render.external_references(page).empty


@pytest.mark.parametrize("markup", [
    *PAYLOADS, '<a href=" jAvAscript:alert(1)">x</a>', '<meta http-equiv="refresh" content="0;url=x">',
    '<iframe src="a.html"></iframe>', '<svg onload="alert(1)"></svg>',
])
def test_active_content_found(markup):
    assert not render.active_content(markup).empty


def test_active_content_ignores_escaped_text():
    assert render.active_content("<p>&lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b></p>").empty


# ------------------------------------------------------------------ execution (starts kernels)


def _code_notebook(path: Path, *sources: str, parameters: str | None = None) -> Path:
    cells = []
    if parameters is not None:
        cells.append(new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    cells += [new_code_cell(s) for s in sources]
    nbformat.write(new_notebook(metadata={"kernelspec": KERNELSPEC}, cells=cells), path)
    return path


def test_execute_in_place_fills_outputs_and_is_stable(tmp_path):
    path = _code_notebook(tmp_path / "01-a.ipynb", "import os\nos.path.basename(os.getcwd())", "print(6 * 7)")
    render.execute_notebook(path)
    first = path.read_bytes()
    nb = nbformat.reads(first.decode("utf-8"), as_version=4)
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == repr(tmp_path.name)  # cwd = notebook folder
    assert nb.cells[1].outputs[0]["text"] == "42\n"
    assert all("execution" not in c.metadata for c in nb.cells)
    render.execute_notebook(path)
    assert path.read_bytes() == first


def test_failing_cell_is_named_and_nothing_written(tmp_path):
    path = _code_notebook(tmp_path / "02-broken.ipynb", "a = 1", "1 / 0")
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match=r"02-broken\.ipynb: cell 1 \('1 / 0'\) failed: ZeroDivisionError"):
        render.execute_notebook(path)
    assert path.read_bytes() == before


def test_corpus_parameter_writes_copies_and_leaves_notebooks_alone(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    path = _code_notebook(folder / "01-c.ipynb", "print(CORPUS)", parameters='CORPUS = "../seeds"')
    before = path.read_bytes()
    corpus = tmp_path / "other corpus"
    corpus.mkdir()
    runs = render.execute_notebooks(folder, out=tmp_path / "out", corpus=corpus)
    assert path.read_bytes() == before
    copy = Path(runs["executed"].iloc[0])
    assert copy == tmp_path / "out" / "notebooks" / "01-c.ipynb"
    nb = nbformat.read(copy, as_version=4)
    printed = [o["text"] for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    assert printed == [f"{corpus.resolve()}\n"]
    assert "papermill" not in nb.metadata
    assert [c.metadata.get("tags") for c in nb.cells[:2]] == [["parameters"], ["injected-parameters"]]


def test_corpus_file_is_passed_and_each_notebook_named_when_verbose(tmp_path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("01-a.ipynb", "02-b.ipynb"):
        _code_notebook(folder / name, "print(CORPUS)", parameters='CORPUS = "../seeds"')
    table = tmp_path / "articles.jsonl.xz"
    table.write_bytes(b"")
    runs = render.execute_notebooks(folder, out=tmp_path / "out", corpus=table, verbose=True)
    nb = nbformat.read(runs["executed"].iloc[1], as_version=4)
    assert [o["text"] for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"] == [
        f"{table.resolve()}\n"]
    assert capsys.readouterr().err.splitlines() == [
        "framelens: executing 01-a.ipynb (1/2)", "framelens: executing 02-b.ipynb (2/2)"]
    render.execute_notebooks(folder, out=tmp_path / "out", corpus=table, verbose=False)
    assert capsys.readouterr().err == ""
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"corpus .*notes\.txt is neither a folder nor a file ending in "
                                                r"\.csv, \.jsonl"):
        render.execute_notebook(folder / "01-a.ipynb", output_path=tmp_path / "y.ipynb", corpus=other)


def test_failure_on_another_corpus_names_source_cell_and_corpus(tmp_path):
    path = _code_notebook(tmp_path / "05-k.ipynb", "import os", "assert os.path.isdir(CORPUS + '/x')",
                          parameters='CORPUS = "../seeds"')
    with pytest.raises(RuntimeError, match=r"05-k\.ipynb: cell 2 \(.*\) failed on corpus .*: AssertionError"):
        render.execute_notebook(path, output_path=tmp_path / "out.ipynb", corpus=tmp_path)
    assert not (tmp_path / "out.ipynb").exists()


def test_corpus_parameter_needs_a_tagged_cell(tmp_path):
    path = _code_notebook(tmp_path / "x.ipynb", "CORPUS = '../seeds'")
    with pytest.raises(ValueError, match="x.ipynb: no cell tagged 'parameters'"):
        render.execute_notebook(path, output_path=tmp_path / "y.ipynb", corpus=tmp_path)


# ------------------------------------------------------------------ command line


def test_cli_renders_notebooks_and_findings_page(tmp_path, make_corpus):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _executed_notebook(nbs / "03-lexicon.ipynb")
    files = {f"d{i}.txt": f"Lead {i}. Ukraine asked NATO {'word ' * (10 + i)}t{i}." for i in range(3)}
    corpus = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Paper {i}"} for i in range(3)])
    out = tmp_path / "out"
    (out / "notebooks").mkdir(parents=True)
    (out / "notebooks" / "99-removed.html").write_text("old", encoding="utf-8")
    (out / render.MARKER).write_text('{"files": ["notebooks/99-removed.html"]}', encoding="utf-8")
    (out / "notebooks" / "mine.html").write_text("the user's", encoding="utf-8")
    assert render.main(["--notebooks", str(nbs), "--out", str(out), "--no-execute", "--corpus", str(corpus),
                        "--n-boot", "7"]) == 0
    assert (out / "notebooks" / "mine.html").read_text(encoding="utf-8") == "the user's"  # not ours
    assert set(pd.read_csv(out / "tables" / "cluster_pairs.csv")["runs"]) == {7}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/03-lexicon.html"' in index
    assert (out / "notebooks" / "03-lexicon.html").is_file()
    assert not (out / "notebooks" / "99-removed.html").exists()
    assert render.external_references(index).empty


def test_cli_missing_folder_fails_with_its_name(tmp_path, capsys):
    assert render.main(["--notebooks", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 1
    assert f"notebook folder {tmp_path / 'nope'} does not exist" in capsys.readouterr().err
