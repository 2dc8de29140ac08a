"""The bridge: a posting skill (ESCO-named by hybrid-1, or from the scoring taxonomy) named in
the scoring taxonomy, and the derived posting built from it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from processors.lily.model import CertificationLayer, Decomposition, Mention, ProofStack, SkillLayer
from processors.scoring.bridge import FLOOR, bridge
from processors.scoring.config import DEFAULT
from processors.scoring.evaluation import evaluate
from processors.scoring.from_posting import derived_fields, derived_posting
from processors.scoring.similarity import lexical_similarity
from processors.taxonomy.model import Skill, Taxonomy
from schemas.models import PostingContent

from .helpers import TAXONOMY, profile, run

ESCO = "http://data.europa.eu/esco/skill/"


def layer(name: str, code: str | None = None, **fields: object) -> SkillLayer:
    return SkillLayer.model_validate({"name": name, "code": code, "confidence": 0.9, **fields})


def stacks(*layers: SkillLayer, strength: str = "required") -> list[Decomposition]:
    return [
        Decomposition(
            text="line",
            proof_stacks=[
                ProofStack(skill=s, parse_confidence=0.9, requirement_strength=strength)  # type: ignore[arg-type]
                for s in layers
            ],
        )
    ]


CONTENT = PostingContent(
    title="Backend Engineer", company="Acme", location="", description="x", source="file"
)


def test_an_esco_label_with_a_qualifier_lands_on_the_builtin_skill() -> None:
    # 01.01.01.002 is Java in the built-in taxonomy: a colliding code, not a name.
    python = layer("Python (computer programming)", "01.01.01.002", uri=ESCO + "python")
    named = bridge(python, TAXONOMY)
    assert named.skill is not None and named.skill.name == "Python" and named.how == "unqualified"
    assert named.name == "Python" and named.kind == "hard"


def test_a_colliding_code_with_another_name_does_not_lend_its_kind() -> None:
    # ESCO 04.03.02.001 is "digital journalism"; the built-in 04.03.02.001 is Time Management (soft).
    assert TAXONOMY.skills["04.03.02.001"].kind == "soft"
    named = bridge(layer("digital journalism", "04.03.02.001", uri=ESCO + "dj"), TAXONOMY)
    assert named.skill is None and named.kind == "hard" and named.name == "digital journalism"
    fields = derived_fields("q", CONTENT, stacks(layer("digital journalism", "04.03.02.001")), TAXONOMY)
    assert fields["extracted_skills"][0]["type"] == "Hard"


def test_the_same_uri_wins_over_names() -> None:
    tax = Taxonomy.from_skills([Skill("01.01.01.001", "Py", uri=ESCO + "python", kind="soft")])
    named = bridge(layer("Python (computer programming)", "09.09.09.009", uri=ESCO + "python"), tax)
    assert (named.name, named.kind, named.how) == ("Py", "soft", "uri")


def test_fuzzy_hits_below_the_floor_are_refused() -> None:
    hit = TAXONOMY.resolve("topography")
    assert hit is not None and hit[0].name == "Typography" and hit[1] < FLOOR
    assert bridge(layer("topography", "08.04.02.020"), TAXONOMY).skill is None


def test_a_stripped_name_only_lands_on_a_skills_own_name() -> None:
    # "Salt" is a synonym of Speech and Language Therapy; "ML" one of Machine Learning.
    for name in ("Salt (tools for software configuration management)", "ML (computer programming)"):
        assert bridge(layer(name), TAXONOMY).skill is None


def test_the_mention_names_it_when_the_label_does_not() -> None:
    mention = Mention(text="K8s", start=0, end=3)
    named = bridge(layer("orchestrate containers", mention=mention), TAXONOMY)
    assert named.skill is not None and named.skill.name == "Kubernetes" and named.how == "mention"


def test_an_unknown_language_with_a_level_is_a_language() -> None:
    named = bridge(layer("Klingon", level="C1"), TAXONOMY)
    assert named.skill is None and named.kind == "language"
    fields = derived_fields("q", CONTENT, stacks(layer("Klingon", level="C1")), TAXONOMY)
    assert (
        fields["languages_required"] == [{"name": "Klingon", "level": "C1"}]
        and not fields["extracted_skills"]
    )


def test_a_profile_with_python_is_credited_for_an_esco_python_requirement() -> None:
    posting = derived_posting(
        "q", CONTENT, stacks(layer("Python (computer programming)", uri=ESCO + "python")), None, TAXONOMY
    )
    assert [s.name for s in posting.extracted_skills] == ["Python"]
    result = run(profile(skills=[{"name": "Python", "proficiency": "Expert"}]), posting)
    assert result.fit.components is not None and result.fit.components.hard_skills == 80.0  # all required met


SKILLS = sorted(TAXONOMY.skills.values(), key=lambda s: s.code)


@st.composite
def own_layers(draw: st.DrawFn) -> SkillLayer:
    """A skill layer as rules-1 writes it: a code of the scoring taxonomy and one of its names."""
    skill = draw(st.sampled_from(SKILLS))
    return layer(draw(st.sampled_from(skill.aliases)), skill.code)


@settings(max_examples=200, deadline=None)
@given(st.lists(own_layers(), min_size=1, max_size=6), st.sampled_from(["required", "preferred"]))
def test_bridging_never_changes_stacks_from_the_scoring_taxonomy(
    layers: list[SkillLayer], strength: str
) -> None:
    for s in layers:
        named = bridge(s, TAXONOMY)
        assert (named.name, named.kind) == (s.name, TAXONOMY.skills[s.code or ""].kind)
    fields = derived_fields("q", CONTENT, stacks(*layers, strength=strength), TAXONOMY)
    # What from_posting made of these stacks before the bridge: the name as given, kind by code.
    kinds = {s.name: TAXONOMY.skills[s.code or ""].kind for s in layers}
    languages = [{"name": s.name} for s in layers if kinds[s.name] == "language"]
    expected = list(
        {
            s.name: {"name": s.name, "type": "Soft" if kinds[s.name] == "soft" else "Hard",
                     "is_required": strength == "required", "years_experience": None}
            for s in layers
            if kinds[s.name] != "language"
        }.values()
    )  # fmt: skip
    assert fields["languages_required"] == languages
    assert fields["extracted_skills"] == expected


def test_a_proof_layer_scales_the_bridged_skill_it_belongs_to() -> None:
    python = layer("Python (computer programming)", uri=ESCO + "python")
    cert = CertificationLayer(name="PCAP", kind="certificate", confidence=0.9)
    stack = ProofStack(skill=python, certification=cert, parse_confidence=0.9)
    q = derived_posting("q", CONTENT, [Decomposition(text="PCAP", proof_stacks=[stack])], None, TAXONOMY)
    p = profile(skills=[{"name": "Python", "proficiency": "Expert"}])
    ev = evaluate(p, q, DEFAULT, lexical_similarity, TAXONOMY)
    (credit,) = ev.credits
    assert ev.proof_factors[(credit.key.key, True)] == DEFAULT.missing_certification < 1


def test_a_mention_wider_than_the_skill_bridges_to_the_one_skill_inside_it() -> None:
    wide = layer(
        "use Python tooling",
        uri=ESCO + "x",
        mention={"text": "Python scripting skills", "start": 0, "end": 23},
    )
    named = bridge(wide, TAXONOMY)
    assert named.skill is not None and named.name == "Python" and named.how == "mention"
    two = layer(
        "scripting", uri=ESCO + "y", mention={"text": "Python and SQL scripting", "start": 0, "end": 24}
    )
    assert bridge(two, TAXONOMY).skill is None  # two skills inside: which one is not for us to guess
