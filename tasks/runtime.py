"""The collaborators every task takes from one place: settings, database, clock, mail transport.

Tests and the demo swap them with `use_runtime(...)`; nothing patches import paths.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from config.settings import Settings, get_settings
from models.db import session_scope
from tasks.clock import Clock, RealClock, SimulatedClock


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    transport: Any = field(default=None, repr=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.settings.resolved_database_url) as session:
            yield session

    def mail_transport(self):
        if self.transport is None:
            from tasks.emails.transport import build_transport

            self.transport = build_transport(self.settings)
        return self.transport


_current: Runtime | None = None


def clock_from_settings(settings: Settings) -> Clock:
    if settings.clock == "simulated":
        start = datetime.fromisoformat(settings.simulated_start) if settings.simulated_start else datetime.now(UTC)
        return SimulatedClock(start if start.tzinfo else start.replace(tzinfo=UTC))
    return RealClock()


def get_runtime() -> Runtime:
    global _current
    if _current is None:
        settings = get_settings()
        _current = Runtime(settings=settings, clock=clock_from_settings(settings))
    return _current


def use_runtime(runtime: Runtime | None) -> Runtime | None:
    """Make `runtime` current (None resets to one built from settings); returns the previous one."""
    global _current
    previous, _current = _current, runtime
    return previous
