"""Top-k candidate lists, certified by LP duality against every feasible pair, and improved by pricing."""

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings

from models.programme_file import load_programme
from tasks.matching.modes import optimise
from tasks.matching.rules import build_rule_arrays, capacity_array
from tasks.matching.scoring import build_score_model
from tasks.synthetic import profiles_from_rows, synthetic_rows
from tests.tasks.test_matching_assigned import brute_force, cohorts

PROGRAMME = Path(__file__).resolve().parents[2] / "config" / "programmes" / "demo-pilot.yaml"


def prepared(mentees, mentors, policy):
    mentees = sorted(mentees, key=lambda p: p.participation_id)
    mentors = sorted(mentors, key=lambda p: p.participation_id)
    capacity = capacity_array(mentors, None)
    rules = build_rule_arrays(mentees, mentors, policy, capacity=capacity)
    return build_score_model(mentees, mentors, policy, dtype=np.float32), rules, np.arange(len(mentees)), capacity


def scored(assignment, model) -> float:
    rows = np.array(list(assignment.pairs), dtype=np.int64)
    cols = np.array(list(assignment.pairs.values()), dtype=np.int64)
    return float(np.rint(model.pairs(rows, cols) * 100).sum()) / 100 if len(rows) else 0.0


def test_short_lists_are_certified_and_priced_up_to_the_exact_optimum_of_a_synthetic_cohort():
    programme = load_programme(PROGRAMME)
    mentees, mentors = profiles_from_rows(synthetic_rows(programme, mentees=600, mentors=300, seed=5, mentor_capacity=(1, 3)))
    model, rules, rows, capacity = prepared(mentees, mentors, programme.matching)
    exact = optimise(model, rules, rows, capacity, objective="count_first")
    short = optimise(model, rules, rows, capacity, objective="count_first", top_k=3, full_graph_pairs=0)

    assert exact.optimal and "every feasible pair" in exact.solver
    assert len(short.pairs) == len(exact.pairs)
    assert short.upper_bound is not None and short.upper_bound >= scored(exact, model) - 1e-6
    assert scored(short, model) <= scored(exact, model) + 1e-6
    if short.optimal:
        assert abs(scored(short, model) - scored(exact, model)) < 1e-6
        assert any("optimal (certified" in note for note in short.notes)
    else:
        assert any("of optimal (certified" in note for note in short.notes)


def test_one_candidate_per_side_still_gives_a_valid_bound_and_pricing_finds_the_pairs_it_needs():
    programme = load_programme(PROGRAMME)
    mentees, mentors = profiles_from_rows(synthetic_rows(programme, mentees=300, mentors=200, seed=9, mentor_capacity=(1, 2)))
    model, rules, rows, capacity = prepared(mentees, mentors, programme.matching)
    exact = optimise(model, rules, rows, capacity, objective="count_first")
    short = optimise(model, rules, rows, capacity, objective="count_first", top_k=1, full_graph_pairs=0)
    assert short.upper_bound >= scored(exact, model) - 1e-6
    assert "pairs the dual prices showed could improve it" in short.notes[0]
    assert int(short.notes[0].split("then ")[1].split(" pairs")[0].replace(",", "")) > 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_mentees=4, max_mentors=3))
def test_the_certified_bound_is_never_below_the_brute_force_optimum(cohort):
    mentees, mentors, policy = cohort
    model, rules, rows, capacity = prepared(mentees, mentors, policy)
    result = optimise(model, rules, rows, capacity, objective=policy.objective, top_k=1, full_graph_pairs=0)
    count, score = brute_force(mentees, mentors, policy)
    if result.upper_bound is not None and (policy.objective == "score_first" or len(result.pairs) == count):
        assert result.upper_bound >= score - 0.011 * max(1, count)
    if result.optimal and policy.objective == "count_first":
        assert len(result.pairs) == count and abs(scored(result, model) - score) <= 0.011 * max(1, count)
