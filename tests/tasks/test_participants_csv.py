"""The participants CSV: every error kind names its row, column, what is wrong and how to fix it."""

from pathlib import Path

import pytest

from models.domain import Role
from tasks.csv_rows import CsvImportError
from tasks.participants_csv import parse_participants_csv

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "examples" / "participants-example.csv"
HEADER = "email,name,role,organisation,sector,region,grade,topics,capacity"
MENTOR = "ada@example.org,Ada Lovelace,mentor,Analytical Ltd,finance,London,8,leadership;finance,2"
MENTEE = "bob@example.org,Bob Smith,mentee,Analytical Ltd,policy,Leeds,4,confidence,"


@pytest.fixture
def write_csv(tmp_path):
    def write(*lines: str, name: str = "people.csv") -> Path:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def only_problem(error: pytest.ExceptionInfo[CsvImportError]):
    assert len(error.value.problems) == 1, error.value.messages
    return error.value.problems[0]


def test_good_file_gives_typed_rows(write_csv, programme):
    rows = parse_participants_csv(write_csv(HEADER, MENTOR, MENTEE), programme)

    assert [(r.row, r.email, r.role, r.grade) for r in rows] == [
        (2, "ada@example.org", Role.mentor, 8),
        (3, "bob@example.org", Role.mentee, 4),
    ]
    assert rows[0].topics == ["leadership", "finance"]
    assert rows[0].capacity == 2


def test_shipped_example_parses(programme):
    rows = parse_participants_csv(EXAMPLE, programme)

    assert 10 <= len(rows) <= 12
    assert {r.role for r in rows} == {Role.mentor, Role.mentee}


def test_mentor_capacity_defaults_to_programme_and_mentee_cell_is_ignored(write_csv, hybrid_programme):
    mentor = "ada@example.org,Ada,mentor,Org,finance,Leeds,8,finance,"
    mentee = "bob@example.org,Bob,mentee,Org,finance,Leeds,2,finance,5"
    rows = parse_participants_csv(write_csv(HEADER, mentor, mentee), hybrid_programme)

    assert [r.capacity for r in rows] == [hybrid_programme.matching.mentor_capacity, 1]


def test_topics_match_case_insensitively_in_programme_spelling(write_csv, programme):
    line = "ada@example.org,Ada,mentee,Org,finance,Leeds,4, Career Progression ;LEADERSHIP;leadership,"
    rows = parse_participants_csv(write_csv(HEADER, line), programme)

    assert rows[0].topics == ["career progression", "leadership"]


def test_emails_are_lower_cased(write_csv, programme):
    header = HEADER + ",line_manager_email,conflicts"
    line = "Ada@Example.ORG,Ada,mentee,Org,finance,Leeds,4,finance,,Boss@Example.org,X@Example.org;y@example.org"
    row = parse_participants_csv(write_csv(header, line), programme)[0]

    assert (row.email, row.line_manager_email, row.conflicts) == ("ada@example.org", "boss@example.org", ["x@example.org", "y@example.org"])


def test_missing_column(write_csv, programme):
    path = write_csv("email,name,role,organisation,sector,region,grade", "a@example.org,A,mentee,O,S,R,4")
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(path, programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (1, "topics")
    assert error.value.messages == ["people.csv, row 1, column topics: missing required column — add a column headed 'topics'"]


def test_unknown_column_is_named(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER + ",shoe_size", MENTOR + ",9"), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (1, "shoe_size")
    assert "unknown column(s): shoe_size" in error.value.messages[0]


def test_duplicate_email_names_the_first_row(write_csv, programme):
    again_as_mentee = "ADA@example.org,Ada Lovelace,mentee,Analytical Ltd,finance,London,4,finance,"
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR, MENTEE, again_as_mentee), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (4, "email")
    assert "ada@example.org appears again (first on row 2)" in problem.what


def test_bad_email(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR.replace("ada@example.org", "ada.example.org")), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (2, "email")
    assert error.value.messages[0].startswith("people.csv, row 2, column email: 'ada.example.org' is not a valid email address")
    assert error.value.messages[0].endswith("— correct the address")


def test_unknown_role(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR, MENTEE.replace(",mentee,", ",coach,")), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (3, "role")
    assert error.value.messages[0] == "people.csv, row 3, column role: unknown value 'coach' — use one of: mentor, mentee"


def test_capacity_not_a_number(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR.replace(",2", ",two")), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (2, "capacity")
    assert problem.what == "'two' is not a number"
    assert "how many mentees this mentor can take" in problem.fix


def test_capacity_must_be_positive(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR.replace(",2", ",0")), programme)

    assert (only_problem(error).row, only_problem(error).column, only_problem(error).what) == (2, "capacity", "0 is below 1")


def test_grade_not_a_number(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR.replace(",8,", ",senior,")), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column, problem.what) == (2, "grade", "'senior' is not a number")


def test_unknown_topic_lists_the_allowed_topics(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTEE.replace("confidence", "confidence;knitting")), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column, problem.what) == (2, "topics", "unknown topic(s): knitting")
    for topic in programme.topics:
        assert topic in problem.fix


def test_demographics_without_consent(write_csv, programme):
    header = HEADER + ",consent_demographics,ethnicity,gender"
    line = MENTEE + ",no,Secret Value,female"
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(header, line), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (2, "consent_demographics")
    assert problem.what.startswith("demographic answers given without consent_demographics=yes")
    assert "Secret Value" not in error.value.messages[0]


def test_demographics_kept_with_consent(write_csv, programme):
    header = HEADER + ",identity_match,consent_demographics,ethnicity,gender"
    rows = parse_participants_csv(write_csv(header, MENTEE + ",yes,yes,Black British,"), programme)

    assert rows[0].demographics == {"ethnicity": "Black British"}
    assert rows[0].identity_match is True


def test_identity_match_without_consent(write_csv, programme):
    header = HEADER + ",identity_match,consent_demographics"
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(header, MENTEE + ",yes,no"), programme)

    assert (only_problem(error).row, only_problem(error).column) == (2, "identity_match")


def test_empty_required_value(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR.replace("Ada Lovelace", " ")), programme)

    problem = only_problem(error)
    assert (problem.row, problem.column) == (2, "name")
    assert error.value.messages[0] == "people.csv, row 2, column name: empty required value — fill in name for this row"


def test_every_problem_in_every_row_is_listed_in_row_order(write_csv, programme):
    bad_mentor = MENTOR.replace(",2", ",lots").replace(",mentor,", ",boss,")
    bad_mentee = MENTEE.replace("bob@example.org", "bob@").replace(",4,", ",x,")
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, bad_mentee, MENTEE.replace("bob", "carol"), bad_mentor), programme)

    assert [(p.row, p.column) for p in error.value.problems] == [(2, "email"), (2, "grade"), (4, "role"), (4, "capacity")]
    assert "nothing was imported" in str(error.value)


def test_blank_lines_are_skipped_but_row_numbers_match_the_spreadsheet(write_csv, programme):
    with pytest.raises(CsvImportError) as error:
        parse_participants_csv(write_csv(HEADER, MENTOR, ",,,,,,,,", MENTEE.replace(",4,", ",four,")), programme)

    assert only_problem(error).row == 4


def test_header_is_case_and_space_insensitive_and_column_order_free(write_csv, programme):
    header = " Topics ,EMAIL,name,role,organisation,sector,region,grade"
    rows = parse_participants_csv(write_csv(header, "finance,ada@example.org,Ada,mentee,Org,finance,Leeds,3"), programme)

    assert rows[0].email == "ada@example.org"
    assert rows[0].topics == ["finance"]


def test_excel_byte_order_mark_is_accepted(tmp_path, programme):
    path = tmp_path / "excel.csv"
    path.write_text(HEADER + "\n" + MENTOR + "\n", encoding="utf-8-sig")

    assert parse_participants_csv(path, programme)[0].email == "ada@example.org"
