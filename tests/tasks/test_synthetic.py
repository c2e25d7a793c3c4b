"""The synthetic cohort: realistic, within the programme's rules, deterministic, fast."""

import time

from tasks.synthetic import CSV_COLUMNS, profiles_from_rows, synthetic_rows


def test_rows_use_the_participants_csv_columns_and_strings(programme):
    rows = synthetic_rows(programme, mentees=40)
    assert len(rows) == 80
    assert all(list(row) == CSV_COLUMNS for row in rows)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    assert sum(row["role"] == "mentor" for row in rows) == 40


def test_grades_topics_and_nominations_follow_the_programme(programme):
    rows = synthetic_rows(programme, mentees=200, mentors=150)
    mentees = [r for r in rows if r["role"] == "mentee"]
    mentors = [r for r in rows if r["role"] == "mentor"]
    assert all(3 <= int(r["grade"]) <= 6 for r in mentees)
    assert all(6 <= int(r["grade"]) <= 10 for r in mentors)
    assert all(2 <= len(r["topics"].split(";")) <= 3 for r in mentees)
    assert all(3 <= len(r["topics"].split(";")) <= 5 for r in mentors)
    assert all(set(r["topics"].split(";")) <= set(programme.topics) for r in rows)
    assert all(r["nominated_by"] == r["line_manager_email"] for r in mentees)
    mentor_emails = {r["email"] for r in mentors}
    share_managed_by_mentor = sum(r["line_manager_email"] in mentor_emails for r in mentees) / len(mentees)
    assert 0.04 <= share_managed_by_mentor <= 0.2


def test_consent_and_identity_opt_in(programme):
    rows = synthetic_rows(programme, mentees=1000)
    consented = [r for r in rows if r["consent_demographics"] == "yes"]
    assert 0.75 <= len(consented) / len(rows) <= 0.85
    assert all(r["ethnicity"] == "" and r["identity_match"] == "no" for r in rows if r["consent_demographics"] == "no")
    opted = [r for r in consented if r["role"] == "mentee" and r["identity_match"] == "yes"]
    assert 0.2 <= len(opted) / sum(r["role"] == "mentee" for r in consented) <= 0.4


def test_ineligible_applicants_break_an_eligibility_rule(programme):
    rows = synthetic_rows(programme, mentees=40, ineligible=6)
    extra = rows[80:]
    assert len(extra) == 6
    assert all(not 3 <= int(r["grade"]) <= 6 or r["nominated_by"] == "" for r in extra)


def test_same_seed_same_rows_other_seed_other_rows(programme):
    assert synthetic_rows(programme, mentees=30, seed=3) == synthetic_rows(programme, mentees=30, seed=3)
    assert synthetic_rows(programme, mentees=30, seed=3) != synthetic_rows(programme, mentees=30, seed=4)


def test_profiles_carry_manager_chains_from_the_rows(programme):
    rows = synthetic_rows(programme, mentees=2000, mentors=1000)
    mentees, mentors = profiles_from_rows(rows)
    assert len(mentees) == 2000 and len(mentors) == 1000
    assert [m.participation_id for m in mentors] == list(range(1000))
    manager_of = {r["email"]: r["line_manager_email"] for r in rows}
    chained = [m for m in mentees if len(m.manager_chain) > 1]
    assert chained, "some mentees report to a mentor who reports to another mentor"
    for mentee in chained:
        assert mentee.manager_chain[0] == mentee.line_manager_email
        assert manager_of[mentee.manager_chain[0]] == mentee.manager_chain[1]


def test_seventy_thousand_rows_build_in_seconds(programme):
    started = time.perf_counter()
    rows = synthetic_rows(programme, mentees=50_000, mentors=20_000, mentor_capacity=(1, 3))
    assert time.perf_counter() - started < 6
    assert {int(r["capacity"]) for r in rows if r["role"] == "mentor"} == {1, 2, 3}
