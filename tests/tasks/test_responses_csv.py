"""Survey responses CSV: typed answers, and every problem with its row, column and fix."""

from pathlib import Path

import pytest

from tasks.csv_rows import CsvImportError
from tasks.participants_csv import parse_participants_csv
from tasks.responses_csv import parse_responses_csv

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"
KNOWN = {"ada@example.org", "bob@example.org"}
HEADER = "email,survey,confidence,network,leadership,promoted,would_recommend,satisfaction,goals_reached,meetings_held,comments"


@pytest.fixture
def write_csv(tmp_path):
    def write(*lines: str) -> Path:
        path = tmp_path / "answers.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def problems_of(error: pytest.ExceptionInfo[CsvImportError]) -> list[tuple[int, str | None, str]]:
    return [(p.row, p.column, p.what) for p in error.value.problems]


def test_answers_are_typed_and_blanks_are_not_answered(write_csv, programme):
    path = write_csv(
        HEADER,
        "ada@example.org,pre,2,3,,,,,,,",
        'Bob@Example.org,post,4,4,5,yes,no,5,partly,11,"Helpful, thank you"',
    )
    rows = parse_responses_csv(path, programme, KNOWN)

    assert [(r.row, r.email, r.survey) for r in rows] == [(2, "ada@example.org", "pre"), (3, "bob@example.org", "post")]
    assert rows[0].answers == {"confidence": 2, "network": 3}
    assert rows[1].answers == {
        "confidence": 4, "network": 4, "leadership": 5, "promoted": True, "would_recommend": False,
        "satisfaction": 5, "goals_reached": "partly", "meetings_held": 11, "comments": "Helpful, thank you",
    }


def test_shipped_example_parses_against_the_participants_example(programme):
    known = {r.email for r in parse_participants_csv(EXAMPLES / "participants-example.csv", programme)}
    rows = parse_responses_csv(EXAMPLES / "responses-example.csv", programme, known)

    assert {r.survey for r in rows} == {"pre", "midpoint", "post"}


def test_row_with_no_answers_is_not_a_response(write_csv, programme):
    assert parse_responses_csv(write_csv("email,survey,confidence", "ada@example.org,pre,"), programme, KNOWN) == []


def test_only_required_columns_are_email_and_survey(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_responses_csv(write_csv("email,confidence", "ada@example.org,3"), programme, KNOWN)

    assert problems_of(error) == [(1, "survey", "missing required column")]


def test_unknown_email_names_the_row(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_responses_csv(write_csv("email,survey,confidence", "ada@example.org,pre,3", "eve@example.org,pre,3"), programme, KNOWN)

    assert problems_of(error) == [(3, "email", "eve@example.org is not a participant of this cohort")]
    assert error.value.messages[0].startswith("answers.csv, row 3, column email: eve@example.org is not a participant")


def test_rating_outside_its_scale(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_responses_csv(write_csv("email,survey,confidence", "ada@example.org,pre,6"), programme, KNOWN)

    assert problems_of(error) == [(2, "confidence", "6 is outside the scale 1–5")]
    assert error.value.problems[0].fix == "write a whole number from 1 to 5"


def test_each_kind_of_bad_answer_is_reported(write_csv, programme):
    path = write_csv(HEADER, "ada@example.org,during,x,,,maybe,sure,9,mostly,-1,")
    with pytest.raises(CsvImportError) as error:
        parse_responses_csv(path, programme, KNOWN)

    assert problems_of(error) == [
        (2, "survey", "unknown value 'during'"),
        (2, "confidence", "'x' is not a number"),
        (2, "promoted", "unknown value 'maybe'"),
        (2, "would_recommend", "unknown value 'sure'"),
        (2, "satisfaction", "9 is outside the scale 1–5"),
        (2, "goals_reached", "unknown value 'mostly'"),
        (2, "meetings_held", "-1 is below 0"),
    ]


def test_same_person_twice_in_one_survey(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_responses_csv(write_csv("email,survey,confidence", "ada@example.org,pre,3", "ada@example.org,post,4", "ADA@example.org,pre,2"), programme, KNOWN)

    assert problems_of(error) == [(4, "email", "ada@example.org already answered the pre survey on row 2")]


def test_unknown_column_uses_the_programme_items(write_csv, hybrid_programme):
    with pytest.raises(CsvImportError) as error:
        parse_responses_csv(write_csv("email,survey,revenue_growth,promoted", "ada@example.org,post,yes,no"), hybrid_programme, KNOWN)

    assert problems_of(error) == [(1, "promoted", "unknown column(s): promoted")]
