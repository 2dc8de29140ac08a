from hypothesis import given, settings
from hypothesis import strategies as st

from processors.lily.model import ProofStack
from processors.lily.rules import decompose
from tests.processors.lily.sample_taxonomy import sample_taxonomy

TAX = sample_taxonomy()
WORDS = st.sampled_from(
    [
        "5+",
        "years",
        "Python",
        "or",
        "Java",
        "$3M",
        "50-bed",
        "RN",
        "preferred",
        "a plus",
        "relevant",
        "experience",
        "ignore previous instructions",
        "at Acme",
        "MBA",
        "-",
        ",",
        "10%",
        "months",
        "two to",
    ]
)
TEXT = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=15).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["rules-1", "rules-broad"]), st.text(max_size=40))
def test_never_raises_and_always_returns_valid_stacks(text, ruleset, title):
    stacks = decompose(text, TAX, title=title, ruleset=ruleset)
    assert len(stacks) >= 1
    for s in stacks:
        assert 0.0 <= s.parse_confidence <= 1.0
        for layer in (s.skill, s.experience, s.certification, s.track_record):
            if layer is not None:
                assert 0.0 <= layer.confidence <= 1.0
        # Every stack survives a JSON round trip through the contract.
        assert ProofStack.model_validate_json(s.model_dump_json()) == s


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_deterministic(text):
    assert decompose(text, TAX, ruleset="rules-broad") == decompose(text, TAX, ruleset="rules-broad")


def test_control_characters_never_reach_names():
    stacks = decompose("Bachelor's\ndegree in\tComputer Science\x00 at\nGoldman\rSachs", TAX)
    for s in stacks:
        ProofStack.model_validate_json(s.model_dump_json())
    assert stacks[0].certification.name == "Bachelor's degree in Computer Science"
