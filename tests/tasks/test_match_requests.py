from tasks.match_requests import parse_match_requests


def test_pins_forbids_and_weights_are_read_from_a_rework_comment(programme):
    requests = parse_match_requests(
        "Pin A@x.org -> b@y.org; forbid c@x.org with d@y.org\nweight goals=8 geography=0\nplease keep the rest"
    )
    assert requests.pinned == [("a@x.org", "b@y.org")]
    assert requests.forbidden == [("c@x.org", "d@y.org")]
    assert requests.weights == {"goals": 8.0, "geography": 0.0}
    assert requests.remarks == ["please keep the rest"]
    policy = requests.apply_to(programme.matching)
    assert policy.weights.goals == 8 and policy.weights.geography == 0
    assert programme.matching.weights.goals == 6, "the programme's own policy is untouched"


def test_bad_weights_are_reported_not_applied():
    requests = parse_match_requests("weights charm=3 goals=eleven seniority=12")
    assert requests.weights == {}
    assert len(requests.problems) == 3
    assert requests.problems[0].startswith("unknown weight 'charm'")


def test_an_empty_comment_asks_for_nothing():
    assert parse_match_requests(None).model_dump() == parse_match_requests("").model_dump()
