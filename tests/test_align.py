"""Tests for framelens.align: each label on a literal example, thresholds on evidence, seed facts."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from framelens import align as A
from framelens.notes import NotEnoughData
from framelens.text import sentences


def table(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": d, "outlet": d.upper(), "sent_id": i, "sentence": s}
                         for d, i, s in rows])


SENTS = table([
    ("a", 0, "Ukraine's foreign minister asked NATO to invite Kyiv at next week's meeting."),
    ("a", 1, "Diplomats say there is no consensus among the 32 members."),
    ("a", 2, "Russia attacked the power grid overnight with drones and missiles."),
    ("b", 0, "Ukraine's foreign minister asked NATO to invite Kyiv at next week's meeting in Brussels."),
    ("b", 1, "NATO envoys said the 32 members have reached no consensus yet."),
    ("b", 2, "A football club won the national cup on Sunday evening."),
])


def labels(pairs: pd.DataFrame) -> dict[tuple[str, int], str]:
    lab = A.label_sentences(SENTS, pairs)
    return {(r.doc_id, r.sent_id): r.label for r in lab.itertuples()}


def test_each_label_on_a_literal_example() -> None:
    got = labels(A.align(SENTS))
    assert got[("a", 0)] == "shared-verbatim" and got[("b", 0)] == "shared-verbatim"
    assert got[("a", 1)] == "paraphrased" and got[("b", 1)] == "paraphrased"
    assert got[("a", 2)] == "unique" and got[("b", 2)] == "unique"


def test_containment_is_share_of_own_trigrams() -> None:
    p = A.align(SENTS)
    row = p[(p.doc_id == "a") & (p.sent_id == 0)].iloc[0]
    assert row["other_sent_id"] == 0 and row["containment"] == pytest.approx(1.0)
    back = p[(p.doc_id == "b") & (p.sent_id == 0)].iloc[0]
    assert back["containment"] < 1.0  # b's sentence has extra words "in Brussels"


def test_raising_paraphrase_threshold_turns_paraphrase_unique() -> None:
    got = labels(A.align(SENTS, paraphrase=0.99))
    assert got[("a", 1)] == "unique" and got[("a", 0)] == "shared-verbatim"


def test_short_sentences_are_never_aligned() -> None:
    s = table([("a", 0, "Ukraine's entry into NATO."), ("b", 0, "Ukraine's entry into NATO.")])
    assert set(A.label_sentences(s, A.align(s))["label"]) == {"unique"}


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match="paraphrase=1.5"):
        A.align(SENTS, paraphrase=1.5)
    with pytest.raises(ValueError, match="stop_words='french'"):
        A.align(SENTS, stop_words="french")
    with pytest.raises(ValueError, match="lacks columns"):
        A.align(SENTS.drop(columns="outlet"))


def test_core_share_sums_to_one_and_counts_words() -> None:
    share = A.core_share(A.label_sentences(SENTS, A.align(SENTS)))
    cols = [f"share_{x}" for x in A.LABELS]
    assert share[cols].sum(axis=1).round(9).eq(1).all()
    assert share.loc["A", "words_unique"] == 10  # "Russia attacked the power grid ..." has 10 words


def test_load_facts_names_bad_row(tmp_path) -> None:
    f = tmp_path / "facts.csv"
    f.write_text("fact,pattern\nok,irreversible\nbroken,(unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 3 \(fact 'broken'\)"):
        A.load_facts(f)


# --- seeds ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(seed_corpus: pd.DataFrame) -> dict[str, pd.DataFrame]:
    s = sentences(seed_corpus)
    pairs = A.align(s)
    cov = A.fact_coverage(s, _facts())
    return {"sents": s, "pairs": pairs, "cov": cov}


def _facts() -> pd.DataFrame:
    from pathlib import Path
    return A.load_facts(Path(__file__).resolve().parents[1] / "seeds" / "facts.csv")


def test_default_threshold_is_the_f1_best_on_seed_fact_pairs(seed: dict[str, pd.DataFrame]) -> None:
    curve = A.threshold_curve(seed["pairs"], A.fact_pairs(seed["cov"]))
    best = curve.loc[curve["f1"].idxmax()]
    assert best["threshold"] == pytest.approx(A.PARAPHRASE)
    assert best["precision"] >= 0.95 and best["recall"] >= 0.7


def test_seed_coverage_matrix_facts(seed: dict[str, pd.DataFrame], seed_corpus: pd.DataFrame) -> None:
    m = A.coverage_matrix(seed["cov"], outlets=sorted(seed_corpus["outlet"]))
    assert m.shape == (10, 5)
    assert (m.loc["letter to NATO"] > 0).all()          # every outlet reports the letter
    assert m.loc["awaiting Trump"].gt(0).sum() == 2      # only CNN Brasil and 004 mention Trump
    assert m.loc["Zelensky's NATO-umbrella idea", "CNN Brasil (republished)"] == 0
    assert m.loc["not an escalation"].gt(0).sum() == 3


def test_seed_escalation_quote_is_shared_between_001_and_004(seed: dict[str, pd.DataFrame]) -> None:
    p = seed["pairs"]
    row = p[(p.doc_id.str.startswith("001")) & (p.sent_id == 3) & (p.other_doc_id.str.startswith("004"))]
    assert row["label"].item() == "shared-verbatim"


def test_seed_derived_clusters_recover_named_facts(seed: dict[str, pd.DataFrame]) -> None:
    core = A.core_clusters(seed["sents"])
    check = A.check_facts(core, seed["cov"])
    assert check.loc["North Korean troops", "agree"]
    assert "korean" in check.loc["North Korean troops", "cluster_name"]
    assert check.loc["victory plan", "agree"] and "victory" in check.loc["victory plan", "cluster_name"]


def test_seed_additions_group_cnn_background(seed: dict[str, pd.DataFrame]) -> None:
    lab = A.label_sentences(seed["sents"], seed["pairs"])
    add = A.additions(lab)
    assert set(add["outlet"]) <= set(lab["outlet"])
    assert (add.groupby("topic")["topic_terms"].nunique() == 1).all()
    oreshnik = add[add["sentence"].str.contains("Oreshnik")]
    assert oreshnik["topic"].nunique() == 1  # the two Oreshnik sentences of VTC News sit together


def test_seed_core_matrix_rows_are_derived_groups_of_two_or_more_outlets(
        seed: dict[str, pd.DataFrame]) -> None:
    core = A.core_clusters(seed["sents"])
    m = A.core_matrix(core)
    assert (m.gt(0).sum(axis=1) >= 2).all()
    assert any("korean" in name for name in m.index)
    assert list(m.index) == list(dict.fromkeys(core["name"]))


# --- outlets with several articles, and too-small corpora -----------------------------------

REPEAT = pd.DataFrame([
    {"doc_id": "d1", "outlet": "Daily", "sent_id": 0,
     "sentence": "The minister asked NATO to invite Kyiv at the Brussels meeting."},
    {"doc_id": "d2", "outlet": "Daily", "sent_id": 0,
     "sentence": "The minister asked NATO to invite Kyiv at the Brussels meeting."},
    {"doc_id": "p1", "outlet": "Post", "sent_id": 0,
     "sentence": "Heavy snow closed the mountain roads for a second day."},
])


def test_a_sentence_repeated_only_within_its_outlet_stays_its_own() -> None:
    by_outlet = A.label_sentences(REPEAT, A.align(REPEAT))
    assert by_outlet["label"].tolist() == ["unique", "unique", "unique"]
    by_doc = A.label_sentences(REPEAT, A.align(REPEAT, between="documents"))
    assert by_doc["label"].tolist() == ["shared-verbatim", "shared-verbatim", "unique"]
    assert by_doc["shared_with"].tolist()[:2] == ["Daily", "Daily"]


def test_align_on_one_outlet_is_a_plain_message() -> None:
    with pytest.raises(NotEnoughData) as info:
        A.align(REPEAT[REPEAT["outlet"] == "Daily"])
    assert str(info.value) == ("aligning sentences across outlets needs at least 2 outlets with "
                               "sentences; got 1 (Daily)")
    with pytest.raises(ValueError, match="between='files'"):
        A.align(REPEAT, between="files")


def test_sentences_without_content_words_are_a_plain_message() -> None:
    s = table([("a", 0, "it is what it is."), ("b", 0, "and so on.")])
    with pytest.raises(NotEnoughData, match="needs content words"):
        A.align(s)


def test_threshold_curve_without_facts_says_what_it_needs() -> None:
    gold = A.fact_pairs(A.fact_coverage(SENTS, pd.DataFrame({"fact": ["x"], "pattern": ["zzz"]})))
    with pytest.raises(NotEnoughData, match="Write facts.csv"):
        A.threshold_curve(A.align(SENTS), gold)


def test_coverage_matrix_keeps_each_outlet_once() -> None:
    cov = pd.DataFrame({"fact": ["f", "f"], "outlet": ["A", "A"]})
    m = A.coverage_matrix(cov, outlets=["A", "B", "A", "B"])
    assert list(m.columns) == ["A", "B"] and m.loc["f"].tolist() == [2, 0]


def test_plot_coverage_of_nothing_is_a_plain_message() -> None:
    empty = A.coverage_matrix(pd.DataFrame({"fact": pd.Series(dtype=str),
                                            "outlet": pd.Series(dtype=str)}), outlets=["A", "B"])
    with pytest.raises(NotEnoughData, match="0 facts x 2 outlets"):
        A.plot_coverage(empty)


def test_plot_coverage_shows_the_most_widely_carried_facts() -> None:
    m = pd.DataFrame([[1, 0], [1, 1], [0, 1]], index=["one", "both", "other"], columns=["A", "B"])
    ax = A.plot_coverage(m, max_rows=1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["both"]
    assert ax.get_title() == "1 of 3 core facts appear in every outlet (1 most widely carried shown)"
    plt.close("all")


def test_facts_are_found_next_to_a_single_file_corpus(tmp_path) -> None:
    (tmp_path / "articles.csv").write_text("doc_id,text\na,One report.\n", encoding="utf-8")
    (tmp_path / "facts.csv").write_text("fact,pattern\nletter,letter\n", encoding="utf-8")
    facts = A.facts_or_empty(tmp_path / "articles.csv")
    assert facts["fact"].tolist() == ["letter"]
    assert facts.attrs["note"] == "Facts from the corpus's facts.csv (1 facts)."


def test_thresholds_are_carried_into_the_tables() -> None:
    pairs = A.align(SENTS, paraphrase=0.2)
    assert set(pairs["paraphrase_threshold"]) == {0.2} and set(pairs["verbatim_threshold"]) == {A.VERBATIM}
    share = A.core_share(A.label_sentences(SENTS, pairs))
    assert set(share["paraphrase_threshold"]) == {0.2}


def test_seed_omitted_facts_listed_in_full(seed: dict[str, pd.DataFrame], seed_corpus: pd.DataFrame) -> None:
    om = A.omitted_facts(seed["cov"], outlets=list(seed_corpus["outlet"]))
    code = {o: d[:3] for o, d in zip(seed_corpus["outlet"], seed_corpus["doc_id"])}
    by_fact = om.assign(o=om["outlet"].map(code)).groupby("fact")["o"].agg(list).to_dict()
    # read against facts.csv: the NATO-umbrella idea is missing in CNN Brasil and 003, "awaiting
    # Trump" in 000, 003 and VTC News (the page's sentence cut these off with "...")
    assert by_fact["Zelensky's NATO-umbrella idea"] == ["001", "003"]
    assert by_fact["awaiting Trump"] == ["000", "002", "003"]
    assert by_fact["not an escalation"] == ["000", "003"]
    assert by_fact["North Korean troops"] == ["002"]
    assert len(om) == 11 and "004" not in set(om["outlet"].map(code))
