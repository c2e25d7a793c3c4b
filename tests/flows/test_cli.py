"""The command line: clear errors, nothing stored on bad input, and every command documented."""

import json
import re
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.main import get_command
from typer.testing import CliRunner

from flows.cli import app
from models.cohorts import find_cohort
from models.participants import participations

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
EXAMPLE_CSV = Path(__file__).resolve().parents[2] / "config" / "examples" / "participants-example.csv"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def command_paths(command, prefix=("mentorflow",)):
    children = getattr(command, "commands", None)
    if not children:
        yield " ".join(prefix)
        return
    for name, child in children.items():
        yield from command_paths(child, (*prefix, name))


def test_every_command_is_documented_in_the_readme():
    missing = [path for path in command_paths(get_command(app)) if f"`{path}" not in README]
    assert missing == []


def test_validate_accepts_a_good_programme_and_explains_a_bad_one(tmp_path, runtime):
    assert invoke("programme", "validate", "demo-pilot").exit_code == 0
    bad = tmp_path / "bad.yaml"
    text = (Path(__file__).resolve().parents[2] / "config/programmes/demo-pilot.yaml").read_text()
    bad.write_text(text.replace("matching: {approvers: [pm@regulator.example", "matching: {approvers: [pm-at-regulator"))
    result = invoke("programme", "validate", str(bad))
    assert result.exit_code == 2
    assert "governance.gates.matching.approvers[0]: not an email address" in result.output


def test_a_bad_participants_file_stores_nothing_and_names_rows(tmp_path, runtime):
    rows = EXAMPLE_CSV.read_text().splitlines()
    broken = tmp_path / "people.csv"
    broken.write_text("\n".join([rows[0], rows[1].replace(",mentee,", ",sponsor,", 1), *rows[2:]]) + "\n")
    result = invoke("participants", "import", "spring", str(broken), "--programme", "demo-pilot")
    assert result.exit_code == 2
    assert re.search(r"people\.csv, row 2, column role: .*sponsor", result.output)
    with runtime.session() as session:
        cohort = find_cohort(session, name="spring")
        assert participations(session, cohort_id=cohort.id) == []

    good = invoke("participants", "import", "spring", str(EXAMPLE_CSV))
    assert good.exit_code == 0, good.output
    with runtime.session() as session:
        assert len(participations(session, cohort_id=find_cohort(session, name="spring").id)) == len(rows) - 1


def test_status_json_lists_every_stage_in_order(runtime):
    invoke("participants", "import", "autumn", str(EXAMPLE_CSV), "--programme", "demo-pilot")
    status = json.loads(invoke("cohort", "status", "autumn", "--json").output)
    assert status["cohort"] == "autumn" and status["programme"] == "demo-pilot" and status["phase"] == "pilot"
    assert [s["stage"] for s in status["stages"]] == [
        "scoping", "recruitment", "training", "matching", "midpoint", "closure", "evaluation"]
    assert all(s["state"] == "pending" and s["decision"] is None for s in status["stages"])
    assert status["counts"]["pairs"] == 0 and status["counts"]["mentors"] > 0


def test_an_unknown_cohort_is_named_with_what_to_do(runtime):
    result = invoke("cohort", "status", "nosuch")
    assert result.exit_code == 1
    assert "no cohort named 'nosuch'" in result.output and "mentorflow cohort start" in result.output


def test_gate_commands_say_when_no_server_or_nothing_waits(runtime, prefect_server):
    assert "no gate is waiting" in invoke("gate", "list").output
    invoke("participants", "import", "winter", str(EXAMPLE_CSV), "--programme", "demo-pilot")
    result = invoke("gate", "approve", "winter", "scoping", "--by", "sponsor@regulator.example")
    assert result.exit_code == 1
    assert "nothing waits at the scoping gate of cohort 'winter'" in result.output
    with temporary_settings(updates={PREFECT_API_URL: None}):
        no_server = invoke("gate", "approve", "winter", "scoping", "--by", "sponsor@regulator.example")
        start = invoke("cohort", "start", "demo-pilot", "--cohort", "winter")
    assert no_server.exit_code == 1 and "PREFECT_API_URL" in no_server.output
    assert start.exit_code == 1 and "prefect server start" in start.output


@pytest.mark.parametrize("stage", ["nonsense"])
def test_an_unknown_stage_is_rejected_by_the_cli(stage, runtime):
    result = runner.invoke(app, ["gate", "approve", "winter", stage, "--by", "x@y.org"])
    assert result.exit_code == 2
