"""A posting's skill named in the scoring taxonomy, whichever taxonomy the ruleset named it in.

`hybrid-1` names skills as ESCO does ("Python (computer programming)", an ESCO code and
URI); scoring compares skills through its own taxonomy, usually the built-in one. Codes of
two taxonomies share a format and collide (204 ESCO codes are built-in codes of unrelated
skills), so a code alone names nothing. In order, the first that holds:

1. the scoring taxonomy has a skill with the layer's URI: that skill;
2. the layer's code is a skill of the scoring taxonomy and the layer's name is one of that
   skill's names (so every `rules-1` stack, whose skills come from the scoring taxonomy,
   keeps its skill and kind);
3. the taxonomy resolves, at `FLOOR` or above, the name, then the name without its
   parenthesised qualifier (only onto a skill's own name, see `_QUALIFIER`), then the
   mention's words: the skill it resolves to;
4. none: the name as given, which scoring then compares by its normalised name.

Kind: the bridged skill's; without one, a language when the layer carries a level (the
linker gives a level to languages only), else hard. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from processors.lily.model import SkillLayer
from processors.taxonomy.model import Skill, Taxonomy
from processors.taxonomy.text import normalise

# Resolving all 13,921 ESCO preferred labels in the built-in taxonomy gave 345 exact or
# synonym hits and 81 fuzzy ones. Below 0.95 most fuzzy hits are another skill
# ("topography" -> Typography 0.90, "aesthetics" -> Anaesthesia 0.91, "CAM software" ->
# CRM Software 0.92, "Java (computer programming)" -> Computer Programming 0.89); from 0.95
# they are mostly spellings of the same skill ("Earth science", "technical drawings",
# British "modelling"). So 0.95, not `Taxonomy.resolve`'s own 0.88.
FLOOR = 0.95
# "Salt (tools for software configuration management)" stripped is "Salt", a synonym of
# Speech and Language Therapy (SALT); "ML (computer programming)" is not Machine Learning.
# A stripped name has lost what told it apart, so it only lands on a skill's own name.
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")

How = Literal["uri", "code", "name", "unqualified", "mention", "none"]


@dataclass(frozen=True)
class Bridged:
    name: str  # what scoring compares: the scoring taxonomy's name, or the layer's own
    kind: str  # hard | soft | language | knowledge
    skill: Skill | None  # the scoring taxonomy's skill, when the layer names one
    how: How


def _named(skill: Skill, name: str) -> bool:
    key = normalise(name)
    return any(normalise(a) == key for a in skill.aliases)


def _resolved(layer: SkillLayer, taxonomy: Taxonomy) -> tuple[Skill, How] | None:
    hit = taxonomy.resolve(layer.name)
    if hit is not None and hit[1] >= FLOOR:
        return hit[0], "name"
    bare = _QUALIFIER.sub("", layer.name)
    if bare != layer.name and bare.strip():
        own = taxonomy.lookup(bare)
        if own is not None and own.key == normalise(bare):
            return own, "unqualified"
    if layer.mention is not None and layer.mention.text.strip():
        hit = taxonomy.resolve(layer.mention.text)
        if hit is not None and hit[1] >= FLOOR:
            return hit[0], "mention"
        # A mention is the phrase that names the skill ("Stakeholder management skills",
        # "annual procurement spend"): the one skill the taxonomy finds inside it, if just one.
        inside = {m.skill.code: m.skill for m in taxonomy.find_in_text(layer.mention.text)}
        if len(inside) == 1:
            return next(iter(inside.values())), "mention"
    return None


def bridge(layer: SkillLayer, taxonomy: Taxonomy) -> Bridged:
    """The skill `layer` names in `taxonomy` (see the module's steps), its name and kind."""
    by_uri = taxonomy.by_uri(layer.uri) if layer.uri else None
    if by_uri is not None:
        return Bridged(by_uri.name, by_uri.kind, by_uri, "uri")
    same = taxonomy.skills.get(layer.code or "")
    if same is not None and _named(same, layer.name):
        # The layer's own spelling stays: it is one of the skill's names, and what scoring saw before.
        return Bridged(layer.name, same.kind, same, "code")
    found = _resolved(layer, taxonomy)
    if found is not None:
        return Bridged(found[0].name, found[0].kind, found[0], found[1])
    return Bridged(layer.name, "language" if layer.level else "hard", None, "none")
