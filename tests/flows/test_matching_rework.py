"""Matching stage → gate → rework with a pinned pair → a new run stored beside the first, with a diff."""

from models.matches import cohort_matches
from models.matching_runs import matching_runs, run_result
from models.participants import cohort_profiles
from models.programme import Stage
from models.stage_runs import latest_stage_run
from tasks.cohort_context import load_cohort_context
from tasks.matching.diff import diff_pairs
from tasks.matching.rules import pair_breaks
from tasks.matching_round import MENTEE_STATUSES


def test_rework_with_a_pinned_pair_stores_a_second_run_with_the_pair_and_a_diff(cohort):
    cohort.start()
    for stage in (Stage.scoping, Stage.recruitment, Stage.training):
        cohort.decide(stage)
    cohort.wait_for_gate(Stage.matching)
    policy = load_cohort_context.fn(cohort.cohort_id).programme.matching
    with cohort.runtime.session() as session:
        first = run_result(matching_runs(session, cohort_id=cohort.cohort_id)[-1])
        mentees = cohort_profiles(session, cohort_id=cohort.cohort_id, roles=["mentee"], statuses=MENTEE_STATUSES)
        mentors = cohort_profiles(session, cohort_id=cohort.cohort_id, roles=["mentor"], statuses=("trained", "matched", "unmatched"))
    made = {(p.mentor_id, p.mentee_id) for p in first.pairs}
    mentor, mentee = next(
        (m, e) for e in mentees for m in mentors
        if (m.participation_id, e.participation_id) not in made and m.capacity > 0 and not pair_breaks(e, m, policy)
    )

    cohort.decide(Stage.matching, "rework", comment=f"pin {mentor.email} -> {mentee.email}")
    cohort.decide(Stage.matching, "stop", comment="enough for this test")
    assert cohort.finish() == "stopped"

    with cohort.runtime.session() as session:
        runs = matching_runs(session, cohort_id=cohort.cohort_id)
        proposed = cohort_matches(session, cohort_id=cohort.cohort_id, statuses=("proposed",))
        output = latest_stage_run(session, cohort_id=cohort.cohort_id, stage="matching").output
    assert len(runs) == 2 and runs[0].id != runs[1].id
    old, new = run_result(runs[0]), run_result(runs[1])
    assert (mentor.participation_id, mentee.participation_id) in {(p.mentor_id, p.mentee_id) for p in new.pairs}
    pinned = next(p for p in new.pairs if p.mentee_id == mentee.participation_id)
    assert pinned.reasons[0] == "direct match by an administrator"
    assert {(m.mentor_id, m.mentee_id) for m in proposed} == {(p.mentor_id, p.mentee_id) for p in new.pairs}
    expected = {kind: len(entries) for kind, entries in diff_pairs(old.pairs, new.pairs).items()}
    assert output["diff"] == expected
    assert expected["changed"] + expected["added"] >= 1  # the pinned mentee's pair is new
    assert output["run_id"] == runs[1].id
