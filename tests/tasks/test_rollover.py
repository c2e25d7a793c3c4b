"""start_rollover: next year's cohort is registered, invitations stored and emailed once, last cohort its comparator."""

from datetime import timedelta

import pytest

from models.cohorts import find_cohort, set_cohort_state
from models.domain import Role
from models.evaluation_data import previous_cohort_id
from models.outbox import messages_for, stored_email
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.rollover import RolloverInvitation
from tasks.cohort_context import CohortContext
from tasks.cohort_setup import register_cohort
from tasks.rollover import invitation_emails, invite_returning_mentors, start_rollover


def applicant(email: str, role: Role) -> ParticipantRow:
    return ParticipantRow(
        email=email, name=email.split("@")[0].title(), role=role, organisation="Org", sector="policy",
        region="London", grade=4 if role == Role.mentee else 8, topics=["leadership"],
    )


@pytest.fixture
def last_year(runtime):
    """The pilot's first cohort, finished: two mentors and two mentees, one of whom withdrew."""
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="pilot-2027")
    outcomes = {
        "ada@example.org": (Role.mentor, "completed"),
        "ben@example.org": (Role.mentor, "matched"),
        "cy@example.org": (Role.mentee, "completed"),
        "di@example.org": (Role.mentee, "withdrawn"),
    }
    with runtime.session() as session:
        rows = [applicant(email, role) for email, (role, _) in outcomes.items()]
        import_participants(session, cohort_id=cohort_id, rows=rows, now=runtime.clock.now())
        for participation in participations(session, cohort_id=cohort_id):
            set_status(session, participation_ids=[participation.id], status=outcomes[participation.person.email][1])
        set_cohort_state(session, cohort_id=cohort_id, state="completed", now=runtime.clock.now())
    runtime.clock.advance(timedelta(days=365))
    return cohort_id


def test_rollover_registers_the_cohort_and_invites_last_years_people_to_mentor(runtime, last_year):
    summary = start_rollover(runtime, programme_ref="demo-pilot", cohort="bau-2028")

    assert (summary.previous_cohort, summary.returning_mentors, summary.mentees_becoming_mentors) == ("pilot-2027", 2, 1)
    assert summary.emails_queued == 3
    with runtime.session() as session:
        messages = messages_for(session, cohort_id=summary.cohort_id)
        assert sorted(m.key for m in messages) == [
            "bau-2028:rollover:ada@example.org", "bau-2028:rollover:ben@example.org", "bau-2028:rollover:cy@example.org",
        ]
        assert {m.template for m in messages} == {"call_for_applications"}
        assert {stored_email(m).context["role"] for m in messages} == {"mentor"}
        assert {m.state for m in messages} == {"sent"}
        assert {(p.role, p.status) for p in participations(session, cohort_id=summary.cohort_id)} == {("mentor", "invited")}


def test_the_previous_cohort_becomes_the_evaluation_comparator(runtime, last_year):
    summary = start_rollover(runtime, programme_ref="demo-pilot", cohort="bau-2028")

    with runtime.session() as session:
        assert previous_cohort_id(session, cohort_id=summary.cohort_id) == last_year


def test_starting_the_rollover_again_sends_nothing_twice(runtime, last_year):
    start_rollover(runtime, programme_ref="demo-pilot", cohort="bau-2028")
    again = start_rollover(runtime, programme_ref="demo-pilot", cohort="bau-2028")

    assert again.emails_queued == 0
    with runtime.session() as session:
        cohort = find_cohort(session, name="bau-2028")
        assert len(messages_for(session, cohort_id=cohort.id)) == 3
        assert len(participations(session, cohort_id=cohort.id)) == 3


def test_the_flow_step_invites_for_a_cohort_already_registered(runtime, last_year):
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="demo-pilot-2028")

    summary = invite_returning_mentors.fn(cohort_id)

    assert (summary.cohort, summary.previous_cohort, summary.emails_queued) == ("demo-pilot-2028", "pilot-2027", 3)


def test_invitation_emails_are_keyed_per_cohort_and_person(programme):
    context = CohortContext(cohort_id=2, cohort="bau-2028", programme=programme, simulated=False, seed=7)
    invitation = RolloverInvitation(
        participation_id=9, email="cy@example.org", name="Cy", previous_role=Role.mentee, previous_cohort="pilot-2027"
    )

    [email] = invitation_emails(context, [invitation])

    assert (email.key, email.recipient, email.template) == ("bau-2028:rollover:cy@example.org", "cy@example.org", "call_for_applications")
    assert (email.context["role"], email.context["previous_role"], email.context["recipient_name"]) == ("mentor", "mentee", "Cy")
