"""Role match through the taxonomy's occupations (an extension; the seeds' baseline keeps its formula)."""

from __future__ import annotations

from processors.scoring.batch import fit_matrix
from processors.scoring.config import DEFAULT, baseline
from processors.scoring.fit import fit_parts, role_match_score
from processors.scoring.titles import same_occupation
from processors.taxonomy.model import Taxonomy
from processors.taxonomy.occupations import Occupation
from processors.taxonomy.store import builtin
from tests.processors.scoring.helpers import const, posting, profile

JOBS = Taxonomy.from_skills(
    builtin().skills.values(),
    occupations=[
        Occupation(uri="job:accountant", name="accountant", synonyms=("bookkeeping accountant",)),
        Occupation(uri="job:cook", name="cook", synonyms=("line cook", "commis chef")),
    ],
)


def test_titles_naming_one_occupation_are_the_same_role() -> None:
    assert same_occupation(["Staff Accountant (m/f/d)"], "Bookkeeping Accountant", JOBS)
    assert not same_occupation(["Line Cook"], "Accountant", JOBS)
    assert not same_occupation(["Accountant"], "Accountant", builtin())  # no occupations: no opinion


def test_role_match_is_full_for_one_occupation_and_the_baseline_keeps_the_seed_formula() -> None:
    p = profile(current_role="Commis Chef")
    q = posting(title="Line Cook")
    sim = const(0.2)
    assert role_match_score(p, q, sim, JOBS) == 100.0
    assert role_match_score(p, q, sim) == (0.2 + 1) * 50
    hard = 80.0
    assert fit_parts(p, q, hard, JOBS, sim, DEFAULT).components["role_match"] == 100.0
    assert fit_parts(p, q, hard, JOBS, sim, baseline()).components["role_match"] == (0.2 + 1) * 50


def test_the_batch_matrix_counts_one_occupation_as_a_full_role_match_too() -> None:
    p, q, sim = profile(current_role="Commis Chef"), posting(title="Line Cook"), const(0.2)
    plain = Taxonomy.from_skills(builtin().skills.values())
    weight = fit_parts(p, q, 80.0, JOBS, sim, DEFAULT).weights["role_match"]
    gained = fit_matrix([p], [q], DEFAULT, sim, JOBS)[0, 0] - fit_matrix([p], [q], DEFAULT, sim, plain)[0, 0]
    assert abs(gained - weight * (100.0 - 60.0)) < 1e-6
    same = (
        fit_matrix([p], [q], baseline(), sim, JOBS)[0, 0] - fit_matrix([p], [q], baseline(), sim, plain)[0, 0]
    )
    assert abs(same) < 1e-9
