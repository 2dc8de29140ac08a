"""Experience atoms (seed 003 §3.1): a profile's claims, one small capability fact each.

A profile yields atoms from three places, each remembered as a pointer into the profile
so that a result can cite exactly what it rests on:
- `work_history[i]`: the role, its company and dates, and what the person wrote about it;
- `skills[i]`: a skill's stated evidence, dated by when the skill was last used;
- `atoms[i]`: claims written (or decomposed by Lily) as atoms already.
An atom's id is the claim's own `id` when it has one, else its pointer: the same profile
gives the same ids, so re-indexing a new version replaces rows instead of adding them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from processors.retrieval.model import Candidate, EvidencePointer, UnitKind

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_OPEN_ENDED = frozenset({"", "present", "current", "now", "ongoing"})


class ExperienceAtom(BaseModel):
    model_config = ConfigDict(frozen=True)

    atom_id: str = Field(min_length=1)
    title: str
    claim: str = Field(min_length=1)
    source: str  # pointer into the profile, e.g. "work_history[2]"
    domain: str | None = None
    tags: tuple[str, ...] = ()
    started: date | None = None
    ended: date | None = None
    verified: bool = False

    @property
    def text(self) -> str:
        """What lexical search indexes: the words only, without the embedding text's field names."""
        return "\n".join(part for part in (self.title, self.claim, " ".join(self.tags)) if part)

    def embedding_text(self) -> str:
        """The normalised payload embedded for this atom (seed 003 §3.1)."""
        lines = ["[ATOM]", f"Title: {_one_line(self.title)}", f"Claim: {_one_line(self.claim)}"]
        if self.tags:
            lines.append(f"Tags: {', '.join(self.tags)}")
        return "\n".join(lines)

    @property
    def content_hash(self) -> str:
        """Changes exactly when the embedding input does: the re-embed trigger (seed 003 §4.3)."""
        return hashlib.sha256(self.embedding_text().encode()).hexdigest()

    def evidence(self) -> EvidencePointer:
        return EvidencePointer(kind=UnitKind.ATOM, atom_id=self.atom_id, source=self.source)

    def candidate(self, score: float) -> Candidate:
        return Candidate(
            id=self.atom_id,
            kind=UnitKind.ATOM,
            score=score,
            evidence=self.evidence(),
            text=self.text,
            domain=self.domain,
            tags=frozenset(self.tags),
        )


def parse_date(value: Any) -> date | None:
    """ "2021", "2021-03", "2021-03-14" or a date; open ends ("present", None) are None."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if text.casefold() in _OPEN_ENDED:
        return None
    match = _DATE.match(text)
    if match is None:
        raise ValueError(f"not a date: {value!r}")
    year, month, day = match.groups()
    return date(int(year), int(month or 1), int(day or 1))


def atoms_from_profile(profile: Mapping[str, Any]) -> list[ExperienceAtom]:
    """All atoms of a profile, in profile order; claims with no text are skipped."""
    atoms = [
        *_from_work_history(profile.get("work_history") or []),
        *_from_skills(profile.get("skills") or []),
        *_from_atoms(profile.get("atoms") or []),
    ]
    seen: set[str] = set()
    for atom in atoms:
        if atom.atom_id in seen:
            raise ValueError(f"two atoms share the id {atom.atom_id!r}")
        seen.add(atom.atom_id)
    return atoms


def _from_work_history(items: Iterable[Mapping[str, Any]]) -> Iterable[ExperienceAtom]:
    for i, job in enumerate(items):
        role, company = str(job.get("job_title") or "").strip(), str(job.get("company") or "").strip()
        said = _joined(job.get("description") or job.get("summary") or job.get("highlights"))
        title = " at ".join(p for p in (role, company) if p)
        claim = said or title
        if not claim:
            continue
        yield ExperienceAtom(
            atom_id=str(job.get("id") or f"work_history[{i}]"),
            title=title,
            claim=claim,
            source=f"work_history[{i}]",
            tags=tuple(p for p in (role, company) if p),
            started=parse_date(job.get("start")),
            ended=parse_date(job.get("end")),
        )


def _from_skills(items: Iterable[Mapping[str, Any]]) -> Iterable[ExperienceAtom]:
    for i, skill in enumerate(items):
        evidence = _joined(skill.get("evidence"))
        name = str(skill.get("name") or "").strip()
        if not evidence or not name:
            continue
        code = skill.get("code")
        yield ExperienceAtom(
            atom_id=str(skill.get("id") or f"skills[{i}]"),
            title=name,
            claim=evidence,
            source=f"skills[{i}]",
            # The taxonomy's L1 is the skill's domain (seed 002 §1.2), so a requirement's
            # code and an atom's code can earn the domain bonus.
            domain=str(code).split(".")[0] if code else None,
            tags=tuple(t for t in (name, str(code) if code else "") if t),
            ended=parse_date(skill.get("last_used")),
        )


def _from_atoms(items: Iterable[Any]) -> Iterable[ExperienceAtom]:
    for i, item in enumerate(items):
        claim_of: Mapping[str, Any] = item if isinstance(item, Mapping) else {"claim": item}
        claim = _joined(claim_of.get("claim") or claim_of.get("text") or claim_of.get("statement"))
        if not claim:
            continue
        yield ExperienceAtom(
            atom_id=str(claim_of.get("id") or f"atoms[{i}]"),
            title=str(claim_of.get("title") or "").strip(),
            claim=claim,
            source=f"atoms[{i}]",
            domain=claim_of.get("domain"),
            tags=tuple(str(t) for t in claim_of.get("tags") or ()),
            started=parse_date(claim_of.get("started", claim_of.get("start"))),
            ended=parse_date(claim_of.get("ended", claim_of.get("end"))),
            verified=bool(claim_of.get("verified", False)),
        )


def _joined(value: Any) -> str:
    # A number (an evidence strength in 0-1) is a weight, not a claim anyone can cite.
    if value is None or isinstance(value, int | float):
        return ""
    if isinstance(value, str):
        return value.strip()
    return "; ".join(s for s in (str(v).strip() for v in value) if s)


def _one_line(text: str) -> str:
    return " ".join(text.split())
