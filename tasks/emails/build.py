"""Turn a rendered email into RFC 5322 bytes, cheaply.

The stdlib `EmailMessage` with the default policy builds only a few hundred
messages a second (DESIGN.md); this writes the same structure directly:
multipart/alternative (plain text, then HTML), wrapped in multipart/mixed when
there are attachments (e.g. an `.ics` invite). Bodies are UTF-8, sent as they
are when plain ASCII with short lines (7bit), quoted-printable otherwise;
headers are RFC 2047-encoded only when they are not plain ASCII; lines end in
CRLF. The MIME boundary comes from the Message-ID, so building the same message
twice gives the same bytes.
"""

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

from tasks.emails.render import RenderedEmail

CRLF = b"\r\n"
MAX_7BIT_LINE = 990  # RFC 5322 allows 998 characters a line


@dataclass(frozen=True, slots=True)
class MimeAttachment:
    filename: str
    content_type: str
    content: str


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """A built message ready for a transport: envelope plus the exact bytes to send."""

    key: str
    sender: str
    recipient: str
    message_id: str
    data: bytes = field(repr=False)


def message_id_for(key: str, domain: str = "mentorflow") -> str:
    """The Message-ID of an outbox key: stable, so a resent message is recognisable."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


@lru_cache(maxsize=256)
def _parsed_address(address: str) -> str:
    return parseaddr(address)[1] or address


def envelope_address(address: str) -> str:
    """The bare address of a header value such as 'Name <a@b.org>'."""
    if "<" not in address and " " not in address.strip():
        return address.strip()
    return _parsed_address(address)


def _single_line(value: str) -> str:
    # Header injection guard: a header value never spans lines.
    return " ".join(value.split())


def _header_value(value: str) -> str:
    value = _single_line(value)
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


def _address_header(address: str) -> str:
    address = _single_line(address)
    if address.isascii():
        return address
    name, email_address = parseaddr(address)
    return formataddr((name, email_address), charset="utf-8")


def _encoded_body(text: str) -> tuple[bytes, bytes]:
    """(transfer encoding, body): plain ASCII with short lines goes as is, anything else quoted-printable."""
    text = text.replace("\r\n", "\n")
    if text.isascii() and max(map(len, text.split("\n"))) <= MAX_7BIT_LINE:
        return b"7bit", text.encode("ascii").replace(b"\n", CRLF)
    return b"quoted-printable", binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", CRLF)


def _base64_lines(content: bytes) -> bytes:
    encoded = base64.b64encode(content)
    return CRLF.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def _text_part(subtype: str, text: str) -> bytes:
    encoding, body = _encoded_body(text)
    return (
        b"Content-Type: text/" + subtype.encode() + b"; charset=\"utf-8\"\r\n"
        b"Content-Transfer-Encoding: " + encoding + b"\r\n\r\n" + body
    )


def _attachment_part(attachment: MimeAttachment) -> bytes:
    filename = _single_line(attachment.filename).replace('"', "")
    content_type = _single_line(attachment.content_type)
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type += '; charset="utf-8"'
    return (
        f'Content-Type: {content_type}; name="{filename}"\r\n'
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + _base64_lines(attachment.content.encode("utf-8"))


def _multipart(subtype: str, boundary: bytes, parts: Sequence[bytes]) -> bytes:
    delimiter = b"--" + boundary
    body = b"".join(delimiter + CRLF + part + CRLF for part in parts) + delimiter + b"--" + CRLF
    return b"Content-Type: multipart/" + subtype.encode() + b'; boundary="' + boundary + b'"\r\n\r\n' + body


def build_message(
    rendered: RenderedEmail,
    *,
    key: str,
    sender: str,
    recipient: str,
    message_id: str,
    date: datetime,
    attachments: Sequence[MimeAttachment] = (),
) -> OutgoingEmail:
    boundary = hashlib.sha1(message_id.encode()).hexdigest()
    content = _multipart(
        "alternative",
        b"=_alt_" + boundary.encode(),
        [_text_part("plain", rendered.text), _text_part("html", rendered.html)],
    )
    if attachments:
        content = _multipart(
            "mixed", b"=_mix_" + boundary.encode(), [content, *(_attachment_part(a) for a in attachments)]
        )
    headers = (
        f"From: {_address_header(sender)}\r\n"
        f"To: {_address_header(recipient)}\r\n"
        f"Subject: {_header_value(rendered.subject)}\r\n"
        f"Date: {format_datetime(date)}\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
    ).encode("ascii")
    return OutgoingEmail(
        key=key,
        sender=envelope_address(sender),
        recipient=envelope_address(recipient),
        message_id=message_id,
        data=headers + content,
    )
