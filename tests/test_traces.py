"""Tests for framelens.traces: each rule positive and negative; the seed 001 slips."""
from __future__ import annotations

import pandas as pd

from framelens import traces as T


def doc(text: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": [text]})


def test_bracketed_foreign_phrase_flagged_english_and_numbers_not() -> None:
    got = T.untranslated_fragments(doc("An escalation [das tensões] on Friday (29) (in Kyiv) [sic]."))
    assert got["evidence"].str.startswith("'das tensões'").tolist() == [True]


def test_unbracketed_foreign_run() -> None:
    got = T.untranslated_fragments(doc("He spoke of a crise das relações entre países yesterday."))
    assert len(got) == 1 and "das" in got["evidence"].item()


def test_english_text_with_names_is_not_flagged() -> None:
    assert T.untranslated_fragments(doc("Zelenskyy met Macron in Paris (France) on Monday.")).empty
    names = ("Ursula von der Leyen met Luiz Inácio Lula da Silva in Los Angeles "
             "(Wilmington, Del.) [CNSNews.com, 9/9/12].")
    assert T.untranslated_fragments(doc(names)).empty


def test_pronoun_slip_and_its_negative() -> None:
    t = "Olga Stefanishyna, deputy prime minister, stated that it is early. “We wait,” {} stated."
    slip = T.pronoun_slips(doc(t.format("he")))
    assert slip["evidence"].item().startswith("'he' refers to Olga Stefanishyna")
    assert T.pronoun_slips(doc(t.format("she"))).empty


def test_speech_scope_takes_the_previous_speaker_not_the_nearest_name() -> None:
    t = "Andrii Sybiha said he had written to Olga Stefanishyna. “We wait,” he added."
    assert T.pronoun_slips(doc(t)).empty                      # speaker Sybiha is male
    assert len(T.pronoun_slips(doc(t), scope="subject")) == 1  # nearest name is Olga


def test_surname_inherits_gender_and_titles_block() -> None:
    t = "Olga Stefanishyna arrived. Later Stefanishyna said no. “Not yet,” he said."
    slip = T.pronoun_slips(doc(t))
    assert slip["evidence"].tolist() == ["'he' refers to Olga Stefanishyna (first name Olga: female)"]
    t2 = "Olga Stefanishyna arrived. President Macron stated his view. “Not yet,” he said."
    assert T.pronoun_slips(doc(t2)).empty


def test_bad_scope_is_named() -> None:
    import pytest
    with pytest.raises(ValueError, match="scope='every'"):
        T.pronoun_slips(doc("x"), scope="every")


def test_furniture_lists_audit_rows_and_seams() -> None:
    audit = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "rule": ["author-bio"], "start": [0],
                          "end": [5], "removed": ["Bio."]})
    got = T.furniture(doc("Since August. . Then more."), audit)
    assert got["rule"].tolist() == ["author-bio", "copy-paste-seam"]


def test_seed_001_pronoun_slip_and_bracketed_fragment(seed_corpus: pd.DataFrame,
                                                       seed_audit: pd.DataFrame) -> None:
    t = T.traces(seed_corpus, seed_audit)
    d001 = t[t["doc_id"].str.startswith("001")]
    slip = d001[d001["kind"] == "pronoun-slip"]
    assert len(slip) == 1 and "Olga Stefanishyna" in slip["evidence"].item()
    assert "he stated" in slip["context"].item()
    frag = d001[d001["kind"] == "untranslated"]
    assert frag["evidence"].str.contains("das tensões").tolist() == [True]
    assert "author-bio" in set(d001["rule"])
    # no other seed has a pronoun slip or an untranslated fragment
    others = t[~t["doc_id"].str.startswith("001")]
    assert not others["kind"].isin(["pronoun-slip", "untranslated"]).any()


def test_before_after_shows_each_removal_in_place(seed_corpus: pd.DataFrame,
                                                  seed_audit: pd.DataFrame) -> None:
    got = T.before_after(seed_corpus, seed_audit)
    assert len(got) == len(seed_audit) == 8
    first = got.iloc[0]
    assert first["rule"] == "date-header"
    assert first["before"].startswith("⟦date 2024-11-30⟧ The team of Ukrainian leader")
    assert first["after"].startswith("The team of Ukrainian leader")
    assert all("⟦" not in a for a in got["after"])  # nothing removed is left in the cleaned text
    bio = got[got["rule"] == "author-bio"].iloc[0]
    assert "Bruce Belcher" in bio["before"] and "Bruce Belcher" not in bio["after"]


def test_before_after_of_nothing_removed_is_empty() -> None:
    c = pd.DataFrame({"doc_id": ["a"], "text_raw": ["Plain text."], "text": ["Plain text."]})
    audit = pd.DataFrame(columns=["doc_id", "outlet", "rule", "start", "end", "removed"])
    assert T.before_after(c, audit).empty


# --- calques, categories, every outlet counted -------------------------------------------

def test_weekday_date_in_brackets_and_its_negatives() -> None:
    got = T.calques(doc("The letter was seen this Friday (29) by Reuters."))
    assert got[["rule", "start", "end"]].values.tolist() == [["weekday-date", 25, 36]]
    for text in ("It met on Friday (Nov. 29).", "Friday (42) is no date.", "The Friday (29th) rally."):
        assert T.calques(doc(text)).empty, text


def test_reversed_argument_needs_the_subject_reading_elsewhere() -> None:
    swapped = "Kyiv wants an invitation to join Ukraine. Ukraine cannot join NATO while the war goes on."
    got = T.calques(doc(swapped))
    assert got["rule"].tolist() == ["reversed-argument"]
    assert "'Ukraine cannot join NATO'" in got["evidence"].item()
    assert T.calques(doc("Kyiv wants an invitation to join NATO. Ukraine cannot join NATO yet.")).empty
    assert T.calques(doc("Leaders flew to meet Macron. Biden met the press.")).empty


def test_construction_table_is_data_and_validated() -> None:
    got = T.calques(doc("A letter to which the agency Reuters had access on Friday."))
    assert got["rule"].tolist() == ["construction"]
    own = pd.DataFrame({"pattern": [r"\bit became known\b"], "language": ["Russian"],
                        "english": ["it emerged"], "note": [""]})
    assert T.calques(doc("It became known that he left."), constructions=own)["rule"].tolist() == ["construction"]
    import pytest
    with pytest.raises(ValueError, match="line 2: pattern"):
        T.load_calques(own.assign(pattern=["(unclosed"]))


def test_language_codes_are_named() -> None:
    assert T.language_name("de, pt") == "German or Portuguese"
    assert T.language_name("vi") == "Vietnamese"
    got = T.untranslated_fragments(doc("An escalation [das tensões] now."))
    assert "das (German or Portuguese)" in got["evidence"].item()


def test_seed_traces_split_furniture_from_translation(seed_corpus: pd.DataFrame,
                                                      seed_audit: pd.DataFrame) -> None:
    t = T.traces(seed_corpus, seed_audit)
    t = t.assign(doc=t["doc_id"].str[:3])
    # the 8 spans cleaning removed plus 001's "August. ." seam are page furniture
    assert (t["category"] == "furniture").sum() == 9
    trans = t[t["category"] == "translation"]
    assert sorted(zip(trans["doc"], trans["rule"])) == [
        ("000", "reversed-argument"),   # "invitation to join Ukraine" / "Ukraine cannot join NATO"
        ("001", "bracketed-foreign"),   # [das tensões]
        ("001", "construction"),        # "to which the agency shows Reuters news section had access"
        ("001", "pronoun-gender"),      # Olga Stefanishyna ... "he stated"
        ("001", "weekday-date"),        # "this Friday (29)"
    ]
    assert "'Friday (29)'" in trans.loc[trans["rule"] == "weekday-date", "evidence"].item()
    by = T.traces_by_outlet(t, seed_corpus)
    assert len(by) == 2 * 5  # every outlet, both categories
    counts = {(o[-4:-1] if o.endswith(")") and o[-4:-1].isdigit() else o, c): n
              for o, c, n in by[["outlet", "category", "count"]].itertuples(index=False)}
    assert counts[("004", "translation")] == 0 and counts[("004", "furniture")] == 0
    assert counts[("000", "translation")] == 1 and counts[("CNN Brasil (republished)", "translation")] == 4
    assert list(dict.fromkeys(by["outlet"])) == list(seed_corpus["outlet"])


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Friday (29)", "Monday (", "to join", "Ukraine", "cannot join",
                                           "NATO", "invitation", "to which", "had access", ".", "\n", " "]),
                          st.text(max_size=6)), max_size=30))
def test_calque_offsets_point_at_the_evidence(parts: list[str]) -> None:
    text = " ".join(parts)
    got = T.calques(doc(text))
    for r in got.itertuples():
        assert 0 <= r.start < r.end <= len(text)
        assert repr(text[r.start:r.end]) in r.evidence
    by = T.traces_by_outlet(T.traces(doc(text)), doc(text))
    assert by["category"].tolist() == ["translation", "furniture"]
