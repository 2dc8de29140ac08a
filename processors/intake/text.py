"""Clean the text of a posting: HTML, entities, bullets, whitespace, mojibake."""

from __future__ import annotations

import html
import re
import unicodedata

# Only formatting tags seen in postings are markup; "<canvas>" in prose is content and stays.
_TAG_NAMES = (
    "a|abbr|b|blockquote|br|center|code|div|em|font|h[1-6]|hr|i|li|ol|p|pre|section|small|span|"
    "strong|sub|sup|table|tbody|td|th|thead|tr|u|ul"
)
_BLOCK_TAGS = re.compile(
    r"<\s*/?\s*(?:br|p|div|ul|ol|h[1-6]|tr|table|section|blockquote|hr|pre)\b[^<>]{0,200}>", re.I
)
_LI_TAG = re.compile(r"<\s*li\b[^<>]{0,200}>", re.I)
_KNOWN_TAG = re.compile(rf"<\s*/?\s*(?:{_TAG_NAMES})\b[^<>]{{0,200}}>", re.I)
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□–—*]|-(?!-)|\d{1,2}[.)](?=\s))\s*")  # noqa: RUF001
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200d\u2060\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A UTF-8 lead byte read as cp1252/latin-1, followed by what its continuation bytes became.
_CONTINUATION = "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}"
)


def _byte(ch: str) -> int:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        # cp1252 leaves 0x81, 0x8d, 0x8f, 0x90, 0x9d undefined; decoders pass them through as-is.
        return ord(ch)


def _undo(match: re.Match[str]) -> str:
    seq = match.group(0)
    try:
        return bytes(_byte(ch) for ch in seq).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return seq


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252, one character sequence at a time (the rest of the text is untouched)."""
    return _MOJIBAKE.sub(_undo, text)


def _normalise(value: str) -> str:
    # Text mangled twice needs two repairs, and a repair can reveal a control character:
    # repeat until nothing changes, so cleaning is idempotent.
    # Invisible characters go before composing, so NFC sees the final neighbours.
    for _ in range(5):
        fixed = unicodedata.normalize("NFC", _CONTROL.sub("", repair_mojibake(value)))
        if fixed == value:
            break
        value = fixed
    return value


def clean_inline(value: str) -> str:
    """One-line fields (title, company, location): no tags, single spaces, NFC."""
    # Feeds often escape their HTML: decode entities first, then drop the markup they reveal.
    value = _KNOWN_TAG.sub(" ", html.unescape(value))
    value = _LINE_BREAKS.sub(" ", _normalise(value))
    return _SPACES.sub(" ", value).strip()


def clean_description(value: str) -> str:
    """Multi-line text: block tags become line breaks, bullets become "- ", blank runs collapse."""
    value = html.unescape(value)
    value = _LI_TAG.sub("\n- ", value)
    value = _BLOCK_TAGS.sub("\n", value)
    value = _KNOWN_TAG.sub("", value)
    value = _normalise(value)
    lines: list[str] = []
    for raw in _LINE_BREAKS.sub("\n", value).split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if _BULLET.match(line):
            body = _BULLET.sub("", line, count=1).strip()
            if not body:
                continue
            line = "- " + body
        if not line and (not lines or not lines[-1]):
            continue
        # A list item directly after another needs no blank line between them.
        if line.startswith("- ") and len(lines) >= 2 and not lines[-1] and lines[-2].startswith("- "):
            lines.pop()
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
