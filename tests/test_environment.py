"""The conda environment.yml and the pinned pip requirements must agree, pin for pin."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)$")


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.strip().removesuffix("\\").strip()
        if not line or line.startswith("#") or line.startswith("--hash="):
            continue
        m = PIN.match(line)
        assert m, f"requirements.lock: {line!r} is not an exact 'name==version' pin"
        pins[_canon(m.group(1))] = m.group(2)
    return pins


def _env_pip_pins() -> tuple[list[str], dict[str, str]]:
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    deps: list[str] = []
    pins: dict[str, str] = {}
    in_pip = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped == "- pip:":
            in_pip = True
            continue
        if in_pip and line.startswith("      - "):
            m = PIN.match(stripped[2:].strip())
            assert m, f"environment.yml pip entry {stripped!r} is not an exact pin"
            pins[_canon(m.group(1))] = m.group(2)
        elif line.startswith("  - "):
            in_pip = False
            deps.append(stripped[2:])
    return deps, pins


def test_environment_yml_pins_equal_requirements_lock():
    lock = _lock_pins()
    _, env = _env_pip_pins()
    only_lock = sorted(set(lock) - set(env))
    only_env = sorted(set(env) - set(lock))
    differ = sorted(k for k in set(lock) & set(env) if lock[k] != env[k])
    assert not (only_lock or only_env or differ), (
        f"environment.yml and requirements.lock disagree: only in lock {only_lock}, "
        f"only in environment.yml {only_env}, different versions {differ}"
    )


def test_environment_yml_uses_python_311_from_conda_forge():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    deps, _ = _env_pip_pins()
    assert "conda-forge" in text
    assert "python=3.11" in deps


def test_core_packages_are_pinned():
    lock = _lock_pins()
    for pkg in ["jupyterlab", "pandas", "scikit-learn", "matplotlib", "nbval", "pytest"]:
        assert pkg in lock, f"{pkg} missing from requirements.lock"


def test_every_pin_carries_sha256_hashes():
    """`pip install --require-hashes -r requirements.lock` needs a hash under every pin."""
    current, hashes = None, {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        s = line.strip().removesuffix("\\").strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("--hash="):
            assert current is not None, f"hash before any pin: {s}"
            assert re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", s), s
            hashes[current] += 1
        else:
            current = s
            hashes[current] = 0
    assert len(hashes) > 100
    assert not [pin for pin, n in hashes.items() if n == 0]
