import pytest

from processors.lily.durations import find_durations, number, spellings, vague_experience


def one(text):
    found = find_durations(text)
    assert len(found) == 1, found
    d = found[0]
    return d.value, d.value_max, d.unit, d.op


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 years of Rust", (7, None, "years", "==")),
        ("4+ years in retail", (4, None, "years", ">=")),
        ("9 yrs+", (9, None, "years", ">=")),
        ("at least 6 years", (6, None, "years", ">=")),
        ("minimum of 8 years", (8, None, "years", ">=")),
        ("min. 2 years", (2, None, "years", ">=")),
        ("more than 11 years", (11, None, "years", ">=")),
        ("12 years or more", (12, None, "years", ">=")),
        ("3 years minimum", (3, None, "years", ">=")),
        ("no more than 3 years", (3, None, "years", "<=")),
        ("up to 1 year", (1, None, "years", "<=")),
        ("at most 4 years", (4, None, "years", "<=")),
        ("around 6 years", (6, None, "years", "~")),
        ("approximately 2 years", (2, None, "years", "~")),
        ("4-7 years", (4, 7, "years", "range")),
        ("4 to 7 years", (4, 7, "years", "range")),
        ("between 2 and 6 years", (2, 6, "years", "range")),
        ("6\u20138 years", (6, 8, "years", "range")),
    ],
)
def test_operators_and_ranges(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seven years of teaching", (7, None, "years", "==")),
        ("twelve months in post", (12, None, "months", "==")),
        ("two to four years", (2, 4, "years", "range")),
        ("a decade in banking", (10, None, "years", "==")),
        ("over a decade of leadership", (10, None, "years", ">=")),
        ("half a year on site", (6, None, "months", "==")),
        ("a year of volunteering", (1, None, "years", "==")),
        ("a couple of years", (2, None, "years", "==")),
        ("at least eleven years", (11, None, "years", ">=")),
    ],
)
def test_durations_in_words(text, expected):
    assert one(text) == expected


def test_months_and_hyphenated_years():
    assert one("9 months of agency work") == (9, None, "months", "==")
    assert one("14 mos") == (14, None, "months", "==")
    assert one("a 3-year apprenticeship") == (3, None, "years", "==")


def test_in_words_is_recorded():
    assert find_durations("six months")[0].in_words
    assert not find_durations("6 months")[0].in_words


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("6 years' relevant experience", "relevant"),
        ("3 years related experience", "related"),
        ("4 years of hands-on experience", "hands-on"),
        ("2 years PQE", "post-qualification"),
        ("5 years professional experience", "professional"),
        ("5 years of Java experience", None),
    ],
)
def test_qualifiers(text, qualifier):
    assert find_durations(text)[0].qualifier == qualifier


def test_a_qualifier_after_experience_is_not_the_duration_s():
    assert find_durations("3 years experience, relevant degree")[0].qualifier is None


def test_no_duration_in_money_counts_or_words():
    assert find_durations("Managed $5M budgets for 200 stores") == []
    assert find_durations("Python, SQL and Excel") == []
    assert find_durations("etc. 4 years")[0].value == 4


def test_vague_experience_without_duration():
    assert vague_experience("Relevant experience required") == "relevant"
    assert vague_experience("Experience in a similar role") == "similar"
    assert vague_experience("Experience with Java") is None


def test_number_and_spellings():
    assert number("fifteen") == 15
    assert number("2.5") == 2.5
    assert number("lots") is None
    assert {"10", "ten", "decade"} <= spellings(10, "years")
    assert "half a year" in spellings(6, "months")
