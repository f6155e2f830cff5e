"""Plain messages instead of crashes when a corpus is too small for an analysis.

An analysis that needs at least two articles, two outlets or a non-empty vocabulary
raises :class:`NotEnoughData` (a :class:`ValueError`) whose message says, in plain
words, what it needs and what it was given. A notebook that must run on any corpus
calls such an analysis through :func:`or_note`: on :class:`NotEnoughData` it returns a
:class:`Note` holding the message, which the notebook displays in place of the table or
figure. A :class:`Note` passed on to a later :func:`or_note` call is returned as it is
(the later step cannot run either), and indexing, calling or the table methods of
:data:`CHAIN` (``round``, ``head``, ``loc``...) give the same :class:`Note`, so a cell
such as ``or_note(similarity, result).round(2)`` shows the message instead of failing.
Any other attribute (``note.empty``, ``note.columns``) is an :class:`AttributeError`, so a
note cannot pass for a result in a test or an ``if``.
:func:`require` states a corpus-level need (articles, outlets) up front, for analyses
whose own error would be less plain.

Only :class:`NotEnoughData` becomes a note: any other error still stops the notebook,
so a real bug is never hidden behind a message.
"""
from __future__ import annotations

import html
from typing import Any, Callable, Iterator

import pandas as pd

__all__ = ["NotEnoughData", "Note", "CHAIN", "or_note", "only_note", "require", "count_outlets"]

#: The names a :class:`Note` answers with itself: the table and figure methods a notebook
#: cell chains after a result (``.round(2)``, ``[cols].head(6)``, ``.matrix.shape``).
#: Predicates (``empty``, ``any``, ``all``) and writers (``to_csv``) are not among them.
CHAIN: frozenset[str] = frozenset({
    "round", "head", "tail", "loc", "iloc", "sort_values", "sort_index", "set_index",
    "reset_index", "filter", "query", "drop", "drop_duplicates", "rename", "astype", "assign",
    "sum", "size", "groupby", "agg", "pivot", "pivot_table", "nlargest", "nsmallest", "idxmax",
    "idxmin", "nunique", "unique", "value_counts", "isin", "notna", "isna", "index", "T",
    "matrix", "shape", "figure", "style", "to_frame", "pipe"})


class NotEnoughData(ValueError):
    """The data cannot support the analysis: too few articles, outlets, words or pairs.

    The message names what is needed and what was given, e.g. "clustering into k=3
    groups needs at least 3 articles; the corpus has 2".
    """


class Note:
    """A plain message shown in a notebook where a result could not be computed.

    Indexing, calls and the names in :data:`CHAIN` return the note itself, so a chain
    written for a table (``note[["a"]].round(2)``) still shows the message; any other
    attribute raises :class:`AttributeError` (``note.empty`` is not a truthy note).

    Parameters
    ----------
    message : str
        What the analysis needs and what the corpus has.

    Examples
    --------
    >>> n = Note("needs at least 2 outlets; the corpus has 1 (A)")
    >>> n
    Note: needs at least 2 outlets; the corpus has 1 (A)
    >>> n[["x"]].round(2) is n
    True
    >>> hasattr(n, "empty")
    False
    """

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        if not isinstance(message, str) or not message.strip():
            raise ValueError(f"message={message!r}: a Note needs a non-empty text")
        object.__setattr__(self, "message", message)

    def __repr__(self) -> str:
        return f"Note: {self.message}"

    def _repr_html_(self) -> str:
        return (f'<p class="framelens-note"><strong>Note:</strong> '
                f"{html.escape(self.message)}</p>")

    def __getattr__(self, name: str) -> Any:
        if name in CHAIN:  # never a private name: Python's and IPython's protocols stay honest
            return self
        raise AttributeError(f"a Note has no attribute {name!r} (it stands for a result that "
                             f"could not be computed: {self.message})")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Note is read-only")

    def __getitem__(self, key: Any) -> Note:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Note:
        return self

    def __iter__(self) -> Iterator[Note]:
        yield self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Note) and other.message == self.message

    def __hash__(self) -> int:
        return hash(("Note", self.message))


def or_note(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call ``func(*args, **kwargs)``; if the data is too small, return a :class:`Note`.

    Parameters
    ----------
    func : callable
        The analysis (any framelens function).
    *args, **kwargs
        Its arguments. If one of them is already a :class:`Note` (an earlier step
        could not run), or a list or tuple holding one (``pd.concat([a, b])``), that
        note is returned without calling ``func``.

    Returns
    -------
    object
        ``func``'s result, or a :class:`Note` with the :class:`NotEnoughData` message.
        Any other exception propagates.

    Examples
    --------
    >>> def needs_two(items):
    ...     if len(items) < 2:
    ...         raise NotEnoughData(f"needs at least 2 items; got {len(items)}")
    ...     return len(items)
    >>> or_note(needs_two, [1, 2])
    2
    >>> n = or_note(needs_two, [1])
    >>> n
    Note: needs at least 2 items; got 1
    >>> or_note(needs_two, n) is n
    True
    >>> or_note(sum, [n, 1]) is n
    True
    """
    for value in (*args, *kwargs.values()):
        if isinstance(value, Note):
            return value
        if isinstance(value, (list, tuple)):
            inner = next((v for v in value if isinstance(v, Note)), None)
            if inner is not None:
                return inner
    try:
        return func(*args, **kwargs)
    except NotEnoughData as err:
        return Note(str(err))


def only_note(value: Any) -> Note | None:
    """``value`` if it is a :class:`Note`, else ``None``.

    A notebook cell that draws a figure ends with ``only_note(or_note(plot_x, ...))``: the
    figure is shown, without the ``<Axes: ...>`` text of the returned Axes, and when the
    figure could not be drawn the note says why.

    Examples
    --------
    >>> only_note(Note("needs 2 outlets"))
    Note: needs 2 outlets
    >>> only_note(42) is None
    True
    """
    return value if isinstance(value, Note) else None


def count_outlets(corpus: pd.DataFrame, *, label_col: str = "outlet") -> int:
    """Number of distinct outlets (values of ``label_col``).

    Examples
    --------
    >>> count_outlets(pd.DataFrame({"outlet": ["A", "A", "B"]}))
    2
    """
    if label_col not in corpus.columns:
        raise ValueError(f"label_col={label_col!r} is not a column of the corpus; "
                         f"available: {sorted(map(str, corpus.columns))}")
    return int(corpus[label_col].nunique())


def require(corpus: pd.DataFrame | Note, *, articles: int = 1, outlets: int = 1,
            what: str = "this analysis", label_col: str = "outlet") -> pd.DataFrame | Note:
    """The corpus itself if it has enough articles and outlets, else a :class:`Note`.

    Parameters
    ----------
    corpus : DataFrame or Note
        One row per article.
    articles, outlets : int, default 1
        The least number of articles (rows) and distinct outlets the analysis needs.
    what : str, default "this analysis"
        The analysis, as it should read in the message.
    label_col : str, default "outlet"
        Column holding the outlet.

    Returns
    -------
    DataFrame or Note
        ``corpus`` unchanged, or a note saying what is needed and what the corpus has;
        pass the result on to :func:`or_note` calls.

    Examples
    --------
    >>> c = pd.DataFrame({"outlet": ["Daily A", "Daily A"], "text": ["x", "y"]})
    >>> require(c, articles=2) is c
    True
    >>> require(c, outlets=2, what="comparing outlets")
    Note: comparing outlets needs at least 2 outlets; the corpus has 1 (Daily A).
    """
    if isinstance(corpus, Note):
        return corpus
    for name, value in (("articles", articles), ("outlets", outlets)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name}={value!r} must be a positive integer")
    n_articles = len(corpus)
    if n_articles < articles:
        return Note(f"{what} needs at least {articles} articles; the corpus has {n_articles}.")
    n_outlets = count_outlets(corpus, label_col=label_col)
    if n_outlets < outlets:
        names = ", ".join(sorted(map(str, corpus[label_col].unique())))
        return Note(f"{what} needs at least {outlets} outlets; the corpus has {n_outlets}"
                    + (f" ({names})." if names else "."))
    return corpus
