"""The programme clock sweeps running cohorts, sends what is due, and sends nothing more when run again."""

from datetime import timedelta

from models.cohorts import set_cohort_state
from models.domain import Role
from models.outbox import count_messages
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.stage_runs import finish_stage_run, open_gate, start_stage_run
from models.training import save_session
from flows.programme_clock import programme_clock
from tasks.cohort_setup import register_cohort


def running_cohort(runtime, name: str, state: str = "running") -> int:
    """A cohort a week before its mentor webinar, with its recruitment gate waiting for three days."""
    now = runtime.clock.now()
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort=name)
    with runtime.session() as session:
        import_participants(session, cohort_id=cohort_id, now=now, rows=[ParticipantRow(
            email=f"jane.{name}@x.org", name="Jane", role=Role.mentor, organisation="O", sector="S", region="R",
            grade=7, topics=["leadership"])])
        set_status(session, participation_ids=[p.id for p in participations(session, cohort_id=cohort_id)],
                   status="eligible")
        save_session(session, cohort_id=cohort_id, name="Mentor webinar", audience="mentors", kind="webinar",
                     starts_at=now + timedelta(days=7, hours=1), duration_minutes=90, required=False,
                     uid=f"{name}-webinar@mentorflow")
        stage_run = start_stage_run(session, cohort_id=cohort_id, stage="recruitment", round=1, rework_comment=None,
                                    now=now - timedelta(days=3))
        finish_stage_run(session, stage_run_id=stage_run.id, output={}, now=now - timedelta(days=3))
        open_gate(session, stage_run_id=stage_run.id, flow_run_id="gate-run", now=now - timedelta(days=3))
        set_cohort_state(session, cohort_id=cohort_id, state=state, now=now)
    return cohort_id


def test_the_sweep_sends_what_is_due_once_and_skips_cohorts_that_are_not_running(prefect_server, runtime):
    running = running_cohort(runtime, "clock-a")
    stopped = running_cohort(runtime, "clock-b", state="stopped")

    first = programme_clock()

    assert first["cohorts"] == {"clock-a": {"gate_reminder": 1, "training_reminder": 1}}
    assert first["total"] == 2
    with runtime.session() as session:
        assert count_messages(session, cohort_id=running, state="sent") == 2
        assert count_messages(session, cohort_id=stopped) == 0
    files = sorted(runtime.settings.outbox_dir.glob("*.eml"))
    assert len(files) == 2

    runtime.clock.advance(timedelta(hours=6))
    second = programme_clock(cohort="clock-a")

    assert second["total"] == 0 and second["cohorts"] == {"clock-a": {}}
    with runtime.session() as session:
        assert count_messages(session, cohort_id=running) == 2
    assert sorted(runtime.settings.outbox_dir.glob("*.eml")) == files


def test_the_clock_command_sweeps_day_by_day_on_the_simulated_clock(prefect_server, runtime):
    import typer
    from typer.testing import CliRunner

    from flows.cli_clock import clock

    running_cohort(runtime, "clock-c")
    app = typer.Typer()
    app.command()(clock)
    start = runtime.clock.now()

    result = CliRunner().invoke(app, ["--cohort", "clock-c", "--days", "3"])

    assert result.exit_code == 0, result.output
    assert runtime.clock.now() == start + timedelta(days=2)
    assert "gate_reminder: 1, training_reminder: 1" in result.output
    assert result.output.count("nothing due") == 2
    missing = CliRunner().invoke(app, ["--cohort", "nope"])
    assert missing.exit_code == 1 and "no cohort named 'nope'" in missing.output
