"""What `hybrid-1` reads differently from `rules-1` in the E, C and T layers (the S layer is
the linker's, see hybrid.py). Each step takes the line and its stacks and returns stacks:

- durations: the wider reader's ("ten-plus years", "two decades", "a year and a half");
  a rate ("$750K a year"), a streak ("two years running") or the span an outcome held over
  ("zero incidents over 3 years") is no experience;
- outcomes: the wider reader's ("serving 10M monthly active users", "from 10 days to 4");
- stakes: an employer by kind ("at a bank") or client work ("as a freelancer") makes T
  beside the E a duration gives; a side project, internship or coursework makes its outcome
  E (experience with that setting as context, no duration stated), never T;
- a language level ("French at C1") is the skill's level, not a track-record context;
- a skill linked inside a setting phrase ("law" in "at a law firm", "volunteer" in "as a
  volunteer") names where the work was done, not a skill;
- a bare duration ("Ten-plus years") with nothing else read NEEDS_CONTEXT, as rules-1 flags
  its own bare durations;
- "N years in investment banking": no skill, the industry is the experience's context;
- a capability phrase with years ("High analytical capabilities (3 years)") is the skills it
  names, each with the duration (seed 000's technical-debt case: S with a duration, not E);
- "experience operating systems with 99.99% availability": a verb the linker read as part
  of a skill's name ("operating systems") is no skill when an outcome follows it;
- credentials' names (hybrid_credentials.py) and strength cues rules-1 misses
  (hybrid_strength.py).
"""

from __future__ import annotations

import re

from processors.lily import durations, hybrid_credentials, hybrid_strength, outcomes, stakes
from processors.lily.durations import Duration
from processors.lily.model import ExperienceLayer, Flag, ProofStack, SkillLayer, TrackRecordLayer
from processors.lily.outcomes import Outcome
from processors.lily.wide_durations import cut_word, find_wide_durations, is_period
from processors.lily.wide_outcomes import find_wide_outcomes
from processors.linking.linker import Linker

LINK_FLOOR = 0.2  # the same floor hybrid.THRESHOLD sets for the S layer
_CAPABILITY = re.compile(
    r"\b(?P<adjs>[a-z][\w-]*(?:(?:\s*,\s*|\s+and\s+|\s+&\s+)[a-z][\w-]*)*)\s+"
    r"(?:capabilities|capability|skills|abilities|competenc(?:e|ies)|aptitudes?)\b",
    re.IGNORECASE,
)
_FILLER_ADJ = {
    "high",
    "strong",
    "good",
    "excellent",
    "great",
    "solid",
    "proven",
    "very",
    "outstanding",
    "sound",
}
_EXPERIENCE_VERB = re.compile(r"\b(?:experience[ds]?|background)\s+(?:in\s+)?$", re.IGNORECASE)


def refine(text: str, stacks: list[ProofStack], linker: Linker) -> list[ProofStack]:
    stacks = hybrid_credentials.inside_words(text, stacks)
    stacks = hybrid_credentials.titles(text, stacks)
    stacks = _settings_are_no_skills(text, stacks)
    stacks = hybrid_strength.more_cues(text, stacks)
    stacks = hybrid_strength.after_aside(text, stacks)
    stacks = _durations(text, stacks)
    stacks = _outcomes(text, stacks)
    stacks = _periods(text, stacks)
    stacks = _verb_read_as_skill(text, stacks)
    stacks = _capabilities(text, stacks, linker)
    stacks = _industry(text, stacks)
    stacks = _stakes(text, stacks)
    return [_settle(s) for s in _bare_durations(text, _levels(stacks))]


def _settle(s: ProofStack) -> ProofStack:
    """A stack these steps gave a layer is no longer one where nothing was recognised; one with
    a named setting ("4 years as VP of Engineering") does not need the posting's context."""
    if "NEEDS_CONTEXT" in s.flags and s.track_record is not None and s.track_record.context:
        s = s.model_copy(update={"flags": [f for f in s.flags if f != "NEEDS_CONTEXT"]})
    if "UNCERTAIN" not in s.flags or not any((s.skill, s.experience, s.certification, s.track_record)):
        return s
    flags = [f for f in s.flags if f != "UNCERTAIN"]
    return s.model_copy(update={"flags": flags, "parse_confidence": max(s.parse_confidence, 0.45)})


def _experience(d: Duration, context: str | None = None) -> ExperienceLayer:
    return ExperienceLayer(
        value=d.value, value_max=d.value_max, unit=d.unit, op=d.op, qualifier=d.qualifier,
        context=context, confidence=0.85 if d.in_words else 0.9,
    )  # fmt: skip


def _same(layer: ExperienceLayer, d: Duration) -> bool:
    return (
        layer.value == d.value
        and layer.unit == d.unit
        and layer.op == d.op
        and layer.value_max == d.value_max
    )


def _durations(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    plain, wide = durations.find_durations(text), find_wide_durations(text)
    if [(d.start, d.end, d.value) for d in plain] == [(d.start, d.end, d.value) for d in wide]:
        return stacks
    replaced = {id(p): w for p in plain for w in wide if w.start <= p.start and p.end <= w.end}
    out = []
    for s in stacks:
        e = s.experience
        if e is None and s.certification is None and wide:
            out.append(s.model_copy(update={"experience": _experience(wide[0]), "context_ambiguous": True}))
            continue
        for p in plain:
            if e is not None and _same(e, p) and id(p) in replaced:
                s = s.model_copy(update={"experience": _experience(replaced[id(p)])})
                break
        out.append(s)
    return out


def _periods(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    first_end = min((o.end for o in find_wide_outcomes(text)), default=len(text) + 1)
    found = [*durations.find_durations(text), *find_wide_durations(text)]
    periods = [d for d in found if cut_word(text, d) or is_period(text, d, first_end <= d.start)]
    if not periods:
        return stacks
    out = []
    for s in stacks:
        e = s.experience
        if e is not None and any(_same(e, d) for d in periods):
            s = s.model_copy(update={"experience": None, "context_ambiguous": False})
        out.append(s)
    return out


def _track(o: Outcome, context: str | None) -> TrackRecordLayer:
    return TrackRecordLayer(
        category=o.category, value=o.value, unit=o.unit, context=context,
        confidence=0.85 if o.value is not None else 0.65,
    )  # fmt: skip


def _outcomes(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    read = outcomes.find_outcomes(text)
    wide = find_wide_outcomes(text)
    plain = {(o.start, o.end) for o in read}
    extra = [o for o in wide if (o.start, o.end) not in plain]
    # rules-1 outcomes the wider reading replaced ("team ... 20" read as scale inside "from 4 to 20",
    # the "$2M" of "from $2M to $8M").
    kept = {(w.start, w.end) for w in wide}
    dropped = {(p.category, p.value) for p in read if (p.start, p.end) not in kept}
    if not extra and not dropped:
        return stacks
    o = extra[0] if extra else wide[0] if wide else None
    out = []
    for s in stacks:
        t = s.track_record
        missing = t is None or t.value is None
        if o is None and t is not None and (t.category, t.value) in dropped:
            s = s.model_copy(update={"track_record": t.model_copy(update={"value": None, "unit": None})})
        elif o is not None and ((missing and extra) or (t is not None and (t.category, t.value) in dropped)):
            s = s.model_copy(
                update={"track_record": _track(o, t.context if t else None), "context_ambiguous": False}
            )
        out.append(s)
    return out


def _stakes(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    clients = stakes.client_work(text)
    setting = stakes.employer(text) or clients or stakes.live_systems(text)
    casual = stakes.no_stakes(text)
    # An intern or a volunteer at a named firm still had no stakes; paid client work always has.
    if casual is not None and clients is None:
        return [_as_experience(s, casual.text) for s in stacks]
    if setting is None:
        return stacks
    out = []
    for s in stacks:
        t = s.track_record
        if t is None:
            t = TrackRecordLayer(
                category=outcomes.record_category(text), context=setting.text, confidence=0.6
            )
        elif not t.context:
            t = t.model_copy(update={"context": setting.text})
        out.append(s.model_copy(update={"track_record": t, "context_ambiguous": False}))
    return out


def _as_experience(s: ProofStack, setting: str) -> ProofStack:
    if s.certification is not None:
        return s
    t = s.track_record
    shown = (
        f"{setting}: {_figure(t.value)} {t.unit or ''}".strip()
        if t is not None and t.value is not None
        else setting
    )
    e = s.experience
    if e is None:
        e = ExperienceLayer(value=0, unit="years", op=">=", context=shown[:200], confidence=0.6)
    else:
        e = e.model_copy(update={"context": shown[:200]})
    flags = [f for f in s.flags if f != "NEEDS_CONTEXT"]
    return s.model_copy(
        update={"experience": e, "track_record": None, "context_ambiguous": False, "flags": flags}
    )


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _levels(stacks: list[ProofStack]) -> list[ProofStack]:
    out = []
    for s in stacks:
        t = s.track_record
        if t is not None and t.value is None and t.context and stakes.is_level(t.context):
            s = s.model_copy(update={"track_record": None, "context_ambiguous": s.experience is not None})
        out.append(s)
    return out


def _industry(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    where = stakes.industry(text)
    if where is None:
        return stacks
    out = []
    for s in stacks:
        m = s.skill.mention if s.skill is not None else None
        inside = m is not None and where.start <= m.start and m.end <= where.end
        if (inside or s.skill is None) and s.experience is not None and s.certification is None:
            e = s.experience.model_copy(update={"context": where.text[:200]})
            s = s.model_copy(update={"skill": None, "alternatives": [], "experience": e})
            s = s.model_copy(update={"flags": [f for f in s.flags if f != "NEEDS_CONTEXT"]})
        out.append(s)
    return _one_bare(out)


def _one_bare(stacks: list[ProofStack]) -> list[ProofStack]:
    # Several stacks left without a skill say the same thing once.
    out, seen = [], False
    for s in stacks:
        bare = s.skill is None and s.certification is None
        if bare and seen:
            continue
        seen = seen or bare
        out.append(s)
    return out


def _capabilities(text: str, stacks: list[ProofStack], linker: Linker) -> list[ProofStack]:
    bare = [s for s in stacks if s.skill is None and s.certification is None]
    m = _CAPABILITY.search(text)
    if not bare or m is None or any(s.skill is not None for s in stacks):
        return stacks
    found: list[SkillLayer] = []
    for word in re.finditer(r"[A-Za-z][\w-]*", m.group("adjs")):
        if word.group(0).lower() in _FILLER_ADJ | {"and"}:
            continue
        start = m.start("adjs") + word.start()
        for link in linker.link(f"{word.group(0)} skills", top=1):
            if link.score >= LINK_FLOOR and link.mention.text.lower() == word.group(0).lower():
                mention = {"text": word.group(0), "start": start, "end": start + len(word.group(0))}
                found.append(SkillLayer.model_validate({
                    "name": link.label[:200], "code": link.code, "confidence": link.score,
                    "uri": link.uri, "mention": mention,
                }))  # fmt: skip
    if not found:
        return stacks
    template = bare[0]
    flags = [f for f in template.flags if f != "NEEDS_CONTEXT"]
    made = [template.model_copy(update={"skill": skill, "flags": flags}) for skill in found]
    return [s for s in stacks if s is not template] + made


def _verb_read_as_skill(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    out = []
    for s in stacks:
        m = s.skill.mention if s.skill is not None else None
        if (
            s.skill is not None
            and m is not None
            and m.text.split()[0].lower().endswith("ing")
            and s.skill.name.split()[0].lower() == m.text.split()[0].lower()
            and _EXPERIENCE_VERB.search(text[: m.start])
            and any(o.start >= m.end for o in find_wide_outcomes(text))
        ):
            s = s.model_copy(update={"skill": None, "alternatives": []})
        out.append(s)
    return _one_bare(out)


def _settings_are_no_skills(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    spans = [(w.start, w.end) for w in stakes.settings(text)]
    out = []
    for s in stacks:
        m = s.skill.mention if s.skill is not None else None
        if m is not None and s.certification is None and any(a <= m.start and m.end <= b for a, b in spans):
            s = s.model_copy(update={"skill": None, "alternatives": []})
        out.append(s)
    if all(s.skill is None for s in out):
        return _one_bare(out)
    # A stack left bare says nothing its siblings with a skill do not (they share the line's E and T).
    return [s for s in out if s.skill is not None or s.certification is not None or not _said(s, out)]


def _said(bare: ProofStack, stacks: list[ProofStack]) -> bool:
    if bare.experience is None and bare.track_record is None:
        return True
    return any(
        o.skill is not None and o.experience == bare.experience and o.track_record == bare.track_record
        for o in stacks
    )


_FILLER = re.compile(
    r"^(?:of|in|total|overall|professional|work(?:ing)?|hands-on|experience[ds]?|minimum|at|least|the|"
    r"required|essential|preferred|ideally|desirable|needed|must|have|a|an|is|and|plus)$",
    re.IGNORECASE,
)


def _bare_durations(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    """ "Ten-plus years": a duration of nothing named needs the posting's context."""
    wide = find_wide_durations(text)
    if len(stacks) != 1 or not wide:
        return stacks
    s = stacks[0]
    if any((s.skill, s.certification, s.track_record)) or s.experience is None or s.experience.context:
        return stacks
    if "NEEDS_CONTEXT" in s.flags:
        return stacks
    rest = text[: wide[0].start] + " " + text[wide[0].end :]
    if any(not _FILLER.match(w) for w in re.findall(r"[A-Za-z][\w-]*", rest)):
        return stacks
    flags: list[Flag] = [*s.flags, "NEEDS_CONTEXT"]
    return [s.model_copy(update={"flags": flags, "parse_confidence": min(s.parse_confidence, 0.4)})]
