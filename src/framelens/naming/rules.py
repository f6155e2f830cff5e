"""The four label rules (pre-modifier, apposition before and after, title after) over a
mention's sentence tokens, and the pre-check that tells from the characters around a mention
whether any of them can apply.
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from framelens.naming.sentences import Sentence
from framelens.naming.words import (CONNECTORS, DETERMINERS, MAX_PHRASE, POSSESSIVE, STOP,
                                    STOP_DETERMINERS, TITLE_MODIFIERS, TOKEN, WHITE, is_cap,
                                    is_role, is_word)

__all__ = ["may_have_label", "find_label", "token_ends", "tokens_before"]

_CONNECTORS_DETERMINERS = CONNECTORS | DETERMINERS
_JOINERS = "-'\u2019\u2010\u2011."  # characters that can continue a token past a word character
_CHUNK = 200  # characters: a longer chunk before a mention is tokenised, not read here
#: Tokens: a run of title or capitalised words longer than this before or after a name is
#: not followed to its end (a label holds at most MAX_PHRASE tokens), so the time per
#: mention stays bounded in a text of one endless sentence.
_MAX_RUN = 4 * MAX_PHRASE


def may_have_label(s: Sentence, start: int, end: int, roles: frozenset[str],
                   person: bool) -> bool:
    """False when none of the four label patterns can apply to the mention
    ``text[start:end]`` of sentence ``s``, read from the characters around it without
    tokenising the sentence; True when one may (or when that is not certain).

    Each rule's first step is checked on the token next to the mention. Left: a
    pre-modifier needs the token before the mention to be a role word or a
    capitalised word other than a capitalised stop word or determiner ("The",
    "But"; "US" is not one), and neither a connector nor a title modifier
    (:func:`_pre_modifier` stops there with nothing); an apposition before it needs a
    comma there. Right: an apposition after it needs a comma right after it and then
    a word that is a determiner, a role word or not a stop word
    (:func:`_apposition_after`); a title after it (persons only) a capitalised role
    word; a possessive name ("Trump's") takes neither.

    The tokens next to the mention are found only where that is safe: the mention
    opens a token (none at its start, and white space or a punctuation mark that is a
    token of its own before it: ``"Putin``, not ``anti-Putin``), and the token holding
    its last character ends where the mention ends (white space after it, or a
    character no token continues with: :func:`token_ends`) or is the mention and a
    possessive ``'s``; the token before is then the last token of the last
    white-space-delimited chunk before the mention, the token after the one at the
    next character that is not white space (white space never lies inside a token,
    and every other character opens one). Only the characters next to the mention are
    read, so the time per mention does not grow with the sentence: a chunk longer
    than :data:`_CHUNK` characters answers True.
    """
    text, offset = s.text, s.offset
    i, j = start - offset, end - offset
    n = len(text)
    if i < 0 or i >= n or text[i].isspace():
        return True
    if i > 0 and not text[i - 1].isspace():
        b = text[i - 1]  # right before the mention: a token of its own, or unsure
        if is_word(b) or b == "." or (b in _JOINERS and i > 1 and is_word(text[i - 2])):
            return True  # the mention may start inside a token ("anti-Putin", "U.S.A.")
        if b == ",":
            return True  # an apposition before the name may end here
        k = 0  # the token before is not a word: no pre-modifier
    else:
        k = i
    while k > 0 and text[k - 1].isspace():
        k -= 1
    if k > 0:  # the chunk before: text[a:k]
        a = text.rfind(" ", max(0, k - _CHUNK - 1), k) + 1
        t = text[a:k]
        if (a == 0 and k > _CHUNK) or not (t.isalnum() or not WHITE.search(t)):
            a = k - 1  # white space other than " " (or none): find the chunk's start here
            while a > 0 and not text[a - 1].isspace():
                a -= 1
                if k - a > _CHUNK:
                    return True
            t = text[a:k]
        chunk: list[str] = [] if t.isalnum() else TOKEN.findall(t)  # letters, digits: one token
        if chunk:
            t = chunk.pop()
        if t == ",":  # an apposition before the name may end here
            if _role_before_comma(chain(reversed(chunk), tokens_before(text, a)), roles):
                return True
        elif is_word(t):
            low = t.lower()
            if low not in CONNECTORS and low not in TITLE_MODIFIERS:
                if is_role(t, roles):
                    return True
                if (t[0].isupper() and (low not in STOP_DETERMINERS or (len(t) > 1 and t.isupper()))
                        and _role_in_title_run(chain(reversed(chunk), tokens_before(text, a)),
                                               roles)):
                    return True
    if j >= n:
        return False  # no token after the mention in its sentence
    c = text[j]
    if c.isspace():
        while j < n and text[j].isspace():
            j += 1
        if j == n:
            return False
    elif (c in "'\u2019" and j + 2 <= n and text[j + 1] in "sS" and is_word(text[j - 1])
          and (j + 2 == n or not (is_word(text[j + 2]) or text[j + 2] in _JOINERS))):
        return False  # "Trump's": a possessive takes no label after it
    elif not token_ends(text, j):
        return True  # the mention may end inside a token
    c = text[j]  # the first character of the token after the mention
    if c == ",":
        j += 1
        while j < n and text[j].isspace():
            j += 1
        if j == n:
            return False  # the comma ends the sentence
        t = TOKEN.match(text, j).group()  # type: ignore[union-attr]
        low = t.lower()
        if not is_word(t) or (low in STOP and low not in DETERMINERS and not is_role(t, roles)):
            return False  # ", who ...": no apposition
        return _role_in_apposition(text, j, roles)
    if person and c.isupper():
        t = TOKEN.match(text, j).group()  # type: ignore[union-attr]
        return is_cap(t) and is_role(t, roles)
    return False


def tokens_before(text: str, k: int) -> Iterator[str | None]:
    """The tokens of ``text[:k]``, nearest first, ``k`` being 0, ``len(text)`` or next
    to white space: each white-space-delimited chunk is tokenised on its own (white
    space never lies inside a token), so these are the tokens of the whole text. None,
    and nothing more, for a chunk longer than :data:`_CHUNK` characters."""
    while k > 0 and text[k - 1].isspace():
        k -= 1
    while k > 0:
        a = k - 1
        while a > 0 and not text[a - 1].isspace():
            a -= 1
            if k - a > _CHUNK:
                yield None
                return
        chunk = text[a:k]
        if chunk.isalnum():  # letters and digits only: one token
            yield chunk
        else:
            yield from reversed(TOKEN.findall(chunk))
        k = a
        while k > 0 and text[k - 1].isspace():
            k -= 1


def _role_before_comma(before: Iterator[str | None], roles: frozenset[str]) -> bool:
    """False when :func:`_apposition_before` certainly finds no label: no role word
    among the words before the comma (``before``, nearest first) up to the first
    token that is not a word or the first stop word that is neither a connector nor a
    determiner, where the rule's phrase ends at the latest."""
    found = False
    for n, t in enumerate(before):
        if t is None or n > MAX_PHRASE:
            return True  # not read that far: not certain
        if not is_word(t):
            return found
        low = t.lower()
        if low in STOP and low not in CONNECTORS and low not in DETERMINERS:
            return found
        found = found or is_role(t, roles)
    return found


def _role_in_title_run(before: Iterator[str | None], roles: frozenset[str]) -> bool:
    """False when :func:`_pre_modifier` certainly finds no label after a capitalised
    word that is not a role word ("Mr Trump", "Melania Trump"): no role word in the run
    of capitalised words and connectors before it (``before``, nearest first), the
    longest the rule's run can grow to; a label needs one."""
    for n, t in enumerate(before):
        if t is None or n > _MAX_RUN:
            return True
        if not is_word(t):
            return False
        if is_role(t, roles):
            return True
        if not (t[0].isupper() or t.lower() in CONNECTORS):
            return False
    return False


def _role_in_apposition(text: str, j: int, roles: frozenset[str]) -> bool:
    """False when :func:`_apposition_after` certainly finds no label in the phrase
    whose first token starts at ``text[j]`` (after the comma): it closes at a comma,
    semicolon, full stop, colon, dash or the sentence end without a role word, or
    meets another token that is not a word."""
    found = False
    for n, m in enumerate(TOKEN.finditer(text, j)):
        t = m.group()
        if n > MAX_PHRASE:
            return True
        if t in _CLOSERS:
            return found
        if not is_word(t):
            return False
        found = found or is_role(t, roles)
    return found


_CLOSERS = frozenset({",", ";", ".", ":", "\u2014"})  # end an apposition after a name


def token_ends(text: str, j: int) -> bool:
    """Whether the token holding ``text[j - 1]`` (if any) certainly ends at ``j``,
    ``text[j]`` not being white space: no :data:`~framelens.naming.words.TOKEN` continues with
    it. A word character may continue a word; a hyphen or apostrophe between two word characters
    too ("Putin-backed"); a full stop after a capital A-Z may continue an initialism
    ("U.S.") when a full stop stands before that capital or a capital after the stop.
    """
    c = text[j]
    if is_word(c):
        return False
    n = len(text)
    if c in "-'\u2019\u2010\u2011":
        return not (j > 0 and is_word(text[j - 1]) and j + 1 < n and is_word(text[j + 1]))
    if c == ".":
        return not (j > 0 and "A" <= text[j - 1] <= "Z"
                    and ((j > 1 and text[j - 2] == ".") or (j + 1 < n and "A" <= text[j + 1] <= "Z")))
    return True


def _finish(s: Sentence, idx: list[int], roles: frozenset[str]) -> tuple[int, int] | None:
    """Trim a candidate label (token indices) and return its char span if it is one."""
    toks = s.toks
    while idx and toks[idx[-1]].lower() in _CONNECTORS_DETERMINERS:
        idx = idx[:-1]
    while idx and toks[idx[0]].lower() in CONNECTORS:
        idx = idx[1:]
    if idx and toks[idx[0]].lower() in DETERMINERS:
        if not (len(idx) > 1 and POSSESSIVE.search(toks[idx[1]])):
            idx = idx[1:]
    if not idx or len(idx) > MAX_PHRASE:
        return None
    if not any(is_role(toks[k], roles) for k in idx):
        return None
    return s.starts[idx[0]], s.ends[idx[-1]]


def _pre_modifier(s: Sentence, first: int, roles: frozenset[str]) -> tuple[int, int] | None:
    toks = s.toks
    i = first - 1
    if i < 0 or toks[i].lower() in CONNECTORS:
        return None
    run: list[int] = []
    while i >= 0:
        if len(run) > _MAX_RUN:
            return None  # far too long for a label (MAX_PHRASE)
        t = toks[i]
        if is_word(t) and t.lower() in TITLE_MODIFIERS:
            if run and any(is_role(toks[k], roles) for k in run):
                run.insert(0, i)  # "former FBI director", "Former Director"
            break
        if is_word(t) and (is_role(t, roles) or is_cap(t)):
            if (is_cap(t) and not is_role(t, roles) and t.lower() in STOP_DETERMINERS
                    and not (len(t) > 1 and t.isupper())):
                break  # "The", "According", "Despite" opening a sentence; not "US"
            if i == 0 and not is_role(t, roles) and len(t) > 4 and t.endswith("ing"):
                break  # "Receiving French President ...": a participle opens the sentence
            run.insert(0, i)
        elif (t.lower() in CONNECTORS and run
              and (is_cap(toks[run[0]]) or is_role(toks[run[0]], roles))
              and i > 0 and is_role(toks[i - 1], roles)
              and not any(is_role(toks[k], roles) for k in run)):
            # "Head of State", "Minister of Foreign Affairs": a title continues to the
            # right; not "Kim and President", not "team of Ukrainian leader" (the title
            # "Ukrainian leader" is already whole)
            run.insert(0, i)
        else:
            break
        i -= 1
    if not run:
        return None
    # lower-case adjectives between a determiner and a lower-case head noun: "the
    # illegitimate Russian dictator" (a capitalised title such as "the tariffs President
    # Trump announced" is a name, not a noun phrase to extend)
    adj: list[int] = []
    j = run[0] - 1
    while (j >= 0 and len(adj) < 3 and toks[run[-1]].islower() and is_word(toks[j])
           and toks[j].islower() and toks[j] not in STOP_DETERMINERS):
        adj.insert(0, j)
        j -= 1
    if adj and j >= 0 and toks[j].lower() in DETERMINERS:
        run = adj + run
    return _finish(s, run, roles)


def _apposition_before(s: Sentence, first: int,
                       roles: frozenset[str]) -> tuple[int, int] | None:
    toks = s.toks
    c = first - 1
    if c < 1 or toks[c] != ",":
        return None
    idx: list[int] = []
    i = c - 1
    while i >= 0 and len(idx) <= MAX_PHRASE:
        t = toks[i]
        if not is_word(t):
            break
        low = t.lower()
        if low in DETERMINERS:
            if i > 0 and toks[i - 1].lower() in CONNECTORS:
                idx.insert(0, i)  # "head of the Ministry"
            else:
                idx.insert(0, i)
                break
        elif low in STOP and low not in CONNECTORS:
            if idx and POSSESSIVE.search(toks[idx[0]]) and is_cap(toks[idx[0]]):
                break  # "warned by London's mayor, Sadiq Khan": a whole noun phrase
            return None  # "sworn in as president, Trump ...": a clause, not a noun phrase
        else:
            idx.insert(0, i)
        i -= 1
    return _finish(s, idx, roles)


def _apposition_after(s: Sentence, last: int, roles: frozenset[str]) -> tuple[int, int] | None:
    c = last + 1
    if c >= len(s.toks) - 1 or s.toks[c] != ",":
        return None
    idx: list[int] = []
    i = c + 1
    first = s.toks[i]
    if not is_word(first):
        return None
    low = first.lower()
    if low in STOP and low not in DETERMINERS and not is_role(first, roles):
        return None  # ", who ...", ", in an interview ..."
    closed = False
    while i < len(s.toks) and len(idx) <= MAX_PHRASE:
        t = s.toks[i]
        if t in {",", ";", ".", ":"} or (t == "\u2014"):
            closed = True
            break
        if not is_word(t):
            return None
        idx.append(i)
        i += 1
    if i >= len(s.toks):
        closed = True
    if not closed:
        return None
    return _finish(s, idx, roles)


def _title_after(s: Sentence, last: int, roles: frozenset[str]) -> tuple[int, int] | None:
    toks = s.toks
    i = last + 1
    if i >= len(toks):
        return None
    if not (is_cap(toks[i]) and is_role(toks[i], roles)):
        return None
    run = [i]
    i += 1
    while i < len(toks):
        if len(run) > _MAX_RUN:
            return None  # far too long for a label (MAX_PHRASE)
        t = toks[i]
        if is_cap(t) or (t.lower() in CONNECTORS and i + 1 < len(toks)
                          and is_cap(toks[i + 1])):
            run.append(i)
            i += 1
        else:
            break
    return _finish(s, run, roles)



def find_label(s: Sentence, first: int, last: int, roles: frozenset[str],
               person: bool) -> tuple[tuple[int, int] | None, str | None]:
    """The label of the mention made of tokens ``first..last`` of ``s`` and its kind:
    the first of the four rules that finds one (``(None, None)`` when none does)."""
    span = _pre_modifier(s, first, roles)
    if span is not None:
        return span, "pre-modifier"
    span = _apposition_before(s, first, roles)
    if span is not None:
        return span, "apposition-before"
    if POSSESSIVE.search(s.toks[last]):
        return None, None  # "Trump's Cabinet": what follows is his, not him
    s.tokenise()  # the rules after the name read the rest of the sentence
    span = _apposition_after(s, last, roles)
    if span is not None:
        return span, "apposition-after"
    if person:  # "NATO Secretary General ..." names someone else
        span = _title_after(s, last, roles)
        if span is not None:
            return span, "title-after"
    return None, None
