"""Lily's `hybrid-1` ruleset: the S layer from the skill linker, the E, C and T layers from `rules-1`.

For one line:
- `rules-1` reads it as always (durations, credentials, outcomes, strength, flags), on the
  taxonomy it is given;
- the linker links it (ESCO by default); links at least `THRESHOLD` (calibrated) are taken
  best first, one per mention (a mention overlapping a better one's is dropped), and never
  inside a credential's name ("Certified ScrumMaster" is C, not a skill to link), nor on a
  word that only names the paper ("licences", "certification");
- skills whose mentions are joined by "or" / "/" ("Go or Python") are one requirement
  with alternatives: the first mentioned is the skill, the others `alternatives`;
- each requirement takes its E/T/strength from the `rules-1` stack that names the same
  words, else from the line's skill-less stack, else from the first; `rules-1` stacks with
  a credential stay, and so do its skills the linker has no mention over (named as the
  linked taxonomy names them where it does, else as the rules taxonomy does, without uri);
- each skill's mention is grown from the linker's words to the phrase naming it
  ("communication" -> "communication skills", see `mention_bounds.py`);
- a language skill carries the level the line gives it (CEFR A1-C2, native, fluent, ...);
- when no skill is linked and `rules-1` says NEEDS_CONTEXT, the posting's title is
  resolved to an ESCO occupation and the title's best-linked essential skill of that
  occupation fills S (NEEDS_CONTEXT stays, so the guess is visible).

The result is a `HybridStack`: a ProofStack whose skill carries `uri`, `mention` (words and
character offsets) and `level`, plus `alternatives`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from pydantic import BaseModel, ConfigDict

from processors.lily import hybrid_sect, rules, stakes
from processors.lily.mention_bounds import widen
from processors.lily.model import Mention, ProofStack, SkillLayer
from processors.linking.linker import LinkedSkill, Linker
from processors.linking.linker import Mention as LinkMention
from processors.taxonomy.model import Taxonomy

RULESET = "hybrid-1"
THRESHOLD = 0.2  # tuned on 300 SkillSpan train sentences (span F1, see span_eval.py)
MAX_LINKS = 8
_OR = re.compile(r"^\s*(?:,\s*)?(?:or|/|and/or)\s*$", re.IGNORECASE)
_LIST_COMMA = re.compile(r"^\s*,\s*$")
_OR_NEXT = re.compile(r"\s*,?\s*(?:or|and/or)\s+\w", re.IGNORECASE)
_LEVEL = re.compile(
    r"\b(?P<cefr>[ABC][12])\b|\b(?P<word>near[- ]native|native|mother[- ]tongue|bilingual|fluent|fluency|"
    r"business[- ]level|professional[- ]level|working\s+(?:knowledge|proficiency)|conversational|basic|"
    r"intermediate|advanced)\b",
    re.IGNORECASE,
)
# A mention that is only the paper a credential is printed on ("Series 7 licences") names no skill.
_PAPER = re.compile(
    r"^(?:(?:licen[cs]es?|certificat(?:es?|ions?)|degrees?|diplomas?|qualifications?|cards?|"
    r"permits?|badges?|credentials?)\s*)+$",
    re.IGNORECASE,
)
_LEVEL_WINDOW = 40  # characters either side of the language's mention


# The linked fields (uri, mention, level, alternatives) live on the SECT contract itself, so a
# hybrid decision validates as a Lily output and survives the derivation and the projection.
HybridSkill = SkillLayer
HybridStack = ProofStack


class HybridDecomposition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    linker: str
    proof_stacks: list[HybridStack]


def _mention(m: LinkMention) -> Mention:
    return Mention(text=m.text, start=m.start, end=m.end)


def _chosen(text: str, links: list[LinkedSkill], base: list[ProofStack]) -> list[LinkedSkill]:
    credentials = [s.certification.name.casefold() for s in base if s.certification is not None]
    taken: list[tuple[int, int]] = []
    chosen: list[LinkedSkill] = []
    for link in links:  # best first
        m = link.mention
        if link.score < THRESHOLD or any(m.start < e and s < m.end for s, e in taken):
            continue
        if any(m.text.casefold() in name for name in credentials) or _PAPER.match(m.text.strip()):
            continue
        taken.append((m.start, m.end))
        chosen.append(link)
    return sorted(chosen, key=lambda c: c.mention.start)


def _level(text: str, mention: LinkMention) -> str | None:
    lo, hi = max(0, mention.start - _LEVEL_WINDOW), min(len(text), mention.end + _LEVEL_WINDOW)
    best: tuple[int, str] | None = None
    for m in _LEVEL.finditer(text, lo, hi):
        distance = min(abs(m.start() - mention.end), abs(mention.start - m.end()))
        value = m.group("cefr").upper() if m.group("cefr") else "-".join(m.group("word").lower().split())
        if best is None or distance < best[0]:
            best = (distance, value)
    return best[1] if best else None


def _skill(link: LinkedSkill, text: str, taxonomy: Taxonomy) -> HybridSkill:
    known = taxonomy.skills.get(link.code)
    level = _level(text, link.mention) if known is not None and known.kind == "language" else None
    return HybridSkill(name=link.label[:200], code=link.code, confidence=link.score, uri=link.uri,
                       mention=_mention(link.mention), level=level)  # fmt: skip


def _base_for(link: LinkedSkill, base: list[ProofStack]) -> ProofStack:
    words = {w.casefold() for w in link.mention.text.split()}
    for stack in base:
        named = stack.skill is not None and words & {w.casefold() for w in stack.skill.name.split()}
        if named and stack.certification is None:
            return stack
    bare = [s for s in base if s.skill is None and s.certification is None]
    return bare[0] if bare else base[0]


def _plain(stack: ProofStack, **changes: object) -> HybridStack:
    """A rules-1 stack as a hybrid one; its skill (from the rules taxonomy) only if `changes` has none."""
    fields: dict[str, object] = {k: v for k, v in stack.model_dump().items() if k != "skill"}
    return HybridStack.model_validate({**fields, "skill": None, **changes})


def _rules_skill(
    skill: SkillLayer, text: str, at: dict[str, tuple[int, int]], linked_taxonomy: Taxonomy
) -> HybridSkill:
    """A skill rules-1 read and the linker did not: as the linked taxonomy names it, if it does."""
    span = at.get(skill.code or "")
    mention = Mention(text=text[span[0] : span[1]], start=span[0], end=span[1]) if span else None
    known = linked_taxonomy.lookup(skill.name)
    if known is None:
        return HybridSkill(name=skill.name, code=skill.code, confidence=skill.confidence, mention=mention)
    return HybridSkill(name=known.name[:200], code=known.code, confidence=min(skill.confidence, 0.6),
                       uri=known.uri, mention=mention)  # fmt: skip


def _subject(
    text: str, credential: str, skill: HybridSkill | None, links: list[LinkedSkill], taxonomy: Taxonomy
) -> HybridSkill | None:
    """ "LLM in International Law": a skill read from the credential's own title ("LLM") gives
    way to the subject the name goes on to (the linked "International Law")."""
    at = text.find(credential)
    cut = re.search(r"\s(?:in|of)\s", credential)
    if (
        skill is None
        or skill.mention is None
        or at < 0
        or cut is None
        or skill.mention.start >= at + cut.start()
    ):
        return None
    lo, hi = at + cut.end(), at + len(credential)
    inside = [k for k in links if k.score >= THRESHOLD and lo <= k.mention.start and k.mention.end <= hi]
    return _skill(max(inside, key=lambda k: k.score), text, taxonomy) if inside else None


def _titled(stack: HybridStack, title: str, linker: Linker) -> HybridStack:
    """A stack the E/C/T readings left NEEDS_CONTEXT ("Ten-plus years") takes the title's skill too."""
    if "NEEDS_CONTEXT" not in stack.flags or stack.skill is not None or stack.certification is not None:
        return stack
    skill = _from_title(title, linker) if title.strip() else None
    return stack.model_copy(update={"skill": skill}) if skill is not None else stack


def _from_title(title: str, linker: Linker) -> HybridSkill | None:
    occupation = linker.taxonomy.occupation(title) if title.strip() else None
    if occupation is None or not occupation.essential:
        return None
    essential = set(occupation.essential)
    for link in linker.link(title, top=50):
        if link.code in essential:
            return HybridSkill(
                name=link.label[:200], code=link.code, confidence=min(link.score, 0.5), uri=link.uri
            )
    first = linker.taxonomy.skills[occupation.essential[0]]
    return HybridSkill(name=first.name[:200], code=first.code, confidence=0.3, uri=first.uri)


def decompose(
    text: str,
    linker: Linker,
    rules_taxonomy: Taxonomy,
    *,
    title: str = "",
    neighbours: Sequence[str] = (),
    links: list[LinkedSkill] | None = None,
) -> list[HybridStack]:
    """`links`: the linker's answer for `text` when the caller linked a batch already."""
    base = rules.decompose(text, rules_taxonomy, title=title, neighbours=neighbours, ruleset="rules-1")
    found = links if links is not None else linker.link(text, top=MAX_LINKS)
    chosen = _chosen(text, found, base)
    at = {m.skill.code: (m.start, m.end) for m in reversed(rules_taxonomy.find_in_text(text))}
    stacks: list[HybridStack] = []
    used: set[int] = set()
    for link in chosen:
        source = _base_for(link, base)
        used.add(id(source))
        flags = [f for f in source.flags if f != "NEEDS_CONTEXT"]
        stacks.append(
            _plain(source, skill=_skill(link, text, linker.taxonomy), certification=None, flags=flags)
        )
    for stack in base:
        if stack.certification is not None:
            skill = _rules_skill(stack.skill, text, at, linker.taxonomy) if stack.skill else None
            subject = _subject(text, stack.certification.name, skill, found, linker.taxonomy)
            stacks.append(_plain(stack, skill=subject or skill))
        elif stack.skill is not None:
            span = at.get(stack.skill.code or "")
            if span is None or not any(_overlaps(span, c.mention) for c in chosen):
                stacks.append(_plain(stack, skill=_rules_skill(stack.skill, text, at, linker.taxonomy)))
        elif id(stack) not in used or not stacks:
            needs = "NEEDS_CONTEXT" in stack.flags
            stacks.append(_plain(stack, skill=_from_title(title, linker) if needs else None))
    refined = hybrid_sect.refine(text, _dedupe(sorted(stacks, key=_position)), linker)
    refined = [_titled(s, title, linker) for s in refined]
    return _widened(text, _alternatives(text, _shared_credential(text, _from_role(text, refined, linker))))


def _widened(text: str, stacks: list[HybridStack]) -> list[HybridStack]:
    """Every skill's mention grown to the phrase that names it (`mention_bounds.widen`)."""
    skills = [k for s in stacks for k in ([s.skill] if s.skill is not None else []) + list(s.alternatives)]
    located = [k for k in skills if k.mention is not None]
    grown = widen(text, [(k.mention.start, k.mention.end) for k in located if k.mention is not None])
    new = {
        id(k): k.model_copy(update={"mention": Mention(text=text[a:b], start=a, end=b)})
        for k, (a, b) in zip(located, grown, strict=True)
    }

    def moved(k: SkillLayer) -> SkillLayer:
        return new.get(id(k), k)

    return [
        s.model_copy(update={"skill": moved(s.skill), "alternatives": [moved(k) for k in s.alternatives]})
        if s.skill is not None
        else s
        for s in stacks
    ]


_AS_ROLE = re.compile(
    r"\bas\s+(?:an?\s+|the\s+)?(?P<role>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s*$", re.IGNORECASE
)


def _from_role(text: str, stacks: list[HybridStack], linker: Linker) -> list[HybridStack]:
    """ "Two years' experience as a line cook": the role is an occupation; its skill is S."""
    # "as a paralegal at a law firm": the role ends where the employer starts.
    where = stakes.employer(text)
    head = text[: where.start] if where is not None and not text[where.end :].strip(" .;") else text
    m = _AS_ROLE.search(head.rstrip(" .;"))
    if m is None or any(s.skill is not None for s in stacks):
        return stacks
    skill = _from_title(m.group("role"), linker)
    if skill is None:
        return stacks
    return [
        s.model_copy(update={"skill": skill})
        if s.skill is None
        and s.certification is None
        and s.experience is not None
        and s.experience.context is None
        else s
        for s in stacks
    ]


def _shared_credential(text: str, stacks: list[HybridStack]) -> list[HybridStack]:
    """ "AWS or Azure certification": the credential word after the last skill is each one's."""
    out = list(stacks)
    for i in range(len(out) - 1, 0, -1):
        prev, s = out[i - 1], out[i]
        pm = prev.skill.mention if prev.skill is not None else None
        c = s.certification
        at = text.find(c.name) if c is not None else -1
        if pm is None or c is None or at < 0 or prev.certification is not None or pm.end > at:
            continue
        # The credential's own first word names what it certifies ("Azure" of "Azure certification").
        rest = c.name[len(c.name.split()[0]) :]
        if rest.strip() and _OR.match(text[pm.end : at]):
            own = c.model_copy(update={"name": f"{pm.text}{rest}"[:200]})
            out[i - 1] = prev.model_copy(update={"certification": own})
    return out


def _dedupe(stacks: list[HybridStack]) -> list[HybridStack]:
    # A skill a credential proves is that credential's requirement, not a second one.
    proven = {s.skill.code for s in stacks if s.certification is not None and s.skill is not None}
    seen: set[str | None] = set()
    out = []
    for s in stacks:
        code = s.skill.code if s.skill is not None else None
        if s.certification is None and code is not None and (code in proven or code in seen):
            continue
        seen.add(code)
        out.append(s)
    return out


def _alternatives(text: str, stacks: list[HybridStack]) -> list[HybridStack]:
    """Skills joined by "or" ("Go or Python") become one requirement: the first, with alternatives;
    a degree's subjects too ("a degree in Maths or Physics")."""
    spans = sorted({(m.start, m.end) for s in stacks if s.skill is not None and (m := s.skill.mention)})
    out: list[HybridStack] = []
    for s in stacks:
        prev = out[-1] if out else None
        last = (
            (prev.alternatives or [prev.skill])[-1] if prev is not None and prev.skill is not None else None
        )
        mention = s.skill.mention if s.skill is not None else None
        if (
            prev is not None
            and last is not None
            and last.mention is not None
            and mention is not None
            and s.certification is None
            and last.mention.end <= mention.start
            and _joined_by_or(text, spans, last.mention.end, mention.start)
        ):
            assert s.skill is not None
            out[-1] = prev.model_copy(update={"alternatives": [*prev.alternatives, s.skill, *s.alternatives]})
            continue
        out.append(s)
    return out


def _joined_by_or(text: str, spans: list[tuple[int, int]], end: int, start: int) -> bool:
    """ "Go or Python", "Go/Python"; a comma too when the list of skills it separates goes on,
    comma by comma, to an "or" between two of them ("SRE, DevOps or Platform"), so a list that
    moves on to other words ("Kafka, Terraform, experience in retail or e-commerce") is not."""
    if _OR.match(text[end:start]):
        return True
    if not _LIST_COMMA.match(text[end:start]):
        return False
    later = [sp for sp in spans if sp[0] >= start]
    for (_, a_end), (b_start, _) in pairwise(later):
        between = text[a_end:b_start]
        if _OR.match(between):
            return True
        if not _LIST_COMMA.match(between):
            return False
    # the list's last skill is followed by "or" and words the linker did not name
    return bool(later) and bool(_OR_NEXT.match(text, later[-1][1]))


def _overlaps(span: tuple[int, int], mention: LinkMention) -> bool:
    return span[0] < mention.end and mention.start < span[1]


def _position(stack: HybridStack) -> int:
    if stack.skill is not None and stack.skill.mention is not None:
        return stack.skill.mention.start
    return 10**9  # stacks without a located skill (a credential, a bare duration) go last


def decompose_many(
    lines: Sequence[str], linker: Linker, rules_taxonomy: Taxonomy, *, title: str = ""
) -> list[list[HybridStack]]:
    """Several lines of one posting: linked in one batch, each with its neighbours as context."""
    linked = linker.link_many(lines, top=MAX_LINKS)
    return [
        decompose(line, linker, rules_taxonomy, title=title, links=linked[i],
                  neighbours=[lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)])
        for i, line in enumerate(lines)
    ]  # fmt: skip
