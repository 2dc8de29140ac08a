"""The semantic side's skill matrix: what is embedded per skill, and the key that names it.

Each skill is embedded twice, its name alone and its `text` (for ESCO: label, alternative
labels and description; else name and synonyms), and its row is the normalised sum of
the two: the name keeps short mentions close, the description brings in the words a
posting uses instead. The key is sha256 over the model, dimension and every (code, name,
text) in code order: any change to the taxonomy or the model names another matrix, so a
cached one is never used for the wrong skills.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from processors.embeddings.provider import EmbeddingProvider, Vectors, l2_normalise
from processors.taxonomy.model import Skill, Taxonomy

SCHEME = "name+text/1"


def ordered_skills(taxonomy: Taxonomy) -> list[Skill]:
    return [taxonomy.skills[c] for c in sorted(taxonomy.skills)]


def skill_text(skill: Skill) -> str:
    return skill.text or " ".join(skill.aliases)


def vectors_key(skills: Sequence[Skill], model: str, dimension: int) -> str:
    h = hashlib.sha256(f"{SCHEME}\x1f{model}\x1f{dimension}".encode())
    for s in skills:
        h.update(f"\x1e{s.code}\x1f{s.name}\x1f{skill_text(s)}".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class SkillVectors:
    key: str
    model: str
    matrix: Vectors  # (len(skills), dimension), float32, unit rows, in code order

    def __post_init__(self) -> None:
        if self.matrix.ndim != 2:
            raise ValueError(f"skill vectors must be a matrix, got shape {self.matrix.shape}")


def combine(names: Vectors, texts: Vectors) -> Vectors:
    return l2_normalise(np.asarray(names, dtype=np.float32) + np.asarray(texts, dtype=np.float32))


def embed_skills(skills: Sequence[Skill], provider: EmbeddingProvider) -> SkillVectors:
    """Embed every skill's name and text (the slow part: minutes for ESCO on two cores)."""
    names = provider.embed([s.name for s in skills])
    # Long texts sorted by length batch with less padding; rows go back to code order.
    texts = [skill_text(s) for s in skills]
    order = np.argsort([len(t) for t in texts], kind="stable")
    embedded = provider.embed([texts[i] for i in order])
    by_code = np.empty_like(embedded)
    by_code[order] = embedded
    key = vectors_key(skills, provider.model, provider.dimension)
    return SkillVectors(key, provider.model, combine(names, by_code))
