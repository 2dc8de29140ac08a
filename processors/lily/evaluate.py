"""Scoring Lily against the labelled set: precision, recall and F1 per SECT layer.

Matching rules (a predicted layer is a true positive when it matches the label):
- skill: normalised names equal, or (given a taxonomy) the label resolves to the
  predicted skill's code, so synonyms count;
- experience: value, unit and operator equal;
- certification: kind equal and names contained one in the other, case-insensitively;
- track_record: category equal, and values within 1% when both give one.
A line may yield several stacks ("Python or Java"); a layer counts as found when any stack
carries a matching one, because the label names one requirement of the line and the
other stacks are its alternatives or companions. A layer predicted where the label has
none is a false positive; a mismatch is both a false positive and a false negative.
requirement_strength is scored per class on the first stack; flags on any stack.
A line passes when it has no miss at all: every layer, its strength and its flags right.
With several taxonomies (`hybrid-1` names ESCO skills and keeps some of the rules
taxonomy's), a label matches a predicted skill that one of them resolves it to by code and name,
or that scoring's bridge names as the label's skill in one of them (the skill scoring would read).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from processors.lily.labelled import (
    ExpectedCertification,
    ExpectedExperience,
    ExpectedTrackRecord,
    LabelledError,
    LabelledLine,
    read_labelled,
)
from processors.lily.model import (
    CertificationLayer,
    ExperienceLayer,
    ProofStack,
    SkillLayer,
    TrackRecordLayer,
)
from processors.scoring.bridge import bridge
from processors.taxonomy.model import Taxonomy
from processors.taxonomy.text import normalise

__all__ = ["EvalReport", "LabelledError", "LabelledLine", "LayerScore", "Miss", "evaluate", "read_labelled"]

LAYERS = ("skill", "experience", "certification", "track_record")
STRENGTHS = ("required", "preferred", "nice_to_have")
FLAGS = ("NEEDS_CONTEXT", "INJECTION_SUSPECTED")


class LayerScore(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    tp: int
    fp: int
    fn: int
    support: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, Any]:
        return {
            "layer": self.name,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


class Miss(BaseModel):
    model_config = ConfigDict(frozen=True)
    text: str
    layer: str
    expected: str
    got: str


class EvalReport(BaseModel):
    model_config = ConfigDict(frozen=True)
    lines: int
    passed: int = 0
    scores: list[LayerScore]
    misses: list[Miss]

    @property
    def pass_rate(self) -> float:
        return self.passed / self.lines if self.lines else 0.0

    def score(self, name: str) -> LayerScore:
        for s in self.scores:
            if s.name == name:
                return s
        raise KeyError(f"no score {name!r}; known: {', '.join(s.name for s in self.scores)}")

    def rows(self) -> list[dict[str, Any]]:
        """One printable row per layer, strength class and flag."""
        return [s.row() for s in self.scores]


class _Counter:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.support = 0


def evaluate(
    lines: list[LabelledLine],
    predict: Callable[[str], list[ProofStack]],
    taxonomy: Taxonomy | Sequence[Taxonomy] | None = None,
) -> EvalReport:
    taxonomies = (
        () if taxonomy is None else (taxonomy,) if isinstance(taxonomy, Taxonomy) else tuple(taxonomy)
    )
    names = [*LAYERS, *(f"strength:{s}" for s in STRENGTHS), *(f"flag:{f}" for f in FLAGS)]
    counts = {n: _Counter() for n in names}
    misses: list[Miss] = []
    passed = 0
    for line in lines:
        before = len(misses)
        stacks = predict(line.text)
        exp = line.expected
        for layer in LAYERS:
            want = getattr(exp, layer)
            got = [getattr(s, layer) for s in stacks if getattr(s, layer) is not None]
            ok = want is not None and any(_match(layer, want, g, taxonomies) for g in got)
            _count(counts[layer], want is not None, bool(got), ok)
            if not ok and (want is not None or got):
                misses.append(
                    Miss(
                        text=line.text, layer=layer, expected=_show(want), got=_show(got[0] if got else None)
                    )
                )
        first = stacks[0].requirement_strength if stacks else None
        for s in STRENGTHS:
            _count(
                counts[f"strength:{s}"],
                exp.requirement_strength == s,
                first == s,
                first == s == exp.requirement_strength,
            )
        if first != exp.requirement_strength:
            misses.append(
                Miss(text=line.text, layer="strength", expected=exp.requirement_strength, got=str(first))
            )
        flagged = {f for s in stacks for f in s.flags}
        for f in FLAGS:
            want_flag, got_flag = f in exp.flags, f in flagged
            _count(counts[f"flag:{f}"], want_flag, got_flag, want_flag and got_flag)
            if want_flag != got_flag:
                misses.append(
                    Miss(text=line.text, layer=f"flag:{f}", expected=str(want_flag), got=str(got_flag))
                )
        passed += len(misses) == before
    scores = [LayerScore(name=n, tp=c.tp, fp=c.fp, fn=c.fn, support=c.support) for n, c in counts.items()]
    return EvalReport(lines=len(lines), passed=passed, scores=scores, misses=misses)


def _count(c: _Counter, expected: bool, predicted: bool, matched: bool) -> None:
    c.support += expected
    if matched:
        c.tp += 1
        return
    c.fp += predicted
    c.fn += expected


def _match(layer: str, want: Any, got: Any, taxonomies: tuple[Taxonomy, ...]) -> bool:
    if layer == "skill":
        return _skill_match(want, got, taxonomies)
    if layer == "experience":
        return _experience_match(want, got)
    if layer == "certification":
        return _certification_match(want, got)
    return _track_record_match(want, got)


def _skill_match(want: str, got: SkillLayer, taxonomies: tuple[Taxonomy, ...]) -> bool:
    if normalise(want) == normalise(got.name):
        return True
    if got.code is None:
        return False
    several = len(taxonomies) > 1
    for taxonomy in taxonomies:
        skill = taxonomy.lookup(want)
        if skill is None:
            continue
        same_name = not several or normalise(skill.name) == normalise(got.name)
        if skill.code == got.code and same_name:
            return True
        # Across taxonomies, the skill as scoring reads it: an ESCO "welding techniques" over the
        # words "welding" is the rules taxonomy's Welding once bridged (processors/scoring/bridge.py).
        named = bridge(got, taxonomy).skill if several else None
        if named is not None and named.code == skill.code:
            return True
    return False


def _experience_match(want: ExpectedExperience, got: ExperienceLayer) -> bool:
    return abs(want.value - got.value) < 1e-9 and want.unit == got.unit and want.op == got.op


def _certification_match(want: ExpectedCertification, got: CertificationLayer) -> bool:
    a, b = want.name.casefold(), got.name.casefold()
    return want.kind == got.kind and (a in b or b in a)


def _track_record_match(want: ExpectedTrackRecord, got: TrackRecordLayer) -> bool:
    if want.category != got.category:
        return False
    if want.value is None or got.value is None:
        return True
    return abs(want.value - got.value) <= 0.01 * max(abs(want.value), abs(got.value))


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(value.model_dump(exclude_none=True, exclude={"confidence"}), ensure_ascii=False)
