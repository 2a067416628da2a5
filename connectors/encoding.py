"""Guessing the text encoding of a partner's CSV export.

Order of evidence: a byte-order mark; then UTF-8 (which plain ASCII also is); then Windows-1252,
the usual encoding of Excel's CSV in Western Europe and the Americas, when it reads as letters;
otherwise charset-normalizer's best guess. The sample is the start of the file plus the first
blocks that hold non-ASCII bytes, so that a name with an accent on row 40,000 still counts.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLOCK = 1 << 20
_NON_ASCII_SAMPLE = 1 << 20
# Punctuation that Windows-1252 text often carries besides letters.
# Signs that Central European letters turn into when misread (£ for Ł, ¹ for ą, ¿ for ż)
# are left out on purpose.
_WESTERN_PUNCTUATION = set("–—‘’‚“”„…•€«»°·ºª\u00a0")


def byte_order_mark_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _sample(path: Path) -> bytes:
    """The first block of the file, plus up to a megabyte of the first blocks with non-ASCII."""
    with path.open("rb") as stream:
        head = stream.read(_BLOCK)
        sample = [head]
        if head.isascii():
            while block := stream.read(_BLOCK):
                if not block.isascii():
                    sample.append(block[:_NON_ASCII_SAMPLE])
                    break
    return b"".join(sample)


def _reads_as_utf8(sample: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii_letters(text: str) -> tuple[bool, bool]:
    """Whether the non-ASCII characters of ``text`` are all letters or common punctuation, and
    whether any of those letters is outside the Latin script."""
    clean, other_script = True, False
    for ch in text:
        if ch.isascii() or ch in _WESTERN_PUNCTUATION:
            continue
        if not ch.isalpha():
            clean = False
        elif not unicodedata.name(ch, "").startswith("LATIN"):
            other_script = True
    return clean, other_script


def detect_encoding(path: Path) -> str | None:
    """The most likely encoding of a text file, or None when no encoding reads it as text."""
    sample = _sample(path)
    if found := byte_order_mark_encoding(sample):
        return found
    if _reads_as_utf8(sample):
        return "utf-8"
    guess = from_bytes(sample).best()
    if guess is not None and _non_ascii_letters(str(guess)) == (True, True):
        return guess.encoding  # clean text in another script, e.g. Cyrillic in Windows-1251
    try:
        if _non_ascii_letters(sample.decode("cp1252")) == (True, False):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    return guess.encoding if guess is not None else None
