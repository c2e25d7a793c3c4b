from tasks.midpoint import action_for, health_flag


def test_a_pair_meeting_less_than_half_as_often_as_agreed_is_stalled():
    assert health_flag(2, 6, 4.0) == "stalled: 2 of 6 expected meetings"
    assert health_flag(3, 6, 4.0) is None


def test_low_satisfaction_is_flagged_even_when_meetings_happen():
    assert health_flag(6, 6, 2.0) == "low satisfaction (2/5)"
    assert health_flag(6, 6, None) is None


def test_pairs_that_never_started_are_rematched_others_re_energised():
    assert action_for("stalled: 1 of 6 expected meetings", 1) == "re-match"
    assert action_for("stalled: 2 of 6 expected meetings", 2) == "re-energise"
    assert action_for(None, 0) is None
