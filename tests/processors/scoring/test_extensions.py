"""The extensions: adjacency credit, recency and evidence, proof-stack layers; and baseline = seed."""

from __future__ import annotations

import math
from datetime import date

import pytest

from processors.lily.model import CertificationLayer, Decomposition, ProofStack, SkillLayer, TrackRecordLayer
from processors.scoring.config import DEFAULT

from .helpers import TAXONOMY, posting, profile, run

ADJ_ONLY = DEFAULT.baseline().model_copy(update={"adjacency_credit": True})


def test_adjacency_gives_partial_credit():
    p = profile(skills=[{"name": "MySQL", "proficiency": "Expert"}])
    q = posting(extracted_skills=[{"name": "PostgreSQL"}])
    assert run(p, q).fit.components.hard_skills == 0.0  # baseline: no credit
    # same L3: exp(-0.7) of a full match
    assert run(p, q, ADJ_ONLY).fit.components.hard_skills == pytest.approx(80 * math.exp(-0.7))


def test_recency_and_evidence_scale_a_match():
    cfg = DEFAULT.baseline().model_copy(update={"recency_evidence": True, "as_of": date(2026, 1, 1)})
    fresh = profile(skills=[{"name": "Go", "proficiency": "Expert", "last_used": "present", "evidence": 1.0}])
    assert run(fresh, posting(extracted_skills=[{"name": "Go"}]), cfg).fit.components.hard_skills == 80.0
    stale = profile(
        skills=[{"name": "Go", "proficiency": "Expert", "last_used": "2025-01-01", "evidence": 0.0}]
    )
    r = math.exp(-0.0578 * (365 / (365.25 / 12)))
    expected = 80 * (0.5 + 0.5 * r) * 0.7
    assert run(
        stale, posting(extracted_skills=[{"name": "Go"}]), cfg
    ).fit.components.hard_skills == pytest.approx(expected)


def _cert_posting():
    stack = ProofStack(
        skill=SkillLayer(name="Accounting", code=None, confidence=0.9),
        certification=CertificationLayer(name="CPA", kind="licence", confidence=0.9),
        parse_confidence=0.9,
    )
    return posting(
        extracted_skills=[{"name": "Accounting"}],
        requirements=[Decomposition(text="CPA required", proof_stacks=[stack])],
    )


LAYERS_ONLY = DEFAULT.baseline().model_copy(update={"proof_stack_layers": True})


def test_missing_certification_lowers_the_match():
    p = profile(skills=[{"name": "Accounting", "proficiency": "Expert"}])
    assert run(p, _cert_posting()).fit.components.hard_skills == 80.0
    assert run(p, _cert_posting(), LAYERS_ONLY).fit.components.hard_skills == pytest.approx(40.0)
    held = p.model_copy(update={"atoms": profile(atoms=[{"certification": "CPA"}]).atoms})
    assert run(held, _cert_posting(), LAYERS_ONLY).fit.components.hard_skills == 80.0


def test_track_record_compensates_missing_certification():
    key = TAXONOMY.resolve("Accounting")
    name = key[0].name if key else "Accounting"
    atoms = [{"text": "Ran audits at a Big 4 firm", "skill": name, "outcome": "financial"}]
    p = profile(skills=[{"name": "Accounting", "proficiency": "Expert"}], atoms=atoms)
    r = run(p, _cert_posting(), LAYERS_ONLY)
    assert r.fit.components.hard_skills == pytest.approx(80 * 0.9)
    assert any("track record compensates" in g for g in r.explanation.gaps)


def test_track_record_layer():
    stack = ProofStack(
        skill=SkillLayer(name="Python", confidence=0.9),
        track_record=TrackRecordLayer(category="scale", confidence=0.8),
        parse_confidence=0.9,
    )
    q = posting(requirements=[Decomposition(text="scaled Python services", proof_stacks=[stack])])
    assert run(profile(), q, LAYERS_ONLY).fit.components.hard_skills == pytest.approx(80 * 0.7)
    proven = profile(atoms=["Scaled a Python API to 10 million users at Acme"])
    assert run(proven, q, LAYERS_ONLY).fit.components.hard_skills == pytest.approx(80.0)


def test_result_reports_switches():
    assert run(profile(), posting()).extensions == dict.fromkeys(
        ("adjacency_credit", "proof_stack_layers", "recency_evidence"), False
    )
