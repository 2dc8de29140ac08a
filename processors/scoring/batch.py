"""Fit for many profiles x many postings at once (numpy), and the per-pair reference it must equal.

`fit_matrix` gives the unrounded fit (NaN where the pair is blocked) with the same formulas
and switches as `score`. Hard skills run as arrays: per-profile skill years and match factors
over a skill vocabulary, per-posting skill entries, and a credit matrix (1 for the same skill,
the adjacency factor for a neighbour when that extension is on; for a requirement with
alternatives, the best of its skills), processed in chunks so memory stays bounded. The injected similarity is a black box: it is called once per distinct
pair of texts and cached. Proof-layer factors and custom rules are per pair by nature and are
computed in loops, only for postings that carry requirements and profiles that have rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from processors.scoring import nonneg
from processors.scoring.config import FIT_COMPONENTS, ScoringConfig
from processors.scoring.evaluation import evaluate
from processors.scoring.fit import (
    entry_level_boost,
    logistics_score,
    soft_skills_score,
    user_titles,
    weights_for,
)
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.practical import language_score, practical_parts, spoken
from processors.scoring.proof_layers import candidate_proof, layer_checks
from processors.scoring.similarity import Similarity
from processors.scoring.skills import Key, held_skills, skill_key
from processors.scoring.titles import is_executive, normalize_title, same_occupation
from processors.taxonomy.model import Taxonomy

Array = npt.NDArray[np.float64]
CHUNK = 256


def fit_reference(
    profiles: list[Profile],
    postings: list[DerivedPosting],
    config: ScoringConfig,
    sim: Similarity,
    taxonomy: Taxonomy,
) -> Array:
    """The straightforward way: one full evaluation per pair."""
    out = np.full((len(profiles), len(postings)), np.nan)
    for i, p in enumerate(profiles):
        for j, q in enumerate(postings):
            ev = evaluate(p, q, config, sim, taxonomy)
            if ev.fit is not None:
                out[i, j] = ev.fit.exact
    return out


@dataclass
class _Entries:
    posting: npt.NDArray[np.int64]
    keys: list[str]
    codes: list[str | None]
    alternatives: list[list[Key]]
    years: Array
    required: npt.NDArray[np.bool_]


def _entries(postings: list[DerivedPosting], taxonomy: Taxonomy) -> _Entries:
    idx, keys, codes, years, req = [], [], [], [], []
    alternatives: list[list[Key]] = []
    for j, q in enumerate(postings):
        for s in q.extracted_skills:
            if s.type != "Hard":
                continue
            k = skill_key(s.name, taxonomy)
            idx.append(j)
            keys.append(k.key)
            codes.append(k.code)
            alternatives.append([skill_key(a, taxonomy) for a in s.alternatives])
            years.append(np.nan if s.years_experience is None else s.years_experience)
            req.append(s.is_required)
    return _Entries(
        np.array(idx, dtype=np.int64),
        keys,
        codes,
        alternatives,
        np.array(years, dtype=float),
        np.array(req, dtype=bool),
    )


def _group_sum(values: Array, groups: npt.NDArray[np.int64], n: int) -> Array:
    """Sum columns of a (P, E) array into (P, n) by group index."""
    out = np.zeros((values.shape[0], n))
    np.add.at(out.T, groups, values.T)
    return out


def _hard_matrix(
    profiles: list[Profile], postings: list[DerivedPosting], config: ScoringConfig, taxonomy: Taxonomy
) -> Array:
    proofs = [candidate_proof(p, taxonomy) if config.proof_stack_layers else None for p in profiles]
    helds = [
        held_skills(p.skills, taxonomy, config, pr.years if pr else {})
        for p, pr in zip(profiles, proofs, strict=True)
    ]
    vocab: dict[str, int] = {}
    vcodes: list[str | None] = []
    for hs in helds:
        for h in hs:
            if h.key.key not in vocab:
                vocab[h.key.key] = len(vocab)
                vcodes.append(h.key.code)
    n_p, n_v = len(profiles), max(1, len(vocab))
    years, factor = np.zeros((n_p, n_v)), np.zeros((n_p, n_v))
    for i, hs in enumerate(helds):
        # A profile listing one skill twice keeps the better entry, as the per-pair maximum does.
        for h in hs:
            v = vocab[h.key.key]
            if factor[i, v] == 0 or (h.years, h.factor) > (years[i, v], factor[i, v]):
                years[i, v], factor[i, v] = h.years, h.factor
    ent = _entries(postings, taxonomy)
    n_e = len(ent.keys)
    # One adjacency row per distinct code: entries repeat codes, and each factor costs a lookup.
    rows: dict[str, np.ndarray] = {}

    def adjacency_row(code: str) -> np.ndarray:
        if code not in rows:
            # n_v is at least 1 even with an empty vocabulary: the row keeps the matrix's width.
            row = np.zeros(n_v)
            for v, other in enumerate(vcodes):
                if other and other != code:
                    row[v] = taxonomy.adjacency(code, other, config.adjacency_lambda)
            rows[code] = row
        return rows[code]

    credit = np.zeros((n_p, n_e))
    for start in range(0, n_e, CHUNK):
        stop = min(n_e, start + CHUNK)
        adj = np.zeros((stop - start, n_v))
        for e in range(start, stop):
            # The skill and its alternatives: the best credit of any (weights are never negative,
            # so the best per profile skill, then the best over them, is the per-pair maximum).
            asked = [Key(ent.keys[e], ent.codes[e]), *ent.alternatives[e]]
            if config.adjacency_credit:
                for k in asked:
                    if k.code:
                        adj[e - start] = np.maximum(adj[e - start], adjacency_row(k.code))
            for k in asked:
                if k.key in vocab:
                    adj[e - start, vocab[k.key]] = 1.0
        job_years = ent.years[start:stop][None, :, None]
        user_years = years[:, None, :]
        with np.errstate(invalid="ignore"):
            short = np.maximum(0.2, 1.0 - (job_years - user_years) * 0.15)
        pw = np.where(np.isnan(job_years) | (user_years >= job_years), 1.0, short)
        credit[:, start:stop] = (adj[None, :, :] * pw * factor[:, None, :]).max(axis=2)
    if config.proof_stack_layers:
        for j, q in enumerate(postings):
            if not q.requirements:
                continue
            cols = np.flatnonzero(ent.posting == j)
            for i, pr in enumerate(proofs):
                assert pr is not None
                factors, _ = layer_checks(q, pr, taxonomy, config)
                for e in cols.tolist():
                    credit[i, e] *= factors.get((ent.keys[e], bool(ent.required[e])), 1.0)
    n_q = len(postings)
    req, nice = ent.required.astype(float), (~ent.required).astype(float)
    req_sum = _group_sum(credit * req, ent.posting, n_q)
    nice_sum = _group_sum(credit * nice, ent.posting, n_q)
    req_n = np.bincount(ent.posting, weights=req, minlength=n_q)
    nice_n = np.bincount(ent.posting, weights=nice, minlength=n_q)
    with np.errstate(invalid="ignore", divide="ignore"):
        req_score = np.where(req_n > 0, req_sum / req_n * 80, 80.0)
        nice_score = np.where(nice_n > 0, nice_sum / nice_n * 20, 0.0)
    return np.where((req_n + nice_n) == 0, 70.0, req_score + nice_score)


def _experience_matrix(
    profiles: list[Profile], postings: list[DerivedPosting], config: ScoringConfig
) -> Array:
    user = np.array([p.years_experience or 0.0 for p in profiles])[:, None]
    lo = np.array([np.nan if q.years_experience_min is None else q.years_experience_min for q in postings])[
        None, :
    ]
    hi = np.array([np.nan if q.years_experience_max is None else q.years_experience_max for q in postings])[
        None, :
    ]
    under = np.maximum(0.0, 100 - (lo - user) * 15)
    over = np.maximum(50.0, 100 - (user - hi) * 5)
    score = np.where(~np.isnan(lo) & (user < lo), under, np.where(~np.isnan(hi) & (user > hi), over, 100.0))
    score = np.where(np.isnan(lo) & np.isnan(hi), 70.0, score)
    boost = np.array([[entry_level_boost(p, q) for q in postings] for p in profiles], dtype=bool)
    return np.where(boost, np.maximum(score, config.entry_level_experience_floor), score)


def _blocked(
    profiles: list[Profile], postings: list[DerivedPosting], config: ScoringConfig
) -> npt.NDArray[np.bool_]:
    n_p, n_q = len(profiles), len(postings)
    blocked = np.zeros((n_p, n_q), dtype=bool)
    blocked |= np.array([not p.skills for p in profiles])[:, None]
    models = [nonneg.work_model(q) for q in postings]
    allowed = np.array(
        [[m in nonneg.ALLOWED_MODELS[p.non_negotiables.remote_preference] for m in models] for p in profiles]
    )
    blocked |= ~allowed
    smax = np.array([np.nan if q.salary_max is None else q.salary_max for q in postings])[None, :]
    minimum = np.array(
        [
            np.nan if p.non_negotiables.minimum_base_salary is None else p.non_negotiables.minimum_base_salary
            for p in profiles
        ]
    )[:, None]
    same_cur = np.array([[nonneg.salary_comparable(p, q) for q in postings] for p in profiles])
    with np.errstate(invalid="ignore"):
        blocked |= same_cur & (smax < minimum)
    remote = np.array([m == "Remote" for m in models])[None, :]
    for i, p in enumerate(profiles):
        nn = p.non_negotiables
        if nn.commutable_cities:
            ok = np.array([nonneg.commutable(q.location, nn.commutable_cities) for q in postings])
            blocked[i] |= ~ok & ~remote[0]
        if nn.industry_exclusions:
            excl = {x.casefold() for x in nn.industry_exclusions}
            blocked[i] |= np.array([(q.company_industry or "").casefold() in excl for q in postings])
        for rule in nn.custom:
            blocked[i] |= np.array([nonneg.custom_holds(rule, q) is False for q in postings])
    needs = np.array([p.non_negotiables.visa_sponsorship_required for p in profiles])[:, None]
    no_sponsor = np.array([q.visa_sponsorship is False for q in postings])[None, :]
    blocked |= needs & no_sponsor  # the filter rule; the work-auth gate says the same
    if config.gate_language:
        speaks = [spoken(p) for p in profiles]
        for j, q in enumerate(postings):
            if q.languages_required:
                blocked[:, j] |= np.array([bool(language_score(s, q.languages_required)[1]) for s in speaks])
    if config.gate_compensation or config.gate_location:
        for i, p in enumerate(profiles):
            for j, q in enumerate(postings):
                blocked[i, j] |= bool(practical_parts(p, q, config).hard_fail_reasons)
    return blocked


def fit_matrix(
    profiles: list[Profile],
    postings: list[DerivedPosting],
    config: ScoringConfig,
    sim: Similarity,
    taxonomy: Taxonomy,
) -> Array:
    hard = _hard_matrix(profiles, postings, config, taxonomy)
    experience = _experience_matrix(profiles, postings, config)
    soft_cache: dict[tuple[str, str], float] = {}
    role_cache: dict[tuple[tuple[str, ...], str], float] = {}
    soft = np.zeros_like(hard)
    role = np.zeros_like(hard)
    logistics = np.zeros_like(hard)
    for i, p in enumerate(profiles):
        mine_soft = tuple(s.name for s in p.skills if s.type == "Soft")
        raw_titles = tuple(user_titles(p))
        titles = tuple(normalize_title(t) for t in raw_titles)
        for j, q in enumerate(postings):
            key = (repr(mine_soft), repr(tuple(s.name for s in q.extracted_skills if s.type == "Soft")))
            if key not in soft_cache:
                soft_cache[key] = soft_skills_score(p, q, taxonomy, sim)
            soft[i, j] = soft_cache[key]
            target = normalize_title(q.title)
            if (titles, target) not in role_cache:
                exact = target in titles or (
                    config.occupation_titles and same_occupation(raw_titles, q.title, taxonomy)
                )
                best = max((sim(t, target) for t in titles), default=0.0)
                role_cache[(titles, target)] = 100.0 if exact else max(0.0, (best + 1) * 50)
            role[i, j] = role_cache[(titles, target)]
            logistics[i, j] = logistics_score(p, q)
    comps = dict(zip(FIT_COMPONENTS, (hard, soft, experience, role, logistics), strict=True))
    execs = np.array([is_executive(q.title) for q in postings])[None, :]
    career = np.array([p.career_change_mode for p in profiles])[:, None]
    total = np.zeros_like(hard)
    for name, mask in (
        ("executive", execs & np.ones_like(career)),
        ("career_change", ~execs & career),
        ("standard", ~execs & ~career),
    ):
        w = weights_for(name, config)
        part = sum(comps[k] * w[k] for k in FIT_COMPONENTS)
        total = np.where(mask, part, total)
    no_skills = np.array([not q.extracted_skills for q in postings])[None, :]
    total = np.where(no_skills, config.no_skills_fit, total)
    return np.where(_blocked(profiles, postings, config), np.nan, total)
