"""The matching engine: hard rules, weighted criteria, three modes, explanations and a fairness report."""

from tasks.matching.diff import diff_pairs
from tasks.matching.engine import inputs_hash, match_participants, simulate_choices

__all__ = ["diff_pairs", "inputs_hash", "match_participants", "simulate_choices"]
