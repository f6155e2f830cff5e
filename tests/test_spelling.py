"""Tests for framelens.spelling: transliteration keys, variant groups, marked pairs."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framelens.spelling import (count_marked, fold, marked_evidence, marked_spellings, name_distance,
                                name_key, proper_names, same_name, spelling_variants, variant_table)

# Kyiv/Kiev counted by hand in seeds/*.txt (grep -o 'Kyiv' / 'Kiev', checked by reading):
#   000: Kyiv 3 ("an invitation to Kyiv", "Kyiv believes", "made it clear to Kyiv")
#   001: Kiev 1 ("maintain control of Kiev")
#   002: Kiev 7 ("Kiev's new efforts", "Kiev has applied", "preventing Kiev", "Kiev understood",
#        "could target Kiev", "Kiev's attacks", "the Ukrainian capital Kiev")
#   003: Kyiv 2 ("invite Kyiv to NATO", "official invitation to Kyiv")
#   004: Kyiv 1 ("under Kyiv's control")
BY_HAND = {
    "Unnamed site (000)": {"Kyiv": 3, "Kiev": 0},
    "CNN Brasil (republished)": {"Kyiv": 0, "Kiev": 1},
    "VTC News": {"Kyiv": 0, "Kiev": 7},
    "Unnamed site (003)": {"Kyiv": 2, "Kiev": 0},
    "Reuters-based (004)": {"Kyiv": 1, "Kiev": 0},
}


def test_kyiv_kiev_matches_hand_count(seed_corpus: pd.DataFrame) -> None:
    table = variant_table(count_marked(seed_corpus))
    for outlet, counts in BY_HAND.items():
        for variant, n in counts.items():
            assert table.loc[outlet, ("Kyiv", variant)] == n, (outlet, variant)


def test_general_method_finds_kyiv_kiev_too(seed_corpus: pd.DataFrame) -> None:
    v = spelling_variants(seed_corpus)
    kyiv = v[v["variant"].isin(["Kyiv", "Kiev"])]
    assert kyiv["name"].nunique() == 1  # grouped together without the curated list
    got = {(r.outlet, r.variant): r.count for r in kyiv.itertuples()}
    want = {(o, var): n for o, c in BY_HAND.items() for var, n in c.items() if n}
    assert got == want


def test_seed_name_variants(seed_corpus: pd.DataFrame) -> None:
    v = spelling_variants(seed_corpus)
    groups = v.groupby("name")["variant"].agg(lambda s: sorted(set(s))).to_dict()
    assert ["Zelensky", "Zelenskyi", "Zelenskyy"] in groups.values()
    assert ["Sybiga", "Sybiha"] in groups.values()
    assert ["Andrii", "Andrij"] in groups.values()
    assert ["Olga", "Olha"] in groups.values()
    # demonyms and derived forms are not spelling variants
    for forms in groups.values():
        assert not {"Russia", "Russian"} <= set(forms)
        assert not {"Ukraine", "Ukrainian"} <= set(forms)
    syb = v[v["variant"] == "Sybiga"]
    assert syb["outlet"].tolist() == ["Unnamed site (000)"] and syb["count"].tolist() == [2]
    donbass = count_marked(seed_corpus)
    d = donbass[(donbass["name"] == "Donbas") & (donbass["count"] > 0)]
    assert d[["variant", "outlet", "count"]].values.tolist() == [
        ["Donbass", "CNN Brasil (republished)", 1]]


@pytest.mark.parametrize("a, b, same", [
    ("Zelensky", "Zelenskyy", True), ("Zelenskyi", "Zelenskyy", True),
    ("Sybiha", "Sybiga", True), ("Andrii", "Andrij", True), ("Olga", "Olha", True),
    ("Kyiv", "Kiev", True), ("Kharkiv", "Kharkov", True), ("Donbas", "Donbass", True),
    ("Russia", "Russian", False), ("Ukraine", "Ukrainian", False), ("Putin", "Trump", False),
    ("NATO", "Nato", True), ("Moscow", "Macau", False),
])
def test_same_name(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same


def test_fold_and_key_examples() -> None:
    assert fold("Kyiv’s") == "kiv" and fold("Zelenskyy") == fold("Zelensky")
    assert fold("Ołena") == fold("Olena") or fold("Ołena") == "ołena"  # ł has no decomposition
    assert fold("Élysée") == "elise"
    assert name_key("Sybiha") == name_key("Sybiga") == "sbg"
    assert name_distance("Kyiv", "Kiev") == pytest.approx(0.25)
    with pytest.raises(ValueError, match="max_distance"):
        same_name("a", "b", max_distance=2)


@given(st.text(max_size=30), st.text(max_size=30))
def test_distance_properties(a: str, b: str) -> None:
    d = name_distance(a, b)
    assert 0.0 <= d <= 1.0
    assert d == pytest.approx(name_distance(b, a))
    assert name_distance(a, a) == 0.0
    assert same_name(a, a)


@given(st.text(max_size=40))
def test_fold_lowercases_any_text(a: str) -> None:
    assert isinstance(name_key(a), str)
    f = fold(a)
    assert f == f.lower() or not f.isalpha()


def test_proper_names_drop_words_also_lower_case() -> None:
    df = pd.DataFrame({"outlet": ["A", "A"], "text": ["The President met Sybiha.",
                                                     "the president of Kyiv’s council"]})
    names = proper_names(df)
    assert names["name"].tolist() == ["Kyiv", "Sybiha"]


def test_marked_spellings_shipped_and_sourced() -> None:
    m = marked_spellings()
    assert {"Kyiv", "Odesa", "Donbas", "Kharkiv"} <= set(m["name"])
    assert (m["source"].str.len() > 10).all() and (m["marked_as"] != "").all()


def test_marked_spellings_bad_file(tmp_path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("name,variant,pattern,marked_as,note,source\nKyiv,Kyiv,Ky(iv,x,y,z\n")
    with pytest.raises(ValueError, match=r"row 2: invalid pattern 'Ky\(iv'"):
        marked_spellings(p)
    p.write_text("name,variant\nKyiv,Kyiv\n")
    with pytest.raises(ValueError, match="missing column"):
        marked_spellings(p)


def test_bad_columns() -> None:
    df = pd.DataFrame({"outlet": ["A"], "text": ["Kyiv"]})
    with pytest.raises(ValueError, match="text_col='body'"):
        spelling_variants(df, text_col="body")
    with pytest.raises(ValueError, match="lacks column 'count'"):
        variant_table(pd.DataFrame({"name": [], "variant": [], "outlet": []}))


def test_short_names_need_equal_folds_and_plural_possessives_strip() -> None:
    assert same_name("AP", "APA") is False and same_name("Abe", "Abu") is False
    assert same_name("NATO", "Nato") is True
    assert fold("Republicans’") == fold("Republicans") and fold("Abrams'") == "abrams"
    df = pd.DataFrame({"outlet": ["A", "B"], "text": ["the Abrams’ house", "Abrams spoke"]})
    assert proper_names(df)["name"].tolist() == ["Abrams", "Abrams"]


def test_marked_evidence_matches_the_counts_of_the_seeds(seed_corpus: pd.DataFrame) -> None:
    ev = marked_evidence(seed_corpus)
    kyiv = ev[ev["name"] == "Kyiv"]
    got = kyiv.groupby(["outlet", "variant"]).size().to_dict()
    want = {(o, v): n for o, counts in BY_HAND.items() for v, n in counts.items() if n}
    assert got == want  # 14 occurrences, each with its sentence
    assert all(m in s for m, s in zip(kyiv["match"], kyiv["sentence"]))
    assert set(ev["name"]) == {"Kyiv", "Olha"}  # names spelled one way everywhere are left out


def test_marked_evidence_can_keep_names_spelled_one_way() -> None:
    df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": ["Kyiv said no. Odesa waits."]})
    assert marked_evidence(df)["name"].tolist() == []
    assert marked_evidence(df, mixed_only=False)["variant"].tolist() == ["Kyiv", "Odesa"]


def test_names_in_capitals_are_not_spelling_variants() -> None:
    df = pd.DataFrame({"outlet": ["A", "B"],
                       "text": ["WASHINGTON — Zelensky met Sybiha.", "In Washington Zelenskyy spoke."]})
    got = spelling_variants(df)
    assert "WASHINGTON" not in set(got["variant"]) and "Washington" not in set(got["name"])
    assert set(got["variant"]) == {"Zelensky", "Zelenskyy"}


@given(st.lists(st.text(alphabet=st.sampled_from(list("KyivKiev OdesaOdessa's.\n")), max_size=60),
                min_size=1, max_size=3))
def test_marked_evidence_has_one_row_per_counted_occurrence(texts: list[str]) -> None:
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                       "outlet": [f"O{i % 2}" for i in range(len(texts))], "text": texts})
    ev = marked_evidence(df, mixed_only=False)
    counted = count_marked(df)
    assert len(ev) == int(counted["count"].sum())
    got = ev.groupby(["variant", "outlet"]).size()
    want = counted[counted["count"] > 0].set_index(["variant", "outlet"])["count"]
    assert got.sort_index().tolist() == want.sort_index().tolist()
    assert all(m in s for m, s in zip(ev["match"], ev["sentence"]))


# --- the table behind the spelling figure ---------------------------------------------------

def test_seed_spelling_table_counts_every_name_spelled_differently(seed_corpus: pd.DataFrame) -> None:
    from framelens.spelling import spelling_table
    t = spelling_table(seed_corpus)
    code = {o: d[:3] for o, d in zip(seed_corpus["outlet"], seed_corpus["doc_id"])}
    used = t[t["count"] > 0]
    got = {(n, v, code[o]): c for n, v, o, c in used[["name", "variant", "outlet", "count"]].itertuples(index=False)}
    # counted by hand in seeds/*.txt (Sybiha 003: "Andrij Sybiha", "Sybiha expressed", "emphasized",
    # "wrote"; Zelensky 000: "Volodymyr Zelensky", "What is Zelensky saying"; Zelenskyi 000: the
    # voiced sentence and the block quote's signature; Zelenskyy 004: "Zelenskyy's", "Zelenskyy, in")
    assert got == {
        ("Andrii", "Andrii", "000"): 1, ("Andrii", "Andrii", "001"): 1, ("Andrii", "Andrii", "002"): 1,
        ("Andrii", "Andrii", "004"): 1, ("Andrii", "Andrij", "003"): 1,
        ("Kyiv", "Kyiv", "000"): 3, ("Kyiv", "Kiev", "001"): 1, ("Kyiv", "Kiev", "002"): 7,
        ("Kyiv", "Kyiv", "003"): 2, ("Kyiv", "Kyiv", "004"): 1,
        ("Olha", "Olga", "001"): 1, ("Olha", "Olga", "002"): 1, ("Olha", "Olha", "003"): 1,
        ("Olha", "Olga", "004"): 1,
        ("Sybiha", "Sybiga", "000"): 2, ("Sybiha", "Sybiha", "001"): 3, ("Sybiha", "Sybiha", "002"): 2,
        ("Sybiha", "Sybiha", "003"): 4, ("Sybiha", "Sybiha", "004"): 3,
        ("Zelensky", "Zelensky", "000"): 2, ("Zelensky", "Zelenskyi", "000"): 2,
        ("Zelensky", "Zelensky", "001"): 2, ("Zelensky", "Zelensky", "002"): 3,
        ("Zelensky", "Zelensky", "003"): 1, ("Zelensky", "Zelenskyy", "004"): 2,
    }
    assert t["name"].nunique() == 5
    assert len(t) == sum(t.groupby("name")["variant"].nunique()) * 5  # zeros for every outlet
    kyiv = t[t["name"] == "Kyiv"].drop_duplicates("variant").set_index("variant")["marked_as"].to_dict()
    assert kyiv == {"Kiev": "Russian-based", "Kyiv": "Ukrainian-based"}
    mixed = t[t["mixed"]]
    assert set(zip(mixed["name"], mixed["outlet"].map(code))) == {("Zelensky", "000")}


def test_seed_mixed_spellings_within_one_text(seed_corpus: pd.DataFrame) -> None:
    from framelens.spelling import mixed_spellings
    m = mixed_spellings(seed_corpus)
    assert m[["name", "variant", "count"]].values.tolist() == [["Zelensky", "Zelensky", 2],
                                                               ["Zelensky", "Zelenskyi", 2]]
    assert set(m["doc_id"].str[:3]) == {"000"}
    assert m["sentence"].iloc[1].startswith("Head of State Volodymyr Zelenskyi voiced")


def test_first_names_of_different_people_are_not_variants() -> None:
    df = pd.DataFrame({"outlet": ["A", "B"], "text": ["Vladimir Putin met Volodymyr Zelensky.",
                                                      "Vladimir Putin and Volodymyr Zelenskyy."]})
    v = spelling_variants(df)
    assert not {"Vladimir", "Volodymyr"} <= set(v["variant"])
    assert sorted(set(v["variant"])) == ["Zelensky", "Zelenskyy"]
    same = pd.DataFrame({"outlet": ["A", "B"], "text": ["Olga Stefanishyna spoke.", "Olha Stefanishyna spoke."]})
    assert sorted(set(spelling_variants(same)["variant"])) == ["Olga", "Olha"]


def test_spelling_table_without_zeros_keeps_counted_rows(seed_corpus: pd.DataFrame) -> None:
    from framelens.spelling import spelling_table
    full, lean = spelling_table(seed_corpus), spelling_table(seed_corpus, zeros=False)
    assert lean.equals(full[full["count"] > 0].reset_index(drop=True))
