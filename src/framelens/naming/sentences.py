"""The sentence around a mention, found lazily paragraph by paragraph, and its word tokens.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from itertools import accumulate, chain

from framelens.naming.words import TOKEN
from framelens.text import BREAK_RUN, LINE_BREAK_CHARS, sentence_spans  # same paragraphs

__all__ = ["Sentence", "SentenceIndex"]

# Every character is white space or starts a TOKEN match (\w+ or [^\w\s]), so the text
# between two tokens is white space: one findall of (white space, token) pairs gives the
# tokens of TOKEN.finditer, and the pairs' lengths give their offsets.
_GAP_TOKEN = re.compile(rf"(\s*)({TOKEN.pattern})")


class Sentence:
    """One sentence and, as far as :meth:`tokenise` read it, its word tokens with their
    character offsets.

    Every character of a sentence is white space or opens a
    :data:`~framelens.naming.words.TOKEN` match, so what lies between two consecutive tokens
    is white space only: the label rules walk from token to token without looking at the
    gaps, and the text up to a white space character holds exactly the sentence's tokens
    that end before it.
    """

    __slots__ = ("text", "offset", "toks", "starts", "ends", "upto")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.offset = start
        self.toks: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.upto = 0  # characters of text tokenised so far

    def tokenise(self, upto: int | None = None) -> None:
        """Fill :attr:`toks`, :attr:`starts` and :attr:`ends` with the tokens of
        ``text[:upto]`` (the whole sentence by default), ``upto`` being the position of
        a white space character or the end; tokens already found are kept, the ones
        after them appended."""
        upto = len(self.text) if upto is None else min(upto, len(self.text))
        if upto <= self.upto:
            return
        # [(white space before, token), ...]; endpos: no token reaches past upto
        pairs = _GAP_TOKEN.findall(self.text, self.upto, upto)
        self.toks += [tok for _gap, tok in pairs]
        # offsets: start, then the running sum of the gap and token lengths
        bounds = list(accumulate(map(len, chain.from_iterable(pairs)),
                                 initial=self.offset + self.upto))
        self.starts += bounds[1::2]
        self.ends += bounds[2::2]
        self.upto = upto



_OTHER_BREAKS = LINE_BREAK_CHARS.replace("\n", "")  # line breaks other than "\n"


class SentenceIndex:
    """The sentence (as a :class:`Sentence`) around a character offset of one text.

    Same sentences as :func:`framelens.text.sentence_spans` over the whole text, but
    computed lazily paragraph by paragraph: every line break is a hard break there, so
    a paragraph's sentences do not depend on the rest of the text, and paragraphs
    without a mention are never split or tokenised. A text whose only line break is
    ``\\n`` (most texts) finds a paragraph's ends with :meth:`str.find` and
    :meth:`str.rfind` once and keeps them (so a text of one endless line is scanned
    once, not once per mention); other texts find every run of line breaks once
    (:data:`framelens.text.BREAK_RUN`) and bisect them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines_only = not any(c in text for c in _OTHER_BREAKS)
        self._found: tuple[list[int], list[int]] = ([], [])  # paragraphs found so far
        self._breaks: tuple[list[int], list[int]] | None = None
        self._paras: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        self._sents: dict[tuple[int, int], Sentence] = {}
        self._whole: list[tuple[int, int]] | None = None
        self._whole_starts: list[int] = []

    def _paragraph(self, pos: int) -> tuple[int, int] | None:
        """Start and end of the paragraph holding ``pos`` (None inside a line break)."""
        text = self.text
        if self._newlines_only:
            starts, ends = self._found
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos < ends[k]:
                return starts[k], ends[k]
            if text.startswith("\n", pos):
                return None
            end = text.find("\n", pos)
            para = text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end
            starts.insert(k + 1, para[0])
            ends.insert(k + 1, para[1])
            return para
        if self._breaks is None:
            found = [m.span() for m in BREAK_RUN.finditer(text)]
            self._breaks = ([a for a, _ in found], [b for _, b in found])
        starts_b, ends_b = self._breaks
        j = bisect.bisect_right(starts_b, pos)
        if j > 0 and pos < ends_b[j - 1]:
            return None
        return (ends_b[j - 1] if j > 0 else 0), (starts_b[j] if j < len(starts_b) else len(text))

    def at(self, pos: int) -> Sentence | None:
        para = self._paragraph(pos)
        if para is None:
            return self._fallback(pos)  # inside a line break: as over the whole text
        ps, pe = para
        if ps not in self._paras:
            spans = [(ps + a, ps + b) for a, b in sentence_spans(self.text[ps:pe])]
            self._paras[ps] = ([a for a, _ in spans], spans)
        starts, spans = self._paras[ps]
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return self._fallback(pos)  # before the paragraph's first sentence
        return self._sentence(spans[k])

    def _sentence(self, span: tuple[int, int]) -> Sentence:
        if span not in self._sents:
            self._sents[span] = Sentence(self.text[span[0]:span[1]], span[0])
        return self._sents[span]

    def _fallback(self, pos: int) -> Sentence | None:
        if self._whole is None:
            self._whole = sentence_spans(self.text)
            self._whole_starts = [a for a, _ in self._whole]
        k = bisect.bisect_right(self._whole_starts, pos) - 1
        return self._sentence(self._whole[k]) if k >= 0 else None

    def each(self, positions: Iterable[int]) -> list[Sentence | None]:
        """``[self.at(p) for p in positions]`` for positions in ascending order.

        In a text whose only line break is ``\\n``, one walk: a paragraph is found
        (:meth:`str.find`, :meth:`str.rfind`) and split when the first position past
        the previous paragraph's end reaches it, and the positions inside it are
        bisected in its sentence starts.
        """
        if not self._newlines_only:
            return [self.at(p) for p in positions]
        text, sents = self.text, self._sents
        after = len(text) + 1  # (pos, after) sorts after every span starting at pos
        out: list[Sentence | None] = []
        para_start = para_end = -1
        spans: list[tuple[int, int]] = []  # the paragraph's sentences, paragraph offsets
        for pos in positions:
            if pos >= para_end:
                if text.startswith("\n", pos):
                    out.append(self._fallback(pos))  # inside a line break, as at()
                    continue
                end = text.find("\n", pos)
                para_start = text.rfind("\n", 0, pos) + 1
                para_end = len(text) if end < 0 else end
                spans = sentence_spans(text[para_start:para_end])
            if len(spans) == 1 and spans[0][0] <= pos - para_start:
                a, b = spans[0]  # a paragraph of one sentence (most)
            else:
                k = bisect.bisect_right(spans, (pos - para_start, after)) - 1
                if k < 0:
                    out.append(self._fallback(pos))  # before the paragraph's first sentence
                    continue
                a, b = spans[k]
            span = (para_start + a, para_start + b)
            s = sents.get(span)
            if s is None:
                s = sents[span] = Sentence(text[span[0]:span[1]], span[0])
            out.append(s)
        return out
