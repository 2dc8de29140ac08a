"""A posting's content and its requirements' proof stacks as the scorer's derived posting.

From the stacks:
- each stack with a skill becomes an extracted skill, named in the scoring taxonomy by
  `bridge` (a `hybrid-1` stack names ESCO skills): Soft when the bridged skill is soft,
  required when its requirement strength is "required", years from its experience layer,
  its alternatives ("Go or Python") bridged the same way; language skills become
  `languages_required` instead (a language's alternatives are not carried);
- the posting's years of experience are the largest stated experience (its upper bound
  when a range or "at most" is given);
- the stacks themselves travel as `requirements`, for proof-layer matching.
Fields a derived posting has and a raw one may carry (company_industry, visa_sponsorship,
benefits_offered...) are passed through.
"""

from __future__ import annotations

from typing import Any

from processors.lily.model import Decomposition, ProofStack
from processors.scoring.bridge import bridge
from processors.scoring.models import DerivedPosting
from processors.taxonomy.model import Taxonomy
from schemas.models import PostingContent

PASS_THROUGH = (
    "company_industry",
    "visa_sponsorship",
    "sponsorship_countries",
    "required_availability",
    "languages_required",
    "benefits_offered",
    "lat",
    "lon",
    "timezone",
    "ghost_score",
)


def is_derived(doc: dict[str, Any]) -> bool:
    return "extracted_skills" in doc


def _years(stack: ProofStack) -> tuple[float, float | None] | None:
    e = stack.experience
    if e is None:
        return None
    scale = 1 / 12 if e.unit == "months" else 1.0
    upper = e.value_max if e.op == "range" else e.value if e.op == "<=" else None
    low = 0.0 if e.op == "<=" else e.value
    return low * scale, None if upper is None else upper * scale


def _alternatives(stack: ProofStack, name: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """The stack's other skills of "X or Y", named as its skill is, without repeats of it."""
    names = (bridge(alt, taxonomy).name for alt in stack.alternatives)
    return tuple(dict.fromkeys(n for n in names if n != name))


# The words Lily keeps as a language's level, on the CEFR ladder the scorer compares: a
# working command of the language is C1, an everyday one B1 (CEFR's own descriptors).
_LEVEL_WORDS = {
    "native": "native", "mother tongue": "native", "bilingual": "native",
    "fluent": "C1", "fluency": "C1", "business level": "C1", "business-level": "C1",
    "professional level": "C1", "professional-level": "C1", "advanced": "C1",
    "conversational": "B1", "intermediate": "B1", "basic": "A2",
}  # fmt: skip


def cefr_level(level: str | None) -> str | None:
    """A language requirement's level as CEFR A1-C2 or native; None when none is given or known."""
    if not level:
        return None
    word = " ".join(level.casefold().split())
    if len(word) == 2 and word[0] in "abc" and word[1] in "12":
        return word.upper()
    return _LEVEL_WORDS.get(word)


def derived_fields(
    posting_id: str | None, content: PostingContent, requirements: list[Decomposition], taxonomy: Taxonomy
) -> dict[str, Any]:
    """A posting's content and its requirements' proof stacks as DerivedPosting fields.

    Shared by `turing score` on a raw posting and by the matcher on a derivation version."""
    skills: dict[tuple[str, bool, tuple[str, ...]], dict[str, Any]] = {}
    languages: list[dict[str, Any]] = []
    lo: float | None = None
    hi: float | None = None
    for req in requirements:
        for stack in req.proof_stacks:
            span = _years(stack)
            if span is not None:
                lo = max(lo or 0.0, span[0])
                if span[1] is not None:
                    hi = max(hi or 0.0, span[1])
            if stack.skill is None:
                continue
            named = bridge(stack.skill, taxonomy)
            if named.kind == "language":
                level = cefr_level(stack.skill.level)
                languages.append({"name": named.name, **({"level": level} if level else {})})
                continue
            required = stack.requirement_strength == "required"
            alternatives = _alternatives(stack, named.name, taxonomy)
            slot = skills.setdefault(
                (named.name, required, alternatives),
                {
                    "name": named.name,
                    "type": "Soft" if named.kind == "soft" else "Hard",
                    "is_required": required,
                    "years_experience": None,
                    # Only when there are some: a posting without them has the fields it always had.
                    **({"alternatives": list(alternatives)} if alternatives else {}),
                },
            )
            if span is not None:
                slot["years_experience"] = max(slot["years_experience"] or 0.0, span[0])
    return {
        "id": posting_id,
        "title": content.title,
        "company": content.company,
        "work_model": content.work_model,
        "location": content.location or None,
        "salary_min": content.salary_min,
        "salary_max": content.salary_max,
        "currency": content.currency,
        "years_experience_min": lo if lo else None,
        "years_experience_max": hi if hi is not None and (lo is None or hi >= lo) else None,
        "extracted_skills": list(skills.values()),
        "languages_required": languages,
        "requirements": requirements,
    }


def derived_posting(
    posting_id: str | None,
    content: PostingContent,
    requirements: list[Decomposition],
    ghost_score: float | None,
    taxonomy: Taxonomy,
    extra: dict[str, Any] | None = None,
) -> DerivedPosting:
    """The scorer's posting from a derivation; `extra` passes through fields a raw document carries."""
    fields = derived_fields(posting_id, content, requirements, taxonomy)
    fields["ghost_score"] = ghost_score
    fields.update({k: v for k, v in (extra or {}).items() if k in PASS_THROUGH})
    return DerivedPosting.model_validate(fields)
