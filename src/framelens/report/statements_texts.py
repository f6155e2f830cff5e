"""The sentences of the findings on how the texts compare: the corpus, similarity, stability,
keyness, the shared core, framing choices and the sensitivity checks.

Each ``state_*`` takes the report folder and returns the finding's sentences (plain text, escaped
when placed in HTML), or None when its tables are missing. Every "only", "most" and "closest"
goes through :func:`framelens.claims.ties` or :func:`framelens.claims.overlapping`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from framelens.report.common import (corpus_order, corpus_outlets, furthest_articles, keyness_min_count, read_table,
                                     separates, square_table)
from framelens.report.phrases import counted, listed, pct, quoted

__all__ = [
    "state_corpus",
    "state_similarity",
    "SHOWN_PAIRS",
    "state_stability",
    "state_keyness",
    "state_coverage",
    "state_framing",
    "state_sensitivity",
]


def state_corpus(out: Path) -> tuple[str, ...] | None:
    """The corpus: how many articles, how long, how many translated, what cleaning removed."""
    t = read_table(out, "corpus")
    if t is None:
        return None
    n = len(t)
    translated = int((t["translated"].astype(str) == "yes").sum())
    unknown = int((t["translated"].astype(str) == "unknown").sum())
    from framelens.corpus import furniture_phrase

    audit = read_table(out, "cleaning_audit")
    removed = int(t["removed_spans"].sum())
    cleaned_docs = int((t["removed_spans"] > 0).sum())
    # a story of a many-story corpus: articles on one story, not necessarily versions of one report
    what = f"{counted(n, 'article')} on this story" if "story" in t.columns else f"{counted(n, 'version')} of the report"
    return (
        f"{what}, from {int(t['words'].min())} to {int(t['words'].max())} words "
        f"after cleaning (median {float(t['words'].median()):g}).",
        f"{translated} of {n} are marked as translated from another language and {unknown} of unknown origin; "
        f"cleaning removed {counted(removed, 'span')} of page furniture from {counted(cleaned_docs, 'article')}"
        + (f" ({furniture_phrase(audit['rule'].astype(str))})." if audit is not None and len(audit) else "."),
    )


def _off_diagonal_pairs(sim: pd.DataFrame) -> pd.DataFrame:
    labels = list(sim.index)
    values = sim.to_numpy(dtype=float)
    i, j = np.triu_indices(len(labels), k=1)
    pairs = pd.DataFrame({"a": [labels[x] for x in i], "b": [labels[y] for y in j], "cosine": values[i, j]})
    return pairs.sort_values(["cosine", "a", "b"], ascending=[False, True, True], kind="mergesort")


def _pairs_phrase(values: dict[tuple[str, str], float], *, kind: str, best: str) -> str:
    """"A and B are the most alike (cosine 0.53)", or the pairs that tie for it."""
    from framelens.claims import COSINE_TOL, describe_ties, ties

    tied = ties(values, tol=COSINE_TOL, best=best)
    if len(tied) == 1:
        a, b = tied[0]
        return f"{a} and {b} are the {kind} alike (cosine {values[tied[0]]:.2f})"
    return (f"{len(tied)} pairs tie as the {kind} alike, within {COSINE_TOL} of each other: "
            + describe_ties([f"{a} and {b}" for a, b in tied], [values[t] for t in tied])
            + f", so no single pair is the {kind} alike")


def state_similarity(out: Path) -> tuple[str, ...] | None:
    """Which versions are alike: the cosine range, the closest and least alike pairs, the article apart."""
    sim = square_table(out, "similarity")
    if sim is None or len(sim) < 2:
        return None
    pairs = _off_diagonal_pairs(sim)
    cos = {(str(r.a), str(r.b)): float(r.cosine) for r in pairs.itertuples()}
    if len(cos) == 1:
        (a, b), v = next(iter(cos.items()))
        return (f"{a} and {b} have a cosine similarity of {v:.2f} between their TF-IDF word profiles (English "
                "stop words left out; 1 is the same profile, 0 no word in common).",)
    if round(max(cos.values()), 2) == round(min(cos.values()), 2):
        # all pairs alike (identical texts): nobody stands apart
        return (f"Every pair of the {len(sim)} has cosine similarity {max(cos.values()):.2f}, so no "
                f"article stands closer to or further from the others.",)
    lines = [
        f"Cosine similarity of the TF-IDF word profiles (English stop words left out; 1 is the same profile, "
        f"0 no word in common) lies between {min(cos.values()):.2f} and {max(cos.values()):.2f} for all "
        f"{counted(len(cos), 'pair')}.",
        _pairs_phrase(cos, kind="most", best="max") + "; " + _pairs_phrase(cos, kind="least", best="min") + ".",
    ]
    if len(sim) < 3:
        return tuple(lines)
    odd, means = furthest_articles(cos)
    overall = float(np.mean(list(cos.values())))
    verb = "stands" if len(odd) == 1 else "tie as standing"
    lines.append(f"{listed(odd)} {verb} furthest from the others (mean cosine "
                 f"{listed([f'{means[o]:.2f}' for o in odd])} against {overall:.2f} over all pairs)")
    checks = read_table(out, "similarity_checks")
    if checks is not None and not checks.empty:
        kept = checks[checks["check"].astype(str) == "stop words kept"]
        kept_cos = {(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in kept.itertuples()}
        if kept_cos:
            odd_kept, means_kept = furthest_articles(kept_cos)
            who = listed(odd_kept)
            if set(odd_kept) == set(odd):
                lines[-1] += f", and still with stop words kept ({who}, {means_kept[odd_kept[0]]:.2f})."
            else:
                lines[-1] += (f"; with stop words kept (function words counted) {who} "
                              f"{'does' if len(odd_kept) == 1 else 'do'} instead (mean cosine "
                              f"{means_kept[odd_kept[0]]:.2f}): which version stands apart depends on that choice.")
    if not lines[-1].endswith("."):
        lines[-1] += "."
    return tuple(lines)


#: A finding names at most this many tied pairs, then counts the rest (a story of 95 articles
#: has thousands of pairs whose intervals overlap the top one's).
SHOWN_PAIRS = 6


def state_stability(out: Path) -> tuple[str, ...] | None:
    """How stable the grouping is: the pair most often clustered together, its intervals and the other checks."""
    from framelens.claims import overlapping, wilson

    pairs = read_table(out, "cluster_pairs")
    if pairs is None or pairs.empty:
        return None
    k = int(pairs["k"].min())
    kp = pairs[pairs["k"] == k]
    label = next(c[:-2] for c in kp.columns if c.endswith("_a"))
    runs = int(kp["runs"].iloc[0])
    together = {(str(r[f"{label}_a"]), str(r[f"{label}_b"])): int(r["together"]) for _, r in kp.iterrows()}
    tied = overlapping({p: wilson(t, runs) for p, t in together.items()})
    a, b = tied[0]
    lines = [
        f"The bootstrap redraws the vocabulary, not the articles: each of {runs} samples counts a random "
        "draw of the words (with replacement) and clusters the same articles again (average linkage on "
        "cosine distance). It shows how far a grouping rests on particular words; it is not a confidence "
        "level, and says nothing about other articles by these outlets.",
    ]
    top = (f"Split into {k} groups, {a} and {b} share a group in {pct(together[tied[0]] / runs)} of "
           "samples")
    if len(tied) > 1:
        others = [f"{x} and {y} {pct(together[(x, y)] / runs)}" for x, y in tied[1:SHOWN_PAIRS + 1]]
        more = (f"; and {len(tied) - 1 - SHOWN_PAIRS:,} more, all in cluster_pairs.csv"
                if len(tied) - 1 > SHOWN_PAIRS else "")
        top += (f", but the 95% intervals over the {runs} samples of {counted(len(tied) - 1, 'other pair')} "
                f"overlap theirs ({'; '.join(others)}{more}), so the samples single out no one pair")
    lines.append(top + ".")
    checks = read_table(out, "stability_checks")
    parts = read_table(out, "stability_partitions")
    if checks is not None and parts is not None and not checks.empty:
        mine = checks[((checks["outlet_a"].astype(str) == a) & (checks["outlet_b"].astype(str) == b))]
        said, unsettled = [], False
        for r in mine.itertuples():
            common = parts[(parts["check"] == r.check) & (parts["k"] == r.k)]
            split = len(common) > 0 and separates(str(common["partition"].iloc[0]), a, b)
            unsettled |= split or r.share < 0.8
            if str(r.check).startswith("bootstrap, stop words removed") and int(r.k) == k:
                continue  # the finding itself
            text = f"{r.check}, k={int(r.k)}: together in {pct(r.share)}"
            if split:
                text += (f" (the most common grouping there, in {pct(common['share'].iloc[0])} of runs, "
                         "separates them)")
            said.append(text)
        if said:
            lines.append(f"Under the other checks the same pair is: {'; '.join(said)}. "
                         + ("Whether they belong together depends on which words are counted and how many "
                            "groups are asked for; no check here settles it." if unsettled else
                            "Every check keeps them together in at least 80% of runs."))
    return tuple(lines)


def state_keyness(out: Path) -> tuple[str, ...] | None:
    """Each outlet's most distinctive word, and how far the scores can be trusted."""
    from framelens.claims import overlapping

    t = read_table(out, "keyness")
    if t is None or t.empty:
        return None
    order = corpus_order(out)
    firsts = t[t["rank"] == 1].set_index("outlet")
    firsts = firsts.loc[[o for o in order if o in firsts.index] + sorted(set(firsts.index) - set(order))]
    parts = [f"{o}: \u201c{r.term}\u201d (z = {r.z:.2f})" for o, r in firsts.iterrows()]
    small = int(firsts["small_sample"].astype(str).str.lower().eq("true").sum())
    low = int(t["low_count"].astype(str).str.lower().eq("true").sum())
    unsettled = 0
    for outlet, g in t.groupby("outlet"):
        g = g[g["rank"] <= 2]
        if len(g) < 2:
            continue
        half = 1.96 * np.sqrt(g["variance"].astype(float))
        iv = {r: (d - h, d + h) for r, d, h in zip(g["rank"], g["delta"].astype(float), half)}
        unsettled += len(overlapping(iv)) > 1
    lines = ["The highest-scoring word of each outlet against the rest (z-score of the log-odds ratio with an "
             "informative Dirichlet prior): " + "; ".join(parts) + "."]
    if unsettled:
        lines.append(f"For {unsettled} of {len(firsts)} outlets the top word's 95% interval overlaps the second "
                     "word's, so which word is \u201cmost\u201d distinctive is not settled.")
    lines.append(f"{small} of {len(firsts)} outlets have too few words for these scores to mean much, and "
                 f"{low} of the {len(t)} listed words occur fewer than {keyness_min_count()} times in all texts: "
                 "read them as leads, not results.")
    return tuple(lines)


def state_coverage(out: Path) -> tuple[str, ...] | None:
    """The shared core: how sentences are matched, who adds the most of its own, which facts each carries."""
    from framelens.align import MIN_WORDS, PARAPHRASE, VERBATIM
    from framelens.claims import SHARE_TOL, ties

    share = read_table(out, "core_share", index_col=0)
    if share is None or share.empty:
        return None
    share.index = share.index.astype(str)
    unique = share["share_unique"].astype(float)
    most = [str(x) for x in ties(unique, tol=SHARE_TOL)]
    least = [str(x) for x in ties(unique, tol=SHARE_TOL, best="min")]
    lines = [f"Each sentence of at least {MIN_WORDS} words is matched with the sentences of the other versions: "
             f"shared verbatim when at least {pct(VERBATIM)} of its word trigrams recur in one of them, "
             f"paraphrased when its TF-IDF cosine with its best counterpart is at least {PARAPHRASE:.2f} and the "
             "two are each other's best match, and unique otherwise."]
    if len(most) == 1:
        text = (f"{most[0]} adds the most of its own: {pct(unique[most[0]])} of its words are in sentences "
                "no other version matches")
    else:
        text = (f"{listed(most)} tie for the most material of their own ("
                + ", ".join(pct(unique[o]) for o in most) + " of their words in unmatched sentences)")
    zero = [o for o in corpus_order(out) if o in least and unique[o] == 0] + sorted(
        o for o in least if unique[o] == 0 and o not in corpus_order(out))
    if zero:
        text += f"; {listed(zero)} {'has' if len(zero) == 1 else 'have'} none (every sentence has a counterpart)"
    else:
        text += f"; {listed(least)} the least ({', '.join(pct(unique[o]) for o in least)})"
    lines.append(text + ".")
    own = read_table(out, "own_words")
    if zero and own is not None and not own.empty:
        said = []
        for outlet in zero:
            words_ = own[own["outlet"].astype(str) == outlet]
            if words_.empty:
                continue
            best = words_.groupby("sent_id").size().sort_values(ascending=False, kind="mergesort").index[0]
            w = words_[words_["sent_id"] == best]
            said.append(f"{outlet}: {quoted(w['word'].head(6).tolist())} in \u201c{w['sentence'].iloc[0]}\u201d")
        if said:
            lines.append("A matched sentence can still carry words no other version uses: " + "; ".join(said) + ".")
    verbatim = share["share_shared-verbatim"].astype(float) if "share_shared-verbatim" in share else None
    if verbatim is not None:
        text = (f"Word-for-word overlap covers {pct(verbatim.min())} to {pct(verbatim.max())} of each "
                "version's words")
        if "share_paraphrased" in share:
            para = share["share_paraphrased"].astype(float)
            text += f", paraphrase {pct(para.min())} to {pct(para.max())}"
        lines.append(text + ".")
    matrix = read_table(out, "coverage_matrix", index_col=0)
    if matrix is not None and not matrix.empty:
        order = corpus_order(out)
        present = matrix > 0
        full = int(present.all(axis=1).sum())
        gaps = [f"{fact} (missing in {listed([o for o in order if o in set(present.columns[~row])])})"
                for fact, row in present.iterrows() if not row.all()]
        text = (f"{full} of {len(matrix)} listed facts (a fact counts when a sentence matches one of its "
                f"patterns in facts.csv) {'appears' if full == 1 else 'appear'} in every version")
        if gaps:
            text += f"; the other {len(gaps)}: " + "; ".join(gaps)
        lines.append(text + ".")
    return tuple(lines)


def state_framing(out: Path) -> tuple[str, ...] | None:
    """Each version's headline, the core facts it leaves out and the sentences it adds."""
    f = read_table(out, "framing_choices")
    if f is None or f.empty:
        return None
    order = [o for o in corpus_outlets(out) if o in set(f["outlet"].astype(str))]
    heads = f[(f["choice"] == "headline") & (f["sentence"].astype(str) != "")]
    with_head = [o for o in order if o in set(heads["outlet"].astype(str))]
    lines = []
    if with_head:
        shown = "; ".join(f"{o}: \u201c{heads[heads['outlet'] == o]['sentence'].iloc[0]}\u201d" for o in with_head)
        rest = [o for o in order if o not in with_head]
        lines.append(f"{'Only ' if len(with_head) == 1 and rest else ''}{listed(with_head)} "
                     f"{'opens' if len(with_head) == 1 else 'open'} with a headline line ({shown})"
                     + (f"; {listed(rest)} {'opens' if len(rest) == 1 else 'open'} with {'its' if len(rest) == 1 else 'their'} lead." if rest else "."))
    omitted = f[f["choice"] == "omitted"]
    if len(omitted):
        lines.append("Core facts each version leaves out (carried by another): " + "; ".join(
            f"{o}: {listed(omitted[omitted['outlet'] == o]['item'].astype(str).tolist())}"
            for o in order if (omitted["outlet"] == o).any()) + ".")
        full = [o for o in order if not (omitted["outlet"] == o).any()]
        if full:
            lines[-1] += f" {listed(full)} {'omits' if len(full) == 1 else 'omit'} none."
    added = f[f["choice"] == "added"]
    counts = {o: int((added["outlet"] == o).sum()) for o in order}
    lines.append("Sentences each adds (no counterpart in another version): "
                 + ", ".join(f"{o} {counts[o]}" for o in order)
                 + "; every one is listed with the reason (its best scores against the thresholds) below and in "
                   "framing_choices.csv.")
    return tuple(lines)


def state_sensitivity(out: Path) -> tuple[str, ...] | None:
    """How the findings move with the settings: ties, the settings grid, stop words, paraphrase thresholds."""
    from framelens.align import PARAPHRASE
    from framelens.claims import COSINE_TOL, SHARE_TOL, describe_ties, ties

    parts = read_table(out, "stability_partitions")
    unique = read_table(out, "unique_by_threshold")
    sims = read_table(out, "similarity_checks")
    if parts is None and unique is None and sims is None:
        return None
    lines = ["Each finding above rests on choices: which words are counted, how many groups are asked for, "
             "where a paraphrase begins. Here each choice is changed in turn."]
    if sims is not None and not sims.empty:
        main = sims[sims["check"] == "stop words removed"]
        cos = {(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in main.itertuples()}
        tied = ties(cos, tol=COSINE_TOL)
        if len(tied) > 1:
            lines.append(f"Ties: {len(tied)} pairs lie within {COSINE_TOL} cosine of the closest: "
                         + describe_ties([f"{a} and {b}" for a, b in tied], [cos[t] for t in tied]) + ".")
        elif len(cos) > 1:
            second = sorted(cos.values(), reverse=True)[1]
            lines.append(f"Ties: none; the closest pair leads the next by {cos[tied[0]] - second:.4f} cosine.")
    if parts is not None and not parts.empty:
        top = parts.sort_values(["check", "k", "runs"], ascending=[True, True, False], kind="mergesort") \
                   .groupby(["check", "k"], sort=False).head(1)
        count = parts.groupby(["check", "k"]).size()
        grid = [c for c in parts["check"].unique() if str(c).endswith("settings")]
        if grid:
            g = top[top["check"] == grid[0]]
            lines.append(
                f"Settings grid ({grid[0]}: cleaned or published text \u00d7 single words or word pairs \u00d7 stop "
                "words removed or kept \u00d7 raw or sublinear term counts): "
                + "; ".join(f"at k={int(r.k)} the most common grouping, {r.partition}, comes out of "
                            f"{pct(r.share)} of them ({count[(grid[0], r.k)]} groupings in all)"
                            for r in g.itertuples()) + ".")
        removed = top[top["check"] == "bootstrap, stop words removed"].set_index("k")
        kept = top[top["check"] == "bootstrap, stop words kept"].set_index("k")
        flips = []
        for k in sorted(set(removed.index) & set(kept.index)):
            a, b = removed.loc[k], kept.loc[k]
            if a["partition"] == b["partition"]:
                flips.append(f"at k={k} the same grouping leads ({pct(a['share'])} and {pct(b['share'])})")
            else:
                flips.append(f"at k={k} the most common grouping changes from {a['partition']} "
                             f"({pct(a['share'])} of samples) to {b['partition']} ({pct(b['share'])})")
        if flips:
            lines.append("Stop words: with function words counted instead of left out, " + "; ".join(flips) + ".")
    if unique is not None and not unique.empty:
        said = []
        for thr, g in unique.groupby("threshold", sort=True):
            shares = g.set_index("outlet")["share_unique"].astype(float)
            lead = [str(x) for x in ties(shares, tol=SHARE_TOL)]
            tag = " (the default)" if abs(float(thr) - PARAPHRASE) < 1e-9 else ""
            verb = "has" if len(lead) == 1 else "tie for"
            said.append(f"at {float(thr):.2f}{tag} {listed(lead)} {verb} the most "
                        f"({', '.join(pct(shares[o]) for o in lead)})")
        lines.append("Own material (words in sentences no other version matches) by paraphrase threshold: "
                     + "; ".join(said) + ".")
        default = unique[(unique["threshold"] - PARAPHRASE).abs() < 1e-9]
        zero = set(default[default["share_unique"] == 0]["outlet"].astype(str))
        none = [o for o in corpus_outlets(out) if o in zero] + sorted(zero - set(corpus_outlets(out)))
        if none:
            top_thr = float(unique["threshold"].max())
            at_top = unique[unique["threshold"] == top_thr].set_index("outlet")["share_unique"]
            rows = unique[unique["outlet"].astype(str).isin(none)]
            holds = sorted(float(t) for t, g in rows.groupby("threshold") if (g["share_unique"] == 0).all())
            lines.append(f"{listed(none)} {'has' if len(none) == 1 else 'have'} no unmatched sentence at "
                         f"{PARAPHRASE:.2f}, but {listed([pct(at_top[o]) for o in none])} of "
                         f"{'its' if len(none) == 1 else 'their'} words are unmatched at {top_thr:.2f}: "
                         "\u201cno sentence of its own\u201d holds at "
                         f"{listed([f'{t:.2f}' for t in holds])} only.")
    return tuple(lines)
