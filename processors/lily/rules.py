"""Lily's rule-based decomposer: one requirement line in, SECT proof stacks out.

How a line becomes stacks:
- every skill named outside a credential gets its own stack ("Python or Java" gives two);
  a credential gets the stack of the skill it names or proves (its subject), or one of
  its own with no skill;
- the line is cut into clauses (commas, semicolons, dashes, parentheses; a comma piece
  that holds only skills joins the next piece, so lists stay one clause); a duration or an
  outcome goes to the stacks of its clause, else to the nearest clause before it that has
  stacks, else after; strength comes from a cue in the stack's clause, else from a cue
  that stands in a clause of its own ("Preferred: ..."), else `required`;
- T needs stakes (seed 000): an outcome figure, or a professional context marker
  (company, role, production, clients, P&L). A duration without stakes is E with
  `context_ambiguous` true.

parse_confidence is 0.2 + 0.75 x (share of the line's content words inside recognised
spans), 0.1 when nothing was recognised, at most 0.4 for NEEDS_CONTEXT and at most 0.3
when injected instructions were cut off. It says how much of the line we explained, not
how much the posting insists (that is requirement_strength).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from processors.lily import context, credentials, durations, outcomes, skills, strength
from processors.lily.clauses import ClauseIndex, line_clauses
from processors.lily.model import (
    MAX_LINE_CHARS,
    CertificationLayer,
    ExperienceLayer,
    Flag,
    ProofStack,
    SkillLayer,
    Strength,
    TrackRecordLayer,
)
from processors.lily.spans import DisjointSpans, SpanIndex
from processors.taxonomy.model import Taxonomy

RULESETS = ("rules-1", "rules-broad")
MAX_STACKS = 12
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#&'.-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WEAKEST = {"nice_to_have": 0, "preferred": 1, "required": 2}


@dataclass
class _Stack:
    anchor: int
    skill: skills.Found | None
    credential: credentials.Credential | None = None
    duration: durations.Duration | None = None
    outcome: outcomes.Outcome | None = None
    clause: int = 0
    strength: str = "required"
    flags: list[Flag] = field(default_factory=list)
    implied: tuple[str, ...] = ()


def decompose(
    text: str,
    taxonomy: Taxonomy,
    *,
    title: str = "",
    neighbours: Sequence[str] = (),
    ruleset: str = "rules-1",
    max_chars: int | None = MAX_LINE_CHARS,
) -> list[ProofStack]:
    """`max_chars` caps the part of the line that is read (None: all of it); a cut line is
    flagged LINE_TRUNCATED. The cost is linear in what is read either way."""
    if ruleset not in RULESETS:
        raise ValueError(f"unknown Lily ruleset {ruleset!r}; known: {', '.join(RULESETS)}")
    broad = ruleset == "rules-broad"
    line_flags: list[Flag] = []
    if max_chars is not None and len(text) > max_chars:
        text = text[:max_chars]
        line_flags.append("LINE_TRUNCATED")
    # Control characters become spaces (one for one, so spans stay put): names taken from the
    # text must pass the contract's no-control-character pattern.
    text = _CONTROL.sub(" ", text)
    cut = context.injection_start(text)
    if cut is not None:
        line_flags.append("INJECTION_SUSPECTED")
        text = text[:cut]

    found_durations = durations.find_durations(text)
    creds = credentials.find_credentials(text)
    duration_spans = SpanIndex((d.start, d.end) for d in found_durations)
    found_outcomes = [o for o in outcomes.find_outcomes(text) if not duration_spans.overlaps(o.start, o.end)]
    found_skills = _skills(text, taxonomy, creds, found_durations, found_outcomes, broad)
    cues = strength.find_cues(text)
    skill_spans = [(s.start, s.end) for s in found_skills]
    markers = context.professional_markers(text, skill_spans)

    stacks = _stacks(found_skills, creds, taxonomy, broad)
    spans = ClauseIndex(line_clauses(text, found_skills))
    for st in stacks:
        st.clause = spans.of(st.anchor)
    targets = _Targets(stacks)
    for d in found_durations:
        for st in targets.near(spans.of(d.start)):
            st.duration = st.duration or d
    for o in found_outcomes:
        for st in targets.near(spans.of(o.start)):
            st.outcome = st.outcome or o
    if not stacks:
        stacks = [_Stack(0, None)]
        stacks[0].duration = found_durations[0] if found_durations else None
        stacks[0].outcome = found_outcomes[0] if found_outcomes else None
    _assign_strength(stacks, spans, cues, found_skills, creds)

    recognised = [
        *skill_spans,
        *((c.start, c.end) for c in creds),
        *((d.start, d.end) for d in found_durations),
        *((o.start, o.end) for o in found_outcomes),
        *((c.start, c.end) for c in cues),
        *((m.start, m.end) for m in markers),
        *durations.qualifier_spans(text),
    ]
    coverage, leftover = _coverage(text, recognised)
    vague = durations.vague_experience(text)
    label = context.context_label(markers[0]) if markers else None
    out: list[ProofStack] = []
    for st in stacks[:MAX_STACKS]:
        flags: list[Flag] = [*line_flags, *st.flags]
        skill = st.skill
        skill_conf: float | None = skill.confidence if skill else None
        needs = skill is None and st.credential is None and (st.duration is not None or vague is not None)
        needs = needs and (vague is not None or _vague_duration(st.duration) or leftover == 0)
        if needs:
            flags.append("NEEDS_CONTEXT")
            if broad:
                skill = _from_context(title, neighbours, taxonomy)
                skill_conf = skill.confidence if skill else None
        has_layer = any(x is not None for x in (skill, st.credential, st.duration, st.outcome)) or needs
        conf = 0.2 + 0.75 * coverage if has_layer else 0.1
        if needs:
            conf = min(conf, 0.4)
        if "INJECTION_SUSPECTED" in line_flags:
            conf = min(conf, 0.3)
        if not has_layer:
            flags.append("UNCERTAIN")
        out.append(
            ProofStack(
                skill=SkillLayer(name=skill.name, code=skill.code, confidence=skill_conf or 0.0)
                if skill
                else None,
                experience=_experience(st.duration, vague),
                certification=_certification(st.credential),
                track_record=_track_record(st.outcome, label, text),
                implied_skills=list(st.implied),
                requirement_strength=_strength_literal(st.strength),
                parse_confidence=round(min(max(conf, 0.0), 1.0), 3),
                context_ambiguous=st.duration is not None and st.outcome is None and label is None,
                flags=list(dict.fromkeys(flags)),
            )
        )
    return out


def _skills(
    text: str,
    taxonomy: Taxonomy,
    creds: list[credentials.Credential],
    ds: list[durations.Duration],
    os_: list[outcomes.Outcome],
    broad: bool,
) -> list[skills.Found]:
    found = skills.exact_skills(text, taxonomy)
    exact, languages = SpanIndex((f.start, f.end) for f in found), DisjointSpans()
    for lang in skills.languages(text, taxonomy):
        if not exact.overlaps(lang.start, lang.end) and languages.add_if_free(lang.start, lang.end):
            found.append(lang)
    if broad:
        taken = [(f.start, f.end) for f in found]
        taken += [(c.start, c.end) for c in creds if c.kind != "degree"]
        taken += [(d.start, d.end) for d in ds] + [(o.start, o.end) for o in os_]
        found += skills.fuzzy_skills(text, taxonomy, taken)
    # A skill inside a number span ("10M users") is a reading accident, not a requirement.
    numbers = SpanIndex([*((d.start, d.end) for d in ds), *((o.start, o.end) for o in os_)])
    found = [f for f in found if not numbers.contains(f.start, f.end)]
    return sorted(found, key=lambda f: f.start)


def _stacks(
    found: list[skills.Found], creds: list[credentials.Credential], taxonomy: Taxonomy, broad: bool
) -> list[_Stack]:
    stacks: list[_Stack] = []
    owned: set[int] = set()
    starts = [f.start for f in found]  # found is in text order
    for c in creds:
        first, past = bisect_left(starts, c.start), bisect_left(starts, c.end)
        inside = [i for i in range(first, past) if found[i].end <= c.end]
        skill: skills.Found | None = found[inside[0]] if inside else None
        owned.update(inside)
        if skill is None and c.subject:
            skill = skills.subject_skill(c.subject, taxonomy, broad)
            if skill is None and c.specific and c.kind != "degree":
                skill = skills.Found(c.subject, None, -1, -1, 0.6)
            elif skill is None and c.kind == "degree":
                skill = skills.Found(c.subject.lower(), None, -1, -1, 0.6)
        implied = (
            credentials.implied_skills(c.subject) if (broad and c.kind == "degree" and c.subject) else ()
        )
        stacks.append(_Stack(c.start, skill, credential=c, implied=implied))
    for i, f in enumerate(found):
        if i in owned:
            continue
        stacks.append(_Stack(f.start, f))
    stacks.sort(key=lambda s: s.anchor)
    return _dedupe(stacks)


def _dedupe(stacks: list[_Stack]) -> list[_Stack]:
    # The same skill named twice in one line ("Python; Python 3") is one requirement.
    seen: set[str] = set()
    out: list[_Stack] = []
    for st in stacks:
        key = (st.skill.code or st.skill.name.lower()) if st.skill else f"@{st.anchor}"
        if st.credential is None and key in seen:
            continue
        seen.add(key)
        out.append(st)
    return out


class _Targets:
    """The stacks of the clause nearest a position: its own, else the nearest before, else after."""

    def __init__(self, stacks: list[_Stack]) -> None:
        self.by_clause: dict[int, list[_Stack]] = {}
        for st in stacks:
            self.by_clause.setdefault(st.clause, []).append(st)
        self.clauses = sorted(self.by_clause)

    def near(self, idx: int) -> list[_Stack]:
        if not self.clauses:
            return []
        k = bisect_right(self.clauses, idx) - 1
        return self.by_clause[self.clauses[k] if k >= 0 else self.clauses[0]]


def _assign_strength(
    stacks: list[_Stack],
    spans: ClauseIndex,
    cues: list[strength.Cue],
    found: list[skills.Found],
    creds: list[credentials.Credential],
) -> None:
    anchors = {spans.of(f.start) for f in found} | {spans.of(c.start) for c in creds}
    per_clause: dict[int, list[str]] = {}
    for c in cues:
        per_clause.setdefault(spans.of(c.start), []).append(c.strength)
    free = [s for i, ss in per_clause.items() if i not in anchors for s in ss]
    line_default = min(free, key=_WEAKEST.__getitem__) if free else "required"
    for st in stacks:
        own = per_clause.get(st.clause)
        st.strength = min(own, key=_WEAKEST.__getitem__) if own else line_default


def _coverage(text: str, recognised: list[tuple[int, int]]) -> tuple[float, int]:
    content = [m for m in _WORD.finditer(text) if m.group(0).lower() not in skills.STOP]
    if not content:
        return (1.0 if recognised else 0.0), 0
    # Words and spans both in text order: one sweep, not every word against every span. A word
    # is covered when a span starting at or before it reaches its end.
    spans = sorted(recognised)
    covered, j, reach = 0, 0, -1
    for m in content:
        while j < len(spans) and spans[j][0] <= m.start():
            reach = max(reach, spans[j][1])
            j += 1
        if reach >= m.end():
            covered += 1
    return covered / len(content), len(content) - covered


def _vague_duration(d: durations.Duration | None) -> bool:
    return d is not None and d.qualifier in durations.VAGUE_QUALIFIERS


def _from_context(title: str, neighbours: Sequence[str], taxonomy: Taxonomy) -> skills.Found | None:
    # The title names the job's main skill; otherwise the skill the neighbouring lines name most.
    in_title = taxonomy.find_in_text(title)
    if in_title:
        m = in_title[0]
        return skills.Found(m.skill.name, m.skill.code, -1, -1, 0.5)
    counts = Counter(m.skill.code for line in neighbours for m in taxonomy.find_in_text(line))
    if not counts:
        return None
    code = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return skills.Found(taxonomy.skills[code].name, code, -1, -1, 0.4)


def _experience(d: durations.Duration | None, vague: str | None) -> ExperienceLayer | None:
    if d is None:
        return None
    return ExperienceLayer(
        value=d.value,
        value_max=d.value_max,
        unit="months" if d.unit == "months" else "years",
        op=d.op,
        qualifier=d.qualifier or vague,
        confidence=0.85 if d.in_words else 0.9,
    )


def _certification(c: credentials.Credential | None) -> CertificationLayer | None:
    if c is None:
        return None
    return CertificationLayer(
        name=" ".join(c.name.split())[:200], kind=c.kind, confidence=0.9 if c.specific else 0.65
    )


def _track_record(o: outcomes.Outcome | None, label: str | None, text: str) -> TrackRecordLayer | None:
    if o is None and label is None:
        return None
    if o is None:
        return TrackRecordLayer(category=outcomes.record_category(text), context=label, confidence=0.6)
    return TrackRecordLayer(
        category=o.category,
        value=o.value,
        unit=o.unit,
        context=label,
        confidence=0.85 if o.value is not None else 0.65,
    )


def _strength_literal(value: str) -> Strength:
    return "nice_to_have" if value == "nice_to_have" else "preferred" if value == "preferred" else "required"
