"""Clean the text of a posting: markup, entities, bullets, whitespace, mojibake.

The product stores plain text with line structure, never HTML. Markup is parsed and sanitised
by nh3 (the Ammonia sanitiser, an HTML5 parser): only structural tags survive it, with no
attribute but an http(s) link target, and those are then read into lines, bullets and
"text (url)". No tag of any kind is left in the result.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import nh3

# Recorded on every posting event next to the content hash, so a change of these rules is
# visible in the log. text-1 stripped a list of known tags with regexes; text-2 is nh3.
NORMALISER_VERSION = "text-2"

_LINE_TAGS = frozenset(
    {"p", "div", "br", "hr", "pre", "blockquote", "section", "article", "header", "footer"}
    | {"ul", "ol", "dl", "dt", "dd", "table", "tr", "caption"}
    | {f"h{n}" for n in range(1, 7)}
)
_CELL_TAGS = frozenset({"td", "th"})
# Dropped together with everything inside them: code, styling, embedded documents, and the
# SVG/MathML namespaces whose parsing rules differ from HTML's (the classic mutation tricks).
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "frame", "frameset", "noframes"}
    | {"object", "embed", "applet", "svg", "math", "select", "textarea", "title", "xmp", "noembed"}
)
_SANITISER = nh3.Cleaner(
    tags=_LINE_TAGS | _CELL_TAGS | {"li", "a"},
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    url_relative="deny",
    link_rel=None,
    strip_comments=True,
)
# A feed that escaped its HTML ("&lt;p&gt;") shows formatting tags once its entities are
# decoded: that text is one more layer of markup. Other tag-shaped words ("&lt;canvas&gt;")
# are what the author wanted a reader to see, and stay as prose.
_FORMATTING_TAG = re.compile(
    r"<\s*/?\s*(?:a|abbr|b|blockquote|br|center|code|div|em|font|h[1-6]|hr|i|li|ol|p|pre|section|"
    r"small|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)\b[^<>]{0,200}>",
    re.I,
)
_MAX_LAYERS = 3
# What an HTML tokenizer reads as the start of markup: "<" then an ASCII letter, "/", "!" or "?".
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])([^<>]*)(>?)")
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


class _Reader(HTMLParser):
    """Reads the sanitiser's output (well-formed, escaped, structural tags only) into text."""

    def __init__(self, multiline: bool) -> None:
        super().__init__(convert_charrefs=True)
        # One-line fields keep link text only, and list items are just words in the line.
        self.multiline = multiline
        self.parts: list[str] = []
        self.anchors: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- " if self.multiline else " ")
        elif tag in _LINE_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
        elif tag == "a":
            self.anchors.append((dict(attrs).get("href"), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _LINE_TAGS:
            self.parts.append("\n")
        elif tag == "a" and self.anchors:
            href, start = self.anchors.pop()
            label = "".join(self.parts[start:]).strip()
            if self.multiline and href and href.lower().startswith(("http://", "https://")) and href != label:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _read(markup: str, multiline: bool) -> str:
    reader = _Reader(multiline)
    reader.feed(_SANITISER.clean(markup))
    reader.close()
    return "".join(reader.parts)


def _plain_text(value: str, multiline: bool) -> str:
    # Controls go first so "<\x00script>" is read as the tag it becomes, not as text.
    text = _read(_normalise(value), multiline)
    for _ in range(_MAX_LAYERS - 1):
        if not _FORMATTING_TAG.search(text):
            break
        text = _read(text, multiline)
    # Entities can decode to controls or mojibake; normalise what the parser produced, too.
    return _normalise(text)


def _defuse(match: re.Match[str]) -> str:
    return "\u27e8" + match.group(1) + ("\u27e9" if match.group(2) else "")


def defuse_tags(text: str) -> str:
    """Make tag-shaped prose inert: "<canvas>" becomes "⟨canvas⟩", which no HTML parser reads as markup.

    Runs last, so nothing after it can join a "<" to a letter again."""
    return _TAG_OPEN.sub(_defuse, text)


def clean_inline(value: str) -> str:
    """One-line fields (title, company, location): no tags, single spaces, NFC."""
    value = _LINE_BREAKS.sub(" ", _plain_text(value, multiline=False))
    return defuse_tags(_SPACES.sub(" ", value).strip())


def clean_description(value: str) -> str:
    """Multi-line text: block tags become line breaks, list items "- " bullets, links "text (url)"."""
    lines: list[str] = []
    for raw in _LINE_BREAKS.sub("\n", _plain_text(value, multiline=True)).split("\n"):
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
    return defuse_tags("\n".join(lines))
