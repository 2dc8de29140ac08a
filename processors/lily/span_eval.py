"""Span F1 of a skill reader on SkillSpan: strict (same tokens) and lenient (tokens overlap).

Gold spans are SkillSpan's skill and knowledge spans together (the corpus tags both; a
requirement's S layer covers both). A reader answers character spans over the sentence
text (its tokens joined by single spaces); they become token spans here. Strict: a
predicted span is right when a gold span has exactly its tokens. Lenient: when it shares
a token with one; recall counts the gold spans some prediction overlaps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from processors.lily import skills
from processors.lily.hybrid import HybridStack
from processors.linking.corpora import TaggedSentence
from processors.taxonomy.model import Taxonomy

CharSpans = list[tuple[int, int]]


def token_spans(sentence: TaggedSentence, chars: CharSpans) -> set[tuple[int, int]]:
    starts, at = [], 0
    for token in sentence.tokens:
        starts.append(at)
        at += len(token) + 1
    out: set[tuple[int, int]] = set()
    for s, e in chars:
        inside = [i for i, b in enumerate(starts) if b < e and s < b + len(sentence.tokens[i])]
        if inside:
            out.add((inside[0], inside[-1] + 1))
    return out


@dataclass(frozen=True)
class SpanScores:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class SpanReport:
    sentences: int
    gold: int
    predicted: int
    strict: SpanScores
    lenient: SpanScores

    def as_dict(self) -> dict[str, object]:
        def row(s: SpanScores) -> dict[str, float]:
            return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

        return {"sentences": self.sentences, "gold_spans": self.gold, "predicted_spans": self.predicted,
                "strict": row(self.strict), "lenient": row(self.lenient)}  # fmt: skip


def evaluate_spans(
    sentences: Sequence[TaggedSentence], read: Callable[[Sequence[str]], list[CharSpans]]
) -> SpanReport:
    """`read` maps sentence texts (batched) to the character spans it calls skills."""
    answers = read([s.text for s in sentences])
    gold_n = pred_n = exact = pred_hit = gold_hit = 0
    for sentence, chars in zip(sentences, answers, strict=True):
        gold = {(sp.start, sp.end) for sp in sentence.spans}
        pred = token_spans(sentence, chars)
        gold_n, pred_n = gold_n + len(gold), pred_n + len(pred)
        exact += len(gold & pred)
        pred_hit += sum(1 for p in pred if any(p[0] < g[1] and g[0] < p[1] for g in gold))
        gold_hit += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
    sp, sr = (exact / pred_n if pred_n else 0.0), (exact / gold_n if gold_n else 0.0)
    lp, lr = (pred_hit / pred_n if pred_n else 0.0), (gold_hit / gold_n if gold_n else 0.0)
    return SpanReport(
        len(sentences), gold_n, pred_n, SpanScores(sp, sr, _f1(sp, sr)), SpanScores(lp, lr, _f1(lp, lr))
    )


def rules_spans(text: str, taxonomy: Taxonomy) -> CharSpans:
    """The spans `rules-1`'s S layer reads: exact taxonomy phrases and spoken languages."""
    found = skills.exact_skills(text, taxonomy) + skills.languages(text, taxonomy)
    return [(f.start, f.end) for f in found if f.start >= 0]


def stack_spans(stacks: Sequence[HybridStack]) -> CharSpans:
    """The mentions of a hybrid decomposition's skills and their alternatives."""
    return [
        (m.start, m.end)
        for s in stacks
        for k in ([s.skill] if s.skill is not None else []) + list(s.alternatives)
        if (m := k.mention) is not None
    ]
