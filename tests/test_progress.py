"""Tests for framelens.progress: a bar on a terminal, silence elsewhere."""
from __future__ import annotations

import io

import pytest

from framelens import progress as progress_module
from framelens.progress import is_terminal, progress


def test_items_pass_through_unchanged_and_silently_when_disabled(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress(iter("abc"), desc="x", enabled=False)) == ["a", "b", "c"]
    assert capsys.readouterr().err == ""


def test_bar_is_drawn_when_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress(range(3), desc="stage", enabled=True)) == [0, 1, 2]
    assert "stage" in capsys.readouterr().err


def test_default_follows_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(progress_module.sys, "stderr", io.StringIO())
    assert not is_terminal()
    assert list(progress(range(2), desc="quiet")) == [0, 1]
    assert progress_module.sys.stderr.getvalue() == ""
    tty = Tty()
    monkeypatch.setattr(progress_module.sys, "stderr", tty)
    assert is_terminal()
    assert list(progress(range(2), desc="shown")) == [0, 1]
    assert "shown" in tty.getvalue()


def test_bad_setting_is_named() -> None:
    with pytest.raises(ValueError, match="enabled='yes' must be True, False or None"):
        list(progress([1], enabled="yes"))  # type: ignore[arg-type]
