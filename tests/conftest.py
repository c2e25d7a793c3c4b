"""Shared fixtures: nouns for the collaborators tests swap in by injection."""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from config.settings import Settings, override_settings, reset_settings
from models.db import engine_for
from models.programme import ProgrammeDefinition
from models.programme_file import load_programme
from tasks.clock import SimulatedClock
from tasks.runtime import Runtime, use_runtime

PROGRAMMES_DIR = Path(__file__).resolve().parents[1] / "config" / "programmes"
SIMULATED_START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server MENTORFLOW_TEST_DATABASE_URL names; dropped afterwards."""
    maintenance = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"mentorflow_test_{uuid4().hex[:16]}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with maintenance.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        engine_for(url).dispose()
        drop_database(maintenance, name)
        maintenance.dispose()


def drop_database(maintenance, name: str) -> None:
    """Plain DROP first: it stops an autovacuum worker in that database by itself, where FORCE
    would need rights over the worker's role. FORCE only for a connection a test left open."""
    for attempt in range(3):
        try:
            with maintenance.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}"'))
            return
        except OperationalError:
            time.sleep(1 + attempt)
    with maintenance.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@contextmanager
def database_url_for_tests(tmp_path: Path) -> Iterator[str]:
    """PostgreSQL when MENTORFLOW_TEST_DATABASE_URL is set (a server URL with a maintenance database), else SQLite."""
    server_url = os.environ.get("MENTORFLOW_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{(tmp_path / 'home' / 'mentorflow.db').resolve()}"
        return
    with fresh_postgres_database(server_url) as url:
        yield url


@pytest.fixture
def settings(tmp_path) -> Settings:
    with database_url_for_tests(tmp_path) as database_url:
        settings = override_settings(
            home=tmp_path / "home",
            database_url=database_url,
            clock="simulated",
            simulated_start=SIMULATED_START.isoformat(),
            gate_poll_seconds=0.5,
        )
        yield settings
        reset_settings()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(SIMULATED_START)


@pytest.fixture
def runtime(settings, clock) -> Runtime:
    runtime = Runtime(settings=settings, clock=clock)
    previous = use_runtime(runtime)
    yield runtime
    use_runtime(previous)


@pytest.fixture
def session(runtime):
    with runtime.session() as session:
        yield session


@pytest.fixture
def programme() -> ProgrammeDefinition:
    return load_programme(PROGRAMMES_DIR / "demo-pilot.yaml")


@pytest.fixture
def hybrid_programme() -> ProgrammeDefinition:
    return load_programme(PROGRAMMES_DIR / "women-entrepreneurs.yaml")
