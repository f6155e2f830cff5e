"""Progress bars for long runs that stay quiet in logs and notebooks.

:func:`progress` wraps an iterable in a :mod:`tqdm` bar written to standard error,
shown only when standard error is a terminal (``enabled=None``), so a benchmark run
by hand shows its stages while ``make test``, CI logs and executed notebooks keep
clean, reproducible output.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

__all__ = ["progress", "is_terminal", "step"]

T = TypeVar("T")


def is_terminal() -> bool:
    """Whether standard error is an interactive terminal (where a bar is useful).

    Examples
    --------
    >>> isinstance(is_terminal(), bool)
    True
    """
    stream = sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


def step(message: str, enabled: bool | None = None) -> None:
    """Name a step of a long run on standard error when it helps.

    Parameters
    ----------
    message : str
        Printed as ``framelens: MESSAGE``.
    enabled : bool or None, default None
        ``None``: only when standard error is a terminal (:func:`is_terminal`).

    Examples
    --------
    >>> step("loading seeds", enabled=False)  # prints nothing
    """
    if enabled if enabled is not None else is_terminal():
        print(f"framelens: {message}", file=sys.stderr, flush=True)


def progress(iterable: Iterable[T], *, desc: str | None = None, total: int | None = None,
             enabled: bool | None = None, unit: str = "it") -> Iterator[T]:
    """Iterate over ``iterable`` with a progress bar when it helps.

    Parameters
    ----------
    iterable : iterable
        What to iterate over; items are passed through unchanged.
    desc : str, optional
        Label shown before the bar (e.g. the stage name).
    total : int, optional
        Number of items, when ``iterable`` has no ``len()``.
    enabled : bool or None, default None
        ``None``: show the bar only when standard error is a terminal
        (:func:`is_terminal`); ``True``: always; ``False``: never.
    unit : str, default "it"
        Name of one item in the rate display (e.g. ``"chunk"``).

    Returns
    -------
    iterator
        The items of ``iterable``, in order.

    Examples
    --------
    >>> list(progress(range(3), desc="demo", enabled=False))
    [0, 1, 2]
    """
    if enabled is not None and not isinstance(enabled, bool):
        raise ValueError(f"enabled={enabled!r} must be True, False or None")
    show = is_terminal() if enabled is None else enabled
    if not show:
        yield from iterable
        return
    yield from tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr,
                    dynamic_ncols=True, leave=False)
