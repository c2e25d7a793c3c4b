from tasks.scoping import charter_from_programme, charter_markdown


def test_the_charter_carries_aims_objectives_and_governance(programme):
    charter = charter_from_programme(programme)
    assert charter.target_pairs == 40
    assert [o.id for o in charter.objectives] == ["pairs_matched", "confidence", "recommend", "completion"]
    assert charter.approvers["matching"] == ["pm@regulator.example", "sponsor@regulator.example"]
    assert charter.problems == []
    text = charter_markdown(charter)
    assert "## SMART objectives" in text and "none: the charter is complete" in text


def test_gaps_an_approver_should_see_are_listed(programme):
    thin = programme.model_copy(update={"budget": None, "drivers": []})
    problems = charter_from_programme(thin).problems
    assert problems == ["no budget stated", "no drivers recorded (why the organisation wants the scheme)"]
