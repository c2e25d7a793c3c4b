"""Midpoint re-match: new pairs are introduced by email, a mentee left without a mentor is told why."""

from models.domain import Role
from models.matches import activate_proposed, cohort_matches, replace_proposed
from models.participants import ParticipantRow, import_participants, participations, set_status
from tasks.cohort_context import load_cohort_context
from tasks.cohort_setup import register_cohort
from tasks.midpoint import rematch


def person(email: str, role: Role, grade: int) -> ParticipantRow:
    return ParticipantRow(email=email, name=email.split("@")[0].title(), role=role, organisation=email.split("@")[0],
                          sector="policy", region="London", grade=grade, topics=["leadership"])


def test_rematched_pairs_are_introduced_and_the_unplaced_mentee_is_told(runtime):
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="rematch")
    rows = [person(e, Role.mentor, 8) for e in ("max@example.org", "mo@example.org")]
    rows += [person(e, Role.mentee, 4) for e in ("ann@example.org", "bo@example.org")]
    now = runtime.clock.now()
    with runtime.session() as session:
        import_participants(session, cohort_id=cohort_id, rows=rows, now=now)
        ids = {p.person.email: p.id for p in participations(session, cohort_id=cohort_id)}
        set_status(session, participation_ids=list(ids.values()), status="matched")
        replace_proposed(session, cohort_id=cohort_id, run_id=None, now=now, pairs=[
            {"mentor_id": ids["max@example.org"], "mentee_id": ids["ann@example.org"], "score": 1, "explanation": "x"},
            {"mentor_id": ids["mo@example.org"], "mentee_id": ids["bo@example.org"], "score": 1, "explanation": "x"},
        ])
        activate_proposed(session, cohort_id=cohort_id, started_at=now)
        ending = [m.id for m in cohort_matches(session, cohort_id=cohort_id)]
        context = load_cohort_context.fn(cohort_id)
        # both pairs stall: each mentee may only go to the other mentor (never the former partner), capacity 1 each
        count, emails = rematch(session, context, ending, now)
        new_pairs = {(m.mentee_id, m.mentor_id) for m in cohort_matches(session, cohort_id=cohort_id, statuses=("active",))}

    assert count == 2
    assert new_pairs == {(ids["ann@example.org"], ids["mo@example.org"]), (ids["bo@example.org"], ids["max@example.org"])}
    introductions = [e for e in emails if e.template == "match_introduction"]
    assert sorted(e.recipient for e in introductions) == sorted(ids)
    assert all(":midpoint:introduction:" in e.key for e in introductions)
    ann = next(e for e in introductions if e.recipient == "ann@example.org")
    assert ann.context["partner_name"] == "Mo" and ann.context["role"] == "mentee"


def test_a_mentee_with_no_mentor_left_gets_a_notice(runtime):
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="rematch-none")
    rows = [person("max@example.org", Role.mentor, 8), person("ann@example.org", Role.mentee, 4)]
    now = runtime.clock.now()
    with runtime.session() as session:
        import_participants(session, cohort_id=cohort_id, rows=rows, now=now)
        ids = {p.person.email: p.id for p in participations(session, cohort_id=cohort_id)}
        set_status(session, participation_ids=list(ids.values()), status="matched")
        replace_proposed(session, cohort_id=cohort_id, run_id=None, now=now, pairs=[
            {"mentor_id": ids["max@example.org"], "mentee_id": ids["ann@example.org"], "score": 1, "explanation": "x"},
        ])
        activate_proposed(session, cohort_id=cohort_id, started_at=now)
        count, emails = rematch(session, load_cohort_context.fn(cohort_id), [m.id for m in cohort_matches(session, cohort_id=cohort_id)], now)
        status = {p.person.email: p.status for p in participations(session, cohort_id=cohort_id)}

    assert count == 0
    assert [(e.recipient, e.template) for e in emails] == [("ann@example.org", "unmatched_notice")]
    assert status["ann@example.org"] == "unmatched"
