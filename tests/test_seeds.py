"""The seed articles are the project's raw data: byte for byte, as the manifest records."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

MANIFEST_COLUMNS = ["doc_id", "outlet", "origin_language", "translated", "date", "url", "sha256", "evidence"]
SHARED_SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _manifest(seeds_dir: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(seeds_dir / "manifest.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_manifest_has_the_eight_columns(seeds_dir: Path) -> None:
    header, _ = _manifest(seeds_dir)
    assert header == MANIFEST_COLUMNS


def test_manifest_has_one_row_per_file(seeds_dir: Path) -> None:
    _, rows = _manifest(seeds_dir)
    ids = [r["doc_id"] for r in rows]
    files = sorted(p.stem for p in seeds_dir.glob("*.txt"))
    assert len(files) == 5
    assert sorted(ids) == files
    assert len(set(ids)) == len(ids)


def test_manifest_values_are_filled(seeds_dir: Path) -> None:
    _, rows = _manifest(seeds_dir)
    for r in rows:
        assert r["outlet"].strip(), r["doc_id"]
        assert r["translated"] in {"yes", "no", "unknown"}, r["doc_id"]
        assert r["evidence"].strip(), r["doc_id"]


def test_every_seed_matches_its_sha256(seeds_dir: Path) -> None:
    _, rows = _manifest(seeds_dir)
    for r in rows:
        digest = hashlib.sha256((seeds_dir / f"{r['doc_id']}.txt").read_bytes()).hexdigest()
        assert digest == r["sha256"], f"{r['doc_id']}.txt changed: sha256 {digest} != manifest {r['sha256']}"


def test_seeds_are_byte_identical_to_shared(seeds_dir: Path) -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} is absent: cannot compare the seeds with their source")
    ours = sorted(p.name for p in seeds_dir.glob("*.txt"))
    theirs = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    assert ours == theirs
    for name in ours:
        assert (seeds_dir / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name
