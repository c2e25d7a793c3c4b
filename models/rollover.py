"""Annual rollover: last cohort's mentors, and its outgoing mentees, invited to mentor in the next one.

Circular mentorship: a mentee who completed the programme is asked to come back as a
mentor. Each invitee gets a participation in the new cohort (role mentor, status
invited) with a copy of their profile: a mentee's goals become a mentor's expertise.
Consented demographics are not copied: consent was given for the earlier cohort only.
"""

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.cohorts import cohort_by_id
from models.domain import ParticipantStatus, Role
from models.evaluation_data import previous_cohort_id
from models.participants import participations
from models.tables import Participation, Profile

RETURNING_MENTOR_STATUSES = (ParticipantStatus.completed.value, ParticipantStatus.matched.value)
OUTGOING_MENTEE_STATUSES = (ParticipantStatus.completed.value,)


class RolloverInvitation(BaseModel):
    participation_id: int
    email: str
    name: str
    previous_role: Role
    previous_cohort: str


class RolloverProgrammeMismatch(ValueError):
    pass


def rollover_invitations(session: Session, *, programme_slug: str, new_cohort_id: int) -> list[RolloverInvitation]:
    """Invite the previous cohort's mentors back and its completed mentees to mentor; returns every invitee.

    Safe to run again: someone already in the new cohort (in any role) gets no second
    participation; those who are there as an invited mentor are returned again so their
    email can be queued (the outbox drops a key it already has).
    """
    new_cohort = cohort_by_id(session, cohort_id=new_cohort_id)
    if new_cohort.programme.slug != programme_slug:
        raise RolloverProgrammeMismatch(
            f"cohort {new_cohort.name!r} belongs to programme {new_cohort.programme.slug!r}, not {programme_slug!r}"
        )
    previous_id = previous_cohort_id(session, cohort_id=new_cohort_id)
    if previous_id is None:
        return []
    previous_name = cohort_by_id(session, cohort_id=previous_id).name
    candidates = [
        *participations_with(session, cohort_id=previous_id, role=Role.mentor, statuses=RETURNING_MENTOR_STATUSES),
        *participations_with(session, cohort_id=previous_id, role=Role.mentee, statuses=OUTGOING_MENTEE_STATUSES),
    ]
    already_in = {p.person_id: p for p in participations(session, cohort_id=new_cohort_id)}
    invitations: list[RolloverInvitation] = []
    invited_ids: set[int] = set()
    for earlier in candidates:
        current = already_in.get(earlier.person_id)
        if current is None:
            current = already_in[earlier.person_id] = _invite_as_mentor(session, earlier, new_cohort_id=new_cohort_id)
        elif current.role != Role.mentor.value or current.status != ParticipantStatus.invited.value:
            continue  # already applied or taking part some other way: no invitation needed
        if current.id in invited_ids:
            continue
        invited_ids.add(current.id)
        invitations.append(
            RolloverInvitation(
                participation_id=current.id,
                email=earlier.person.email,
                name=earlier.person.name,
                previous_role=Role(earlier.role),
                previous_cohort=previous_name,
            )
        )
    session.flush()
    return invitations


def participations_with(session: Session, *, cohort_id: int, role: Role, statuses: tuple[str, ...]) -> list[Participation]:
    return [p for p in participations(session, cohort_id=cohort_id, role=role.value) if p.status in statuses]


def _invite_as_mentor(session: Session, earlier: Participation, *, new_cohort_id: int) -> Participation:
    profile = earlier.profile
    participation = Participation(
        cohort_id=new_cohort_id,
        person_id=earlier.person_id,
        role=Role.mentor.value,
        status=ParticipantStatus.invited.value,
        capacity=earlier.capacity if earlier.role == Role.mentor.value else 1,
        profile=Profile(
            topics=list(profile.topics) if profile else [],
            languages=list(profile.languages) if profile else [],
            availability=list(profile.availability) if profile else [],
            conflicts=list(profile.conflicts) if profile else [],
            identity_match=False,
        ),
    )
    session.add(participation)
    session.flush()
    return participation

