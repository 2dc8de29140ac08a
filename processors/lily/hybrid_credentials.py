"""hybrid-1's readings of a credential's name (a step of hybrid_sect.refine each):

- a credential's name read inside a longer word ("Master" in "ScrumMaster") is no credential;
- one read without the title words before it ("Professional", "Certified") takes them back,
  and an acronym keeps the long name it stands for ("Certified ScrumMaster (CSM)").
"""

from __future__ import annotations

import re

from processors.lily.model import ProofStack


def inside_words(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    out = []
    for s in stacks:
        c = s.certification
        if c is not None and s.skill is None and re.search(rf"[a-z]{re.escape(c.name)}", text):
            continue  # "ScrumMaster" holds no Master's degree
        out.append(s)
    return out


_TITLE_WORDS = (
    r"Professional|Certified|Chartered|Registered|Licensed|Associate|Advanced|Senior|Expert|Master|"
    r"Foundation|Practitioner|Accredited"
)
_TITLES_BEFORE = re.compile(rf"(?:\b(?:{_TITLE_WORDS})\s+)+$")
# "Certified ScrumMaster (CSM)": the long name a credential's acronym stands for, just before it.
_LONG_NAME_BEFORE = re.compile(r"(?P<long>(?:[A-Z][\w+-]*\s+){0,5}[A-Z][\w+-]*)\s*\(\s*$")


def titles(text: str, stacks: list[ProofStack]) -> list[ProofStack]:
    """ "Professional Scrum Master certification": the title words are part of the name."""
    out = []
    for s in stacks:
        c = s.certification
        at = text.find(c.name) if c is not None else -1
        head = text[max(0, at - 120) : at] if at > 0 else ""
        m = _TITLES_BEFORE.search(head) if head else None
        long = _LONG_NAME_BEFORE.search(head) if c is not None and head and c.name.isupper() else None
        if c is not None and m is not None:
            s = s.model_copy(
                update={"certification": c.model_copy(update={"name": (m.group(0) + c.name)[:200]})}
            )
        elif c is not None and long is not None and long.group("long")[0] == c.name[0]:
            name = f"{long.group('long')} ({c.name})"
            s = s.model_copy(update={"certification": c.model_copy(update={"name": name[:200]})})
        out.append(s)
    return out
