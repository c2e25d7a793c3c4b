"""Processes that open a fresh SQLite database at the same moment all find the schema at head."""

import multiprocessing

from sqlalchemy import inspect

from models.db import engine_for, upgrade_database


def test_processes_upgrading_a_fresh_database_at_once_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    processes = [context.Process(target=upgrade_after, args=(start, url)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert {"people", "cohorts", "messages", "alembic_version"} <= set(inspect(engine_for(url)).get_table_names())


def upgrade_after(start, url: str) -> None:
    start.wait()
    upgrade_database(url)
