"""hybrid-1's requirement-strength readings beyond rules-1's cues (a step of hybrid_sect.refine each):

- a cue after a parenthetical aside ("Welding experience (MIG/TIG) preferred") is the whole
  requirement's, not only the aside's;
- cues rules-1 does not know ("would be nice", "is an asset", "favourably considered") when
  it found none on the line.
"""

from __future__ import annotations

import re

from processors.lily import strength as strengths
from processors.lily.model import ProofStack

_ASIDE_THEN_CUE = re.compile(r"^(?P<head>[^()]*)\([^()]*\)(?P<tail>[^()]*)$")
_CUE_FILLER = re.compile(
    r"^[\s,.;:!-]*(?:(?:is|are|would\s+be|an?|very|highly|strongly)\s+)*$", re.IGNORECASE
)


def after_aside(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    m = _ASIDE_THEN_CUE.match(text)
    if m is None or strengths.find_cues(m.group("head")):
        return stacks
    tail = m.group("tail")
    cues = strengths.find_cues(tail)
    if not cues:
        return stacks
    rest, at = [], 0
    for c in cues:  # in text order, disjoint
        rest.append(tail[at : c.start])
        at = c.end
    rest.append(tail[at:])
    if _CUE_FILLER.match("".join(rest)) is None or re.search(r"[,;]|\s[-\u2013]\s", m.group("head")):
        return stacks
    weakest = {c.strength for c in cues}
    value = next(v for v in ("nice_to_have", "preferred", "required") if v in weakest)
    return [s.model_copy(update={"requirement_strength": value}) for s in stacks]


_NICE = (
    r"\bwould\s+be\s+(?:nice|great|handy|useful|helpful)\b|\b(?:is|would\s+be)\s+an\s+asset\b"
    r"|\b(?:is|are|would\s+be)\s+(?:very\s+)?(?:helpful|appreciated)\b|\bgreat\s+to\s+have\b"
)
_PREFERRED = r"\bfavou?rably\s+considered\b|\bstrongly\s+encouraged\b|\bpreferable\b"
_MORE_CUES = [
    (re.compile(_NICE, re.IGNORECASE), "nice_to_have"),
    (re.compile(_PREFERRED, re.IGNORECASE), "preferred"),
]


def more_cues(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    if strengths.find_cues(text) or any("INJECTION_SUSPECTED" in s.flags for s in stacks):
        return stacks
    for rx, value in _MORE_CUES:
        if rx.search(text):
            return [s.model_copy(update={"requirement_strength": value}) for s in stacks]
    return stacks
