"""Mail transports: where built messages go.

`FileTransport` writes one `.eml` file per message (the default; the demo's
outbox). `SmtpTransport` sends over SMTP with aiosmtplib through a pool of
persistent connections (one worker per connection, so concurrency is bounded by
the pool size), an optional rate limit shared by all connections, and retries
with exponential backoff for transient failures (connection refused or lost,
timeouts, 4xx replies). A 5xx reply (e.g. 550 mailbox unavailable) is reported
as permanent and never retried. When the server cannot be reached at all, the
remaining messages of that run are reported as transient failures at once
rather than each waiting out its own retries.

Both implement `send_all(emails, on_result)`: `emails` may be a lazy iterable
(the delivery pipeline renders while workers send) and `on_result` is called
once per message with its outcome.
"""

import asyncio
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosmtplib

from tasks.emails.build import OutgoingEmail


@dataclass(frozen=True, slots=True)
class SendResult:
    email: OutgoingEmail
    error: str | None = None
    permanent: bool = False
    attempted: bool = True  # False when skipped because the server was already found unreachable

    @property
    def delivered(self) -> bool:
        return self.error is None


ResultHandler = Callable[[SendResult], None]


class Transport(Protocol):
    async def send_all(self, emails: Iterable[OutgoingEmail], on_result: ResultHandler) -> None: ...


_UNSAFE_FILENAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._@+-]+")


def eml_filename(key: str) -> str:
    """A safe, unique file name for an outbox key (a short hash keeps similar keys apart)."""
    readable = _UNSAFE_FILENAME_CHARACTERS.sub("_", key).strip("._")[:150]
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:10]}.eml"


class FileTransport:
    """Writes each message to `<outbox_dir>/<key>.eml`; writing it again replaces the same file."""

    def __init__(self, outbox_dir: Path):
        self.outbox_dir = Path(outbox_dir)

    def path_for(self, key: str) -> Path:
        return self.outbox_dir / eml_filename(key)

    async def send_all(self, emails: Iterable[OutgoingEmail], on_result: ResultHandler) -> None:
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        for email in emails:
            try:
                self._write(email)
            except OSError as error:
                on_result(SendResult(email, error=f"cannot write {self.path_for(email.key)}: {error}"))
            else:
                on_result(SendResult(email))

    def _write(self, email: OutgoingEmail) -> None:
        path = self.path_for(email.key)
        partial = path.with_suffix(".eml.partial")
        partial.write_bytes(email.data)
        os.replace(partial, path)


class _RateLimiter:
    """Spaces sends at least 1/rate seconds apart, across all connections."""

    def __init__(self, per_second: float | None):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.next_slot = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = asyncio.get_running_loop().time()
        slot = max(now, self.next_slot)
        self.next_slot = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


@dataclass
class _Run:
    source: Iterator[OutgoingEmail]
    on_result: ResultHandler
    limiter: _RateLimiter
    unavailable: str | None = None


class _ConnectFailed(Exception):
    pass


class SmtpTransport:
    def __init__(
        self,
        host: str,
        port: int,
        user: str | None = None,
        password: str | None = None,
        tls: str = "none",
        timeout: float = 30.0,
        pool_size: int = 16,
        rate_limit_per_second: float | None = None,
        retry_attempts: int = 3,
        retry_backoff_seconds: float = 0.5,
    ):
        if tls not in ("none", "starttls", "tls"):
            raise ValueError(f"tls must be none, starttls or tls, not {tls!r}")
        self.host, self.port, self.user, self.password = host, port, user, password
        self.tls, self.timeout = tls, timeout
        self.pool_size = max(1, pool_size)
        self.rate_limit_per_second = rate_limit_per_second
        self.retry_attempts = max(1, retry_attempts)
        self.retry_backoff_seconds = retry_backoff_seconds

    async def send_all(self, emails: Iterable[OutgoingEmail], on_result: ResultHandler) -> None:
        run = _Run(source=iter(emails), on_result=on_result, limiter=_RateLimiter(self.rate_limit_per_second))
        await asyncio.gather(*(self._worker(run) for _ in range(self.pool_size)))

    async def _worker(self, run: _Run) -> None:
        connection: aiosmtplib.SMTP | None = None
        try:
            # The iterator is shared: each worker pulls the next message when its connection is free.
            for email in run.source:
                result, connection = await self._send_with_retries(email, connection, run)
                run.on_result(result)
        finally:
            await self._close(connection)

    async def _send_with_retries(
        self, email: OutgoingEmail, connection: aiosmtplib.SMTP | None, run: _Run
    ) -> tuple[SendResult, aiosmtplib.SMTP | None]:
        error = "not attempted"
        for attempt in range(self.retry_attempts):
            if run.unavailable is not None:
                error = f"mail server unavailable: {run.unavailable}"
                return SendResult(email, error=error, attempted=attempt > 0), connection
            if attempt:
                await asyncio.sleep(self.retry_backoff_seconds * 2 ** (attempt - 1))
            try:
                if connection is None or not connection.is_connected:
                    connection = await self._connect()
                await run.limiter.wait()
                async with asyncio.timeout(self.timeout):
                    await self._transfer(connection, email)
                return SendResult(email), connection
            except _ConnectFailed as failure:
                connection = None
                error = str(failure)
                if attempt == self.retry_attempts - 1:
                    run.unavailable = error
            except aiosmtplib.SMTPResponseException as response:
                error = f"{response.code} {response.message}"
                if response.code >= 500:
                    return SendResult(email, error=error, permanent=True), connection
            except (aiosmtplib.SMTPNotSupported, ValueError) as unsendable:
                return SendResult(email, error=f"cannot send: {unsendable}", permanent=True), connection
            except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as lost:
                if connection is not None:
                    connection.close()  # its state is unknown: no QUIT, just drop it
                connection = None
                error = f"{type(lost).__name__}: {lost}"
        return SendResult(email, error=error), connection

    @staticmethod
    async def _transfer(connection: aiosmtplib.SMTP, email: OutgoingEmail) -> None:
        # MAIL, RCPT and DATA directly rather than `sendmail`, which parses each address twice more
        # and normalises the message once more to compute SIZE: a third of the client's CPU per message.
        # One timeout covers the whole transfer (the caller's), cheaper than one per command.
        try:
            await connection.mail(email.sender, timeout=None)
            await connection.rcpt(email.recipient, timeout=None)
            await connection.data(email.data, timeout=None)
        except aiosmtplib.SMTPResponseException:
            try:
                await connection.rset(timeout=None)
            except (aiosmtplib.SMTPException, OSError):
                pass
            raise

    async def _connect(self) -> aiosmtplib.SMTP:
        connection = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self.user,
            password=self.password,
            timeout=self.timeout,
            use_tls=self.tls == "tls",
            start_tls=self.tls == "starttls",
        )
        try:
            await connection.connect()
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as error:
            raise _ConnectFailed(f"cannot connect to {self.host}:{self.port}: {error}") from error
        return connection

    @staticmethod
    async def _close(connection: aiosmtplib.SMTP | None) -> None:
        if connection is None or not connection.is_connected:
            return
        try:
            await connection.quit()
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
            connection.close()


def build_transport(settings) -> Transport:
    if settings.mail_transport == "smtp":
        return SmtpTransport(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            tls=settings.smtp_tls,
            timeout=settings.smtp_timeout_seconds,
            pool_size=settings.smtp_pool_size,
            rate_limit_per_second=settings.smtp_rate_limit_per_second,
            retry_attempts=settings.smtp_retry_attempts,
            retry_backoff_seconds=settings.smtp_retry_backoff_seconds,
        )
    return FileTransport(settings.outbox_dir)
