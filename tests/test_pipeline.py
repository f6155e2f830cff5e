"""The pipeline: one Settings, every table once, errors stay errors."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from framelens.notes import Note
from framelens.pipeline import SECTIONS, Results, Settings, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_results() -> Results:
    return run(ROOT / "seeds", Settings(n_boot=20))


@pytest.mark.parametrize("changes, match", [
    ({"n_boot": 0}, r"Settings.n_boot=0: expected a whole number >= 1"),
    ({"max_docs": True}, r"Settings.max_docs=True"),
    ({"min_words": -1}, r"Settings.min_words=-1: expected a whole number >= 0"),
    ({"random_state": 1.5}, r"Settings.random_state=1.5: expected an integer seed"),
    ({"stop_words": "french"}, r"Settings.stop_words='french': expected 'english' or None"),
    ({"ks": (1,)}, r"Settings.ks=1: expected a whole number >= 2"),
    ({"ks": ()}, r"Settings.ks=\(\)"),
    ({"keyness_alpha0": 0}, r"Settings.keyness_alpha0=0: expected a positive number"),
    ({"paraphrase": 1.5}, r"Settings.paraphrase=1.5: expected a number between 0 and 1"),
    ({"rules": "share-residue"}, r"Settings.rules='share-residue': expected a tuple of rule names"),
])
def test_settings_are_validated_on_entry(changes, match) -> None:
    with pytest.raises(ValueError, match=match):
        Settings(**changes)
    with pytest.raises(ValueError, match=match):
        Settings().replace(**changes)


def test_settings_defaults_live_in_one_place() -> None:
    s = Settings()
    assert (s.n_boot, s.random_state, s.max_docs, s.min_words, s.keyness_top) == (200, 0, 2000, 1, 10)
    assert Settings(ks=[3, 2]).ks == (3, 2) and Settings(rules=["share-residue"]).rules == ("share-residue",)
    with pytest.raises(AttributeError):
        s.n_boot = 5  # frozen


def test_every_section_runs_and_every_table_is_there(seed_results: Results) -> None:
    assert seed_results.sections["section"].tolist() == list(SECTIONS)
    assert (seed_results.sections["status"] == "computed").all()
    from framelens.findings import TABLES

    assert set(seed_results.tables) == set(TABLES)
    # the keyness table keeps Settings.keyness_top words per outlet (the page and notebook 05)
    assert seed_results["keyness"].groupby("outlet").size().tolist() == [10] * 5
    assert seed_results.corpus.articles["doc_id"].tolist() == seed_results["corpus"]["doc_id"].tolist()


def test_shared_steps_run_once(monkeypatch) -> None:
    """Labels and lexicon both need the actor mentions: they are found once per run."""
    import framelens.actors as actors

    calls = []
    real = actors.find_mentions
    monkeypatch.setattr(actors, "find_mentions", lambda *a, **k: calls.append(1) or real(*a, **k))
    run(ROOT / "seeds", sections=["labels", "lexicon"])
    assert len(calls) == 1


def test_keyness_reads_the_corpus_counts(seed_results: Results) -> None:
    """The document-term matrix built once gives the same counts as tokenising again."""
    from framelens.keyness import keyness_by_outlet, term_counts

    s = seed_results.settings
    again = keyness_by_outlet(term_counts(seed_results.corpus.articles, stop_words="english"),
                              alpha0=s.keyness_alpha0, min_count=s.keyness_min_count,
                              min_words=s.keyness_min_words, top=s.keyness_top, warn=False)
    pd.testing.assert_frame_equal(seed_results["keyness"], again.round(6))


def test_findings_writes_exactly_the_results(tmp_path: Path, seed_results: Results) -> None:
    from framelens.findings import compute_tables

    status = compute_tables(ROOT / "seeds", out=tmp_path, n_boot=20)
    pd.testing.assert_frame_equal(status, seed_results.sections)
    for name in ("keyness", "register_rates", "corpus"):
        written = pd.read_csv(tmp_path / "tables" / f"{name}.csv", keep_default_na=False)
        mine = seed_results[name].reset_index(drop=True)
        assert written.shape == mine.shape, name
        for col in mine.columns:
            assert written[col].astype(str).tolist() == mine[col].astype(str).tolist(), (name, col)


def test_a_bug_fails_the_run(monkeypatch) -> None:
    """A ValueError from framelens' own code is a bug, not 'section not computed'."""
    import framelens.spelling as spelling

    def broken(*args, **kwargs):
        raise ValueError("planted bug")

    monkeypatch.setattr(spelling, "count_marked", broken)
    with pytest.raises(ValueError, match="planted bug"):
        run(ROOT / "seeds", sections=["spelling"])


def test_too_few_articles_is_a_note(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kyiv asked NATO for an invitation on Friday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Kiev asked NATO again.", encoding="utf-8")
    res = run(tmp_path, Settings(n_boot=5))
    assert res.note("stability") == "cluster stability needs at least 3 articles; the corpus has 2"
    got = res.table("cluster_pairs")
    assert isinstance(got, Note) and "needs at least 3 articles" in got.message
    assert res.sections.set_index("section").loc["similarity", "status"] == "computed"
    with pytest.raises(KeyError, match="no table 'nope'"):
        res.table("nope")


def test_unknown_section_and_settings_type() -> None:
    with pytest.raises(ValueError, match=r"unknown section\(s\) \['nope'\]"):
        run(ROOT / "seeds", sections=["nope"])
    with pytest.raises(TypeError, match="settings must be a framelens.pipeline.Settings"):
        run(ROOT / "seeds", {"n_boot": 5})


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_read_the_pipeline_and_define_nothing(path: Path) -> None:
    code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                     if c["cell_type"] == "code")
    assert "run(CORPUS" in code and "from framelens.pipeline import" in code
    assert "def " not in code and "lambda" not in code
    assert "load_corpus" not in code and "clean(" not in code  # the pipeline loads and cleans
    assert "<Axes:" not in path.read_text(encoding="utf-8")  # figure cells end with ';'


def test_pipeline_imports_no_private_names_and_there_is_no_cycle() -> None:
    """Every module of the package, sub-packages included (``report.page``), by its dotted name."""
    import ast

    src = ROOT / "src" / "framelens"
    graph: dict[str, set[str]] = {}
    for f in sorted(src.rglob("*.py")):
        parts = f.relative_to(src).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "framelens"
        tree = ast.parse(f.read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, (name, "relative import")
                if not (node.module and node.module.startswith("framelens")):
                    continue
                mod = node.module.partition(".")[2]
                names = [a.name for a in node.names]
                private = [n for n in names if n.startswith("_") and not (n.startswith("__") and n.endswith("__"))]
                assert not private, (name, node.module, names)
                if mod:
                    assert not [p for p in mod.split(".") if p.startswith("_")], (name, node.module)
                    deps.add(mod)
                else:
                    deps.update(names)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("framelens."):
                        assert not [p for p in a.name.split(".") if p.startswith("_")], (name, a.name)
                        deps.add(a.name.partition(".")[2])
        graph[name] = deps - {name}
    assert {"findings", "report.page", "report.figures"} <= set(graph)

    def reaches(a: str, b: str, seen: set[str]) -> bool:
        return any(d == b or (d not in seen and reaches(d, b, seen | {d})) for d in graph.get(a, ()))

    assert not [m for m in graph if reaches(m, m, {m})]


def test_fingerprint_does_not_depend_on_the_rows_hashed_at_once(monkeypatch) -> None:
    import framelens.pipeline as pipeline

    corpus = pipeline.load(ROOT / "seeds")
    whole = pipeline.corpus_fingerprint(corpus)
    monkeypatch.setattr(pipeline, "_HASH_ROWS", 2)
    assert pipeline.corpus_fingerprint(corpus) == whole
    changed = corpus.articles.assign(text=corpus.articles["text"].str.replace("NATO", "Nato"))
    import dataclasses
    assert pipeline.corpus_fingerprint(dataclasses.replace(corpus, articles=changed)) != whole
