"""The README's summary of the seed case ("What the seed case shows"), written between
:data:`README_BEGIN` and :data:`README_END` from the saved tables by :func:`write_readme`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pandas as pd

from framelens.report.common import (LOADED_REGISTERS, corpus_outlets, furthest_articles, read_table, separates,
                                     untitled_outlets, used_variants)
from framelens.report.phrases import labels_by_outlets, listed, pct, quoted

__all__ = [
    "README_BEGIN",
    "README_END",
    "write_readme",
    "readme_summary",
]


#: Markers around the README's generated summary (``README.md``, "What the seed case shows").
README_BEGIN: str = ("<!-- findings:begin: written by `make findings` from reports/tables "
                     "(framelens.findings.readme_summary); do not edit by hand -->")


README_END: str = "<!-- findings:end -->"


def write_readme(readme: str | Path, out: str | Path) -> bool:
    """Replace the block between :data:`README_BEGIN` and :data:`README_END` with :func:`readme_summary`.

    Parameters
    ----------
    readme : str or Path
        The README holding both markers once each.
    out : str or Path
        Report folder holding ``tables/``.

    Returns
    -------
    bool
        Whether the file changed.

    Raises
    ------
    ValueError
        When a marker is missing or repeated (the file is left as it was).
    """
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    if text.count(README_BEGIN) != 1 or text.count(README_END) != 1:
        raise ValueError(f"{readme} must hold the markers {README_BEGIN!r} and {README_END!r} once each; "
                         "put them around the summary the findings should fill")
    head, rest = text.split(README_BEGIN)
    _, tail = rest.split(README_END)
    new = f"{head}{README_BEGIN}\n{readme_summary(out)}{README_END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def readme_summary(out: str | Path) -> str:
    """The README's "What the seed case shows" bullets, every number and outlet read from the tables.

    The same guards as the page (:func:`framelens.claims.ties`, :func:`framelens.claims.overlapping`)
    decide every "only", "most" and "closest"; a bullet whose tables are missing is left out.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/``.

    Returns
    -------
    str
        Markdown, one bullet per finding, ending in a newline ("" when no table is there).
    """
    out = Path(out)
    outlets = corpus_outlets(out)
    ordered = lambda names: [o for o in outlets if o in set(names)] + sorted(set(names) - set(outlets))  # noqa: E731

    steps = (_readme_labels, _readme_spelling, _readme_similarity, _readme_selection, _readme_sources,
             _readme_traces)
    bullets = [b for b in (make(out, ordered) for make in steps) if b]
    return "\n".join(bullets) + ("\n" if bullets else "")


def _readme_labels(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "labels" bullet (None when its tables are missing)."""
    from framelens.claims import ties

    labels, hits, rates = read_table(out, "actor_labels"), read_table(out, "lexicon_hits"), read_table(out, "register_rates")
    if labels is not None and hits is not None and not labels.empty:
        loaded = hits[hits["register"].astype(str).isin(LOADED_REGISTERS) & (hits["actor"].astype(str) != "")]
        if not loaded.empty:
            actor = sorted(loaded["actor"].value_counts().pipe(lambda c: c[c == c.max()]).index)[0]
            mine = loaded[loaded["actor"] == actor]
            who = ordered(mine["outlet"].astype(str).unique())
            words_ = [m.lower() for m in mine["match"].astype(str)]
            rows = labels[(labels["actor"] == actor) & labels["outlet"].isin(who)]
            shown = [l for l in rows["label"].drop_duplicates() if any(w in str(l).lower() for w in words_)]
            text = (f"{'Only ' if len(who) == 1 else ''}{listed(who)} {'calls' if len(who) == 1 else 'call'} "
                    f"{actor} {quoted(shown or mine['match'].drop_duplicates().tolist())}")
            others = labels[(labels["actor"] == actor) & ~labels["outlet"].isin(who)]
            text += "".join(f"; {phrase}" for phrase in labels_by_outlets(
                others, actor=actor, order=ordered(labels["outlet"].astype(str).unique()), top=3))
            bare = ordered(untitled_outlets(out, actor))
            if bare:
                text += f"; {listed(bare)} {'names' if len(bare) == 1 else 'name'} {actor} without a title"
            if rates is not None and not rates.empty:
                if "voice" in rates.columns:  # the overall rate, narration and quotation together
                    rates = rates[rates["voice"].astype(str) == "all"]
                reg = rates[rates["register"] == "delegitimising"].set_index("outlet")
                if len(reg) and float(reg["rate"].max()) > 0:
                    top = [str(x) for x in ties(reg["rate"].astype(float), tol=0.05)]
                    r = reg.loc[top[0]]
                    text += (f". {listed(top)} {'has' if len(top) == 1 else 'tie for'} the highest rate of "
                             f"delegitimising lexicon hits ({r['rate']:.1f} per 1,000 words: {int(r['hits'])} in "
                             f"{int(r['words'])} words, quotations included)")
                    rest = reg.drop(index=top)
                    if {"low", "high"} <= set(reg.columns) and len(rest):
                        overlap = float(reg.loc[top, "low"].astype(float).min()) <= float(rest["high"].astype(float).max())
                        text += (f", but the 95% interval ({float(r['low']):.1f}–{float(r['high']):.1f}) overlaps "
                                 f"another outlet's, so these texts do not show that {'it uses' if len(top) == 1 else 'they use'} more" if overlap else
                                 f", its 95% interval ({float(r['low']):.1f}–{float(r['high']):.1f}) lying above every "
                                 "other outlet's")
            return (f"- **Labels.** {text}.")
    return None


def _readme_spelling(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "spelling" bullet (None when its tables are missing)."""
    spelling = used_variants(out)
    corpus = read_table(out, "corpus")
    if spelling is not None and not spelling.empty:
        lang = {} if corpus is None else dict(zip(corpus["outlet"].astype(str), corpus["origin_language"].astype(str)))
        parts = []
        for name, g in spelling.groupby("name", sort=True):
            said = []
            for variant, v in g.groupby("variant", sort=True):
                who = ordered(v["outlet"].astype(str))
                counts = dict(zip(v["outlet"].astype(str), v["count"].astype(int)))
                langs = sorted({lang.get(o, "unknown") for o in who} - {"unknown"})
                said.append(f"{listed(who)} {'writes' if len(who) == 1 else 'write'} *{variant}* "
                            f"({', '.join(str(counts[o]) for o in who)} {'time' if len(who) == 1 and counts[who[0]] == 1 else 'times'})"
                            + (f", translated from {listed(langs)}" if langs and len(langs) == len(who) else ""))
            parts.append(f"{name}: " + "; ".join(said))
        return ("- **Spelling.** " + ". ".join(parts) + ".")
    return None


def _readme_similarity(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "similarity" bullet (None when its tables are missing)."""
    from framelens.claims import COSINE_TOL, describe_ties, ties

    sims = read_table(out, "similarity_checks")
    pairs = read_table(out, "cluster_pairs")
    checks, parts_t = read_table(out, "stability_checks"), read_table(out, "stability_partitions")
    if sims is not None and not sims.empty:
        main = sims[sims["check"] == "stop words removed"]
        cos = {(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in main.itertuples()}
        tied = ties(cos, tol=COSINE_TOL)
        text = f"All pairs have TF-IDF cosine {min(cos.values()):.2f} to {max(cos.values()):.2f}"
        if len(tied) > 1:
            text += (f", and the {len(tied)} closest pairs tie within {COSINE_TOL} ("
                     + describe_ties([f"{a} with {b}" for a, b in tied], [cos[t] for t in tied]) + ")")
        if pairs is not None and checks is not None and parts_t is not None and not pairs.empty:
            k = int(pairs["k"].min())
            kp = pairs[pairs["k"] == k].sort_values("share", ascending=False, kind="mergesort").iloc[0]
            a, b = str(kp["outlet_a"]), str(kp["outlet_b"])
            mine = checks[(checks["outlet_a"] == a) & (checks["outlet_b"] == b)]
            said = [f"{pct(r.share)} of {r.check.replace('bootstrap, ', 'bootstrap samples with ')} at k={int(r.k)}"
                    for r in mine.itertuples()]
            text += (f". {a} and {b} share a cluster in " + ", ".join(said)
                     + " (the bootstrap redraws the vocabulary, not the articles)")
            split = [r for r in parts_t.sort_values("runs", ascending=False, kind="mergesort")
                     .groupby(["check", "k"], sort=False).head(1).itertuples()
                     if separates(str(r.partition), a, b)]
            if split:
                text += ("; the most common grouping separates them under "
                         + ", ".join(f"{r.check}, k={int(r.k)} ({pct(r.share)})" for r in split))
        odd, _ = furthest_articles(cos)
        kept = sims[sims["check"] == "stop words kept"]
        if len(kept):
            odd_kept, _ = furthest_articles({(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in kept.itertuples()})
            if set(odd_kept) != set(odd):
                text += (f". Which article stands apart depends on the settings: {listed(odd)} with stop words "
                         f"left out, {listed(odd_kept)} with them kept")
        return (f"- **Similarity is weak evidence.** {text}.")
    return None


def _readme_selection(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "selection" bullet (None when its tables are missing)."""
    from framelens.align import PARAPHRASE
    from framelens.claims import SHARE_TOL, ties

    att, share = read_table(out, "attribution"), read_table(out, "core_share", index_col=0)
    if att is not None and share is not None and not share.empty:
        credits = [f"{listed(ordered(g['outlet'].astype(str)))} {'credits' if len(g) == 1 else 'credit'} {to}"
                   for to, g in att.groupby("attributed_to", sort=True)]
        share.index = share.index.astype(str)
        unique = share["share_unique"].astype(float)
        adders = [o for o in ordered(unique.index) if unique[o] > 0]
        adders.sort(key=lambda o: -unique[o])
        text = "; ".join(credits) + ". "
        text += (listed([f"{o} {pct(unique[o])}" for o in adders])
                 + f" of {'its' if len(adders) == 1 else 'their'} words are in sentences no other version "
                 f"matches (paraphrase = TF-IDF cosine \u2265 {PARAPHRASE:.2f})")
        most = [str(x) for x in ties(unique, tol=SHARE_TOL)]
        if len(most) > 1:
            text += f"; {listed(most)} tie for the most"
        # the sentences each adds as the page's framing finding counts them (headline and subheads
        # apart), so the README and the page give one number
        choices, sents = read_table(out, "framing_choices"), read_table(out, "sentence_labels")
        if choices is not None:
            own_of = {o: g["sentence"].astype(str) for o, g in choices[choices["choice"] == "added"].groupby(
                choices["outlet"].astype(str))}
        elif sents is not None:
            own_of = {o: g["sentence"].astype(str) for o, g in sents[sents["label"] == "unique"].groupby(
                sents["outlet"].astype(str))}
        else:
            own_of = {}
        for o in adders:
            own = own_of.get(o, pd.Series(dtype=str))
            if len(own):
                text += (f"; {o}'s {len(own)} own sentence{'' if len(own) == 1 else 's'} include "
                         + ", ".join(f"\u201c{_short(s)}\u201d" for s in own.head(3)))
        zero = [o for o in ordered(unique.index) if unique[o] == 0]
        own_words = read_table(out, "own_words")
        if zero:
            text += f". {listed(zero)} {'has' if len(zero) == 1 else 'have'} no unmatched sentence at that threshold"
            unique_t = read_table(out, "unique_by_threshold")
            if unique_t is not None and not unique_t.empty:
                top_thr = float(unique_t["threshold"].max())
                at_top = unique_t[unique_t["threshold"] == top_thr].set_index("outlet")["share_unique"]
                text += f" ({listed([pct(at_top[o]) for o in zero])} at {top_thr:.2f})"
            if own_words is not None and not own_words.empty:
                said = []
                for o in zero:
                    w = own_words[own_words["outlet"].astype(str) == o]
                    if w.empty:
                        continue
                    per = w.groupby("sent_id").size()
                    first, most = int(per.index.min()), int(per.sort_values(ascending=False, kind="mergesort").index[0])
                    shown = [first] if first == most or per[first] >= 2 else []
                    shown += [most] if most != first else []
                    said.append(f"{o} " + ", ".join(
                        f"{quoted(w[w['sent_id'] == i]['word'].head(6).tolist())} in "
                        f"\u201c{_short(w[w['sent_id'] == i]['sentence'].iloc[0], 12)}\u201d" for i in shown))
                if said:
                    text += ", yet words of their own remain: " + "; ".join(said)
        return (f"- **Attribution and selection.** {text}.")
    return None


def _readme_sources(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "sources" bullet (None when its tables are missing)."""
    wsw = read_table(out, "who_said_what")
    if wsw is not None and not wsw.empty:
        said = []
        for speaker, g in wsw.groupby("speaker", sort=False):
            verbatim = ordered(g[g["status"] == "verbatim"]["outlet"].astype(str))
            para = ordered(g[g["status"] == "paraphrase"]["outlet"].astype(str))
            text = f"{speaker} is quoted verbatim in {len(verbatim)} of {g['outlet'].nunique()} versions"
            if para:
                text += f" and reported without quotation marks in {listed(para)}"
            said.append(text)
        return ("- **Who said what.** " + "; ".join(said) + " (who_said_what.csv lists the passages).")
    return None


def _readme_traces(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "traces" bullet (None when its tables are missing)."""
    traces = read_table(out, "traces")
    if traces is not None and not traces.empty:
        real = traces[traces["kind"].astype(str) != "page-furniture"]
        if len(real):
            return ("- **Translation traces.** " + "; ".join(
                f"{r.outlet}: {r.kind} ({r.evidence})" for r in real.itertuples()) + ".")
    return None


def _short(sentence: str, n_words: int = 9) -> str:
    words_ = str(sentence).split()
    return " ".join(words_[:n_words]) + (" \u2026" if len(words_) > n_words else "")
