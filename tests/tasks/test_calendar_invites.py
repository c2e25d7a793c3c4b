"""Calendar invites parse, carry local times in the programme's zone, and update by sequence."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tasks.calendar_invites import session_invite

LONDON = ZoneInfo("Europe/London")


def invite(**changes) -> str:
    arguments = dict(
        uid="training-42@mentorflow",
        sequence=0,
        summary="Mentor induction day",
        description="Your first training session.\nBring your goals.",
        starts_at=datetime(2027, 6, 8, 9, 30),
        duration_minutes=360,
        timezone="Europe/London",
        organiser_email="priya.shah@northshire.example",
        attendee_email="jane@x.org",
        location="Town Hall, Room 2",
        stamped_at=datetime(2027, 1, 11, 9, 0, tzinfo=UTC),
    )
    return session_invite(**(arguments | changes))


def only_event(ics: str):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_invite_parses_as_a_request_with_one_event():
    calendar, event = only_event(invite())

    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0"
    assert str(event["UID"]) == "training-42@mentorflow"
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Mentor induction day"
    assert str(event["DESCRIPTION"]) == "Your first training session.\nBring your goals."
    assert str(event["LOCATION"]) == "Town Hall, Room 2"
    assert str(event["ORGANIZER"]) == "mailto:priya.shah@northshire.example"
    assert str(event["ATTENDEE"]) == "mailto:jane@x.org"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"


def test_times_are_local_to_the_programme_with_a_tzid_and_vtimezone():
    ics = invite()
    calendar, event = only_event(ics)

    assert "DTSTART;TZID=Europe/London:20270608T093000" in ics
    assert "DTEND;TZID=Europe/London:20270608T153000" in ics
    start = event.decoded("DTSTART")
    assert start == datetime(2027, 6, 8, 9, 30, tzinfo=LONDON)
    assert start.astimezone(UTC) == datetime(2027, 6, 8, 8, 30, tzinfo=UTC)  # summer time
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"


def test_an_aware_start_is_converted_to_the_programme_zone():
    ics = invite(starts_at=datetime(2027, 1, 20, 14, 0, tzinfo=UTC), timezone="America/New_York")

    assert "DTSTART;TZID=America/New_York:20270120T090000" in ics
    assert only_event(ics)[1].decoded("DTSTART").astimezone(UTC) == datetime(2027, 1, 20, 14, 0, tzinfo=UTC)


def test_a_changed_session_keeps_its_uid_with_a_higher_sequence():
    original = only_event(invite())[1]
    moved = only_event(invite(sequence=1, starts_at=datetime(2027, 6, 15, 9, 30)))[1]

    assert str(moved["UID"]) == str(original["UID"])
    assert moved["SEQUENCE"] > original["SEQUENCE"]
    assert moved.decoded("DTSTART") - original.decoded("DTSTART") == timedelta(days=7)


def test_the_same_arguments_give_the_same_invite():
    assert invite() == invite()
    assert "ATTENDEE" not in invite(attendee_email=None)
