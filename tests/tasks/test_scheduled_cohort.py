"""A scheduled run of a programme's deployment has no cohort name: it registers `<programme>-<year>` once."""

import pytest

from models.cohorts import find_cohort
from tasks.cohort_setup import SetupError, ensure_cohort


def test_a_scheduled_run_names_its_cohort_after_the_programme_and_year_and_reuses_it(runtime):
    first = ensure_cohort.fn(None, "demo-pilot", False, 7)
    again = ensure_cohort.fn(None, "demo-pilot", False, 7)
    assert first == again
    with runtime.session() as session:
        cohort = find_cohort(session, name="demo-pilot-2027")
        assert cohort is not None and cohort.id == first and cohort.programme.slug == "demo-pilot"


def test_a_run_with_neither_cohort_nor_programme_is_refused(runtime):
    with pytest.raises(SetupError, match="needs a cohort name or a programme"):
        ensure_cohort.fn(None, None, False, 7)
