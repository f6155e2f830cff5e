"""The rendered findings in a real browser: headless Chromium, network blocked.

Renders into a temporary folder (only ``make findings`` writes ``reports/``): the findings
page for the seed corpus, every committed notebook as it stands (not re-executed), and a
page built from a corpus whose text holds script, ``onerror`` and ``javascript:`` payloads.
Each page is opened from disk (``file://``) with every non-file request blocked and
recorded; the test checks that every image loaded, no console error or dialog appeared and
nothing left the machine. Screenshots go to ``reports/screenshots/`` (git-ignored).

Chromium is Debian's ``chromium`` package at ``/usr/bin/chromium`` (``make test`` installs
it when it can); without it the tests skip, saying so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from framelens import findings, render

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "reports" / "screenshots"
#: Screenshots are taken one screen at a time, each this tall (px), so a person can read them:
#: ``index-01.png``, ``index-02.png``, ... A whole long page in one image is unreadable, and
#: Chromium cannot capture past its texture limit ("Unable to capture screenshot").
SHOT_PX = 1600
#: At most this many screens of one page are kept (the rest is not shot).
MAX_SHOTS = 40
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click me</a>',
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium not found at /usr/bin/chromium: install Debian's package "
           "(`apt-get install chromium`; `make test` does this when run as root)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def visit(browser: Any, path: Path, *, screenshot: str | None = None) -> dict[str, Any]:
    """Open ``path`` offline and record what happened."""
    record: dict[str, list[Any]] = {"left_machine": [], "console_errors": [], "page_errors": [], "dialogs": []}
    context = browser.new_context()
    page = context.new_page()

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file://", "data:")):
            r.continue_()
        else:
            record["left_machine"].append(url)
            r.abort()

    def dialog(d: Any) -> None:
        record["dialogs"].append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and record["console_errors"].append(m.text))
    page.on("pageerror", lambda e: record["page_errors"].append(str(e)))
    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri(), wait_until="load")
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.getAttribute('src').slice(0, 60), i.complete, i.naturalWidth])"
    )
    if screenshot:  # for a person to look at, one readable screen at a time
        shoot(page, screenshot)
    record["images"] = images
    record["links"] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    context.close()
    return record


def shoot(page: Any, name: str) -> list[Path]:
    """Screenshots of ``page``, one :data:`SHOT_PX`-tall screen each, top to bottom.

    Files are ``<stem>-01.png``, ``<stem>-02.png``, ... under :data:`SCREENSHOTS`; older
    shots of the same stem are removed first. Returns the files written.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = Path(name).stem
    for old in SCREENSHOTS.glob(f"{stem}*.png"):
        if old.stem == stem or old.stem[len(stem) + 1:].isdigit():
            old.unlink()
    page.set_viewport_size({"width": 1280, "height": SHOT_PX})
    height = page.evaluate("document.documentElement.scrollHeight")
    written = []
    for i, top in enumerate(range(0, height, SHOT_PX)[:MAX_SHOTS], start=1):
        page.evaluate(f"window.scrollTo(0, {top})")
        path = SCREENSHOTS / f"{stem}-{i:02d}.png"
        page.screenshot(path=str(path))
        written.append(path)
    return written


def assert_clean(record: dict[str, Any]) -> None:
    assert record["left_machine"] == []
    assert record["console_errors"] == []
    assert record["page_errors"] == []
    assert record["dialogs"] == []
    broken = [src for src, complete, width in record["images"] if not (complete and width > 0)]
    assert broken == []


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("report")
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    pages = render.render_notebooks(notebooks, out) if notebooks else None
    index = findings.write_findings(ROOT / "seeds", out=out, notebooks=pages, n_boot=50)
    return index, sorted((out / "notebooks").glob("*.html"))


def test_monitor_catches_requests_images_and_dialogs(browser, tmp_path):
    """The checks below can fail: a page that phones home, breaks an image and alerts."""
    page = tmp_path / "bad.html"
    page.write_text('<img src="https://example.invalid/x.png"><img src="missing.png">'
                    "<script>alert('hi')</script>", encoding="utf-8")
    record = visit(browser, page)
    assert record["left_machine"] == ["https://example.invalid/x.png"]
    assert record["dialogs"] == ["hi"]
    assert [w for _, _, w in record["images"]] == [0, 0]


def test_findings_page_offline(browser, seed_report):
    index, _ = seed_report
    record = visit(browser, index, screenshot="index.png")
    assert_clean(record)
    assert len(record["images"]) == len(findings.FIGURES)
    local = [h for h in record["links"] if not h.startswith("#")]
    assert local and all((index.parent / h.split("#")[0]).exists() for h in local)
    # every link into a notebook section lands on a heading
    sections = [h for h in local if "#" in h]
    if sections:
        context = browser.new_context()
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page = context.new_page()
        for href in sections:
            page.goto((index.parent / href.split("#")[0]).resolve().as_uri() + "#" + href.split("#", 1)[1])
            assert page.evaluate("document.querySelector(':target')?.tagName ?? ''").startswith("H"), href
        context.close()


def test_each_rendered_notebook_offline(browser, seed_report):
    _, notebooks = seed_report
    if not notebooks:
        pytest.skip("no notebooks committed yet under notebooks/")
    for page in notebooks:
        record = visit(browser, page, screenshot=f"{page.stem}.png")
        assert_clean(record)


def test_hostile_corpus_runs_nothing(browser, make_corpus, tmp_path):
    files = {f"d{i}.txt": f"Report {i} quoted {p} in full. Ukraine asked NATO {'again ' * (5 + i)}t{i}.\n"
             for i, p in enumerate(PAYLOADS)}
    manifest = [{"doc_id": f"d{i}", "outlet": f"Outlet {i} {p}"} for i, p in enumerate(PAYLOADS)]
    corpus = make_corpus(files, manifest, name="hostile")
    out = tmp_path / "out"
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                               "language": "python"}})
    cell = new_code_cell("kwic", execution_count=1)
    cell.outputs = [new_output("display_data", data={"text/html": p, "text/plain": p}) for p in PAYLOADS]
    cell.outputs.append(new_output("display_data", data={"image/svg+xml": '<svg onload="alert(2)"></svg>',
                                                         "text/plain": "svg"}))
    nb.cells = [new_markdown_cell("# Hostile"), cell]
    nbformat.write(nb, tmp_path / "09-hostile.ipynb")
    pages = render.render_notebooks([tmp_path / "09-hostile.ipynb"], out)
    index = findings.write_findings(corpus, out=out, notebooks=pages, n_boot=10)
    for page in (index, out / "notebooks" / "09-hostile.html"):
        record = visit(browser, page, screenshot=f"hostile-{page.stem}.png")
        assert_clean(record)
        assert not [h for h in record["links"] if h.strip().lower().startswith("javascript")]


def test_side_by_side_offline(browser, seed_report):
    index, _ = seed_report
    page = index.parent / "side_by_side.html"
    record = visit(browser, page, screenshot="side_by_side.png")
    assert_clean(record)
    assert "index.html" in record["links"]
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    view = context.new_page()
    view.goto(page.resolve().as_uri())
    # five columns of text, each wide enough to read (at least 200 CSS px at a 1600 px window)
    widths = view.eval_on_selector_all("thead th:not(.group)", "els => els.map(e => e.getBoundingClientRect().width)")
    marks = view.eval_on_selector_all("td mark", "els => els.length")
    context.close()
    assert len(widths) == 5 and min(widths) >= 200
    assert marks > 0


def test_figures_shown_at_most_the_page_width(browser, seed_report):
    index, _ = seed_report
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page = context.new_page()
    page.goto(index.resolve().as_uri(), wait_until="load")
    shown = page.evaluate("Array.from(document.images).map(i => [i.naturalWidth, i.clientWidth])")  # inside the border
    context.close()
    # what tests/test_findings.py assumes to size the text: no figure is shown wider than 736 px
    assert shown and all(width <= 736.5 for _, width in shown)
