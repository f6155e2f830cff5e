"""Loaded-wording detection of :mod:`framelens.lexicon` and :mod:`framelens.wordchoice` on NewsWCL50.

Run by hand (about a minute)::

    PYTHONPATH=src .venv/bin/python benchmarks/lexicon_wcl.py

Each NewsWCL50 event folder (5 articles, one per outlet) is one story, read as a user's
corpus (``load_corpus`` + ``clean``). Its 2,731 PROPERTY annotations (``code_mention``
the phrase, ``code_name`` the frame property) are located by their text as in
``benchmarks/actor_mentions.py`` (:func:`actor_mentions.locate`). Definitions, method
and figures: ``benchmarks/LEXICON.md``. Prints only counts and words of the lexicons,
no article text.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from actor_mentions import load_annotations, load_event, locate  # noqa: E402

from framelens.lexicon import LOADED_REGISTERS, NOT_AFTER, load_lexicon, lexicon_hits  # noqa: E402
from framelens.wordchoice import word_choices  # noqa: E402

#: Frame properties with a defensible sign, compared with the detected register's sign.
NEGATIVE = {"Aggressor", "Weakness", "Victim", "No trustworthiness", "Unreason", "Difficulty",
            "Refusal", "Unlawfulness", "Unsafety", "Poor quality", "Economy negative",
            "Negative", "Dishonor", "Unimportance"}
POSITIVE = {"Power", "Importance", "Affection", "Confidence", "Reason", "Trustworthiness",
            "Good quality", "Honor", "Positive", "Lawfulness", "Economy positive", "Safety",
            "Fairness", "Easiness"}
#: Sign of each register (hedging, intensifying, neutral have none).
SIGN = {"negative": -1, "delegitimising": -1, "positive": 1, "legitimising": 1}


def spans_of(located: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for d, s, e, p in zip(located["doc_id"], located["char_start"], located["char_end"],
                          located["code_name"]):
        out.setdefault(str(d), []).append((int(s), int(e), str(p)))
    return out


def covered(texts: dict[str, str], spans: dict[str, list[tuple[int, int, str]]]) -> float:
    """Share of the characters of all texts inside at least one annotated span (chance)."""
    inside = total = 0
    for d, t in texts.items():
        mask = np.zeros(len(t), dtype=bool)
        for s, e, _ in spans.get(d, []):
            mask[s:e] = True
        inside += int(mask.sum())
        total += len(t)
    return inside / total


def score(detected: pd.DataFrame, gold: dict[str, list[tuple[int, int, str]]], chance: float,
          n_gold: int) -> dict[str, float]:
    """Recall of gold phrases (any detection overlapping), precision of detections (inside or
    overlapping a gold span), lift over chance, and sign agreement where both have a sign."""
    found: set[tuple[str, int, int]] = set()
    inside = agree = signed = 0
    for d, s, e, reg in zip(detected["doc_id"], detected["start"], detected["end"],
                            detected["register"]):
        hit = False
        for gs, ge, prop in gold.get(str(d), []):
            if s < ge and gs < e:
                hit = True
                found.add((str(d), gs, ge))
                sign = -1 if prop in NEGATIVE else (1 if prop in POSITIVE else 0)
                if sign and SIGN.get(str(reg)):
                    signed += 1
                    agree += int(sign == SIGN[str(reg)])
        inside += int(hit)
    n = len(detected)
    precision = inside / n if n else float("nan")
    return {"detections": n, "recall": len(found) / n_gold, "precision": precision,
            "lift": precision / chance if n else float("nan"),
            "sign_pairs": signed, "sign_agreement": agree / signed if signed else float("nan")}


def main() -> None:
    ann = load_annotations()
    prop = ann[ann["code_type"] == "PROPERTY"]
    corpora, located = [], []
    for event in range(10):
        c = load_event(event)
        c["story"] = f"event_{event}"
        corpora.append(c)
        located.append(locate(prop[prop["event_id"] == event], c))
    corpus = pd.concat(corpora, ignore_index=True)
    loc = pd.concat(located)
    print(f"PROPERTY annotations {len(prop)}; located {int((loc['char_start'] >= 0).sum())}; "
          f"status {loc['status'].value_counts().to_dict()}")
    loc = loc[loc["char_start"] >= 0]
    gold = spans_of(loc)
    texts = dict(zip(corpus["doc_id"].astype(str), corpus["text"].astype(str)))
    chance = covered(texts, gold)
    n_gold = len({(str(d), int(s), int(e)) for d, s, e in zip(loc["doc_id"], loc["char_start"],
                                                             loc["char_end"])})
    print(f"distinct located spans {n_gold}; chance (share of characters inside a span) {chance:.3f}")
    seed = load_lexicon(Path(__file__).resolve().parents[1] / "seeds" / "lexicon-ukraine-war.csv")
    runs: dict[str, pd.DataFrame] = {"seed lexicon (60 terms, before)": lexicon_hits(corpus, lexicon=seed, sentences=False)}
    for res in ("framelens-general", "vader", "pattern-en-sentiment"):
        runs[f"shipped: {res}"] = lexicon_hits(corpus, lexicon=load_lexicon(resources=[res]),
                                               sentences=False)
    general = lexicon_hits(corpus, sentences=False)
    # the same lexicon with every not_after list emptied: the shipped lexicon before the "regime" exclusions
    ignored = lexicon_hits(corpus, lexicon=load_lexicon().assign(**{NOT_AFTER: ""}), sentences=False)
    runs["shipped: all three, not_after ignored (before)"] = ignored
    runs["shipped: all three"] = general
    runs["shipped: loaded registers only"] = general[general["register"].isin(LOADED_REGISTERS)]
    wc = word_choices(corpus, story_col="story")
    wc = wc[wc["term"] != ""].drop_duplicates(["doc_id", "start", "end"])
    wc = wc.assign(register="")
    runs["word choice (data-driven)"] = wc[["doc_id", "start", "end", "register"]]
    both = pd.concat([general[["doc_id", "start", "end", "register"]], runs["word choice (data-driven)"]])
    runs["shipped + word choice"] = both
    rows = []
    for name, det in runs.items():
        rows.append({"detector": name, **score(det, gold, chance, n_gold)})
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    top = general["match"].str.lower().value_counts().head(15)
    print("most frequent shipped hits:", ", ".join(f"{w} ({n})" for w, n in top.items()))
    regime = {name: h[h["term"].isin(["regime", "regimes"])] for name, h in
              (("regime, regimes: before", ignored), ("regime, regimes: after", general))}
    print(pd.DataFrame([{"detector": n, **score(d, gold, chance, n_gold)} for n, d in regime.items()])
          .to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    dropped = ignored.merge(general[["doc_id", "start"]], on=["doc_id", "start"], how="left", indicator=True)
    dropped = dropped[dropped["_merge"] == "left_only"]
    print("hits not_after removes:", ", ".join(f"{r.left.split()[-1].lower() if r.left.split() else ''} "
                                               f"{r.match.lower()}" for r in dropped.itertuples()) or "none")


def seeds() -> None:
    """The seeds' hits before (the 60 seed terms alone, no voice) and after (shipped
    resources + the seed companion file, narration and quotation apart)."""
    from framelens.actors import find_mentions
    from framelens.corpus import load_corpus, prepare
    from framelens.lexicon import lexicon_for_corpus, voice_rates
    from framelens.quotes import quotes

    root = Path(__file__).resolve().parents[1] / "seeds"
    corpus = prepare(load_corpus(root)).articles
    mentions = find_mentions(corpus, root / "actors.csv")
    before = lexicon_hits(corpus, lexicon=load_lexicon(root / "lexicon-ukraine-war.csv"),
                          mentions=mentions)
    print("\nseeds before (60 seed terms): hits by outlet x register")
    print(before.groupby(["outlet", "register"]).size().unstack(fill_value=0).to_string())
    q = quotes(corpus, min_words=1, actors=root / "actors.csv")
    after = lexicon_hits(corpus, lexicon=lexicon_for_corpus(root)[0], mentions=mentions, quotes=q)
    print("\nseeds after (shipped + seeds/lexicon-ukraine-war.csv): hits by outlet x voice x register")
    print(after.groupby(["outlet", "voice", "register"]).size().unstack(fill_value=0).to_string())
    r = voice_rates(after, corpus, quotes=q)
    d = r[r["register"] == "delegitimising"]
    print("\ndelegitimising per 1,000 words (95% exact Poisson interval)")
    for row in d.itertuples():
        print(f"  {row.outlet:26s} {row.voice:9s} {row.hits:2d} hits / {row.words:4d} words = "
              f"{row.rate:5.1f} ({row.low:.1f}-{row.high:.1f})")


if __name__ == "__main__":
    main()
    seeds()
