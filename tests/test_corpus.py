"""framelens.corpus: loading a folder of articles, its errors, and cleaning page furniture."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.corpus import (
    CORE_COLUMNS, RULES, CorpusError, Rule, audit_summary, clean, describe_corpus, load_corpus, plot_removed,
    prepare, rejects_table, rules_table,
)


# ============================================================================ load_corpus


def test_load_columns_order_sorting_and_index(make_corpus) -> None:
    folder = make_corpus(
        {"b.txt": "Second.", "a.txt": "First."},
        [
            {"doc_id": "b", "outlet": "Bee", "origin_language": "de", "translated": "yes",
             "date": "2024-11-29", "url": "https://b.example", "evidence": "says so"},
            {"doc_id": "a", "outlet": "Ay", "evidence": "x"},
        ],
    )
    df = load_corpus(folder)
    assert list(df.articles.columns) == [*CORE_COLUMNS, "evidence"]
    assert df.articles["doc_id"].tolist() == ["a", "b"]
    assert isinstance(df.articles.index, pd.RangeIndex) and df.articles.index.tolist() == [0, 1]
    assert df.articles.loc[1].to_dict() == {
        "doc_id": "b", "outlet": "Bee", "origin_language": "de", "translated": "yes",
        "date": "2024-11-29", "url": "https://b.example", "path": "b.txt", "text_raw": "Second.",
        "evidence": "says so",
    }
    # absent / empty descriptive cells become "unknown", url ""
    assert df.articles.loc[0, ["origin_language", "translated", "date", "url"]].tolist() == ["unknown"] * 3 + [""]
    assert df.manifest == str(folder / "manifest.csv")


def test_text_raw_is_exactly_the_file(make_corpus) -> None:
    raw = "\ufeffLine one.\r\nLine two.\rThree\u00a0 \n\n"
    folder = make_corpus({"a.txt": raw})
    df = load_corpus(folder)
    assert df.articles.loc[0, "text_raw"] == raw
    assert df.articles.loc[0, "text_raw"].encode("utf-8") == (folder / "a.txt").read_bytes()


def test_ids_with_spaces_unicode_and_upper_case(make_corpus) -> None:
    files = {"Le Monde 1.txt": "Un.", "Ærø—ÜBER.txt": "Zwei.", "КИЇВ.txt": "Три.", "lower.txt": "x"}
    rows = [{"doc_id": Path(f).stem, "outlet": Path(f).stem.upper()} for f in files]
    df = load_corpus(make_corpus(files, rows))
    assert sorted(df.articles["doc_id"]) == df.articles["doc_id"].tolist() == sorted(Path(f).stem for f in files)
    assert dict(zip(df.articles["doc_id"], df.articles["outlet"]))["Le Monde 1"] == "LE MONDE 1"
    assert dict(zip(df.articles["doc_id"], df.articles["path"]))["КИЇВ"] == "КИЇВ.txt"


def test_nfd_file_name_matches_nfc_manifest(make_corpus) -> None:
    nfd = unicodedata.normalize("NFD", "café")
    df = load_corpus(make_corpus({f"{nfd}.txt": "Text."}, [{"doc_id": "café", "outlet": "C"}]))
    assert df.articles["doc_id"].tolist() == ["café"] and df.articles["outlet"].tolist() == ["C"]


def test_without_manifest_each_file_is_its_own_outlet(make_corpus) -> None:
    df = load_corpus(make_corpus({"x.txt": "One.", "y.txt": "Two."}))
    assert df.articles["outlet"].tolist() == ["x", "y"]
    assert df.articles["translated"].tolist() == ["unknown", "unknown"]
    assert df.manifest is None
    assert list(df.articles.columns) == list(CORE_COLUMNS)


def test_manifest_none_ignores_the_manifest(make_corpus) -> None:
    folder = make_corpus({"x.txt": "One."}, [{"doc_id": "x", "outlet": "Ex"}])
    df = load_corpus(folder, manifest=None)
    assert df.articles["outlet"].tolist() == ["x"] and df.manifest is None


def test_other_manifest_name_and_missing_outlet_column(make_corpus) -> None:
    folder = make_corpus({"x.txt": "One."}, [{"doc_id": "x", "date": "2024-01-02"}], manifest_name="meta.csv")
    df = load_corpus(folder, manifest="meta.csv")
    assert df.articles["outlet"].tolist() == ["x"] and df.articles["date"].tolist() == ["2024-01-02"]


def test_non_txt_files_are_ignored_and_hidden_txt_files_are_rejects(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A.", "notes.md": "no", ".hidden.txt": "no", "B.TXT": "Bee."})
    df = load_corpus(folder, errors="collect")
    assert df.articles["doc_id"].tolist() == ["B", "a"]
    assert df.rejects["path"].tolist() == [".hidden.txt"]
    with pytest.raises(CorpusError, match=r"\.hidden\.txt is a hidden file"):
        load_corpus(folder)


def test_matching_sha256_is_accepted_in_any_case(make_corpus) -> None:
    digest = hashlib.sha256(b"Text.").hexdigest().upper()
    df = load_corpus(make_corpus({"a.txt": "Text."}, [{"doc_id": "a", "sha256": digest}]))
    assert df.articles["sha256"].tolist() == [digest]


def test_manifest_with_bom_and_quoted_multiline_cells(make_corpus) -> None:
    manifest = '\ufeffdoc_id,outlet,evidence\na,A,"two\nlines"\nb,B,plain\n'
    df = load_corpus(make_corpus({"a.txt": "A.", "b.txt": "B."}, manifest))
    assert df.articles["evidence"].tolist() == ["two\nlines", "plain"]


# ---------------------------------------------------------------------------- load errors


def test_corpus_error_is_a_value_error() -> None:
    assert issubclass(CorpusError, ValueError)


def test_error_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"corpus folder '.*nowhere' does not exist"):
        load_corpus(tmp_path / "nowhere")


def test_error_path_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"is a file but not a corpus file: pass the folder .* or one "
                                          r"file ending in \.csv, \.jsonl"):
        load_corpus(f)


def test_error_no_articles(make_corpus) -> None:
    folder = make_corpus({"readme.md": "hi"})
    with pytest.raises(CorpusError, match=r"holds no \.txt articles"):
        load_corpus(folder)


def test_error_not_utf8_names_file_and_byte_offset(make_corpus) -> None:
    folder = make_corpus({"ok.txt": "Fine.", "latin.txt": "Caf\xe9 au lait".encode("latin-1")})
    with pytest.raises(CorpusError, match=r"latin\.txt is not valid UTF-8: byte\(s\) e9 at byte offset 3 \(line 1\)"):
        load_corpus(folder)


def test_error_not_utf8_reports_line(make_corpus) -> None:
    folder = make_corpus({"a.txt": b"one\ntwo \xff"})
    with pytest.raises(CorpusError, match=r"a\.txt is not valid UTF-8: byte\(s\) ff at byte offset 8 \(line 2\)"):
        load_corpus(folder)


@pytest.mark.parametrize("content", ["", "   \n\t\r\n", "\ufeff \u200b\n"])
def test_error_empty_or_whitespace_file(make_corpus, content: str) -> None:
    folder = make_corpus({"good.txt": "Text.", "blank.txt": content})
    with pytest.raises(CorpusError, match=r"blank\.txt is empty or holds only whitespace"):
        load_corpus(folder)


def test_error_manifest_row_without_file(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, [{"doc_id": "a"}, {"doc_id": "ghost"}])
    with pytest.raises(CorpusError, match=r"manifest.csv, line 3: doc_id 'ghost' has no file 'ghost\.txt'"):
        load_corpus(folder)


def test_error_file_without_manifest_row(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A.", "stray.txt": "S."}, [{"doc_id": "a"}])
    with pytest.raises(CorpusError, match=r"stray\.txt .* have no row in manifest .*manifest\.csv; add a row with doc_id 'stray'"):
        load_corpus(folder)


def test_error_duplicate_ids_names_both_lines(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A.", "b.txt": "B."}, [{"doc_id": "a"}, {"doc_id": "b"}, {"doc_id": "a"}])
    with pytest.raises(CorpusError, match=r"line 4: duplicate doc_id 'a' \(first on line 2\)"):
        load_corpus(folder)


def test_error_duplicate_ids_from_file_names(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": "A.", "a.TXT": "A again."})
    if len(list(folder.iterdir())) < 2:
        pytest.skip("case-insensitive file system: a.txt and a.TXT are one file")
    with pytest.raises(CorpusError, match=r"give the same doc_id 'a'"):
        load_corpus(folder)


def test_error_manifest_missing_doc_id_column(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, "id,outlet\na,A\n")
    with pytest.raises(CorpusError, match=r"line 1: required column 'doc_id' is missing \(columns found: 'id', 'outlet'\)"):
        load_corpus(folder)


def test_error_sha256_mismatch_names_file_and_line(make_corpus) -> None:
    wrong = hashlib.sha256(b"other").hexdigest()
    folder = make_corpus({"a.txt": "A.", "b.txt": "B."}, [{"doc_id": "a", "sha256": ""}, {"doc_id": "b", "sha256": wrong}])
    actual = hashlib.sha256(b"B.").hexdigest()
    with pytest.raises(CorpusError, match=rf"b\.txt does not match its sha256 .* line 3: expected {wrong}, file has {actual}"):
        load_corpus(folder)


def test_error_wrong_field_count(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, "doc_id,outlet\na,A,extra\n")
    with pytest.raises(CorpusError, match=r"line 2: 3 fields but the header has 2"):
        load_corpus(folder)


def test_error_empty_doc_id(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, "doc_id,outlet\na,A\n,B\n")
    with pytest.raises(CorpusError, match=r"line 3: empty doc_id"):
        load_corpus(folder)


def test_error_manifest_not_utf8(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, "doc_id,outlet\na,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"manifest .*manifest\.csv is not valid UTF-8: byte\(s\) e9 at byte offset 19 \(line 2\)"):
        load_corpus(folder)


def test_error_explicit_manifest_missing(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."})
    with pytest.raises(CorpusError, match=r"meta\.csv' does not exist\. Pass manifest=None"):
        load_corpus(folder, manifest="meta.csv")


def test_error_empty_manifest(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, "")
    with pytest.raises(CorpusError, match=r"manifest .* is empty"):
        load_corpus(folder)


def test_error_reserved_manifest_column(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."}, [{"doc_id": "a", "path": "a.txt"}])
    with pytest.raises(CorpusError, match=r"'path' and 'text_raw' are filled by the loader"):
        load_corpus(folder)


# ============================================================================ clean: rules


def _one(text: str, rules=None) -> tuple[str, list[tuple[str, str]]]:
    df = pd.DataFrame({"doc_id": ["d"], "outlet": ["D"], "text_raw": [text]})
    cleaned, audit = clean(df, rules=rules)
    return cleaned.loc[0, "text"], list(zip(audit["rule"], audit["removed"]))


def test_rules_table_lists_every_rule() -> None:
    table = rules_table()
    assert list(table.columns) == ["name", "description", "pattern", "trailing"]
    assert table["name"].tolist() == [r.name for r in RULES]
    assert {"date-header", "timestamp-line", "header-date-line", "share-residue", "source-link", "comment-counter", "source-line",
            "republish-notice", "author-bio"} <= set(table["name"])
    assert table.loc[table["name"] == "author-bio", "trailing"].item() is True or \
        bool(table.loc[table["name"] == "author-bio", "trailing"].item())


def test_rule_date_header_prefix_glued_to_sentence() -> None:
    text, removed = _one(" date 2024-11-30 The team asked NATO.\n\nMore.")
    assert removed == [("date-header", "date 2024-11-30")]
    assert text == "The team asked NATO.\n\nMore."


def test_rule_date_header_own_line() -> None:
    text, removed = _one("Published: 2024-11-30 10:15\nKyiv asked.")
    assert removed == [("date-header", "Published: 2024-11-30 10:15")]
    assert text == "Kyiv asked."


def test_rule_date_header_negative() -> None:
    prose = "The date 2024-11-30 was set for talks.\nThey will update the date later."
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_rule_timestamp_line() -> None:
    text, removed = _one("Headline\nLead sentence.\n3:42 PM EST, November 29, 2024\nSecond sentence.")
    assert removed == [("timestamp-line", "3:42 PM EST, November 29, 2024")]
    assert text == "Headline\nLead sentence.\nSecond sentence."


@pytest.mark.parametrize("stamp", ["Updated: 29 November 2024 15:42", "Nov. 29, 2024 at 3:42 p.m. ET",
                                   "Updated 4:10 p.m. ET, 2/10/2014", "6 years ago", "Posted: 2 hours ago",
                                   "Published on Friday, November 29, 2024"])
def test_rule_timestamp_line_variants(stamp: str) -> None:
    _, removed = _one(f"Lead.\nMore.\n{stamp}\nMore.")
    assert removed == [("timestamp-line", stamp)]


@pytest.mark.parametrize("text, date", [("Friday, November 29, 2024\nKyiv asked.", "Friday, November 29, 2024"),
                                        ("Headline\n\n29.11.2024\nKyiv asked.", "29.11.2024"),
                                        ("\n29 November 2024\r\nKyiv asked.", "29 November 2024")])
def test_rule_header_date_line(text: str, date: str) -> None:
    out, removed = _one(text)
    assert removed == [("header-date-line", date)]
    assert date not in out and out.endswith("Kyiv asked.")


@pytest.mark.parametrize("timeline", [
    "Key moments\nBelow, a timeline.\nJanuary 20, 2017\nThe inauguration.\nJanuary 21, 2017\nMarches.",
    "It could go like this. Or not:\n\nJan. 20, 2017\n\nThe inauguration.",
])
def test_rule_header_date_line_negative_timeline(timeline: str) -> None:
    text, removed = _one(timeline)
    assert removed == [] and text == timeline


def test_rule_date_header_leaves_stamp_with_time_whole() -> None:
    text, removed = _one("Updated 10/21/2013 at 3:54 p.m. ET\n\n(CNN) - Kyiv.")
    assert removed == [("timestamp-line", "Updated 10/21/2013 at 3:54 p.m. ET")] and text == "(CNN) - Kyiv."


def test_rule_timestamp_negative() -> None:
    prose = "On November 29, 2024 Kyiv wrote to NATO.\nThe meeting on December 3, 2024 at 10:00 is key."
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_rule_share_residue_at_paragraph_end() -> None:
    text, removed = _one("He spoke of new weapons. Share\n\nNext paragraph.\nShare this article\nEnd.”  Share")
    assert removed == [("share-residue", "Share"), ("share-residue", "Share this article"),
                       ("share-residue", "Share")]
    assert text == "He spoke of new weapons.\n\nNext paragraph.\nEnd.”"


def test_rule_share_negative() -> None:
    prose = ("Allies share the view. Share prices fell.\nThey did not share it\n"
             "Ukraine wants a fair Share\nThe share of votes")
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_rule_comment_counter() -> None:
    text, removed = _one("Report ends.\nComment (0)")
    assert removed == [("comment-counter", "Comment (0)")] and text == "Report ends."
    _, removed = _one("Report ends.\n12 comments\nComments: 3")
    assert removed == [("comment-counter", "12 comments"), ("comment-counter", "Comments: 3")]


def test_rule_comment_negative() -> None:
    prose = "He declined to comment (citing talks).\nComment on the plan was muted."
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_rule_source_link_anywhere() -> None:
    text, removed = _one("Report.\nSource: https://vtcnews.vn/a-b.html\nMore report.")
    assert removed == [("source-link", "Source: https://vtcnews.vn/a-b.html")]
    assert text == "Report.\nMore report."


def test_rule_source_line_trailing() -> None:
    text, removed = _one("Report.\n  Sources : CNN Brasil  \n\nBruce Belcher is a seasoned author with "
                         "years of experience.\nComment (1)")
    assert [r for r, _ in removed] == ["source-line", "author-bio", "comment-counter"]
    assert removed[0] == ("source-line", "Sources : CNN Brasil")
    assert text == "Report."


def test_rule_source_negative() -> None:
    prose = ("Russian sources said the airspace was closed.\nSource: Escapees plotted to kill husband\n"
             "The source: a letter seen by Reuters.\nSource: Pew Research Center poll\nThe report goes on.")
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_rule_republish_notice() -> None:
    line = "This content was originally published in Ukraine asked NATO, shows letter on the CNN Brasil website."
    text, removed = _one(f"Report.\n{line}\nThis article first appeared on Example News.\nOriginally published at x.com")
    assert removed == [("republish-notice", line),
                       ("republish-notice", "This article first appeared on Example News."),
                       ("republish-notice", "Originally published at x.com")]
    assert text == "Report."


def test_rule_republish_negative() -> None:
    prose = "The letter was first published by Reuters.\nThis plan was originally published last month."
    text, removed = _one(prose)
    assert removed == [] and text == prose


BIO = ("Bruce Belcher is a seasoned author with over 5 years of experience in world news. "
       "He writes for online news websites.")


def test_rule_author_bio_trailing() -> None:
    text, removed = _one(f"Report ends.\n\n{BIO}")
    assert removed == [("author-bio", BIO)] and text == "Report ends."


def test_rule_author_bio_before_other_furniture_still_trailing() -> None:
    text, removed = _one(f"Report ends.\n{BIO}\nShare\nComment (2)")
    assert [r for r, _ in removed] == ["author-bio", "share-residue", "comment-counter"]
    assert text == "Report ends."


def test_rule_author_bio_negative() -> None:
    # a bio-like paragraph that is followed by report text is prose, not a bio
    mid = f"{BIO}\nThe report continues here."
    text, removed = _one(mid)
    assert removed == [] and text == mid
    # a last paragraph about a journalist, without biography phrasing, stays
    last = "Report.\nEvan Gershkovich is a journalist who was jailed in Russia."
    text, removed = _one(last)
    assert removed == [] and text == last


def test_rule_byte_order_mark() -> None:
    text, removed = _one("\ufeffKyiv.")
    assert removed == [("byte-order-mark", "\ufeff")] and text == "Kyiv."


# ----------------------------------------------------------------------- clean: mechanics


def test_clean_returns_copy_and_audit_shape() -> None:
    corpus = pd.DataFrame({"doc_id": ["b", "a"], "outlet": ["B", "A"],
                           "text_raw": ["Comment (1)\nKyiv.", "Kyiv. Share\nSource: A"]})
    cleaned, audit = clean(corpus)
    assert "text" not in corpus.columns
    assert cleaned["text"].tolist() == ["Kyiv.", "Kyiv."]
    assert list(audit.columns) == ["doc_id", "outlet", "rule", "start", "end", "removed"]
    assert audit[["doc_id", "start"]].values.tolist() == [["a", 6], ["a", 12], ["b", 0]]
    assert audit["outlet"].tolist() == ["A", "A", "B"]
    assert str(audit["start"].dtype) == "int64"


def test_clean_empty_audit_keeps_columns() -> None:
    cleaned, audit = clean(pd.DataFrame({"doc_id": ["a"], "text_raw": ["Plain report."]}))
    assert audit.empty and list(audit.columns) == ["doc_id", "outlet", "rule", "start", "end", "removed"]
    assert cleaned.loc[0, "text"] == "Plain report."


def test_clean_whitespace_normalised() -> None:
    text, _ = _one("  Lead.  \r\n\r\n\r\n\r\nSecond. Share\n\nComment (2)\n\n\nThird.\t\n")
    assert text == "Lead.\n\nSecond.\n\nThird."


def test_clean_rules_subset_and_custom_rule() -> None:
    text, removed = _one("Kyiv. Share\nComment (0)", rules=["comment-counter"])
    assert removed == [("comment-counter", "Comment (0)")] and text == "Kyiv. Share"
    custom = Rule("read-more", "Read more links.", r"^Read more:[^\n]*$")
    text, removed = _one("Kyiv.\nRead more: elsewhere", rules=[custom])
    assert removed == [("read-more", "Read more: elsewhere")] and text == "Kyiv."


def test_clean_validates_settings() -> None:
    df = pd.DataFrame({"doc_id": ["a"], "text_raw": ["x"]})
    with pytest.raises(ValueError, match=r"unknown rule 'shares'; allowed names are byte-order-mark, date-header"):
        clean(df, rules=["shares"])
    with pytest.raises(ValueError, match=r"corpus has no column 'body'"):
        clean(df, text_col="body")
    with pytest.raises(ValueError, match=r"doc_id='a': 'text_raw' is nan, not a string"):
        clean(pd.DataFrame({"doc_id": ["a"], "text_raw": [float("nan")]}))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        clean(["text"])  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("ab .\n\r\t:()0123Share") + ["Source: x", "Comment (0)", "é", "\u00a0"]),
                max_size=80).map("".join))
def test_property_no_rules_only_changes_whitespace(text: str) -> None:
    out, removed = _one(text, rules=[])
    assert removed == []
    assert out.split() == text.split()
    assert "\n\n\n" not in out and "\r" not in out
    assert all(line == line.strip() for line in out.split("\n"))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120) | st.lists(st.sampled_from(["Share", "Source: a", "\n", " ", ". ", "\r\n",
                                                         "Comment (0)", "date 2024-01-01 ", "x"]),
                                        max_size=30).map("".join))
def test_property_audit_spans_are_exact_and_disjoint(text: str) -> None:
    df = pd.DataFrame({"doc_id": ["d"], "text_raw": [text]})
    cleaned, audit = clean(df)
    spans = list(zip(audit["start"], audit["end"], audit["removed"]))
    for s, e, removed in spans:
        assert text[s:e] == removed and e > s
    for (s1, e1, _), (s2, _, _) in zip(spans, spans[1:]):
        assert e1 <= s2
    # what is kept is the raw text minus the removed spans, up to whitespace
    kept = "".join(text[a:b] for a, b in zip([0] + [e for _, e, _ in spans], [s for s, _, _ in spans] + [len(text)]))
    assert cleaned.loc[0, "text"].split() == kept.split()


# ============================================================================ the seeds


EXPECTED_REMOVED = {
    "000_a03c4e4ffd75aa5a": [("date-header", "date 2024-11-30"), ("share-residue", "Share")],
    "001_17000a6ab3edc037": [
        ("republish-notice", "This content was originally published in Ukraine asked NATO to invite "
                             "membership next week, shows letter on the CNN Brasil website."),
        ("source-line", "Source: CNN Brasil"),
        ("author-bio", "Bruce Belcher is a seasoned author with over 5 years of experience in world news. "
                       "He writes for online news websites and provides in-depth analysis on the world "
                       "stock market. Bruce is known for his insightful perspectives and commitment to "
                       "keeping the public informed."),
    ],
    "002_7f89604170f3214f": [
        ("source-link", "Source: https://vtcnews.vn/tiet-lo-buc-thu-ukraine-thuc-giuc-nato-ket-nap-thanh-vien-ar910555.html"),
        ("comment-counter", "Comment (0)"),
    ],
    "003_00771259dcc220ff": [("timestamp-line", "3:42 PM EST, November 29, 2024")],
    "004_d6eb0f94e4030983": [],
}


def test_seed_corpus_loads(seed_corpus: pd.DataFrame) -> None:
    assert seed_corpus["doc_id"].tolist() == sorted(EXPECTED_REMOVED)
    assert seed_corpus["outlet"].tolist() == ["Unnamed site (000)", "CNN Brasil (republished)", "VTC News",
                                              "Unnamed site (003)", "Reuters-based (004)"]
    assert list(seed_corpus.columns[:8]) == list(CORE_COLUMNS)
    assert {"sha256", "evidence", "text"} <= set(seed_corpus.columns)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_REMOVED))
def test_seed_removed_exactly(seed_audit: pd.DataFrame, doc_id: str) -> None:
    got = seed_audit.loc[seed_audit["doc_id"] == doc_id, ["rule", "removed"]]
    assert list(got.itertuples(index=False, name=None)) == EXPECTED_REMOVED[doc_id]


def test_seed_audit_offsets_point_into_text_raw(seed_corpus: pd.DataFrame, seed_audit: pd.DataFrame) -> None:
    raw = dict(zip(seed_corpus["doc_id"], seed_corpus["text_raw"]))
    assert len(seed_audit) == 8
    for row in seed_audit.itertuples():
        assert raw[row.doc_id][row.start:row.end] == row.removed


KEPT = {
    "000_a03c4e4ffd75aa5a": [
        "The team of Ukrainian leader Volodymyr Zelensky privately called",
        "\n\nUkraine continues its struggle to join NATO\n\n",
        "testing ground for new weapons, says the letter of the head of the Ministry of Foreign Affairs of Ukraine.\n\n",
        "Ukraine's entry into NATO. What is Zelensky saying now",
        "Volodymyr Zelenskyi President of Ukraine",
        'Russian dictator Vladimir Putin "does not return" to seize Ukrainian territories.',
    ],
    "001_17000a6ab3edc037": [
        "[das tensões]",
        "\nUnderstand the War between Russia and Ukraine\nRussia invaded Ukraine in February 2022",
        "which they have controlled parts of since August. .",
        "“Irreversible” Ukraine’s membership",
    ],
    "002_7f89604170f3214f": [
        "On November 27, Russian sources said",
        "attacked the Yuzhmash enterprise in Dnipro, Ukraine.",
    ],
    "003_00771259dcc220ff": [
        "Ukraine urges NATO to defy Russia with membership invite\nAndrij Sybiha",
        "scheduled for next week.\nSybiha emphasized",
    ],
    "004_d6eb0f94e4030983": [],
}


@pytest.mark.parametrize("doc_id", sorted(KEPT))
def test_seed_report_text_is_kept(seed_corpus: pd.DataFrame, seed_audit: pd.DataFrame, doc_id: str) -> None:
    row = seed_corpus.set_index("doc_id").loc[doc_id]
    for phrase in KEPT[doc_id]:
        assert phrase in row["text"], phrase
    # nothing but the audited spans and whitespace differs from the raw text
    raw = row["text_raw"]
    spans = seed_audit.loc[seed_audit["doc_id"] == doc_id, ["start", "end"]].values.tolist()
    bounds = [0] + [x for se in spans for x in se] + [len(raw)]
    kept = "".join(raw[a:b] for a, b in zip(bounds[::2], bounds[1::2]))
    assert row["text"].split() == kept.split()


def test_seed_text_ends_and_starts(seed_corpus: pd.DataFrame) -> None:
    text = dict(zip(seed_corpus["doc_id"], seed_corpus["text"]))
    assert text["000_a03c4e4ffd75aa5a"].startswith("The team of Ukrainian leader")
    assert text["001_17000a6ab3edc037"].endswith("since August. .")
    assert text["002_7f89604170f3214f"].endswith("in Dnipro, Ukraine.")
    assert text["004_d6eb0f94e4030983"] == seed_corpus.set_index("doc_id").loc["004_d6eb0f94e4030983", "text_raw"]
    for t in text.values():
        assert "\n\n\n" not in t and not re.search(r"[ \t]$", t, re.M)


# ============================================================================ summaries


def test_describe_corpus_counts(make_corpus) -> None:
    folder = make_corpus({"a.txt": "Kyiv's 33-month-old war. Share", "b.txt": "Plain."},
                         [{"doc_id": "a", "outlet": "A", "translated": "yes"}, {"doc_id": "b", "outlet": "B"}])
    cleaned, audit = clean(load_corpus(folder).articles)
    desc = describe_corpus(cleaned, audit)
    assert desc.columns.tolist() == ["doc_id", "outlet", "origin_language", "translated", "date", "words_raw",
                                     "words", "chars_raw", "chars", "chars_removed", "spans_removed"]
    assert desc.loc[0].to_dict() == {
        "doc_id": "a", "outlet": "A", "origin_language": "unknown", "translated": "yes", "date": "unknown",
        "words_raw": 4, "words": 3, "chars_raw": 30, "chars": 24, "chars_removed": 5, "spans_removed": 1}
    assert desc.loc[1, ["words", "chars_removed", "spans_removed"]].tolist() == [1, 0, 0]
    # without a cleaned text or audit, raw counts are repeated and nothing is removed
    raw = describe_corpus(load_corpus(folder).articles)
    assert raw["words"].tolist() == raw["words_raw"].tolist() == [4, 1]
    assert raw["spans_removed"].tolist() == [0, 0]


def test_describe_seed_corpus(seed_corpus: pd.DataFrame, seed_audit: pd.DataFrame) -> None:
    desc = describe_corpus(seed_corpus, seed_audit).set_index("doc_id")
    assert desc["spans_removed"].tolist() == [2, 3, 2, 1, 0]
    assert desc.loc["001_17000a6ab3edc037", "chars_removed"] == 417
    assert (desc["words"] <= desc["words_raw"]).all()
    assert desc.loc["004_d6eb0f94e4030983", "words"] == desc.loc["004_d6eb0f94e4030983", "words_raw"]


def test_audit_summary_groups_by_outlet_and_rule(seed_audit: pd.DataFrame) -> None:
    summary = audit_summary(seed_audit)
    assert summary.columns.tolist() == ["outlet", "rule", "spans", "chars"]
    row = summary[(summary["outlet"] == "VTC News") & (summary["rule"] == "source-link")]
    assert row[["spans", "chars"]].values.tolist() == [[1, 98]]
    assert summary["spans"].sum() == len(seed_audit)
    with pytest.raises(ValueError, match=r"audit lacks column\(s\) \['end', 'start'\]"):
        audit_summary(seed_audit[["outlet", "rule"]])


def test_plot_removed_bars_and_title(seed_corpus: pd.DataFrame, seed_audit: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt

    ax = plot_removed(seed_audit, seed_corpus)
    try:
        assert ax.get_title() == ("CNN Brasil (republished) lost the largest share to page furniture: "
                                  "417 of 4,611 characters (9%)")
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == seed_corpus["outlet"].tolist()[::-1]
        totals = {}
        for patch in ax.patches:
            y = round(patch.get_y() + patch.get_height() / 2)
            totals[labels[y]] = totals.get(labels[y], 0) + patch.get_width()
        assert totals["VTC News"] == 109 and totals["Reuters-based (004)"] == 0
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "date-header", "timestamp-line", "share-residue", "comment-counter", "source-link",
        "source-line", "republish-notice", "author-bio"]
    finally:
        plt.close(ax.figure)


# ============================================================================ errors="collect"


def test_collect_keeps_good_rows_and_lists_rejects(make_corpus) -> None:
    wrong = hashlib.sha256(b"other").hexdigest()
    folder = make_corpus(
        {"good.txt": "A report.", "latin.txt": "Caf\xe9".encode("latin-1"), "blank.txt": "  \n",
         "changed.txt": "Edited.", "stray.txt": "No row."},
        [{"doc_id": "good", "outlet": "G"}, {"doc_id": "latin"}, {"doc_id": "blank"},
         {"doc_id": "changed", "sha256": wrong}, {"doc_id": "ghost"}],
    )
    df = load_corpus(folder, errors="collect")
    assert df.articles["doc_id"].tolist() == ["good"] and df.articles["outlet"].tolist() == ["G"]
    rejects = rejects_table(df)
    assert rejects.columns.tolist() == ["path", "reason"]
    assert rejects["path"].tolist() == ["blank.txt", "changed.txt", "ghost.txt", "latin.txt", "stray.txt"]
    reasons = dict(zip(rejects["path"], rejects["reason"]))
    assert "empty or holds only whitespace" in reasons["blank.txt"]
    assert "does not match its sha256" in reasons["changed.txt"] and "line 5" in reasons["changed.txt"]
    assert "line 6: doc_id 'ghost' has no file" in reasons["ghost.txt"]
    assert "byte offset 3" in reasons["latin.txt"]
    assert "has no row in manifest" in reasons["stray.txt"]
    # nothing rides on DataFrame.attrs: the articles concatenate as any frame
    assert df.articles.attrs == {} and len(pd.concat([df.articles, df.articles])) == 2


def test_collect_still_raises_for_the_whole_folder(make_corpus) -> None:
    with pytest.raises(CorpusError, match=r"duplicate doc_id 'a'"):
        load_corpus(make_corpus({"a.txt": "A."}, [{"doc_id": "a"}, {"doc_id": "a"}]), errors="collect")
    with pytest.raises(CorpusError, match=r"no readable article left in .*1 rejected \(blank\.txt: article"):
        load_corpus(make_corpus({"blank.txt": ""}, name="empty"), errors="collect")


def test_raise_mode_has_no_rejects_and_errors_is_validated(make_corpus) -> None:
    folder = make_corpus({"a.txt": "A."})
    assert load_corpus(folder).rejects.columns.tolist() == ["path", "reason"]
    assert rejects_table(load_corpus(folder)).empty
    with pytest.raises(ValueError, match=r"errors='ignore' is not allowed; use 'raise' or 'collect'"):
        load_corpus(folder, errors="ignore")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(list("ab .\n\r\t\u00a0\u2028\x0c") + ["\r\n", " \n", "Zz"]), max_size=60).map("".join))
def test_property_fast_path_equals_general_path(text: str) -> None:
    from framelens.prep.clean import _apply

    # an empty span list takes the fast path; a zero-width span far away forces the general one
    assert _apply(text, []) == _apply(text, [(len(text) + 5, len(text) + 5, "none")])


# ============================================================================ a real corpus

NEWSWCL50 = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "newswcl50" / "articles"


def test_newswcl50_loads_and_clean_removes_nothing() -> None:
    """50 real articles (headline first, one paragraph a line) hold no page furniture:
    every rule must leave them alone, and each event folder loads without a manifest."""
    if not NEWSWCL50.is_dir():
        pytest.skip(f"{NEWSWCL50} is absent (a clone outside the workplace): no real corpus to check")
    events = sorted(p for p in NEWSWCL50.iterdir() if p.is_dir())
    assert len(events) == 10
    corpus = pd.concat([load_corpus(e).articles.assign(event=e.name) for e in events], ignore_index=True)
    assert len(corpus) == 50
    assert set(corpus["outlet"].str.split("_").str[1]) == {"LL", "L", "M", "R", "RR"}
    cleaned, audit = clean(corpus)
    assert audit.empty, audit[["doc_id", "rule", "removed"]].to_string()
    assert (cleaned["text"].str.split().map(len) == cleaned["text_raw"].str.split().map(len)).all()


_NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00."),
                min_size=1, max_size=20).filter(lambda s: s.strip() == s and not s.startswith("-"))


@settings(max_examples=40, deadline=None)
@given(name=_NAME, text=st.text(min_size=1, max_size=200).filter(
    lambda t: not re.fullmatch(r"[\s\ufeff\u200b\u200c\u200d\u2060]*", t)))
def test_property_any_name_and_text_round_trip(tmp_path_factory, name: str, text: str) -> None:
    folder = tmp_path_factory.mktemp("rt")
    try:
        (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))
    except OSError:  # a name this file system refuses (too long in bytes, reserved)
        return
    df = load_corpus(folder)
    assert df.articles["doc_id"].tolist() == [unicodedata.normalize("NFC", name)]
    assert df.articles["text_raw"].tolist() == [text]
    cleaned, audit = clean(df.articles)
    assert all(text[s:e] == r for s, e, r in zip(audit["start"], audit["end"], audit["removed"]))


# ============================================================================ too short to analyse


def _accounted(df: pd.DataFrame, n_inputs: int) -> None:
    """Every input article is in the corpus or in the rejects table: nothing lost silently."""
    assert len(df) + len(rejects_table(df)) == n_inputs


def test_collect_article_with_no_words_is_rejected_as_too_short(make_corpus) -> None:
    folder = make_corpus({"good.txt": "Kyiv asked NATO.", "dots.txt": "... -- !!!", "furniture.txt": "Share\n"})
    assert len(load_corpus(folder, errors="collect")) == 3  # reading does not clean
    df = prepare(load_corpus(folder, errors="collect"), errors="collect")
    assert df.articles["doc_id"].tolist() == ["good"]
    reasons = dict(zip(rejects_table(df)["path"], rejects_table(df)["reason"]))
    assert set(reasons) == {"dots.txt", "furniture.txt"}
    assert "dots.txt has no words once page furniture is removed (too short to analyse); put the " \
           "article's text in it or remove the file." in reasons["dots.txt"]
    assert "furniture.txt has no words" in reasons["furniture.txt"]
    _accounted(df, 3)


def test_min_words_sets_the_minimum_and_zero_keeps_everything(make_corpus) -> None:
    folder = make_corpus({"long.txt": "Kyiv asked NATO for an invitation today.", "brief.txt": "Kyiv asked."})
    df = prepare(load_corpus(folder, errors="collect"), min_words=5, errors="collect")
    assert df.articles["doc_id"].tolist() == ["long"]
    assert "brief.txt has 2 words once page furniture is removed, fewer than min_words=5" in \
        rejects_table(df)["reason"].iloc[0]
    _accounted(df, 2)
    zero = prepare(load_corpus(make_corpus({"x.txt": "..."}, name="zero")), min_words=0)
    assert zero.articles["doc_id"].tolist() == ["x"]
    with pytest.raises(CorpusError, match=r"brief\.txt has 2 words .* fewer than min_words=5"):
        prepare(load_corpus(folder), min_words=5)


def test_min_words_is_judged_with_the_rules_actually_used(make_corpus) -> None:
    """A "Share" line is furniture under the default rules, one word without them.

    (A text that is only "Share" is junk under any rules, see junk_reason: hence a second line.)"""
    folder = make_corpus({"a.txt": "Kyiv asked NATO.", "b.txt": "Share\nNATO"})
    default = prepare(load_corpus(folder), min_words=2, errors="collect")
    assert default.articles["doc_id"].tolist() == ["a"]
    assert default.rejects["reason"].str.contains("b.txt has 1 word once page furniture is removed").all()
    only_dates = prepare(load_corpus(folder), rules=["date-header"], min_words=2, errors="collect")
    assert only_dates.articles["doc_id"].tolist() == ["a", "b"] and only_dates.rejects.empty
    assert only_dates.rules == tuple(r for r in RULES if r.name == "date-header")


def test_prepare_counts_the_words_once_and_drops_a_reject_everywhere(make_corpus) -> None:
    folder = make_corpus({"a.txt": "Kyiv asked Kyiv. Share", "b.txt": "Share", "c.txt": "NATO met."})
    c = prepare(load_corpus(folder), errors="collect")
    assert c.articles["doc_id"].tolist() == ["a", "c"] and c.rejects["path"].tolist() == ["b.txt"]
    assert list(c.terms) == ["asked", "kyiv", "met", "nato"]
    assert c.counts.toarray().tolist() == [[1, 2, 0, 0], [0, 0, 1, 1]]
    assert c.doc_words.tolist() == [3, 2]
    assert c.audit["doc_id"].tolist() == ["a"]  # b's "Share" left with b
    assert c.prepared and not load_corpus(folder).prepared


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3"])
def test_min_words_is_validated(make_corpus, bad) -> None:
    with pytest.raises(ValueError, match=rf"min_words={bad!r} is not allowed; use a whole number >= 0"):
        prepare(load_corpus(make_corpus({"a.txt": "A report."})), min_words=bad)


# ============================================================================ one bad input each, nothing lost

GOOD = "Kyiv asked NATO for an invitation."


def test_bad_input_empty_file_is_named_and_counted(make_corpus) -> None:
    df = load_corpus(make_corpus({"a.txt": GOOD, "b.txt": GOOD, "empty.txt": b""}), errors="collect")
    assert rejects_table(df)["reason"].str.contains(
        r"empty\.txt is empty or holds only whitespace \(0 bytes\); remove it or put the article's text in it"
    ).all()
    _accounted(df, 3)


def test_bad_input_duplicate_id_is_named_and_counted(make_corpus) -> None:
    folder = make_corpus({"a.txt": GOOD, "A b.txt": GOOD, "a.TXT": GOOD})
    if len(list(folder.iterdir())) < 3:
        pytest.skip("case-insensitive file system: a.txt and a.TXT are one file")
    df = load_corpus(folder, errors="collect")
    assert rejects_table(df)["reason"].tolist() == [
        f"a.TXT and a.txt in {str(folder)!r} give the same doc_id 'a'; rename one of them."]
    _accounted(df, 3)


def test_bad_input_not_utf8_is_named_and_counted(make_corpus) -> None:
    df = load_corpus(make_corpus({"a.txt": GOOD, "w.txt": "Caf\xe9.".encode("cp1252")}), errors="collect")
    assert rejects_table(df)["reason"].str.contains(
        r"w\.txt is not valid UTF-8: byte\(s\) e9 at byte offset 3 \(line 1\) .* Re-save the file as UTF-8").all()
    _accounted(df, 2)


def test_bad_input_missing_manifest_row_and_row_without_file(make_corpus) -> None:
    folder = make_corpus({"a.txt": GOOD, "stray.txt": GOOD}, [{"doc_id": "a"}, {"doc_id": "ghost"}])
    df = load_corpus(folder, errors="collect")
    reasons = dict(zip(rejects_table(df)["path"], rejects_table(df)["reason"]))
    assert "has no row in manifest" in reasons["stray.txt"] and "add a row with doc_id 'stray'" in reasons["stray.txt"]
    assert "line 3: doc_id 'ghost' has no file 'ghost.txt'" in reasons["ghost.txt"]
    assert "add the file or delete the row" in reasons["ghost.txt"]
    _accounted(df, 3)  # two files and one manifest row naming a missing file


def test_one_article_corpus_loads(make_corpus) -> None:
    df = load_corpus(make_corpus({"only.txt": GOOD}), errors="collect")
    assert df.articles["doc_id"].tolist() == ["only"]
    _accounted(df, 1)


# ============================================================================ single-file corpus


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_csv_file_gives_the_same_frame_as_a_folder(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"b.txt": "Second report.", "a one.txt": "First, report."},
                         [{"doc_id": "a one", "outlet": "Daily A", "date": "2024-11-29", "evidence": "x"},
                          {"doc_id": "b", "outlet": "", "date": "", "evidence": ""}])
    table = _write(tmp_path / "articles.csv", 'doc_id,outlet,date,evidence,text\nb,,,,Second report.\n'
                                              '"a one",Daily A,2024-11-29,x,"First, report."\n')
    from_folder, from_file = load_corpus(folder).articles, load_corpus(table)
    cols = [c for c in from_folder.columns if c != "path"]
    pd.testing.assert_frame_equal(from_file.articles[cols], from_folder[cols])
    assert from_file.articles["path"].tolist() == ["articles.csv:line 3", "articles.csv:line 2"]
    assert from_file.manifest is None and from_file.rejects.empty


def test_csv_multiline_text_bom_and_line_numbers(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", '\ufeffdoc_id,text\nx,"Para one.\n\nPara two."\ny,Third report.\n')
    df = load_corpus(table)
    assert df.articles["text_raw"].tolist() == ["Para one.\n\nPara two.", "Third report."]
    assert df.articles["path"].tolist() == ["a.csv:line 2", "a.csv:line 5"]


def test_csv_row_with_empty_text_is_rejected_naming_its_line(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", f"doc_id,text\nx,{GOOD}\ny,\nz,   \n")
    df = load_corpus(table, errors="collect")
    assert df.articles["doc_id"].tolist() == ["x"]
    assert rejects_table(df).to_dict("list") == {
        "path": ["a.csv:line 3", "a.csv:line 4"],
        "reason": [f"{table}, line {n}: the text is empty or only whitespace; put the article's text in it "
                   "or delete the row." for n in (3, 4)],
    }
    _accounted(df, 3)
    with pytest.raises(CorpusError, match=r"a\.csv, line 3: the text is empty"):
        load_corpus(table)


def test_csv_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", f"doc_id,text\nx,{GOOD}\ny,{GOOD}\nx,Another.\n")
    df = load_corpus(table, errors="collect")
    assert df.articles["doc_id"].tolist() == ["x", "y"] and df.articles.loc[0, "path"] == "a.csv:line 2"
    assert rejects_table(df)["reason"].tolist() == [
        f"{table}, line 4: doc_id 'x' repeats line 2; give each article a unique doc_id, or delete the copy."]
    _accounted(df, 3)


def test_csv_not_utf8_row_names_line_and_byte(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", b"doc_id,text\nx,Fine text.\ny,Caf\xe9 text.\n")
    df = load_corpus(table, errors="collect")
    assert df.articles["doc_id"].tolist() == ["x"]
    reason = rejects_table(df)["reason"].iloc[0]
    assert reason.startswith(f"{table}, line 3: not valid UTF-8: byte(s) e9 at byte offset 30 cannot be decoded")
    assert b"doc_id,text\nx,Fine text.\ny,Caf\xe9".index(b"\xe9") == 30
    assert "Re-save the file as UTF-8" in reason
    _accounted(df, 2)


def test_csv_too_short_and_empty_id_rows(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", f"doc_id,text\nx,{GOOD}\ny,Share\n,{GOOD}\n")
    df = prepare(load_corpus(table, errors="collect"), errors="collect")
    reasons = rejects_table(df)["reason"].tolist()
    assert "line 3: the text has no words once page furniture is removed (too short to analyse)" in reasons[0]
    assert "line 4: empty doc_id; fill it with a unique name for the article, or delete the row" in reasons[1]
    _accounted(df, 3)


def test_csv_wrong_field_count_is_a_row_reject(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", f"doc_id,outlet,text\nx,A,{GOOD}\ny,B,one, two\n")
    df = load_corpus(table, errors="collect")
    assert "line 3: 4 fields but the header has 3 (doc_id, outlet, text); quote fields" in \
        rejects_table(df)["reason"].iloc[0]
    _accounted(df, 2)


@pytest.mark.parametrize("header, missing", [("id,text", "doc_id"), ("doc_id,content", "text")])
def test_csv_missing_required_column_raises_even_when_collecting(tmp_path: Path, header: str,
                                                                  missing: str) -> None:
    table = _write(tmp_path / "a.csv", f"{header}\nx,{GOOD}\n")
    with pytest.raises(CorpusError, match=rf"a\.csv, line 1: required column '{missing}' is missing "
                                          rf"\(columns found: .*\)\. Name the column .* or map yours with "
                                          rf"columns=\{{'YOUR_NAME': '{missing}'\}}"):
        load_corpus(table, errors="collect")


def test_columns_renames_the_file_columns(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.csv", f"id,source,content\nx,Daily X,{GOOD}\n")
    df = load_corpus(table, columns={"id": "doc_id", "content": "text", "source": "outlet"})
    assert df.articles[["doc_id", "outlet", "text_raw"]].values.tolist() == [["x", "Daily X", GOOD]]


@pytest.mark.parametrize("bad", [["text"], {"a": 1}])
def test_columns_is_validated(tmp_path: Path, bad) -> None:
    table = _write(tmp_path / "a.csv", f"doc_id,text\nx,{GOOD}\n")
    with pytest.raises(ValueError, match=r"columns=.* is not allowed; use a dict of file column name"):
        load_corpus(table, columns=bad)


def test_columns_on_a_folder_and_manifest_on_a_file_are_refused(make_corpus, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"columns=.* applies to a single CSV/JSONL file"):
        load_corpus(make_corpus({"a.txt": GOOD}), columns={"content": "text"})
    table = _write(tmp_path / "a.csv", f"doc_id,text\nx,{GOOD}\n")
    with pytest.raises(CorpusError, match=r"manifest='other\.csv' applies to a folder"):
        load_corpus(table, manifest="other.csv")
    assert load_corpus(table, manifest=None).articles["doc_id"].tolist() == ["x"]


def test_reserved_and_empty_csv(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"column 'path' is filled by the loader"):
        load_corpus(_write(tmp_path / "r.csv", f"doc_id,path,text\nx,p,{GOOD}\n"))
    with pytest.raises(CorpusError, match=r"e\.csv is empty: give it a header line"):
        load_corpus(_write(tmp_path / "e.csv", ""))
    with pytest.raises(CorpusError, match=r"h\.csv holds no articles: add one line per article after the header"):
        load_corpus(_write(tmp_path / "h.csv", "doc_id,text\n"))


def test_jsonl_file_with_bad_lines_names_each_line(tmp_path: Path) -> None:
    lines = [
        '{"doc_id": "x", "text": "Kyiv asked NATO.", "outlet": "Daily X", "year": 2024, "tags": null}',
        '{"doc_id": "y", "text": "Truncated',
        "",
        '["a list"]',
        '{"doc_id": "z"}',
        '{"doc_id": 7, "text": "Numbered report."}',
        '{"doc_id": "w", "text": 12}',
    ]
    table = _write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    df = load_corpus(table, errors="collect")
    assert df.articles[["doc_id", "outlet", "year", "tags", "path"]].values.tolist() == [
        ["7", "7", "", "", "a.jsonl:line 6"],
        ["x", "Daily X", "2024", "", "a.jsonl:line 1"],
    ]
    reasons = rejects_table(df).set_index("path")["reason"]
    assert reasons.index.tolist() == ["a.jsonl:line 2", "a.jsonl:line 4", "a.jsonl:line 5", "a.jsonl:line 7"]
    assert reasons["a.jsonl:line 2"].startswith(f"{table}, line 2: not valid JSON (Unterminated string")
    assert "fix the line or delete it" in reasons["a.jsonl:line 2"]
    assert "line 4: a JSON list, not an object" in reasons["a.jsonl:line 4"]
    assert "line 5: no 'text' field (fields: 'doc_id'); add it, or map yours with columns=" in reasons["a.jsonl:line 5"]
    assert "line 7: field 'text' is '12', not a string" in reasons["a.jsonl:line 7"]
    _accounted(df, 6)  # six non-blank lines
    with pytest.raises(CorpusError, match=r"a\.jsonl, line 2: not valid JSON"):
        load_corpus(table)


def test_jsonl_not_utf8_line_names_line_and_byte(tmp_path: Path) -> None:
    table = _write(tmp_path / "a.jsonl", b'{"doc_id": "x", "text": "Fine."}\n{"doc_id": "y", "text": "Caf\xe9"}\n')
    df = load_corpus(table, errors="collect")
    assert rejects_table(df)["reason"].iloc[0].startswith(
        f"{table}, line 2: not valid UTF-8: byte(s) e9 at byte offset 61 cannot be decoded")
    _accounted(df, 2)


@pytest.mark.parametrize("suffix, opener", [(".gz", "gzip"), (".xz", "lzma")])
def test_compressed_files(tmp_path: Path, suffix: str, opener: str) -> None:
    import importlib

    mod = importlib.import_module(opener)
    csv_data = f"doc_id,text\nx,{GOOD}\n".encode()
    json_data = ('{"doc_id": "x", "text": "%s"}\n' % GOOD).encode()
    for name, data in ((f"a.csv{suffix}", csv_data), (f"a.jsonl{suffix}", json_data)):
        df = load_corpus(_write(tmp_path / name, mod.compress(data)))
        assert df.articles[["doc_id", "text_raw", "path"]].values.tolist() == [["x", GOOD, f"{name}:line 1" if "jsonl" in
                                                                       name else f"{name}:line 2"]]
    with pytest.raises(CorpusError, match=rf"broken\.csv{suffix} cannot be decompressed"):
        load_corpus(_write(tmp_path / f"broken.csv{suffix}", b"not compressed"))


def test_corpus_folder_of_a_file_is_its_folder(tmp_path: Path, make_corpus) -> None:
    from framelens.corpus import corpus_folder

    table = _write(tmp_path / "a.csv", f"doc_id,text\nx,{GOOD}\n")
    assert corpus_folder(table) == tmp_path
    folder = make_corpus({"a.txt": GOOD})
    assert corpus_folder(folder) == folder


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_property_every_csv_row_is_kept_or_rejected(tmp_path_factory, texts: list[str]) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)  # "\r\n" line ends: fields holding "\r" or "\n" are quoted
    writer.writerow(["doc_id", "text"])
    writer.writerows([[f"d{i}", t] for i, t in enumerate(texts)] + [["keep", GOOD]])
    table = _write(tmp_path_factory.mktemp("p") / "a.csv", buf.getvalue())
    df = load_corpus(table, errors="collect")
    assert "keep" in set(df.articles["doc_id"])
    _accounted(df, len(texts) + 1)  # each row has a doc_id, so none is a blank line


@settings(max_examples=40, deadline=None)
@given(lines=st.lists(st.one_of(
    st.text(max_size=30),  # usually not JSON at all
    st.fixed_dictionaries({"doc_id": st.text(max_size=8), "text": st.one_of(st.text(max_size=40), st.integers())}),
    st.lists(st.integers(), max_size=2),
), min_size=1, max_size=6))
def test_property_every_jsonl_line_is_kept_or_rejected(tmp_path_factory, lines: list) -> None:
    import json

    encoded = [x.replace("\n", " ").replace("\r", " ") if isinstance(x, str) else json.dumps(x) for x in lines]
    encoded.append(json.dumps({"doc_id": "zz-keep", "text": GOOD}))
    table = _write(tmp_path_factory.mktemp("j") / "a.jsonl", "\n".join(encoded) + "\n")
    df = load_corpus(table, errors="collect")
    assert "zz-keep" in set(df.articles["doc_id"])
    # lines of ASCII whitespace are blank, not articles; anything else is kept or rejected
    _accounted(df, sum(1 for e in encoded if e.encode("utf-8").strip()))


def test_plot_removed_draws_one_bar_per_outlet_summing_its_articles() -> None:
    import matplotlib.pyplot as plt

    from framelens.corpus import plot_removed

    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "A"],
                           "text_raw": ["Kyiv. Share", "Kyiv said.", "Kyiv. Share"]})
    _, audit = clean(corpus)
    ax = plot_removed(audit, corpus)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "A"]
    assert ax.get_title() == "A lost the largest share to page furniture: 10 of 22 characters (45%)"
    plt.close(ax.figure)
    ax = plot_removed(audit, corpus, max_outlets=1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A"]
    assert ax.get_ylabel() == "outlet (1 that lost most; 1 more not shown)"
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="max_outlets=0"):
        plot_removed(audit, corpus, max_outlets=0)


def test_source_note_says_where_outlets_come_from_and_counts_rejects(tmp_path: Path) -> None:
    from framelens.corpus import source_note

    (tmp_path / "a.txt").write_text("One report.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe bad")
    assert source_note(load_corpus(tmp_path, errors="collect")) == (
        "No manifest.csv: each file is its own outlet, named by its file name without .txt. "
        "1 article read, 1 rejected (see the rejects table).")
    (tmp_path / "manifest.csv").write_text("doc_id,outlet\na,Daily A\n", encoding="utf-8")
    assert source_note(load_corpus(tmp_path, errors="collect")).startswith(
        "Outlets and metadata from manifest.csv. 1 article read, 1 rejected")
    rows = tmp_path / "rows"
    rows.mkdir()
    (rows / "articles.csv").write_text("doc_id,text\nx,One report.\ny,Another one.\n", encoding="utf-8")
    assert source_note(load_corpus(rows / "articles.csv")) == (
        "The corpus file has no outlet column: each row is its own outlet, named by its doc_id. "
        "2 articles read, none rejected.")
    (rows / "with.csv").write_text("doc_id,text,outlet\nx,One report.,Daily X\n", encoding="utf-8")
    assert source_note(load_corpus(rows / "with.csv")).startswith("Outlets and metadata from the corpus file's columns.")


# ============================================================================ engines: RE2 and gates

from framelens.prep.clean import _apply, _find_spans  # noqa: E402


def _reference_spans(text: str, rules=RULES) -> list[tuple[int, int, str]]:
    """The spans as first written: every rule's pattern by Python's re over the whole
    text, overlaps checked against every span, trailing rules re-tried until none is
    taken, "trailing" judged by blanking the spans after the match."""
    taken: list[tuple[int, int, str]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b, _ in taken)

    def spans(rule) -> list[tuple[int, int]]:
        rx = re.compile(rule.pattern, rule.flags)
        group = "cut" if "cut" in rx.groupindex else 0
        return [m.span(group) for m in rx.finditer(text) if m.end(group) > m.start(group)
                and free(*m.span(group))]

    for rule in rules:
        if not rule.trailing:
            taken.extend((s, e, rule.name) for s, e in spans(rule))
    changed = True
    while changed:
        changed = False
        for rule in [r for r in rules if r.trailing]:
            for s, e in spans(rule):
                rest = list(text[e:])
                for a, b, _ in taken:
                    if a >= e:
                        rest[a - e:b - e] = [" "] * (b - a)
                if "".join(rest).strip() == "":
                    taken.append((s, e, rule.name))
                    changed = True
    return sorted(taken)


def _reference_apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The tidying as specified: each line without its removed characters, stripped;
    a line that held a removal and is left blank dropped; blank runs to one; stripped."""
    removed = {p for a, b, _ in spans for p in range(a, b)}
    out = []
    for m in re.finditer(r"([^\r\n]*)(\r\n|\r|\n|$)", text):
        s, e = m.span(1)
        if s == e == len(text) and m.group(2) == "" and out and s != 0:
            break  # the empty piece after a final line break
        line = "".join(text[p] for p in range(s, e) if p not in removed).strip()
        if not (line == "" and any(p in removed for p in range(s, e))):
            out.append(line)
        if m.group(2) == "":
            break
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


_ENGINE_PIECES = ["Share", "Share this article", "Source: CNN", "Sources: A", "Source: https://a.b/c",
                  "Comment (0)", "3 comments", "date 2024-01-01", "Published: 2024-11-30 10:00",
                  "3:42 PM EST, November 29, 2024", "Updated 5 days ago", "November 29, 2024",
                  "29.11.2024", "This article first appeared on X", "Originally published in é",
                  "Republished from A", "Bruce Lee is a writer with experience in news.",
                  "Ann is an author who covers war.", "Kyiv asked NATO.", "x", "é", ".", "!",
                  " ", "\t", "\n", "\n\n", "\r\n", "\r", "\u2028", "\ufeff", "\u0130", "\u212a",
                  "\u017f", "KYIV", "at 10:00"]
_ENGINE_TEXT = (st.lists(st.sampled_from(_ENGINE_PIECES) | st.text(max_size=4), max_size=30)
                .map("".join))


@settings(max_examples=300, deadline=None)
@given(_ENGINE_TEXT)
def test_property_spans_and_text_as_first_written(text: str) -> None:
    """RE2 for the rules it can run, the gates, the bisected overlaps and trailing
    spans: the spans and cleaned text of Python's re and the plain loops."""
    spans = _find_spans(text, RULES)
    assert spans == _reference_spans(text)
    assert _apply(text, spans) == _reference_apply(text, spans)


@settings(max_examples=300, deadline=None)
@given(_ENGINE_TEXT)
def test_property_gates_match_where_their_rule_does(text: str) -> None:
    """A gated rule's gate (RE2) matches every text its pattern (re) matches."""
    from framelens.patterns import PatternSet

    gated = [r for r in RULES if r.gate is not None]
    assert {r.name for r in gated} == {"date-header", "header-date-line", "share-residue",
                                       "republish-notice", "author-bio"}
    present = PatternSet([r.gate_source() for r in gated]).present(text)
    for i, rule in enumerate(gated):
        if re.search(rule.pattern, text, rule.flags):
            assert i in present, rule.name


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("ab \t\u00a0\u2028\x0c") + ["\n", "\r", "\r\n", "\n\n\n"]),
                max_size=40).map("".join))
def test_property_apply_without_spans_tidies_as_before(text: str) -> None:
    lines = re.split(r"\r\n|\r|\n", text)
    assert _apply(text, []) == re.sub(r"\n{3,}", "\n\n", "\n".join(l.strip() for l in lines)).strip()


ABP = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


def test_clean_real_articles_same_as_first_written() -> None:
    """300 Article-Bias-Prediction articles: RE2, the gates and the bisected spans
    remove exactly what every rule's plain re.finditer and the plain loops remove, and
    the gates hold wherever their rule matches."""
    if not ABP.is_file():
        pytest.skip(f"{ABP} is absent (a clone outside the workplace): no real corpus to check")
    from framelens.distributed import load_jsonl
    from framelens.patterns import PatternSet

    corpus = load_jsonl(ABP, n=300)
    cleaned, audit = clean(corpus)
    assert len(audit) > 0  # the sample does hold page furniture
    gated = [r for r in RULES if r.gate is not None]
    gates = PatternSet([r.gate_source() for r in gated])
    for doc_id, text, got in zip(corpus["doc_id"], corpus["text_raw"], cleaned["text"]):
        spans = _reference_spans(text)
        assert _find_spans(text, RULES) == spans, doc_id
        assert got == _reference_apply(text, spans), doc_id
        present = gates.present(text)
        assert all(i in present for i, r in enumerate(gated) if re.search(r.pattern, text, r.flags))


def test_user_rule_runs_on_re2_and_rejects_what_it_cannot_bound() -> None:
    slow = Rule("slow", "A catastrophic pattern.", r"(a+)+$")
    text = "a" * 34 + "b\n" + "a" * 100_000
    import time

    start = time.process_time()
    _, removed = _one(text, rules=[slow])
    assert time.process_time() - start < 10  # re would not finish against the 34 "a"
    assert removed == [("slow", "a" * 100_000)]
    from framelens.patterns import PatternError

    with pytest.raises(PatternError, match=r"cleaning rule 'ahead': pattern .* uses a look-around"):
        _one("x", rules=[Rule("ahead", "Look-ahead.", r"Share(?=\n)")])
    with pytest.raises(PatternError, match="cleaning rule 'verbose': flags"):
        _one("x", rules=[Rule("verbose", "Verbose.", "x", re.VERBOSE)])


def _furniture(n_chars: int) -> str:
    seed = (Path(__file__).resolve().parents[1] / "seeds" / "000_a03c4e4ffd75aa5a.txt").read_text("utf-8")
    return (seed * (n_chars // len(seed) + 1))[:n_chars]


def test_clean_time_grows_linearly_with_furniture() -> None:
    """Seed 000 (it holds page furniture) repeated: 8 times the text takes about 8 times
    as long (it took 5.7 times as long for twice the text, 4 -> 8 MB, before)."""
    import time

    def seconds(n: int) -> float:
        df = pd.DataFrame({"doc_id": ["a"], "text_raw": [_furniture(n)]})
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            _, audit = clean(df)
            best = min(best, time.process_time() - start)
        assert len(audit) > n // 3000  # furniture found all along the text
        return best

    small, big = seconds(250_000), seconds(2_000_000)
    assert big < 20 * max(small, 0.01), (small, big)  # quadratic would be 64 x


from datetime import timedelta  # noqa: E402

from test_patterns import HUGE, PATTERNS, _compiled  # noqa: E402


@settings(max_examples=25, deadline=timedelta(seconds=60))
@given(PATTERNS, HUGE, st.booleans())
def test_property_clean_with_random_rules_on_huge_text_is_bounded(pattern: str, text: str,
                                                                  trailing: bool) -> None:
    """A user's rule with a random pattern (nested quantifiers too), after the built-in
    rules, on 340,000 characters of random unicode: cleaning ends within the deadline and
    its audit is exact."""
    if _compiled(pattern) is None:
        return
    rules = list(RULES) + [Rule("mine", "A random pattern.", pattern, trailing=trailing)]
    df = pd.DataFrame({"doc_id": ["d"], "text_raw": [text + "\nShare\nSource: A"]})
    cleaned, audit = clean(df, rules=rules)
    raw = df.loc[0, "text_raw"]
    assert all(raw[s:e] == r for s, e, r in zip(audit["start"], audit["end"], audit["removed"]))
    assert len(cleaned.loc[0, "text"]) <= len(raw)


def test_clean_text_with_a_lone_surrogate() -> None:
    """A JSON "\\ud800" escape gives a str UTF-8 cannot hold; RE2 still matches around it."""
    text = "Kyiv \ud800 asked. Share\nComment (0)\nSource: A \ud800"
    spans = _find_spans(text, RULES)
    assert spans == _reference_spans(text)
    assert [text[a:b] for a, b, _ in spans] == ["Share", "Comment (0)", "Source: A \ud800"]


# ============================================================================ stories (issue 17, reading)

WCL = Path(__file__).resolve().parents[1].parent / "shared/corpora/newswcl50/articles"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_story_column_in_the_manifest_becomes_the_story(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "c", {"a.txt": "Kyiv asked.", "b.txt": "NATO waited.", "c.txt": "Talks ended.",
                                    "manifest.csv": "doc_id,outlet,story\na,A,s1\nb,B,s1\nc,A,Gaza / day 1?\n"})
    df = load_corpus(folder)
    assert list(df.articles.columns) == [*CORE_COLUMNS, "story"]
    assert df.articles["story"].tolist() == ["s1", "s1", "Gaza / day 1?"]  # not a file name: kept as given


def test_event_column_in_a_table_becomes_the_story_and_is_kept(tmp_path: Path) -> None:
    table = tmp_path / "a.csv"
    table.write_text("doc_id,event,text\na,e1,Kyiv asked.\nb,e2,NATO waited.\n", encoding="utf-8")
    df = load_corpus(table)
    assert list(df.articles.columns) == [*CORE_COLUMNS, "story", "event"]
    assert df.articles["story"].tolist() == ["e1", "e2"] and df.articles["event"].tolist() == ["e1", "e2"]


def test_empty_story_values_are_rejects_naming_the_row(tmp_path: Path) -> None:
    table = tmp_path / "a.jsonl"
    table.write_text('{"doc_id": "a", "story": "s1", "text": "Kyiv asked."}\n'
                     '{"doc_id": "b", "story": " ", "text": "NATO waited."}\n', encoding="utf-8")
    df = load_corpus(table, errors="collect")
    assert df.articles["doc_id"].tolist() == ["a"]
    assert rejects_table(df).values.tolist() == [[
        "a.jsonl:line 2", f"{table}, line 2: empty 'story': when the column is given every article "
        "needs its story id; fill it, or drop the column (stories are then found by "
        "stories.group_stories)."]]
    folder = _tree(tmp_path / "c", {"a.txt": "Kyiv asked.", "b.txt": "NATO waited.",
                                    "manifest.csv": "doc_id,event\na,e1\nb,\n"})
    df = load_corpus(folder, errors="collect")
    assert df.articles["story"].tolist() == ["e1"]
    assert rejects_table(df)["reason"].iloc[0].startswith(
        f"manifest {folder / 'manifest.csv'}, line 3: empty 'event'")


def test_sub_folders_are_stories_with_a_top_manifest(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "c", {"ev 1/a.txt": "Kyiv asked.", "ev 1/b.txt": "NATO waited.",
                                    "ev2/c.txt": "Talks ended.", "notes/readme.md": "not a story",
                                    "manifest.csv": "doc_id,outlet\na,A\nb,B\nc,A\n"})
    df = load_corpus(folder)
    assert df.articles[["doc_id", "outlet", "story", "path"]].values.tolist() == [
        ["a", "A", "ev 1", "ev 1/a.txt"], ["b", "B", "ev 1", "ev 1/b.txt"], ["c", "A", "ev2", "ev2/c.txt"]]


def test_sub_folders_with_one_manifest_each(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "c", {"e1/a.txt": "Kyiv asked.", "e1/manifest.csv": "doc_id,outlet\na,A\n",
                                    "e2/b.txt": "NATO waited.", "e2/manifest.csv": "doc_id,outlet\nb,B\nz,Z\n"})
    df = load_corpus(folder, errors="collect")
    assert df.articles[["doc_id", "outlet", "story"]].values.tolist() == [["a", "A", "e1"], ["b", "B", "e2"]]
    assert rejects_table(df).values.tolist() == [[
        "e2/z.txt", f"manifest {folder / 'e2' / 'manifest.csv'}, line 3: doc_id 'z' has no file 'z.txt' in "
        f"{str(folder / 'e2')!r}; add the file or delete the row."]]
    (folder / "manifest.csv").write_text("doc_id\na\nb\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a manifest at the top \(manifest\.csv\) and in story folders "
                                          r"\(e1/manifest\.csv, e2/manifest\.csv\)"):
        load_corpus(folder)


def test_sub_folders_mixed_with_top_level_files_name_them(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "c", {"top.txt": "Kyiv asked.", "e1/a.txt": "NATO waited."})
    with pytest.raises(CorpusError, match=r"holds both \.txt files \(top\.txt\) and sub-folders of \.txt "
                                          r"files \(e1/\)"):
        load_corpus(folder, errors="collect")


def test_same_file_name_in_two_stories_and_story_disagreeing_with_its_folder(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "c", {"e1/nyt.txt": "Kyiv asked.", "e2/nyt.txt": "NATO waited.",
                                    "e2/fox.txt": "Talks ended.",
                                    "manifest.csv": "doc_id,story\nnyt,e1\nfox,e9\n"})
    df = load_corpus(folder, errors="collect")
    assert df.articles["path"].tolist() == ["e1/nyt.txt"]
    reasons = dict(rejects_table(df).values.tolist())
    assert reasons["e2/nyt.txt"] == f"e1/nyt.txt and e2/nyt.txt in {str(folder)!r} give the same doc_id 'nyt'; rename one of them."
    assert "story 'e9' differs from the sub-folder 'e2'" in reasons["e2/fox.txt"]


@pytest.mark.skipif(not WCL.is_dir(), reason=f"NewsWCL50 not found at {WCL}")
def test_newswcl50_loads_as_one_corpus_of_ten_stories() -> None:
    df = load_corpus(WCL)
    assert len(df.articles) == 50 and df.articles["story"].nunique() == 10
    assert df.articles.groupby("story").size().eq(5).all()
    assert set(df.articles.loc[df.articles["story"] == "event_3", "doc_id"]) == {"3_L", "3_LL", "3_M", "3_R", "3_RR"}


def test_rule_advertisement_marker_line_only() -> None:
    text, removed = _one("They cross the border.\n\nADVERTISEMENT\n\n“Children are used,” he said.\nAdvertisement")
    assert removed == [("advertisement-marker", "ADVERTISEMENT"), ("advertisement-marker", "Advertisement")]
    assert text == "They cross the border.\n\n“Children are used,” he said."


def test_rule_advertisement_negative() -> None:
    prose = "The advertisement ran on Fox.\nADVERTISEMENT SPENDING rose.\nAn Advertisement"
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_rule_media_caption_whole_line() -> None:
    text, removed = _one("Image copyright AP\n\nTrump scorned the claims.\n\nImage copyright AP Image caption "
                         "Dolls in a Moscow shop\n\nMedia playback is unsupported on your device Media caption "
                         "'Be non-partisan', warns Brennan\n\nMr Trump said.")
    assert [r for r, _ in removed] == ["media-caption"] * 3
    assert removed[1][1] == "Image copyright AP Image caption Dolls in a Moscow shop"
    assert text == "Trump scorned the claims.\n\nMr Trump said."


def test_rule_media_caption_negative() -> None:
    prose = "The image caption was wrong, he said.\nImages copyrighted by AP were used.\nMedia captions matter."
    text, removed = _one(prose)
    assert removed == [] and text == prose


def test_clean_keeps_a_text_no_rule_changed_as_its_raw_string() -> None:
    """Cleaning that removes nothing gives back the raw string itself, so the corpus (and the
    pickle a report's kernels read) holds it once; a cleaned text is a string of its own."""
    import pickle

    body = "\n".join(["Kyiv asked NATO for an invitation."] * 200)  # cleaning joins lines anew
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text_raw": [body, "Share\n" + body]})
    cleaned, audit = clean(corpus)
    assert cleaned["text"].tolist() == [body, body] and audit["doc_id"].tolist() == ["b"]
    assert cleaned.loc[0, "text"] is cleaned.loc[0, "text_raw"]
    assert cleaned.loc[1, "text"] is not cleaned.loc[1, "text_raw"]
    back = pickle.loads(pickle.dumps(cleaned, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.loc[0, "text"] is back.loc[0, "text_raw"]
    copied = cleaned.assign(text=[t[:1] + t[1:] for t in cleaned["text"]])  # equal, new strings
    saved = (len(pickle.dumps(copied, protocol=pickle.HIGHEST_PROTOCOL))
             - len(pickle.dumps(cleaned, protocol=pickle.HIGHEST_PROTOCOL)))
    assert saved >= len(body)  # article a's text is stored once
