"""The HTML report renders with every section and chart kind, and holds no per-person demographic data."""

import re

import pytest
from evaluation_cohort import ETHNICITY, GENDER, UNIQUE_VALUES, evaluation_cohort

from tasks.evaluation import evaluate
from tasks.evaluation.report_html import SECTIONS, write_report_html


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    report = evaluate(
        evaluation_cohort(min_n_for_test=5), previous=evaluation_cohort(name="pilot-2026", eighth_pair_status="ended_early")
    )
    path = write_report_html(report, tmp_path_factory.mktemp("reports"))
    assert path.name == "spring-2027-evaluation.html"
    return path.read_text(encoding="utf-8")


def test_every_section_is_there(html):
    for section_id, _ in SECTIONS:
        assert f'<section id="{section_id}">' in html


def _images_in(html, section_id):
    section = html.split(f'<section id="{section_id}">')[1].split("</section>")[0]
    return re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', section)


@pytest.mark.parametrize("section_id", ["objectives", "pre-post", "equity", "comparison"])
def test_each_chart_kind_is_an_embedded_png(html, section_id):
    assert _images_in(html, section_id)


def test_self_contained(html):
    assert "<style>" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_no_value_held_by_one_person_appears(html):
    counts = {}
    for value in [*ETHNICITY.values(), *GENDER.values()]:
        counts[value] = counts.get(value, 0) + 1
    unique = [value for value, n in counts.items() if n == 1]
    assert set(UNIQUE_VALUES) <= set(unique)
    for value in unique:
        assert value not in html
    assert "Mixed" not in html  # the group of four


def test_first_cohort_says_there_is_nothing_to_compare(tmp_path):
    html = write_report_html(evaluate(evaluation_cohort()), tmp_path).read_text(encoding="utf-8")
    assert "no previous cohort to compare with" in html
    assert not _images_in(html, "comparison")
