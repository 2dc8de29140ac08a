"""Posting text is sanitised: no markup or script of any kind survives, and the words do."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.intake.text import clean_description, clean_inline, defuse_tags

# Classic vectors (after the OWASP XSS filter evasion cheat sheet), each around the word "Hi".
VECTORS = [
    "<script>alert(1)</script>Hi",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>Hi",
    "<ScRiPt >alert(1)</sCrIpT>Hi",
    "<img src=x onerror=alert(1)>Hi",
    "<IMG SRC=JaVaScRiPt:alert(1)>Hi",
    "<img src=`javascript:alert(1)`>Hi",
    "<svg onload=alert(1)></svg>Hi",
    "<svg><script>alert(1)</script></svg>Hi",
    "<iframe src='javascript:alert(1)'></iframe>Hi",
    "<a href='javascript:alert(1)'>Hi</a>",
    "<a href='  JaVa&#x09;script:alert(1)'>Hi</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>Hi</a>",
    "<div style='background:url(javascript:alert(1))'>Hi</div>",
    "<p style='width: expression(alert(1))'>Hi</p>",
    "<style>body{background:url(javascript:alert(1))}</style>Hi",
    "<body onload=alert(1)>Hi",
    "<object data='javascript:alert(1)'></object>Hi",
    "<embed src='javascript:alert(1)'>Hi",
    "<details open ontoggle=alert(1)>Hi</details>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>Hi",
    "<<script>script>alert(1)<</script>/script>Hi",
    "&lt;script&gt;alert(1)&lt;/script&gt;Hi",
    "&#60;script&#62;alert(1)&#60;/script&#62;Hi",
    "&lt;img src=x onerror=alert(1)&gt;Hi",
    "<scr\x00ipt>alert(1)</script>Hi",
    "<\x00script>alert(1)</script>Hi",
    "<img\x00 src=x onerror=alert(1)>Hi",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>Hi",
    "<svg><style><img src=x onerror=alert(1)></style></svg>Hi",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>Hi",
    "<!--<script>alert(1)</script>-->Hi",
    "<![CDATA[<script>alert(1)</script>]]>Hi",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>Hi",
    "<form action='javascript:alert(1)'><button>Hi</button></form>",
    "<input onfocus=alert(1) autofocus>Hi",
]


class _Markup(HTMLParser):
    """Everything an HTML parser finds in a text besides plain character data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.found.append(f"</{tag}>")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!--")

    def handle_decl(self, decl: str) -> None:
        self.found.append("<!")

    def handle_pi(self, data: str) -> None:
        self.found.append("<?")

    def unknown_decl(self, data: str) -> None:
        self.found.append("<![")


def markup_in(text: str) -> list[str]:
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return parser.found


_TAG_START = re.compile(r"<[A-Za-z/!?]")


def assert_inert(text: str) -> None:
    assert not _TAG_START.search(text), text
    assert markup_in(text) == [], text


@pytest.mark.parametrize("raw", VECTORS)
def test_xss_vectors_leave_plain_inert_text(raw: str) -> None:
    for cleaned in (clean_description(raw), clean_inline(raw)):
        assert_inert(cleaned)
        assert "Hi" in cleaned


# A browser reads these as tags broken around text; that text is what is left, inert.
SPLIT_TRICKS = {
    "<scr<script>ipt>alert(1)</scr</script>ipt>Hi": "ipt>alert(1)ipt>Hi",
    "<![CDATA[<script>alert(1)</script>]]>Hi": "alert(1)]]>Hi",
}


@pytest.mark.parametrize("raw", [v for v in VECTORS if "&" not in v and v not in SPLIT_TRICKS])
def test_real_markup_takes_its_code_with_it(raw: str) -> None:
    # Markup the parser sees as such is removed with its code: nothing of the attack is shown.
    cleaned = clean_description(raw)
    assert "alert" not in cleaned and "javascript" not in cleaned.lower()
    assert "onerror" not in cleaned and "onload" not in cleaned


@pytest.mark.parametrize(("raw", "left"), SPLIT_TRICKS.items())
def test_split_tags_leave_only_text(raw: str, left: str) -> None:
    assert clean_description(raw) == left


def test_escaped_script_shows_as_words_not_as_a_tag() -> None:
    cleaned = clean_description("Avoid &lt;script&gt; tags &amp; inline handlers")
    assert cleaned == "Avoid \u27e8script\u27e9 tags & inline handlers"
    assert clean_description(cleaned) == cleaned


def test_entities_are_decoded_once() -> None:
    assert clean_description("AT&amp;amp;T") == "AT&amp;T"
    assert clean_description("&amp;lt;b&amp;gt;") == "&lt;b&gt;"


def test_an_escaped_html_layer_is_read_as_markup() -> None:
    raw = "&lt;h2&gt;Duties&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;R&amp;amp;D&lt;/li&gt;&lt;/ul&gt;"
    assert clean_description(raw) == "Duties\n\n- R&D"


def test_structure_survives_as_lines() -> None:
    raw = (
        "<h1>Nurse</h1><p>Join us.<br>Today.</p>"
        "<h3>You bring</h3><ol><li>Care</li><li><b>Calm</b></li></ol>"
        "<table><tr><th>Shift</th><td>Night</td></tr></table>"
    )
    assert clean_description(raw) == "Nurse\n\nJoin us.\nToday.\n\nYou bring\n\n- Care\n- Calm\n\nShift Night"
    assert clean_inline(raw) == "Nurse Join us. Today. You bring Care Calm Shift Night"


def test_http_links_keep_their_target_other_links_only_their_text() -> None:
    raw = (
        "<p><a href='https://jobs.example.com/a?x=1&amp;y=2'>Apply</a></p>"
        "<p><a href='http://example.com'>http://example.com</a></p>"
        "<p><a href='/relative'>Team</a> <a href='mailto:hr@example.com'>Mail</a>"
        " <a href='ftp://example.com/f'>File</a></p>"
    )
    assert clean_description(raw) == (
        "Apply (https://jobs.example.com/a?x=1&y=2)\n\nhttp://example.com\n\nTeam Mail File"
    )
    assert clean_inline(raw) == "Apply http://example.com Team Mail File"


def test_comparisons_in_prose_stay() -> None:
    assert clean_description("latency < 5 ms & cost <= budget; x<3") == "latency < 5 ms & cost <= budget; x<3"


def test_raw_unknown_tags_are_markup_to_the_parser() -> None:
    # As in a browser, an unescaped "<canvas>" is an element, not prose.
    assert clean_description("Know the <canvas> API") == "Know the API"


def test_defuse_tags_leaves_non_tags() -> None:
    assert defuse_tags("a < b, <3, <=, <\u00e9") == "a < b, <3, <=, <\u00e9"
    assert (
        defuse_tags("<b>x</b> <!-- c --> <?php")
        == "\u27e8b\u27e9x\u27e8/b\u27e9 \u27e8!-- c --\u27e9 \u27e8?php"
    )


# --- properties --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    (
        *("<script>", "</script>", "<scr", "ipt>", "<svg", " onload=alert(1)", "<img src=x onerror=", ">"),
        *("<a href='javascript:alert(1)'>", "</a>", "<iframe src=", "<math>", "<style>", "<!--", "-->"),
        *("&lt;", "&gt;", "&#60;", "&amp;", "&lt;p&gt;", "<p>", "<li>", "<br/>", "<", "/", "!", "?"),
        *("\x00", "\u200b", "javascript:", "\n", " ", "Hi", "é", "Ã©", "\u0338"),
    )
)
_ATTACKS = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(_ATTACKS)
def test_cleaned_text_never_holds_markup(raw: str) -> None:
    assert_inert(clean_description(raw))
    assert_inert(clean_inline(raw))


@settings(max_examples=300, deadline=None)
@given(_ATTACKS.filter(lambda s: "&" not in s))
def test_cleaning_attacks_is_idempotent(raw: str) -> None:
    once = clean_description(raw)
    assert clean_description(once) == once
    line = clean_inline(raw)
    assert clean_inline(line) == line
