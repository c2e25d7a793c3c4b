from models.programme import Stage
from tasks.gates import gate_description, refusal_reason


def test_an_approver_of_the_gate_may_decide(programme):
    assert refusal_reason(programme, Stage.matching, decision="approve", approver="SPONSOR@regulator.example ") is None


def test_someone_not_listed_for_that_gate_is_refused(programme):
    reason = refusal_reason(programme, Stage.scoping, decision="approve", approver="pm@regulator.example")
    assert reason == "pm@regulator.example is not an approver of the scoping gate (approvers: sponsor@regulator.example)"


def test_a_missing_approver_or_unknown_decision_is_refused(programme):
    assert refusal_reason(programme, Stage.scoping, decision="approve", approver="") == "the approver's email is missing"
    assert "decision must be one of" in refusal_reason(programme, Stage.scoping, decision="maybe", approver="sponsor@regulator.example")
    assert "decision must be one of" in refusal_reason(programme, Stage.scoping, decision=None, approver=None)


def test_the_gate_description_summarises_and_says_how_to_decide():
    text = gate_description("demo", Stage.training, 2, "38 trained", ["pm@x.org"])
    assert "round 2" in text and "38 trained" in text and "mentorflow gate approve demo training" in text
