"""The one place time comes from. Nothing else reads the wall clock."""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def advance_to(self, moment: datetime) -> None:
        """Let time reach `moment`: a simulated clock jumps, a real one leaves it to the calendar."""


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def advance_to(self, moment: datetime) -> None:
        return None


class SimulatedClock:
    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("a simulated clock needs a timezone-aware start")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance_to(self, moment: datetime) -> None:
        if moment > self._now:
            self._now = moment

    def advance(self, delta: timedelta) -> None:
        self._now += delta
