"""The sentences of the findings on wording, names and voices: actor labels, loaded wording,
spelling, sources and attribution, traces of translation and who said what.

Each ``state_*`` takes the report folder and returns the finding's sentences (plain text, escaped
when placed in HTML), or None when its tables are missing. Every "only", "most" and "closest"
goes through :func:`framelens.claims.ties` or :func:`framelens.claims.overlapping`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from framelens.report.common import (LOADED_REGISTERS, corpus_order, corpus_outlets, quoted_passages, read_table,
                                     top_loaded_rate, untitled_outlets, used_variants)
from framelens.report.phrases import counted, labels_by_outlets, listed, quoted

__all__ = [
    "state_labels",
    "state_lexicon",
    "state_spelling",
    "state_quotes",
    "state_traces",
    "state_who_said",
]


def state_labels(out: Path) -> tuple[str, ...] | None:
    """How each outlet names the actors: the loaded labels and who uses them, the other labels, bare names."""
    labels = read_table(out, "actor_labels")
    if labels is None or labels.empty:
        return None
    hits = read_table(out, "lexicon_hits")
    n_actors = labels["actor"].nunique()
    n_labels = len(labels.drop_duplicates(["actor", "label"]))
    closing = (f"Across {counted(n_actors, 'actor')} the outlets use {counted(n_labels, 'distinct label')} "
               "(the label matrix lists every one with an example sentence).")
    status = read_table(out, "sections")
    if status is not None:  # say when the actors were proposed rather than listed by the researcher
        note = status.loc[status["section"] == "labels", "note"].fillna("").astype(str)
        if len(note) and note.iloc[0].startswith("No actors.csv"):
            closing += " " + note.iloc[0]
    loaded = None
    if hits is not None and not hits.empty:
        loaded = hits[hits["register"].astype(str).isin(LOADED_REGISTERS) & (hits["actor"].astype(str) != "")]
    if loaded is None or loaded.empty:
        from framelens.claims import ties

        per_actor = labels.groupby("actor")["label"].nunique()
        tied = [str(a) for a in ties(per_actor, tol=0)]
        actor = tied[0]
        names = labels[labels["actor"] == actor].sort_values("count", ascending=False, kind="mergesort")
        lead = (f"{actor} gets the most varied labels" if len(tied) == 1 else
                f"{listed(tied)} tie for the most varied labels; {actor} has")
        return (f"{lead}, {per_actor[actor]} in all: "
                f"{quoted(names['label'].drop_duplicates().head(6).tolist())}.", closing)
    counts = loaded["actor"].value_counts()
    actor = sorted(counts[counts == counts.max()].index)[0]
    mine = loaded[loaded["actor"] == actor]
    order = corpus_order(out)
    outlets = [o for o in order if o in set(mine["outlet"].astype(str))]
    rows = labels[(labels["actor"] == actor) & labels["outlet"].isin(outlets)]
    words = [m.lower() for m in mine["match"].astype(str)]
    chosen = rows[rows["label"].astype(str).str.lower().apply(lambda l: any(w in l for w in words))]
    shown = chosen["label"].drop_duplicates().tolist() or mine["match"].drop_duplicates().tolist()
    verb = "calls" if len(outlets) == 1 else "call"
    first = f"{listed(outlets)} {verb} {actor} {quoted(shown)}"
    others = labels[(labels["actor"] == actor) & ~labels["outlet"].isin(outlets)]
    first += "".join(f"; {phrase}" for phrase in labels_by_outlets(others, actor=actor, order=order, top=4))
    untitled = untitled_outlets(out, actor)
    bare = [o for o in order if o in untitled]
    if bare:
        first += (f"; {listed(bare)} {'names' if len(bare) == 1 else 'name'} {actor} without a title "
                  f"({listed([f'{untitled[o]}' + chr(215) for o in bare])})")
    example = chosen["example"].iloc[0] if len(chosen) else mine["sentence"].iloc[0]
    return first + ".", f"Evidence: \u201c{example}\u201d", closing


def state_lexicon(out: Path) -> tuple[str, ...] | None:
    """Loaded versus neutral wording: the highest rate in an outlet's own words against the lowest, with intervals."""
    rates = read_table(out, "register_rates")
    hits = read_table(out, "lexicon_hits")
    if rates is None or rates.empty or hits is None:
        return None
    for col in {"rate", "low", "high"} & set(rates.columns):  # a voice without words has no rate
        rates[col] = pd.to_numeric(rates[col], errors="coerce")
    lexicon = read_table(out, "lexicon_used")
    size = (f"The lexicon has {len(lexicon)} terms in {lexicon['register'].nunique()} registers "
            f"(shipped resources and the corpus's own files, with their sources in lexicon_used.csv); "
            if lexicon is not None else "")
    closing = size + f"all {len(hits)} hits are listed in context in lexicon_hits.csv."
    choices = read_table(out, "word_choice")
    if choices is not None and len(choices):
        top = choices.iloc[0]
        closing += (f" Word choice: {counted(len(choices), 'word')} that one outlet used where others "
                    f"wrote differently (word_choice.csv), e.g. {top['outlet']}'s "
                    f"\u201c{top['term']}\u201d where {counted(int(top['others']), 'other outlet')} "
                    f"wrote \u201c{top['other_terms']}\u201d.")
    has_voice = "voice" in rates.columns
    own = rates[rates["voice"] == "narration"] if has_voice else rates
    top = top_loaded_rate(own)
    voice = " in its own voice (narration, outside quotation marks)" if has_voice else ""

    def interval(r: pd.Series) -> str:
        return (f"{r['rate']:.1f} per 1,000 words ({counted(int(r['hits']), 'hit')}, "
                f"95% interval {r['low']:.1f}\u2013{r['high']:.1f})") if "low" in r else \
            f"{r['rate']:.1f} per 1,000 words ({counted(int(r['hits']), 'hit')})"

    if top is None:
        first = f"No delegitimising or legitimising wording from the lexicon was found{voice}."
    else:
        same = own[own["register"] == top["register"]].sort_values(["rate", "outlet"], kind="mergesort")
        lowest = same[same["rate"] == same["rate"].min()]
        # of the outlets tied at the lowest rate, the one whose interval is narrowest speaks for them
        low = lowest.sort_values(["high", "outlet"], kind="mergesort").iloc[0] if "high" in lowest else lowest.iloc[0]
        if len(lowest) == 1:
            first = (f"{top['outlet']} uses the most {top['register']} wording{voice}: {interval(top)}, "
                     f"against {interval(low)} for {low['outlet']}.")
        else:
            names = [o for o in corpus_order(out) if o in set(lowest["outlet"].astype(str))] or \
                sorted(lowest["outlet"].astype(str))
            narrowest = (f"; the narrowest 95% interval, {low['outlet']}'s, is {low['low']:.1f}\u2013{low['high']:.1f}"
                         if "high" in low else "")
            first = (f"{top['outlet']} uses the most {top['register']} wording{voice}: {interval(top)}, "
                     f"against {low['rate']:.1f} per 1,000 words for each of {listed(names)} "
                     + (f"({counted(int(low['hits']), 'hit')} each{narrowest})." if lowest["hits"].nunique() == 1
                        else f"({narrowest[2:]})." if narrowest else "."))
        if "low" in own.columns:
            overlap = float(low["high"]) >= float(top["low"])
            first += ((" The two intervals overlap" if len(lowest) == 1 else " Even that interval overlaps")
                      + ", so these texts do not show that the outlets differ." if overlap else
                      " The two intervals do not overlap." if len(lowest) == 1 else
                      " The intervals do not overlap.")
        ex = hits[(hits["outlet"] == top["outlet"]) & (hits["register"] == top["register"])]
        if has_voice:
            ex = ex[ex["voice"] == "narration"]
        if len(ex):
            e = ex.iloc[0]
            first += f" For example: \u201c\u2026{e['left']}{e['match']}{e['right']}\u2026\u201d"
    parts = [first]
    if has_voice and "voice" in hits.columns:
        loaded = hits[hits["register"].astype(str).isin(("delegitimising", "legitimising"))]
        q = loaded[loaded["voice"] == "quotation"]
        if len(q):
            who = q["speaker"].astype(str).replace("", "an unnamed speaker").value_counts()
            parts.append(f"{counted(len(q), 'delegitimising or legitimising hit')} of {len(loaded)} "
                         f"{'is' if len(q) == 1 else 'are'} inside quotations, the quoted speaker's "
                         f"words rather than the outlet's: "
                         + listed([f"{n} from {s}" for s, n in who.items()]) + ".")
    return (*parts, closing)


def state_spelling(out: Path) -> tuple[str, ...] | None:
    """Names spelled differently across outlets, and within one text."""
    used = used_variants(out)
    if used is None:
        return None
    if used.empty:
        return ("Every outlet spells the listed names the same way.",)
    parts = []
    for name, g in used.groupby("name", sort=True):
        variants = []
        for (variant, marked), v in g.groupby(["variant", "marked_as"], sort=True):
            who = listed([f"{o} ({int(c)}\u00d7)" for o, c in zip(v["outlet"], v["count"])])
            variants.append(f"\u201c{variant}\u201d ({marked}) in {who}")
        parts.append(f"{name}: " + " versus ".join(variants))
    lines = ["Spelling sets the outlets apart. " + "; ".join(parts) + "."]
    mixed = read_table(out, "mixed_spellings")
    if mixed is not None and not mixed.empty:
        said = []
        for (outlet, name), g in mixed.groupby(["outlet", "name"], sort=True):
            said.append(f"{outlet} writes {name} as "
                        + listed([f"\u201c{v}\u201d ({int(c)}\u00d7)" for v, c in zip(g["variant"], g["count"])]))
        lines.append("Within one text: " + "; ".join(said) + ".")
    russian = sorted(used[used["marked_as"].astype(str) == "Russian-based"]["variant"].astype(str).unique())
    if russian:
        lines.append(f"Russian-based forms ({quoted(russian)}) hint at a text that passed through Russian "
                     "or an older house style; they are a lead, not proof of origin.")
    return tuple(lines)


def state_quotes(out: Path) -> tuple[str, ...] | None:
    """Whom the report is credited to, how many passages are quoted and who is quoted most."""
    from framelens.claims import ties

    att = read_table(out, "attribution")
    q = read_table(out, "quotes")
    if att is None or q is None:
        return None
    order = corpus_order(out)
    parts = []
    for to, g in att.groupby("attributed_to", sort=True):
        parts.append(f"to {to} by {listed([o for o in order if o in set(g['outlet'].astype(str))])}")
    first = "The report is credited " + "; ".join(parts) + "."
    matches = read_table(out, "quote_matches")
    p = quoted_passages(q)
    speakers = p[p["speaker"].astype(str) != ""]["speaker"].value_counts()
    second = (f"{counted(len(p), 'quoted passage')} found (a passage is one speaker's words, however many quotation "
              f"marks split it; {counted(len(q), 'quotation')} in all)")
    if matches is not None:
        second += f", {len(matches)} of them kept by two or more outlets"
    if len(speakers):
        tied = [str(s) for s in ties(speakers, tol=0)]
        second += (f"; most quoted: {tied[0]} ({counted(int(speakers.iloc[0]), 'passage')})" if len(tied) == 1 else
                   f"; {listed(tied)} tie as the most quoted ({int(speakers.iloc[0])} passages each)")
    return first, second + "."


def state_traces(out: Path) -> tuple[str, ...] | None:
    """Traces of translation in each outlet with their evidence, page furniture apart."""
    t = read_table(out, "traces")
    if t is None:
        return None
    if t.empty:
        return ("No trace of translation or republishing was found.",)
    outlets = corpus_outlets(out) or sorted(t["outlet"].astype(str).unique())
    cat = t["category"].astype(str) if "category" in t.columns else \
        t["kind"].astype(str).map(lambda k: "furniture" if k == "page-furniture" else "translation")
    real, furniture = t[cat == "translation"], t[cat != "translation"]
    none = [o for o in outlets if o not in set(real["outlet"].astype(str))]
    kinds = real["kind"].value_counts().sort_index()
    lines = [f"{counted(len(real), 'trace')} of translation in {real['outlet'].nunique()} of the {len(outlets)} outlets"
             + (": " + ", ".join(f"{int(n)} {k}" for k, n in kinds.items()) if len(kinds) else "")
             + (f"; none in {listed(none)}" if none else "") + "."]
    if len(real):
        lines.append("Each with its evidence: " + "; ".join(f"{r.outlet}: {r.evidence}" for r in real.itertuples()) + ".")
    if len(furniture):
        from framelens.corpus import RULES, furniture_phrase

        cleaned = {r.name for r in RULES}
        gone = furniture[furniture["rule"].astype(str).isin(cleaned)]
        kept = furniture[~furniture["rule"].astype(str).isin(cleaned)]
        said = [f"{furniture_phrase(gone['rule'].astype(str))}, which cleaning removed before the comparison"] \
            if len(gone) else []
        said += [f"{furniture_phrase(kept['rule'].astype(str))}, left in the text"] if len(kept) else []
        lines.append(f"Apart from these, {counted(len(furniture), 'piece')} of page furniture: " + "; ".join(said)
                     + ". Furniture comes from republishing, not translation.")
    return tuple(lines)


def state_who_said(out: Path) -> tuple[str, ...] | None:
    """Each speaker in each version: quoted verbatim, paraphrased or absent."""
    w = read_table(out, "who_said_what")
    if w is None or w.empty:
        return None
    order = corpus_order(out)
    lines = ["Each speaker in each version: verbatim (words in quotation marks or a block quote), paraphrase "
             "(the words reported without quotation marks, by a reporting verb naming the speaker or in a sentence "
             "that aligns with another version's quotation at TF-IDF cosine \u2265 "
             f"{float(w['paraphrase_threshold'].iloc[0]):.2f}) or absent."]
    said = []
    for speaker, g in w.groupby("speaker", sort=False):
        parts = []
        for status in ("verbatim", "paraphrase", "absent"):
            who = [o for o in order if o in set(g[g["status"] == status]["outlet"].astype(str))]
            if who:
                parts.append(f"{status} in {listed(who)}")
        said.append(f"{speaker}: " + ", ".join(parts))
    lines.append("; ".join(said) + ".")
    return tuple(lines)
