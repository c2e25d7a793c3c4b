"""Matching benchmark on synthetic cohorts (the demo's generator, scaled), demo-pilot policy, capacity 1-3.

    python benchmarks/matching.py                          # the four sizes, a table (each size in its own process)
    python benchmarks/matching.py --mentees M --mentors N --json

Times `match_participants` only (not generating the cohort). `peak_mib` is the process's peak
resident memory during matching (the peak is reset just before). `optimum` is the exact optimum:
the engine's own when it certified its result optimal (no pair outside its candidate lists could
improve it), else min-cost flow over every feasible pair, computed after the timed run where it
fits (up to 60M feasible pairs), else null. Where it is null, `ratio_to_optimum` is taken against
the engine's certified upper bound (`upper_bound`, from LP dual prices), so it is a lower bound on
the true ratio (`ratio_is_lower_bound`). `greedy_score` is best-edge-first over the same candidate edges.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, where benchmarks/email.py would shadow the stdlib.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from models.programme_file import load_programme  # noqa: E402
from tasks.matching import match_participants  # noqa: E402
from tasks.matching.candidates import SCALE, candidate_edges  # noqa: E402
from tasks.matching.rules import build_rule_arrays, capacity_array  # noqa: E402
from tasks.matching.scoring import build_score_model  # noqa: E402
from tasks.matching.solvers import greedy, solve_flow  # noqa: E402
from tasks.synthetic import profiles_from_rows, synthetic_rows  # noqa: E402

SIZES = [(40, 40), (2_500, 1_500), (10_000, 5_000), (50_000, 20_000)]
EXACT_LIMIT = 60_000_000


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _reset_peak_memory() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def measure(mentees: int, mentors: int, *, seed: int, repeat: int) -> dict:
    programme = load_programme(ROOT / "config" / "programmes" / "demo-pilot.yaml")
    rows = synthetic_rows(programme, mentees=mentees, mentors=mentors, seed=seed, mentor_capacity=(1, 3))
    mentee_profiles, mentor_profiles = profiles_from_rows(rows)
    policy = programme.matching
    seconds = []
    _reset_peak_memory()
    for _ in range(repeat):
        started = time.perf_counter()
        result = match_participants(mentee_profiles, mentor_profiles, policy)
        seconds.append(time.perf_counter() - started)
    peak_mib = _status("VmHWM:") / 1024
    optimum, greedy_score, greedy_matched = _baselines(mentee_profiles, mentor_profiles, policy, exact=not result.optimal)
    if result.optimal:
        optimum = result.objective
    bound = optimum if optimum is not None else result.upper_bound
    return {
        "mentees": mentees,
        "mentors": mentors,
        "seconds": round(statistics.median(seconds), 4),
        "runs": [round(s, 4) for s in seconds],
        "peak_mib": round(peak_mib, 1),
        "matched": len(result.pairs),
        "score": result.objective,
        "optimum": optimum,
        "optimum_source": "certified by the engine" if result.optimal else ("computed here" if optimum is not None else None),
        "upper_bound": result.upper_bound,
        "ratio_to_optimum": round(result.objective / bound, 6) if bound else None,
        "ratio_is_lower_bound": optimum is None and bound is not None,
        "greedy_score": greedy_score,
        "greedy_matched": greedy_matched,
        "ratio_to_greedy": round(result.objective / greedy_score, 4) if greedy_score else None,
        "hard_rule_violations": result.fairness["hard_rule_violations"],
        "solver": result.solver,
        "notes": result.notes,
    }


def _baselines(mentees, mentors, policy, *, exact: bool) -> tuple[float | None, float, int]:
    mentees = sorted(mentees, key=lambda p: p.participation_id)
    mentors = sorted(mentors, key=lambda p: p.participation_id)
    capacity = capacity_array(mentors, None)
    rules = build_rule_arrays(mentees, mentors, policy, capacity=capacity)
    model = build_score_model(mentees, mentors, policy, dtype=np.float32)
    rows, cols = np.arange(len(mentees)), np.nonzero(rules.mentor_open)[0]
    candidates = candidate_edges(model, rules, rows, cols)
    chosen = greedy(candidates.mentees, candidates.mentors, candidates.scores, mentees=len(rows), capacity=capacity[cols])
    greedy_score = round(float(candidates.scores[chosen].sum()) / SCALE, 2)
    optimum = None
    if exact and not candidates.complete and len(rows) * len(cols) <= EXACT_LIMIT:
        full = candidate_edges(model, rules, rows, cols, full_graph_pairs=EXACT_LIMIT)
        exact = solve_flow(full.mentees, full.mentors, full.scores, mentees=len(rows), mentors=len(cols),
                           capacity=capacity[cols], objective=policy.objective)
        optimum = round(float(full.scores[exact].sum()) / SCALE, 2)
    return optimum, greedy_score, int(chosen.sum())


def table(seed: int, repeat: int) -> None:
    header = f"{'size':>15} {'seconds':>8} {'peak MiB':>9} {'matched':>8} {'score':>12} {'optimum':>12} {'ratio':>9} {'greedy':>12} {'vs greedy':>9}"
    print(header)
    for mentees, mentors in SIZES:
        runs = repeat if mentees * mentors <= 50_000_000 else 1
        output = subprocess.run(
            [sys.executable, __file__, "--mentees", str(mentees), "--mentors", str(mentors), "--json",
             "--seed", str(seed), "--repeat", str(runs)],
            capture_output=True, text=True, check=True,
        ).stdout
        r = json.loads(output)
        optimum = f"{r['optimum']:.2f}" if r["optimum"] is not None else f"≤{r['upper_bound']:.2f}" if r["upper_bound"] else "n/a"
        ratio = f"{'≥' if r['ratio_is_lower_bound'] else ''}{r['ratio_to_optimum']:.6f}" if r["ratio_to_optimum"] is not None else "n/a"
        print(f"{mentees:>7,}x{mentors:<7,} {r['seconds']:>8.3f} {r['peak_mib']:>9.0f} {r['matched']:>8,} {r['score']:>12.2f} "
              f"{optimum:>12} {ratio:>9} {r['greedy_score']:>12.2f} {r['ratio_to_greedy']:>9.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentees", type=int)
    parser.add_argument("--mentors", type=int)
    parser.add_argument("--json", action="store_true", help="print one JSON object for this size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the median is reported")
    args = parser.parse_args()
    if args.mentees is None:
        table(args.seed, args.repeat)
        return
    figures = measure(args.mentees, args.mentors or args.mentees, seed=args.seed, repeat=args.repeat)
    print(json.dumps(figures) if args.json else json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
