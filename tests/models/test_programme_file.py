"""The programme file: shipped examples load, and every problem is named by its path."""

from pathlib import Path

import pytest
import yaml

from models.programme import Stage
from models.programme_file import ProgrammeFileError, load_programme

PROGRAMMES = sorted((Path(__file__).resolve().parents[2] / "config" / "programmes").glob("*.yaml"))


@pytest.mark.parametrize("path", PROGRAMMES, ids=lambda p: p.stem)
def test_shipped_programmes_are_valid(path):
    programme = load_programme(path)
    assert programme.slug == path.stem
    assert all(programme.approvers_for(stage) for stage in Stage)


def broken(tmp_path, programme, change) -> Path:
    data = programme.model_dump(mode="json")
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ProgrammeFileError) as raised:
        load_programme(path)
    return raised.value.problems


def test_a_bad_approver_email_is_named_by_its_path(tmp_path, programme):
    def change(data):
        data["governance"]["gates"]["matching"]["approvers"][0] = "not-an-email"

    assert problems_of(broken(tmp_path, programme, change)) == [
        "governance.gates.matching.approvers[0]: not an email address"
    ]


def test_every_problem_is_listed_not_just_the_first(tmp_path, programme):
    def change(data):
        data["matching"]["mode"] = "lottery"
        data["calendar"]["relationship_months"] = 0
        del data["aims"]
        data["audience"]["target_pairs"] = "forty"

    problems = problems_of(broken(tmp_path, programme, change))
    paths = sorted(p.split(":")[0] for p in problems)
    assert paths == ["aims", "audience.target_pairs", "calendar.relationship_months", "matching.mode"]
    assert "aims: required field is missing" in problems
    assert any(p.startswith("matching.mode: must be one of:") for p in problems)


def test_a_gate_without_approvers_and_a_missing_gate_are_reported(tmp_path, programme):
    def no_approvers(data):
        data["governance"]["gates"]["scoping"]["approvers"] = []

    def no_gate(data):
        del data["governance"]["gates"]["evaluation"]

    assert problems_of(broken(tmp_path, programme, no_approvers))[0].startswith("governance.gates.scoping.approvers:")
    assert problems_of(broken(tmp_path, programme, no_gate)) == [
        "governance: every stage needs approvers; missing gates: evaluation"
    ]


def test_an_objective_must_read_an_item_the_evaluation_defines(tmp_path, programme):
    def change(data):
        data["objectives"][1]["item"] = "happiness"

    assert any("reads rating 'happiness'" in p for p in problems_of(broken(tmp_path, programme, change)))


def test_unknown_fields_and_bad_yaml_are_explained(tmp_path, programme):
    assert problems_of(broken(tmp_path, programme, lambda d: d.update(colour="blue"))) == [
        "colour: unknown field (check the spelling against README's programme file section)"
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed")
    assert problems_of(bad)[0].startswith("not valid YAML")
    assert problems_of(tmp_path / "missing.yaml") == ["file not found"]
