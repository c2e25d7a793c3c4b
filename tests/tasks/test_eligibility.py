"""Eligibility against the programme's audience: each reason, and none for a good applicant."""

import pytest

from models.domain import ParticipantProfile, Role
from models.programme import AudienceRule
from tasks.eligibility import check_eligibility, eligibility_reasons


def applicant(role: Role = Role.mentee, **fields) -> ParticipantProfile:
    values = dict(participation_id=1, email="a@example.org", name="A", role=role, grade=4, sector="policy", region="London")
    return ParticipantProfile(**(values | fields))


@pytest.fixture
def restricted(programme):
    """The demo pilot (mentees 3–6 nominated, mentors 6–10) with sectors and regions limited."""
    mentees = programme.audience.mentees.model_copy(update={"sectors": ["Policy", "Finance"], "regions": ["London"]})
    audience = programme.audience.model_copy(update={"mentees": mentees})
    return programme.model_copy(update={"audience": audience})


def test_eligible_applicant_has_no_reason(restricted):
    assert check_eligibility(applicant(nominated_by="boss@example.org"), restricted) is None


def test_grade_above_the_mentee_range(programme):
    reason = check_eligibility(applicant(grade=8, nominated_by="boss@example.org"), programme)

    assert reason == "grade 8 is above the mentee range 3–6"


def test_grade_below_the_mentor_range(programme):
    assert check_eligibility(applicant(Role.mentor, grade=5), programme) == "grade 5 is below the mentor range 6–10"


def test_nomination_required_for_mentees_only(programme):
    assert check_eligibility(applicant(), programme) == "nomination required: no nominated_by given"
    assert check_eligibility(applicant(Role.mentor, grade=8), programme) is None


def test_sector_not_in_the_audience_case_insensitive(restricted):
    assert check_eligibility(applicant(sector="FINANCE", nominated_by="b@example.org"), restricted) is None
    reason = check_eligibility(applicant(sector="retail", nominated_by="b@example.org"), restricted)

    assert reason == "sector retail not in the audience (Policy, Finance)"


def test_region_not_in_the_audience(restricted):
    reason = check_eligibility(applicant(region="Wales", nominated_by="b@example.org"), restricted)

    assert reason == "region Wales not in the audience (London)"


def test_every_reason_is_given(restricted):
    reasons = eligibility_reasons(applicant(grade=1, sector="retail", region="Wales"), restricted)

    assert reasons == [
        "grade 1 is below the mentee range 3–6",
        "nomination required: no nominated_by given",
        "sector retail not in the audience (Policy, Finance)",
        "region Wales not in the audience (London)",
    ]
    assert check_eligibility(applicant(grade=1, sector="retail", region="Wales"), restricted) == "; ".join(reasons)


def test_no_grade_rule_means_any_grade(programme):
    open_mentors = AudienceRule(description="anyone")
    audience = programme.audience.model_copy(update={"mentors": open_mentors})
    anyone = programme.model_copy(update={"audience": audience})

    assert check_eligibility(applicant(Role.mentor, grade=0), anyone) is None
