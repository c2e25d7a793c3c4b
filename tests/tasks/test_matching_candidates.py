"""Candidate edges at scale: top-k from both sides, all feasible, each side's best kept."""

import numpy as np

from tasks.matching.candidates import SCALE, candidate_edges
from tasks.matching.rules import build_rule_arrays, capacity_array
from tasks.matching.scoring import build_score_model
from tasks.matching.solvers import greedy, solve_flow
from tasks.synthetic import profiles_from_rows, synthetic_rows


def prepared(programme, mentees=300, mentors=200):
    mentee_profiles, mentor_profiles = profiles_from_rows(synthetic_rows(programme, mentees=mentees, mentors=mentors, mentor_capacity=(1, 3)))
    policy = programme.matching
    capacity = capacity_array(mentor_profiles, None)
    rules = build_rule_arrays(mentee_profiles, mentor_profiles, policy, capacity=capacity)
    model = build_score_model(mentee_profiles, mentor_profiles, policy)
    return model, rules, capacity, np.arange(len(mentee_profiles)), np.arange(len(mentor_profiles))


def test_top_k_edges_are_feasible_and_keep_each_sides_best(programme):
    model, rules, capacity, rows, cols = prepared(programme)
    top = candidate_edges(model, rules, rows, cols, top_k=5, full_graph_pairs=0)
    full = candidate_edges(model, rules, rows, cols)
    assert not top.complete and full.complete
    assert len(top.mentees) < len(full.mentees)
    feasible = rules.feasible_block(rows, cols)
    assert feasible[top.mentees, top.mentors].all()
    scores = np.rint(model.block(rows, cols) * SCALE)
    np.testing.assert_array_equal(top.scores, scores[top.mentees, top.mentors])
    kept = set(zip(top.mentees.tolist(), top.mentors.tolist(), strict=True))
    masked = np.where(feasible, scores, -1)
    for row in range(0, len(rows), 37):
        assert (row, int(np.argmax(masked[row]))) in kept
    best_kept_for_mentor: dict[int, float] = {}
    for i, j in kept:
        best_kept_for_mentor[j] = max(best_kept_for_mentor.get(j, -1), masked[i, j])
    for col in range(len(cols)):
        if masked[:, col].max() >= 0:
            assert best_kept_for_mentor[col] == masked[:, col].max()


def test_flow_on_top_k_is_close_to_the_full_optimum_and_beats_greedy(programme):
    model, rules, capacity, rows, cols = prepared(programme)
    full = candidate_edges(model, rules, rows, cols)
    top = candidate_edges(model, rules, rows, cols, top_k=10, full_graph_pairs=0)
    exact = solve_flow(full.mentees, full.mentors, full.scores, mentees=len(rows), mentors=len(cols), capacity=capacity)
    short = solve_flow(top.mentees, top.mentors, top.scores, mentees=len(rows), mentors=len(cols), capacity=capacity)
    baseline = greedy(full.mentees, full.mentors, full.scores, mentees=len(rows), capacity=capacity)
    assert short.sum() == exact.sum()
    assert top.scores[short].sum() >= 0.999 * full.scores[exact].sum()
    assert full.scores[exact].sum() >= full.scores[baseline].sum()
