"""Delivering the outbox through the file transport: parseable .eml files, each sent once."""

import asyncio
import email
import email.policy
from datetime import UTC, datetime, timedelta

from models.outbox import Attachment, EmailRequest, queue_emails
from models.tables import Message
from tasks.emails.build import MimeAttachment, build_message, message_id_for
from tasks.emails.delivery import deliver_pending
from tasks.emails.render import render_email
from tasks.emails.samples import sample_context
from tasks.emails.transport import FileTransport, eml_filename

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def request(recipient: str, template: str = "match_introduction", **changes) -> EmailRequest:
    return EmailRequest(
        key=f"demo:matching:intro:{recipient}:1",
        recipient=recipient,
        purpose="match_introduction",
        template=template,
        context=sample_context(template) | changes,
    )


def queue(runtime, *requests: EmailRequest) -> None:
    with runtime.session() as session:
        queue_emails(session, cohort_id=None, requests=list(requests), now=runtime.clock.now())


def parse(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def outbox_files(runtime):
    return sorted(runtime.settings.outbox_dir.glob("*.eml"))


def test_delivery_writes_one_parseable_eml_per_message_and_marks_it_sent(runtime, clock):
    queue(runtime, request("jane@x.org"), request("sam@x.org"))
    clock.advance(timedelta(minutes=5))

    report = deliver_pending(runtime)

    assert (report.sent, report.failed, report.permanent_failures) == (2, 0, [])
    files = outbox_files(runtime)
    expected = [eml_filename(f"demo:matching:intro:{r}:1") for r in ["jane@x.org", "sam@x.org"]]
    assert [f.name for f in files] == sorted(expected)
    message = parse(runtime.settings.outbox_dir / eml_filename("demo:matching:intro:jane@x.org:1"))
    assert message["To"] == "jane@x.org"
    assert message["Subject"] == "Meet your mentor: Sam Lee"
    assert message["Message-ID"] == message_id_for("demo:matching:intro:jane@x.org:1")
    assert message.get_content_type() == "multipart/alternative"
    assert "I am delighted to introduce your mentor" in message.get_body(("plain",)).get_content()
    assert "<strong>Sam Lee</strong>" in message.get_body(("html",)).get_content()
    with runtime.session() as session:
        rows = session.query(Message).all()
        outcomes = {(row.state, row.attempts, row.sent_at.replace(tzinfo=UTC)) for row in rows}
        assert outcomes == {("sent", 1, clock.now())}


def test_delivering_again_sends_nothing_already_sent(runtime):
    queue(runtime, request("jane@x.org"))
    deliver_pending(runtime)
    written = {path: path.stat().st_mtime_ns for path in outbox_files(runtime)}
    queue(runtime, request("jane@x.org"), request("sam@x.org"))

    report = deliver_pending(runtime)

    assert report.sent == 1
    assert {path: path.stat().st_mtime_ns for path in outbox_files(runtime)}.items() >= written.items()
    assert len(outbox_files(runtime)) == 2
    assert deliver_pending(runtime).sent == 0


def test_writing_the_same_message_again_replaces_its_file(tmp_path):
    transport = FileTransport(tmp_path / "outbox")
    rendered = render_email("training_missed", sample_context("training_missed"))
    built = build_message(
        rendered, key="k:1", sender="a@x.org", recipient="b@x.org", message_id=message_id_for("k:1"), date=NOW
    )
    results = []

    for _ in range(2):
        asyncio.run(transport.send_all([built], results.append))

    assert [r.delivered for r in results] == [True, True]
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [eml_filename("k:1")]


def test_file_names_are_safe_and_distinct_for_similar_keys():
    names = {eml_filename("demo:a/b c:x@y.org:1"), eml_filename("demo:a_b c:x@y.org:1")}

    assert len(names) == 2
    assert all("/" not in name and " " not in name and ":" not in name for name in names)


def test_calendar_attachment_travels_with_the_message(runtime):
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    attachment = Attachment(filename="induction.ics", content_type="text/calendar; method=REQUEST", content=ics)
    invitation = request("jane@x.org", template="training_invitation").model_copy(update={"attachments": [attachment]})
    queue(runtime, invitation)

    deliver_pending(runtime)

    message = parse(outbox_files(runtime)[0])
    assert message.get_content_type() == "multipart/mixed"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "induction.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_content() == ics
    assert message.get_body(("plain",)).get_content().startswith("Dear Jane Doe,")


def test_plain_ascii_bodies_go_as_they_are():
    built = build_message(
        render_email("training_missed", sample_context("training_missed")),
        key="k", sender="a@x.org", recipient="b@x.org", message_id=message_id_for("k"), date=NOW,
    )

    assert b"Content-Transfer-Encoding: 7bit" in built.data and b"quoted-printable" not in built.data
    assert b"We missed you at <strong>Mentor induction day</strong>." in built.data


def test_non_ascii_names_and_long_lines_survive_encoding():
    context = sample_context("programme_update") | {
        "recipient_name": "Zoë Ñúñez 李",
        "headline": "Café déjà vu — " + "long " * 60,
        "body": "x" * 1500,
    }
    built = build_message(
        render_email("programme_update", context),
        key="k",
        sender="Équipe mentorflow <team@x.org>",
        recipient="zoe@x.org",
        message_id=message_id_for("k"),
        date=NOW,
        attachments=[MimeAttachment("a.ics", "text/calendar", "SUMMARY:Café")],
    )

    message = email.message_from_bytes(built.data, policy=email.policy.default)
    assert message["Subject"] == "Growing Leaders Pilot: Café déjà vu — " + ("long " * 60).strip()
    assert str(message["From"]) == "Équipe mentorflow <team@x.org>"
    assert "Dear Zoë Ñúñez 李," in message.get_body(("plain",)).get_content()
    assert "x" * 1500 in message.get_body(("plain",)).get_content()
    assert max(len(line) for line in built.data.split(b"\r\n")) <= 998
    assert built.sender == "team@x.org"


def test_a_row_that_no_longer_renders_fails_permanently_and_others_go_out(runtime):
    queue(runtime, request("jane@x.org"), request("sam@x.org"))
    with runtime.session() as session:
        row = session.query(Message).filter_by(recipient="jane@x.org").one()
        row.context = {**row.context, "context": {"recipient_name": "Jane"}}

    report = deliver_pending(runtime)

    assert report.sent == 1 and report.failed == 1
    assert len(report.permanent_failures) == 1 and report.permanent_failures[0].startswith("jane@x.org: cannot render")
    with runtime.session() as session:
        assert session.query(Message).filter_by(recipient="jane@x.org").one().state == "failed"


def test_delivery_works_when_called_inside_a_running_event_loop(runtime):
    queue(runtime, request("jane@x.org"))

    async def caller():
        return deliver_pending(runtime)

    assert asyncio.run(caller()).sent == 1
