"""Build the shipped lexicon files from the published resources (run by hand, offline).

    pip download --no-deps vaderSentiment==3.3.2 textblob==0.18.0.post0 -d /tmp/lexdl
    (unzip both wheels into /tmp/lexdl/vaderSentiment and /tmp/lexdl/textblob)
    PYTHONPATH=src python docs/build_lexicons.py /tmp/lexdl

writes ``src/framelens/data/lexicons/vader.csv`` and ``pattern-en-sentiment.csv``
(``framelens-general.csv`` is written by hand). Rules, stated in ``docs/lexicons.md``:

* VADER 3.3.2 ``vader_lexicon.txt`` (word, mean valence of 10 raters on -4..4, sd,
  ratings): words only (letters, inner hyphen or apostrophe; emoticons and slang
  abbreviations dropped), ``|mean| >= 1.0``; register ``negative``/``positive`` by sign.
  Words whose usual sense in news is not evaluative are left out (:data:`NEWS_SENSES`),
  as are English stop words (scikit-learn's list). VADER's ``BOOSTER_DICT``:
  ``B_INCR`` words -> ``intensifying``, ``B_DECR`` words -> ``hedging`` (dampeners).
* pattern's ``en-sentiment.xml`` 1.3 as shipped in TextBlob 0.18.0.post0 (one row per
  WordNet sense): per word form, the mean polarity and subjectivity over its senses;
  kept when mean subjectivity >= 0.5 and ``|mean polarity| >= 0.1``, register by sign;
  ``intensity > 1`` (very, extremely) -> ``intensifying``.
* A term already in an earlier resource (framelens-general, then VADER, then pattern)
  is not repeated, so every term has one register.
"""
from __future__ import annotations

import ast
import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "framelens" / "data" / "lexicons"
COLUMNS = ["term", "is_regex", "register", "target_type", "note", "source"]
WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*$")
#: VADER words whose common sense in news is a name, a function word or a topic, not an
#: evaluation (the rater judged the word out of context): "party" (political party),
#: "united" (United States/Nations), "justice" (Department of Justice), "like" (preposition),
#: "war" (the topic of a war story), "ok"/"yes"/"please" (quoted speech markers), ...
NEWS_SENSES = {"like", "likes", "liked", "party", "parties", "united", "unite", "justice",
               "ok", "okay", "yes", "please", "war", "wars", "care", "help", "support",
               "supported", "supports", "supporters", "supporter", "agree", "agreed", "agreement",
               "want", "wants", "free", "freedom", "security", "secure", "trust", "interest",
               "interests", "interested", "god", "share", "shares", "sharing", "matter",
               "matters", "credit", "fine", "fire", "fired", "pretty", "true", "truth",
               "honor", "intelligence", "intelligent", "liberty", "hope", "hoping", "hopes",
               "thank", "thanks", "dear", "military", "kind", "commission", "committee", "real"}


def _write(rows: list[dict[str, str]], name: str) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _taken() -> set[str]:
    with (OUT / "framelens-general.csv").open(encoding="utf-8", newline="") as fh:
        return {r["term"].lower() for r in csv.DictReader(fh)}


def vader(root: Path, taken: set[str]) -> list[dict[str, str]]:
    src = root / "vaderSentiment" / "vaderSentiment"
    rows = []
    for line in (src / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        word, mean, sd, _ = line.split("\t", 3)
        v = float(mean)
        if not WORD.match(word) or abs(v) < 1.0 or word in ENGLISH_STOP_WORDS \
                or word in NEWS_SENSES or word in taken:
            continue
        taken.add(word)
        rows.append({"term": word, "is_regex": "false",
                     "register": "negative" if v < 0 else "positive", "target_type": "any",
                     "note": f"VADER mean valence {v:+.1f} (sd {float(sd):.2f}, 10 raters, -4..4)",
                     "source": "VADER 3.3.2 vader_lexicon.txt (Hutto & Gilbert 2014), MIT"})
    code = (src / "vaderSentiment.py").read_text(encoding="utf-8")
    body = code[code.index("BOOSTER_DICT = \\"):code.index("# check for sentiment laden idioms")]
    tree = ast.parse(body.replace("B_INCR", "1").replace("B_DECR", "-1"))
    boosters = ast.literal_eval(tree.body[0].value)  # type: ignore[attr-defined]
    for word, sign in boosters.items():
        if word in taken or not WORD.match(word.replace(" ", "-")) or word in {"so", "more", "most", "less", "little"}:
            continue
        taken.add(word)
        rows.append({"term": word, "is_regex": "false",
                     "register": "intensifying" if sign > 0 else "hedging", "target_type": "claim",
                     "note": "VADER degree adverb: " + ("booster" if sign > 0 else "dampener"),
                     "source": "VADER 3.3.2 BOOSTER_DICT (Hutto & Gilbert 2014), MIT"})
    return rows


def pattern(root: Path, taken: set[str]) -> list[dict[str, str]]:
    xml = root / "textblob" / "textblob" / "en" / "en-sentiment.xml"
    senses: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for w in ET.parse(xml).getroot().iter("word"):
        senses[w.get("form", "").lower()].append((float(w.get("polarity", 0)),
                                                  float(w.get("subjectivity", 0)),
                                                  float(w.get("intensity", 1))))
    rows = []
    for form in sorted(senses):
        vals = senses[form]
        pol = sum(v[0] for v in vals) / len(vals)
        subj = sum(v[1] for v in vals) / len(vals)
        inten = max(v[2] for v in vals)
        if not WORD.match(form) or form in taken or form in ENGLISH_STOP_WORDS or form in NEWS_SENSES:
            continue
        if inten > 1.0:
            register = "intensifying"
        elif subj >= 0.5 and abs(pol) >= 0.1:
            register = "negative" if pol < 0 else "positive"
        else:
            continue
        taken.add(form)
        rows.append({"term": form, "is_regex": "false", "register": register, "target_type": "any",
                     "note": (f"pattern mean polarity {pol:+.2f}, subjectivity {subj:.2f}, "
                              f"intensity {inten:.1f} over {len(vals)} sense(s)"),
                     "source": "pattern en-sentiment.xml 1.3 (De Smedt & Daelemans 2012) via "
                               "TextBlob 0.18.0.post0, PDDL"})
    return rows


def main() -> None:
    root = Path(sys.argv[1])
    taken = _taken()
    v = vader(root, taken)
    _write(v, "vader.csv")
    p = pattern(root, taken)
    _write(p, "pattern-en-sentiment.csv")
    print(f"vader.csv {len(v)} rows, pattern-en-sentiment.csv {len(p)} rows")


if __name__ == "__main__":
    main()
