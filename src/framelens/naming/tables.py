"""Alias tables: reading and validating the CSV that names each actor and its surface forms.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from framelens.patterns import PatternError, WordPattern

__all__ = ["ALIAS_COLUMNS", "ActorTableError", "load_actors"]

#: Columns an alias table must have (``note`` and others are optional and kept).
ALIAS_COLUMNS: tuple[str, ...] = ("actor", "type", "pattern")


class ActorTableError(ValueError):
    """An alias table is malformed; the message names the CSV row and what to fix."""


def load_actors(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read and validate an alias table.

    Parameters
    ----------
    source : path or pandas.DataFrame
        A CSV file (or a DataFrame with the same columns). Required columns,
        :data:`ALIAS_COLUMNS`: ``actor`` (unique id, e.g. "Putin"), ``type``
        (person, organisation, country, ...) and ``pattern``, a regular expression
        in Python's syntax matching every surface form, applied case-sensitively to
        whole words (no word character right before or after a match:
        :class:`framelens.patterns.WordPattern`) and matched by RE2 in time linear in
        the text, so it may not use look-arounds or back-references (except plain-text
        look-behinds opening an alternative, ``(?<!Melania )Trump``, as
        :func:`~framelens.naming.proposals.propose_actors` writes them). Other columns
        (``note``) are kept.

    Returns
    -------
    pandas.DataFrame
        The table in file order, RangeIndex, all columns as strings.

    Raises
    ------
    ActorTableError
        Missing column; empty actor or pattern; a pattern that does not compile,
        matches the empty string or needs a construct RE2 cannot run in bounded time
        (a look-around, a back-reference); a duplicate actor id. Rows are named by
        their 1-based line in the CSV (the header is line 1).

    Examples
    --------
    >>> t = load_actors(pd.DataFrame({"actor": ["Putin"], "type": ["person"],
    ...                               "pattern": [r"(?:Vladimir\\s+)?Putin"]}))
    >>> t["actor"].tolist()
    ['Putin']
    """
    if isinstance(source, pd.DataFrame):
        table, where = source.copy(), "alias table"
    else:
        path = Path(source)
        if not path.is_file():
            raise ActorTableError(f"alias table {str(path)!r} not found; create a CSV with "
                                  f"columns {', '.join(ALIAS_COLUMNS)}")
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
            raise ActorTableError(
                f"alias table {path}: cannot be read as CSV ({err}); check for an unclosed quote "
                f"(write a quote inside a quoted field as \"\"), save it as UTF-8, and keep the "
                f"columns {', '.join(ALIAS_COLUMNS)}") from None
        where = str(path)
    missing = [c for c in ALIAS_COLUMNS if c not in table.columns]
    if missing:
        raise ActorTableError(f"{where}: missing column(s) {missing}; required columns are "
                              f"{list(ALIAS_COLUMNS)}, found {list(map(str, table.columns))}")
    table = table.reset_index(drop=True)
    table = table.astype({c: "string" for c in table.columns}).fillna("")
    seen: dict[str, int] = {}
    for i, row in table.iterrows():
        line = int(i) + 2
        actor = str(row["actor"]).strip()
        pattern = str(row["pattern"])
        if not actor:
            raise ActorTableError(f"{where}, row {line}: empty 'actor'; give every row an id")
        if actor in seen:
            raise ActorTableError(f"{where}, row {line}: duplicate actor id {actor!r} (first at "
                                  f"row {seen[actor]}); merge the patterns into one row with '|'")
        seen[actor] = line
        if not pattern.strip():
            raise ActorTableError(f"{where}, row {line} ({actor}): empty 'pattern'")
        try:
            WordPattern.cached(pattern, where=f"{where}, row {line} ({actor})")
        except PatternError as err:
            raise ActorTableError(str(err)) from None
        table.loc[i, "actor"] = actor
    return table
