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


def test_a_database_at_the_first_revision_is_upgraded_with_its_rows_kept(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from models.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001")
    with engine_for(url).begin() as connection:
        connection.execute(text("INSERT INTO messages (key, recipient, purpose, template, subject, context, state, "
                                "attempts, message_id, created_at) VALUES ('k', 'a@x.org', 'p', 't', 's', '{}', "
                                "'pending', 0, '<k@mentorflow>', '2027-01-11 09:00:00')"))
    engine_for.cache_clear()

    upgrade_database(url)

    engine = engine_for(url)
    assert "claimed_until" in {column["name"] for column in inspect(engine).get_columns("messages")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT key, claimed_until FROM messages")).all() == [("k", None)]
