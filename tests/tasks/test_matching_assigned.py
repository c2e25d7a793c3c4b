"""Assigned mode: hard rules never broken, optimal against brute force, deterministic, explained."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.domain import ParticipantProfile, Role
from models.programme import HardRules, MatchingPolicy, Weights
from tasks.matching import match_participants
from tasks.matching.rules import pair_breaks
from tasks.matching.scoring import pair_score

TOPICS = ["finance", "leadership", "digital", "policy"]


def person(pid: int, role: Role, **fields) -> ParticipantProfile:
    defaults = {"email": f"{role.value}{pid}@x.example", "name": f"P{pid}", "trained": True}
    return ParticipantProfile(participation_id=pid, role=role, **(defaults | fields))


@st.composite
def cohorts(draw, max_mentees: int = 5, max_mentors: int = 4):
    mentor_count = draw(st.integers(1, max_mentors))
    mentee_count = draw(st.integers(1, max_mentees))
    common = {
        "organisation": st.sampled_from(["A", "B"]),
        "sector": st.sampled_from(["health", "finance", ""]),
        "region": st.sampled_from(["London", "Wales"]),
        "topics": st.lists(st.sampled_from(TOPICS), max_size=3, unique=True),
        "languages": st.lists(st.sampled_from(["English", "Welsh"]), min_size=1, max_size=2, unique=True),
        "availability": st.lists(st.sampled_from(["mon-am", "tue-pm", "fri-am"]), max_size=3, unique=True),
    }
    mentors = []
    for j in range(mentor_count):
        fields = {k: draw(v) for k, v in common.items()}
        fields["grade"] = draw(st.integers(4, 9))
        fields["capacity"] = draw(st.integers(0, 2))
        fields["trained"] = draw(st.booleans() | st.just(True))
        fields["demographics"] = {"ethnicity": draw(st.sampled_from(["Asian", "Black"]))}
        mentors.append(person(100 + j, Role.mentor, **fields))
    mentor_emails = [m.email for m in mentors]
    mentees = []
    for i in range(mentee_count):
        fields = {k: draw(v) for k, v in common.items()}
        fields["grade"] = draw(st.integers(1, 6))
        manager = draw(st.none() | st.sampled_from(mentor_emails))
        fields["line_manager_email"] = manager
        fields["manager_chain"] = [manager] if manager else []
        fields["conflicts"] = draw(st.lists(st.sampled_from(mentor_emails), max_size=1))
        fields["identity_match"] = draw(st.booleans())
        fields["demographics"] = {"ethnicity": draw(st.sampled_from(["Asian", "Black"]))}
        mentees.append(person(i, Role.mentee, **fields))
    weights = Weights(**{name: draw(st.integers(0, 10)) for name in Weights.model_fields})
    hard_rules = HardRules(
        same_organisation_allowed=draw(st.booleans()),
        cross_sector_required=draw(st.booleans()),
        shared_language_required=draw(st.booleans()),
    )
    policy = MatchingPolicy(
        weights=weights,
        hard_rules=hard_rules,
        cross_sector=draw(st.sampled_from(["prefer", "avoid", "ignore"])),
        objective=draw(st.sampled_from(["count_first", "score_first"])),
    )
    return mentees, mentors, policy


def brute_force(mentees, mentors, policy) -> tuple[int, float]:
    """The best (count, score) over every assignment, by enumeration; tiny cohorts only."""
    options = []
    for mentee in mentees:
        options.append([None] + [m for m in mentors if m.capacity > 0 and not pair_breaks(mentee, m, policy)])
    best = (0, 0.0)
    for choice in itertools.product(*options):
        load: dict[int, int] = {}
        for mentor in choice:
            if mentor is not None:
                load[mentor.participation_id] = load.get(mentor.participation_id, 0) + 1
        if any(load[m.participation_id] > m.capacity for m in mentors if m.participation_id in load):
            continue
        count = sum(m is not None for m in choice)
        score = sum(round(pair_score(e, m, policy), 2) for e, m in zip(mentees, choice, strict=True) if m is not None)
        key = (count, score) if policy.objective == "count_first" else (score, count)
        if key > ((best[0], best[1]) if policy.objective == "count_first" else (best[1], best[0])):
            best = (count, score)
    return best


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_no_hard_rule_or_capacity_is_ever_broken(cohort):
    mentees, mentors, policy = cohort
    result = match_participants(mentees, mentors, policy)
    by_id = {p.participation_id: p for p in [*mentees, *mentors]}
    load: dict[int, int] = {}
    for pair in result.pairs:
        assert pair_breaks(by_id[pair.mentee_id], by_id[pair.mentor_id], policy) == []
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    assert all(load[m] <= by_id[m].capacity for m in load)
    assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)
    assert result.fairness["hard_rule_violations"] == 0
    assert len(result.pairs) + len(result.unmatched) == len(mentees)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_mentees=4, max_mentors=3))
def test_assigned_equals_brute_force_on_tiny_cohorts(cohort):
    mentees, mentors, policy = cohort
    result = match_participants(mentees, mentors, policy)
    count, score = brute_force(mentees, mentors, policy)
    if policy.objective == "count_first":
        assert len(result.pairs) == count
    assert abs(result.objective - score) <= 0.011 * max(1, count)


@settings(max_examples=25, deadline=None)
@given(cohorts())
def test_same_inputs_give_the_same_pairs(cohort):
    mentees, mentors, policy = cohort
    first = match_participants(mentees, mentors, policy)
    again = match_participants(list(reversed(mentees)), list(reversed(mentors)), policy)
    assert first.model_dump() == again.model_dump()


def test_the_line_manager_and_anyone_above_are_never_the_mentor():
    boss = person(100, Role.mentor, topics=["finance"], grade=9)
    manager = person(101, Role.mentor, topics=["finance"], grade=7, line_manager_email=boss.email)
    stranger = person(102, Role.mentor, topics=[], grade=7)
    mentee = person(1, Role.mentee, topics=["finance"], grade=5, line_manager_email=manager.email, manager_chain=[manager.email, boss.email])
    result = match_participants([mentee], [boss, manager, stranger], MatchingPolicy())
    assert [(p.mentor_id, p.mentee_id) for p in result.pairs] == [(102, 1)]


def test_untrained_mentors_and_declared_conflicts_are_skipped():
    untrained = person(100, Role.mentor, topics=["finance"], trained=False)
    conflicted = person(101, Role.mentor, topics=["finance"], conflicts=["mentee1@x.example"])
    mentee = person(1, Role.mentee, topics=["finance"])
    result = match_participants([mentee], [untrained, conflicted], MatchingPolicy())
    assert result.pairs == []
    assert result.unmatched[0].why == "no trained mentor with capacity without a declared conflict"


def test_count_first_matches_more_people_than_score_first_would():
    strong = person(100, Role.mentor, topics=["finance", "policy"])
    weak = person(101, Role.mentor, topics=["digital"])
    # mentee 1 fits both mentors; mentee 2 only fits the strong one (language rule)
    one = person(1, Role.mentee, topics=["finance", "policy"], languages=["English", "Welsh"])
    two = person(2, Role.mentee, topics=["finance"], languages=["Welsh"])
    strong.languages, weak.languages = ["English", "Welsh"], ["English"]
    policy = MatchingPolicy(hard_rules=HardRules(shared_language_required=True), weights=Weights(seniority=0, geography=0))
    result = match_participants([one, two], [strong, weak], policy)
    assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {(1, 101), (2, 100)}


def test_unmatched_mentee_is_told_feasible_mentors_are_full():
    mentor = person(100, Role.mentor, topics=["finance"], capacity=1)
    first = person(1, Role.mentee, topics=["finance"])
    second = person(2, Role.mentee, topics=["digital"])
    result = match_participants([first, second], [mentor], MatchingPolicy(weights=Weights(seniority=0, geography=0)))
    assert [p.mentee_id for p in result.pairs] == [1]
    assert result.unmatched[0].why == "no trained mentor with a shared goal; all 1 feasible mentor is full"


def test_unmatched_reason_names_the_rule_that_empties_the_list():
    mentor = person(100, Role.mentor, organisation="A", languages=["English"])
    mentee = person(1, Role.mentee, organisation="A", languages=["English"])
    policy = MatchingPolicy(hard_rules=HardRules(same_organisation_allowed=False))
    result = match_participants([mentee], [mentor], policy)
    assert result.unmatched[0].why == "no trained mentor with capacity outside their organisation"
    none_trained = match_participants([mentee], [person(100, Role.mentor, trained=False)], MatchingPolicy())
    assert none_trained.unmatched[0].why == "no trained mentor in the cohort"


def test_pinned_pair_is_made_and_a_pin_breaking_a_rule_is_reported():
    mentors = [person(100, Role.mentor, topics=["finance"]), person(101, Role.mentor, topics=["digital"])]
    mentees = [person(1, Role.mentee, topics=["finance"]), person(2, Role.mentee, line_manager_email="mentor100@x.example")]
    result = match_participants(
        mentees, mentors, MatchingPolicy(),
        pinned=[("mentor101@x.example", "mentee1@x.example"), ("mentor100@x.example", "mentee2@x.example")],
    )
    assert [(p.mentee_id, p.mentor_id, p.reasons[0]) for p in result.pairs] == [(1, 101, "direct match by an administrator")]
    assert result.unmatched[0].why == "pinned pair breaks a hard rule: mentor is the mentee's line manager"


def test_forbidden_and_excluded_pairs_are_never_made_and_capacity_left_is_respected():
    mentors = [person(100, Role.mentor, topics=["finance"]), person(101, Role.mentor), person(102, Role.mentor, capacity=3)]
    mentees = [person(1, Role.mentee, topics=["finance"]), person(2, Role.mentee, topics=["finance"])]
    result = match_participants(
        mentees, mentors, MatchingPolicy(),
        forbidden=[("mentor100@x.example", "mentee1@x.example")], exclude=[(100, 2)], capacity_left={102: 0},
    )
    assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {(1, 101)}
    assert result.unmatched[0].mentee_id == 2
