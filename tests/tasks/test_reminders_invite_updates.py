"""A moved training session sends an updated invite: the same UID, a higher SEQUENCE, the new local time."""

import email
import email.policy
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from models.domain import Role
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.outbox import queue_emails
from models.tables import Message
from tasks.cohort_context import load_cohort_context
from tasks.cohort_setup import register_cohort
from tasks.emails.delivery import deliver_pending
from tasks.emails.transport import eml_filename
from tasks.training import schedule_training, session_uid

LONDON = ZoneInfo("Europe/London")
SESSION = "Mentor training day"


def send_invitations(runtime, context) -> None:
    requests = schedule_training.fn(context)
    with runtime.session() as session:
        queue_emails(session, cohort_id=context.cohort_id, requests=requests, now=runtime.clock.now())
    deliver_pending(runtime, cohort_id=context.cohort_id)


def delivered_invite(runtime, key: str):
    message = email.message_from_bytes(
        (runtime.settings.outbox_dir / eml_filename(key)).read_bytes(), policy=email.policy.default)
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
    return event


def test_changing_a_sessions_offset_sends_an_update_with_the_same_uid_and_a_higher_sequence(runtime):
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="moved")
    with runtime.session() as session:
        import_participants(session, cohort_id=cohort_id, now=runtime.clock.now(), rows=[ParticipantRow(
            email="jane@x.org", name="Jane", role=Role.mentor, organisation="O", sector="S", region="R", grade=7,
            topics=["leadership"])])
        set_status(session, participation_ids=[p.id for p in participations(session, cohort_id=cohort_id)],
                   status="eligible")
    context = load_cohort_context.fn(cohort_id)
    send_invitations(runtime, context)

    sessions = [s.model_copy(update={"offset_days": s.offset_days + 1}) if s.name == SESSION else s
                for s in context.programme.training.sessions]
    moved = context.programme.model_copy(
        update={"training": context.programme.training.model_copy(update={"sessions": sessions})})
    send_invitations(runtime, context.model_copy(update={"programme": moved}))
    send_invitations(runtime, context.model_copy(update={"programme": moved}))  # unchanged: nothing more

    uid = session_uid("moved", SESSION)
    with runtime.session() as session:
        keys = [m.key for m in session.query(Message).filter(Message.purpose == "training_invitation",
                                                              Message.recipient == "jane@x.org",
                                                              Message.key.contains(uid)).order_by(Message.id)]
        assert {m.state for m in session.query(Message)} == {"sent"}
    assert keys == [f"moved:training:invite:{uid}:0:jane@x.org", f"moved:training:invite:{uid}:1:jane@x.org"]
    first, update = (delivered_invite(runtime, key) for key in keys)
    assert str(first["UID"]) == str(update["UID"]) == uid
    assert (first["SEQUENCE"], update["SEQUENCE"]) == (0, 1)
    assert first["DTSTART"].params["TZID"] == update["DTSTART"].params["TZID"] == "Europe/London"
    assert first.decoded("DTSTART") == datetime(2027, 2, 22, 10, 0, tzinfo=LONDON)
    assert update.decoded("DTSTART") == datetime(2027, 2, 23, 10, 0, tzinfo=LONDON)
    assert update.decoded("DTSTART").hour == 10 and update.decoded("DTSTART").tzinfo.key == "Europe/London"
