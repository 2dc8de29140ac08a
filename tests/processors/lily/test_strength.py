import pytest

from processors.lily.strength import clauses, find_cues


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("Docker required", "required"),
        ("must hold a licence", "required"),
        ("essential", "required"),
        ("mandatory", "required"),
        ("preferred", "preferred"),
        ("preferably in retail", "preferred"),
        ("ideally with Kafka", "preferred"),
        ("desirable", "preferred"),
        ("advantageous", "preferred"),
        ("is an advantage", "preferred"),
        ("beneficial", "preferred"),
        ("nice to have", "nice_to_have"),
        ("nice-to-have", "nice_to_have"),
        ("would be a plus", "nice_to_have"),
        ("a bonus", "nice_to_have"),
        ("good to have", "nice_to_have"),
        ("not required but welcome", "nice_to_have"),
    ],
)
def test_cues(text, strength):
    assert find_cues(text)[0].strength == strength


def test_not_required_is_one_cue():
    assert [c.strength for c in find_cues("not required")] == ["nice_to_have"]


def test_no_cue():
    assert find_cues("Python and SQL") == []


def test_clauses_split_on_punctuation_and_dashes():
    text = "Go - 3 years; Rust (ideally), C"
    assert [text[s:e].strip() for s, e in clauses(text)] == ["Go", "3 years", "Rust", "ideally", "C"]
