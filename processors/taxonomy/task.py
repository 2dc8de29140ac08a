"""The `map_skills` task: the skills of a posting's requirements, mapped to taxonomy codes.

Input is what Lily found per requirement (the line, the skill names it read, the skills a
credential implies) plus the posting title. The `rules` engine maps deterministically:
each named skill by lookup, then fuzzily; implied skills with lower confidence; every
skill `find_in_text` sees in the line; and the title's skills (requirement_index -1, so
a title like "ICU Nurse" still says something when the lines do not).

Every function reads the taxonomy it is given; `task_for(taxonomy)` builds the task around
one, and the registry's copy reads the built-in taxonomy.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from processors.llm.protocol import Prompt
from processors.llm.tasks import Task, require
from processors.taxonomy import store
from processors.taxonomy.model import Skill, Taxonomy
from processors.taxonomy.text import normalise

PROMPT_VERSION = "map_skills/1"
RULESETS = ("rules-1",)
TITLE_INDEX = -1
TEXT = r"^[^\x00-\x1f]*$"
_CONTROL = re.compile(r"[\x00-\x1f]+")

Source = Literal["explicit", "implied", "fuzzy", "title", "unmapped"]

# Confidence per way of mapping: a name in the line is surer than one a credential implies.
_EXPLICIT = 0.95
_FUZZY = 0.8
_IMPLIED = 0.6
_TITLE = 0.5
_UNMAPPED = 0.4
_FUZZY_CUTOFF = 0.85


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RequirementRef(_Model):
    index: int = Field(ge=0)
    text: str
    skill_names: list[str] = Field(default_factory=list)
    implied: list[str] = Field(default_factory=list)


class MapSkillsInput(_Model):
    title: str
    requirements: list[RequirementRef]


class MappedSkill(_Model):
    name: str = Field(pattern=TEXT, max_length=300)
    code: str | None = Field(default=None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{3}$")
    requirement_index: int = Field(ge=TITLE_INDEX, description="index of the requirement; -1 for the title")
    confidence: float = Field(ge=0.0, le=1.0)
    source: Source
    path: list[str] = Field(default_factory=list, description="taxonomy names from domain to skill")


class MapSkillsOutput(_Model):
    skills: list[MappedSkill]


_SYSTEM = (
    "You map the skills a job posting asks for onto a skill taxonomy with codes L1.L2.L3.L4.\n"
    "For every requirement line, list each skill it names or that its named skills imply. "
    "Use a code only from that requirement's candidate list, with the candidate's name; "
    'a skill with no fitting candidate gets code null and source "unmapped".\n'
    'source: "explicit" (named in the line), "implied" (implied by a credential), '
    '"fuzzy" (a near match of a named skill), "title" (from the posting title, '
    'requirement_index -1), "unmapped".\n'
    "confidence is between 0 and 1: how sure you are the skill is asked for with that code. "
    "path is the candidate's path. Never invent skills the posting does not support."
)


def _candidates(taxonomy: Taxonomy, ref: RequirementRef) -> list[Skill]:
    found: dict[str, Skill] = {}
    for name in (*ref.skill_names, *ref.implied):
        hit = taxonomy.resolve(name, cutoff=_FUZZY_CUTOFF)
        if hit is not None:
            found.setdefault(hit[0].code, hit[0])
    for m in taxonomy.find_in_text(ref.text):
        found.setdefault(m.skill.code, m.skill)
    return list(found.values())


def build_prompt(data: MapSkillsInput, taxonomy: Taxonomy) -> Prompt:
    title = require(data.title.strip(), "title")
    refs = data.requirements  # none is a valid (flagged) posting: the title is still mapped
    blocks: list[str] = []
    for ref in refs:
        text = require(ref.text.strip(), f"requirements[{ref.index}].text")
        named = ", ".join(ref.skill_names) or "(none)"
        implied = ", ".join(ref.implied) or "(none)"
        listed = "\n".join(
            f"      {s.code} {s.name} ({' > '.join(taxonomy.path(s.code))})"
            for s in _candidates(taxonomy, ref)
        )
        blocks.append(
            f"[{ref.index}] {text}\n"
            f"    named skills: {named}\n"
            f"    implied skills: {implied}\n"
            f"    candidates:\n{listed or '      (none)'}"
        )
    title_candidates = "\n".join(f"      {m.skill.code} {m.skill.name}" for m in taxonomy.find_in_text(title))
    user = (
        f"Posting title: {title}\n"
        f"    title candidates:\n{title_candidates or '      (none)'}\n\n"
        f"Requirements:\n" + ("\n\n".join(blocks) or "(none)")
    )
    return Prompt(system=_SYSTEM, user=user, version=PROMPT_VERSION)


class _Collector:
    """Keeps one mapping per (code or unmapped name, requirement), the most confident."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.found: dict[tuple[str, int], MappedSkill] = {}

    def add(self, skill: Skill | None, name: str, index: int, confidence: float, source: Source) -> None:
        if skill is None:
            key, mapped = (
                (f"?{normalise(name)}", index),
                MappedSkill(
                    name=_CONTROL.sub(" ", name).strip()[:300],
                    code=None,
                    requirement_index=index,
                    confidence=round(confidence, 3),
                    source="unmapped",
                ),
            )
        else:
            key, mapped = (
                (skill.code, index),
                MappedSkill(
                    name=skill.name,
                    code=skill.code,
                    requirement_index=index,
                    confidence=round(confidence, 3),
                    source=source,
                    path=self.taxonomy.path(skill.code),
                ),
            )
        old = self.found.get(key)
        if old is None or mapped.confidence > old.confidence:
            self.found[key] = mapped

    def named(self, name: str, index: int, scale: float, source: Source) -> None:
        if not normalise(name):
            return
        exact = self.taxonomy.lookup(name)
        if exact is not None:
            self.add(exact, name, index, scale * _EXPLICIT, source)
            return
        hit = self.taxonomy.resolve(name, cutoff=_FUZZY_CUTOFF)
        if hit is not None:
            self.add(hit[0], name, index, scale * _FUZZY * hit[1], "fuzzy")
            return
        inside = self.taxonomy.find_in_text(name)  # "strong Python skills" names Python
        for m in inside:
            self.add(m.skill, name, index, scale * _FUZZY * m.confidence, "fuzzy")
        if not inside:
            self.add(None, name, index, scale * _UNMAPPED, "unmapped")


def rules(data: MapSkillsInput, ruleset: str, taxonomy: Taxonomy) -> MapSkillsOutput:
    if ruleset not in RULESETS:
        raise ValueError(f"unknown ruleset {ruleset!r} for map_skills; known: {', '.join(RULESETS)}")
    found = _Collector(taxonomy)
    for ref in data.requirements:
        for name in ref.skill_names:
            found.named(name, ref.index, 1.0, "explicit")
        for m in taxonomy.find_in_text(ref.text):
            found.add(m.skill, m.matched, ref.index, m.confidence, "explicit")
        for name in ref.implied:
            found.named(name, ref.index, _IMPLIED, "implied")
    for m in taxonomy.find_in_text(data.title):
        found.add(m.skill, m.matched, TITLE_INDEX, _TITLE * m.confidence, "title")
    ordered = sorted(found.found.values(), key=lambda s: s.requirement_index == TITLE_INDEX)
    return MapSkillsOutput(skills=ordered)


def _grounded(name: str, data: MapSkillsInput, taxonomy: Taxonomy) -> bool:
    key = normalise(name)
    texts = [data.title, *(r.text for r in data.requirements)]
    names = [n for r in data.requirements for n in (*r.skill_names, *r.implied)]
    return (
        taxonomy.lookup(name) is not None
        or any(normalise(n) == key for n in names)
        or any(key in normalise(t) for t in texts)
    )


def check(data: MapSkillsInput, output: MapSkillsOutput, taxonomy: Taxonomy) -> list[str]:
    """Problems a schema cannot see: unknown codes, wrong indexes, names from nowhere."""
    indexes = {r.index for r in data.requirements}
    problems: list[str] = []
    seen: set[tuple[str, int]] = set()
    for s in output.skills:
        label = f"skill {s.name!r} (requirement {s.requirement_index})"
        if s.source == "title" and s.requirement_index != TITLE_INDEX:
            problems.append(f"{label}: source 'title' needs requirement_index {TITLE_INDEX}")
        elif s.source != "title" and s.requirement_index not in indexes:
            problems.append(f"{label}: requirement_index is not one of {sorted(indexes)}")
        if s.code is not None:
            skill = taxonomy.skills.get(s.code)
            if skill is None:
                problems.append(f"{label}: code {s.code} is not in the taxonomy ({taxonomy.source})")
            elif (named := taxonomy.lookup(s.name)) is not None and named.code != s.code:
                problems.append(f"{label}: the name is {named.code}, but the code {s.code} is {skill.name!r}")
            elif s.path and s.path != taxonomy.path(s.code):
                problems.append(f"{label}: path {s.path} is not the taxonomy's {taxonomy.path(s.code)}")
            if s.source == "unmapped":
                problems.append(f"{label}: source 'unmapped' with code {s.code}")
            if (s.code, s.requirement_index) in seen:
                problems.append(f"{label}: code {s.code} is listed twice for one requirement")
            seen.add((s.code, s.requirement_index))
        elif s.source != "unmapped":
            problems.append(f"{label}: source {s.source!r} without a code")
        if not _grounded(s.name, data, taxonomy):
            problems.append(f"{label}: the name is neither in the posting nor in the taxonomy")
    return problems


def task_for(taxonomy: Taxonomy) -> Task[MapSkillsInput, MapSkillsOutput]:
    """The map_skills task reading `taxonomy` (named in its decisions and its reuse key)."""
    return Task(
        name="map_skills",
        input_model=MapSkillsInput,
        output_model=MapSkillsOutput,
        prompt_version=PROMPT_VERSION,
        build_prompt=partial(build_prompt, taxonomy=taxonomy),
        rules=partial(rules, taxonomy=taxonomy),
        check=partial(check, taxonomy=taxonomy),
        taxonomy=taxonomy.identity,
    )


TASK: Task[MapSkillsInput, MapSkillsOutput] = task_for(store.builtin())
