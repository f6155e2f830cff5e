"""The error a corpus that cannot be read raises, and the UTF-8 messages every reader shares.

:class:`CorpusError` names the file or the row and says what to do; :func:`decode_utf8` and
:func:`bad_utf8` say where bytes stop being UTF-8 and how to re-save them.
"""
from __future__ import annotations

__all__ = ["CorpusError", "decode_utf8", "bad_utf8"]


class CorpusError(ValueError):
    """A corpus folder or its manifest cannot be read as it is.

    The message names the file or the manifest row (1-based line number in the
    manifest file, the header being line 1) and says what to do.
    """


def _resave_hint(raw: bytes) -> str:
    """How to re-save bytes that are not UTF-8: UTF-16 when they look like it, else cp1252.

    UTF-16 is recognised by its byte-order mark (``FF FE`` or ``FE FF``) or by NUL bytes
    at every other position of the first bytes (ASCII letters in UTF-16).
    """
    head = raw[:200]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4))
    if utf16:
        return ("The file looks like UTF-16 (a UTF-16 byte-order mark or NUL bytes between the "
                "letters): re-save it as UTF-8, e.g. `iconv -f utf-16 -t utf-8`")
    return "Re-save the file as UTF-8, e.g. `iconv -f cp1252 -t utf-8` if it came from Windows"


def decode_utf8(raw: bytes, where: str) -> str:
    """``raw`` decoded from UTF-8; else :class:`CorpusError` naming ``where``, the byte offset and line.

    >>> decode_utf8(b"Kyiv", "article a.txt")
    'Kyiv'
    """
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        bad = raw[err.start:err.end].hex(" ")
        raise CorpusError(
            f"{where} is not valid UTF-8: byte(s) {bad} at byte offset {err.start} "
            f"(line {line}) cannot be decoded ({err.reason}). {_resave_hint(raw)}."
        ) from None


def bad_utf8(raw: bytes, base: int) -> str:
    """Where ``raw`` (starting at byte ``base`` of the file) stops being UTF-8 (``""`` if it does not).

    >>> bad_utf8(b"Kyiv", 0), bad_utf8(b"Kyiv \\xe9", 10)[:45]
    ('', 'not valid UTF-8: byte(s) e9 at byte offset 15')
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = raw[err.start:err.end].hex(" ")
        return (f"not valid UTF-8: byte(s) {bad} at byte offset {base + err.start} cannot be "
                f"decoded ({err.reason}). {_resave_hint(raw)}")
    return ""
