"""Improvement suggestions with exact deltas (issue 4 §5; seed 002 §4.3 estimates, we do not).

Each candidate change is applied to a copy of the profile and the pair is scored again; the
delta is the difference of the unrounded fit totals (a blocked fit counts as 0, so a change
that unblocks shows the whole fit it opens up). Changes that do not raise fit are dropped;
the rest are ranked by delta, ties by type and target so the order is stable.
"""

from __future__ import annotations

from collections.abc import Iterator

from processors.scoring.evaluation import Evaluation, evaluate
from processors.scoring.models import NonNegotiables, Profile, ProfileSkill
from processors.scoring.nonneg import ALLOWED_MODELS, commutable, work_model
from processors.scoring.result import Suggestion, SuggestionType
from processors.scoring.similarity import Similarity
from processors.scoring.skills import PROFICIENCY_YEARS, evidence_strength
from processors.taxonomy.model import Taxonomy

EVIDENCE_GOAL = 0.9  # seed 002 §4.3 suggests raising evidence strength to 90%

Candidate = tuple[SuggestionType, str, str, Profile]


def level_for(years: float | None) -> str:
    """The lowest proficiency whose years meet the request (Expert when nothing does)."""
    if years is None:
        return "Proficient"
    for level, y in PROFICIENCY_YEARS.items():
        if y >= years:
            return level
    return "Expert"


def _with_skills(profile: Profile, skills: list[ProfileSkill]) -> Profile:
    return profile.model_copy(update={"skills": skills})


def _with_nn(profile: Profile, **changes: object) -> Profile:
    nn: NonNegotiables = profile.non_negotiables.model_copy(update=changes)
    return profile.model_copy(update={"non_negotiables": nn})


def _skill_changes(ev: Evaluation) -> Iterator[Candidate]:
    profile = ev.profile
    for c in ev.credits:
        job = c.job_skill
        kind = "required" if job.is_required else "nice-to-have"
        if c.matched is None or c.adjacency < 1.0:
            level = level_for(job.years_experience)
            added = ProfileSkill(name=job.name, type="Hard", proficiency=level)
            why = f"{kind.capitalize()} skill; added at {level}"
            yield "add_skill", job.name, why, _with_skills(profile, [*profile.skills, added])
            continue
        held = c.matched.skill
        index = profile.skills.index(held)
        if job.years_experience is not None and c.matched.years < job.years_experience:
            level = level_for(job.years_experience)
            raised = held.model_copy(update={"proficiency": level, "competency": None})
            skills = [*profile.skills[:index], raised, *profile.skills[index + 1 :]]
            why = f"The posting asks for {job.years_experience:g}+ years; {level} meets it"
            yield "raise_proficiency", held.name, why, _with_skills(profile, skills)
        strength = evidence_strength(held, ev.config.default_evidence)
        if ev.config.recency_evidence and strength < EVIDENCE_GOAL:
            proved = held.model_copy(update={"evidence": EVIDENCE_GOAL})
            skills = [*profile.skills[:index], proved, *profile.skills[index + 1 :]]
            why = f"Raise evidence strength from {strength:.0%} to {EVIDENCE_GOAL:.0%} (projects, verifications)"
            yield "add_evidence", held.name, why, _with_skills(profile, skills)
    soft_have = {s.name.casefold() for s in profile.skills if s.type == "Soft"}
    for job in ev.posting.extracted_skills:
        if job.type == "Soft" and job.name.casefold() not in soft_have:
            added = ProfileSkill(name=job.name, type="Soft")
            yield (
                "add_skill",
                job.name,
                "Soft skill the posting names",
                _with_skills(profile, [*profile.skills, added]),
            )


def _preference_changes(ev: Evaluation) -> Iterator[Candidate]:
    profile, posting = ev.profile, ev.posting
    nn = profile.non_negotiables
    model = work_model(posting)
    if nn.remote_preference != "Onsite OK":
        relaxed = next(p for p, allowed in ALLOWED_MODELS.items() if model in allowed)
        if relaxed != nn.remote_preference:
            why = f"Accept {model.lower()} work ({nn.remote_preference} -> {relaxed})"
            yield "relax_preference", "remote_preference", why, _with_nn(profile, remote_preference=relaxed)
    if (
        nn.minimum_base_salary is not None
        and posting.salary_max is not None
        and posting.salary_max < nn.minimum_base_salary
    ):
        why = f"Lower your minimum to {posting.salary_max:,.0f}"
        yield (
            "relax_preference",
            "minimum_base_salary",
            why,
            _with_nn(profile, minimum_base_salary=posting.salary_max),
        )
    if nn.commutable_cities and posting.location and not commutable(posting.location, nn.commutable_cities):
        why = f"Add {posting.location} to your commutable cities"
        cities = [*nn.commutable_cities, posting.location]
        yield "relax_preference", "commutable_cities", why, _with_nn(profile, commutable_cities=cities)
    industry = (posting.company_industry or "").casefold()
    kept = [x for x in nn.industry_exclusions if x.casefold() != industry]
    if industry and len(kept) < len(nn.industry_exclusions):
        why = f"Stop excluding the {posting.company_industry} industry"
        yield "relax_preference", "industry_exclusions", why, _with_nn(profile, industry_exclusions=kept)
    for i, rule in enumerate(nn.custom):
        label = rule.name or f"{rule.field} {rule.op} {rule.value}"
        rest = [*nn.custom[:i], *nn.custom[i + 1 :]]
        yield (
            "relax_preference",
            f"custom: {label}",
            f"Drop your rule '{label}'",
            _with_nn(profile, custom=rest),
        )


def suggest(ev: Evaluation, sim: Similarity, taxonomy: Taxonomy) -> list[Suggestion]:
    before = ev.fit_exact
    found: dict[tuple[str, str], Suggestion] = {}
    for kind, target, why, changed in [*_skill_changes(ev), *_preference_changes(ev)]:
        after = evaluate(changed, ev.posting, ev.config, sim, taxonomy).fit_exact
        delta = round(after - before, 2)
        if delta <= 0:
            continue
        key = (kind, target.casefold())
        if key not in found or found[key].delta < delta:
            found[key] = Suggestion(type=kind, target=target, delta=delta, rationale=why)
    ranked = sorted(found.values(), key=lambda s: (-s.delta, s.type, s.target))
    return ranked[: ev.config.max_suggestions]
