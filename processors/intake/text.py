"""Clean the text of a posting: HTML, entities, bullets, whitespace, mojibake."""

from __future__ import annotations

import html
import re
import unicodedata

_BLOCK_TAGS = re.compile(r"<\s*(br|/p|p|/div|div|/li|/ul|ul|/ol|ol|/h\d|h\d|tr|/tr)\b[^>]*>", re.I)
_LI_TAG = re.compile(r"<\s*li\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]{0,200}>")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□–—*]|-(?!-)|\d{1,2}[.)](?=\s))\s*")  # noqa: RUF001
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
# Sequences that UTF-8 text shows after being decoded as Latin-1/cp1252 once.
_MOJIBAKE = re.compile(r"(?:Ã[\x80-\xbf¡-ÿ]|Â[\x80-\xbf ]|â€[\x80-\xbf™œ“”˜¢¦]?)")  # noqa: RUF001


def repair_mojibake(text: str) -> str:
    """Undo one round of UTF-8-read-as-cp1252 when that clearly reduces the damage."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(_MOJIBAKE.findall(fixed)) < len(_MOJIBAKE.findall(text)):
            return fixed
    return text


def clean_inline(value: str) -> str:
    """One-line fields (title, company, location): no tags, single spaces, NFC."""
    value = repair_mojibake(html.unescape(_ANY_TAG.sub(" ", value)))
    value = _CONTROL.sub("", unicodedata.normalize("NFC", value))
    return _SPACES.sub(" ", value.replace("\n", " ").replace("\r", " ")).strip()


def clean_description(value: str) -> str:
    """Multi-line text: block tags become line breaks, bullets become "- ", blank runs collapse."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _LI_TAG.sub("\n- ", value)
    value = _BLOCK_TAGS.sub("\n", value)
    value = _ANY_TAG.sub("", value)
    value = repair_mojibake(html.unescape(value))
    value = _CONTROL.sub("", unicodedata.normalize("NFC", value))
    lines: list[str] = []
    for raw in value.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if _BULLET.match(line):
            line = "- " + _BULLET.sub("", line, count=1).strip()
            if line == "-":
                continue
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
