"""Calendar invites (iCalendar, RFC 5545) for training sessions, webinars and the closing event.

An invite is a METHOD:REQUEST calendar with one VEVENT. Its UID is stable for a
session, so a changed session is sent again with the same UID and a higher
SEQUENCE, and calendar programs update the existing entry instead of adding a
second one. Times are written in the programme's time zone (DTSTART;TZID=...)
with the matching VTIMEZONE, so the session shows at the right local time,
summer time included.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//mentorflow//programme calendar//EN"


def session_invite(
    *,
    uid: str,
    sequence: int,
    summary: str,
    description: str,
    starts_at: datetime,
    duration_minutes: int,
    timezone: str,
    organiser_email: str,
    attendee_email: str | None = None,
    location: str = "Online",
    stamped_at: datetime | None = None,
) -> str:
    """The `.ics` text of one session invite.

    `starts_at` is either timezone-aware (converted to the programme's zone) or
    naive, read as local time in `timezone`. `stamped_at` is the DTSTAMP (when
    the invite was made: pass the runtime clock's now); it defaults to
    `starts_at` so the output depends only on the arguments.
    """
    zone = ZoneInfo(timezone)
    local_start = starts_at.astimezone(zone) if starts_at.tzinfo else starts_at.replace(tzinfo=zone)
    stamp = stamped_at or local_start

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", local_start)
    event.add("dtend", local_start + timedelta(minutes=duration_minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = vCalAddress(f"mailto:{organiser_email}")
    organiser.params["cn"] = vText(organiser_email)
    event["organizer"] = organiser
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params.update({"role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
        event.add("attendee", attendee, encode=0)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=date(local_start.year - 1, 1, 1), last_date=date(local_start.year + 2, 1, 1)
    )
    return calendar.to_ical().decode("utf-8")
