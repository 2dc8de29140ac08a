"""Lines, sentences, tokens and named things of posting text, in linear time.

Descriptions arrive cleaned by intake (one bullet or paragraph per line). A line is always a
boundary; inside a line a full stop ends a sentence unless it belongs to an abbreviation
("z. B.", "e.g.", "Dr."), an initial, or the next word starts in lower case. Decimals never
split because a split needs whitespace after the stop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

# Steps read at most this much of a description: real postings are far shorter, and a
# multi-megabyte one is pasted junk whose tail cannot change what a summary should say.
MAX_TEXT_CHARS = 100_000
MAX_UNITS = 2_000

_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "eg",
        "ie",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "sr",
        "jr",
        "vs",
        "no",
        "nr",
        "ca",
        "approx",
        "incl",
        "inkl",
        "bzw",
        "ggf",
        "evtl",
        "usw",
        "mind",
        "min",
        "max",
        "str",
        "tel",
        "dept",
        "co",
        "inc",
        "ltd",
        "corp",
        "av",
        "avda",
        "sra",
        "dra",
        "mme",
        "mlle",
        "resp",
        "cf",
        "ex",
        "hr",
        "fr",
        "abs",
        "vgl",
        "zzgl",
        "bzgl",
        "jun",
        "sen",
        "ref",
        "pp",
        "sq",
        "ft",
        "pvt",
        "pte",
        "pty",
        "bros",
    ]
)
_STOP = re.compile(r"[.!?\u2026]+[\"'\u2019\u201d\u00bb)\]]*(?=\s)|[\u3002\uff01\uff1f]+")
_BULLET = re.compile(r"^\s*(?:[-\u2022\u00b7\u25aa\u25e6\u2023\u25cf*\u2013\u2014]|\d{1,2}[.)])\s+")
_EDGE_PUNCT = " \t.,;:!?\u2026\u3002\uff01\uff1f\"'\u2019\u201d"
_WORD = re.compile(r"\w+")
# Outputs may not carry control characters (the models' TEXT pattern); intake removes them, but
# the steps must not fail when given raw text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)
_MONEY = re.compile(
    # A space inside an amount only separates thousands ("€ 45 000"), so "$120,000. 5+ years" stops at the amount.
    r"(?:R\$|[$\u20ac\u00a3\u00a5\u20b9])\s?\d(?:[\d.,]|[\u202f ](?=\d{3}\b))*\d"
    r"|(?:R\$|[$\u20ac\u00a3\u00a5\u20b9])\s?\d"
)
_NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")
_CAPITALISED = re.compile(r"\b[^\W\d_][\w'\u2019&.-]*")


def normalize(text: str) -> str:
    """Case, quote, dash and whitespace differences are not differences in meaning."""
    folded = unicodedata.normalize("NFKC", plain(text)).translate(_QUOTES).casefold()
    return " ".join(folded.split())


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def core(text: str) -> str:
    """Normalised text without its bullet and edge punctuation: the part grounding compares."""
    return normalize(strip_bullet(text)).strip(_EDGE_PUNCT)


def is_bullet(line: str) -> bool:
    return _BULLET.match(line) is not None


def plain(text: str) -> str:
    return _CONTROL.sub(" ", text)


def capped(text: str) -> str:
    return plain(text[:MAX_TEXT_CHARS])


def lines(text: str) -> list[str]:
    """Non-empty stripped lines of the capped text."""
    return [line.strip() for line in capped(text).splitlines() if line.strip()]


def _word_before(line: str, end: int) -> str:
    # Look back a bounded distance so splitting stays linear even on a line without spaces.
    start = max(0, end - 24)
    cut = max(line.rfind(" ", start, end), line.rfind("(", start, end))
    return line[cut + 1 if cut >= 0 else start : end]


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    stop = match.group(0)
    following = line[match.end() : match.end() + 8].lstrip()[:1]
    if not following:
        return True
    if following.islower():
        return False
    if stop[0] != ".":
        return True
    word = _word_before(line, match.start()).casefold()
    if word in _ABBREVIATIONS or "." in word:
        return False
    # A single letter before a stop is an initial or part of "z. B.", not a sentence end.
    return not (len(word) == 1 and word.isalpha())


def split_sentences(line: str) -> list[str]:
    """Sentences of one line, original wording kept."""
    out: list[str] = []
    start = 0
    for match in _STOP.finditer(line):
        if _ends_sentence(line, match):
            piece = line[start : match.end()].strip()
            if piece:
                out.append(piece)
            start = match.end()
            if len(out) >= MAX_UNITS:
                return out
    tail = line[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentences(text: str) -> list[str]:
    """Every sentence of the (capped) text, each line split on its own."""
    out: list[str] = []
    for line in lines(text):
        out.extend(split_sentences(line))
        if len(out) >= MAX_UNITS:
            return out[:MAX_UNITS]
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def named_things(sentence: str) -> Iterator[str]:
    """What a reader would take as a fact: emails, URLs, money, numbers, capitalised words.

    The first word of a sentence is capitalised by grammar, not because it names something.
    """
    # Same compatibility form as the index, so a name's word boundaries match the index's tokens.
    body = unicodedata.normalize("NFKC", plain(strip_bullet(sentence)))
    taken: list[tuple[int, int]] = []
    for pattern in (_EMAIL, _URL, _MONEY, _NUMBER):
        for match in pattern.finditer(body):
            if any(a <= match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            yield match.group(0).rstrip(".,")
    first = True
    for match in _CAPITALISED.finditer(body):
        if any(a <= match.start() < b for a, b in taken):
            first = False
            continue
        word = match.group(0).rstrip(".'\u2019-&")
        if not first and word[:1].isupper():
            yield word
        first = False


def _wordy(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass
class PostingIndex:
    """The posting's text in comparable form, built once per check."""

    text: str
    norm: str = field(init=False)
    _tokens: set[str] | None = field(default=None, init=False, repr=False)
    _squashed: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.norm = normalize(self.text)

    @property
    def tokens(self) -> set[str]:
        if self._tokens is None:
            self._tokens = set(_WORD.findall(self.norm))
        return self._tokens

    def contains(self, fragment: str) -> bool:
        """The fragment occurs in the posting as whole words ("b" is not in "aufgaben")."""
        key = core(fragment)
        if not key:
            return True
        start = self.norm.find(key)
        for _ in range(64):
            if start < 0:
                return False
            end = start + len(key)
            before = start > 0 and _wordy(self.norm[start - 1]) and _wordy(key[0])
            after = end < len(self.norm) and _wordy(self.norm[end]) and _wordy(key[-1])
            if not (before or after):
                return True
            start = self.norm.find(key, start + 1)
        # Many embedded hits (a short key in a huge text): one regex pass settles it.
        left = r"(?<!\w)" if _wordy(key[0]) else ""
        right = r"(?!\w)" if _wordy(key[-1]) else ""
        return re.search(left + re.escape(key) + right, self.norm) is not None

    def has_name(self, name: str) -> bool:
        key = normalize(name)
        if not key:
            return True
        if not any(ch.isdigit() for ch in key) and _WORD.fullmatch(key):
            return key in self.tokens
        # Money and numbers may be written with different spacing around the symbol.
        if key in self.norm:
            return True
        if self._squashed is None:
            self._squashed = self.norm.replace(" ", "")
        return key.replace(" ", "") in self._squashed

    def composed_of_tokens(self, sentence: str) -> bool:
        parts = words(sentence)
        return bool(parts) and all(part in self.tokens for part in parts)


def posting_text(title: str, company: str, location: str, description: str) -> str:
    return "\n".join((title, company, location, description))


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary without adding anything, so the result stays a substring."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-")
