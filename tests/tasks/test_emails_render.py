"""Email templates: every one renders, strictly, with text and HTML parts."""

import pytest
from jinja2 import UndefinedError

from tasks.emails.render import UnknownTemplateError, default_renderer, render_email
from tasks.emails.samples import COMMON, SPECIFIC, sample_context

REQUIRED_TEMPLATES = {
    "charter_published", "call_for_applications", "application_confirmation", "recruitment_closing_reminder",
    "eligibility_outcome", "training_invitation", "training_reminder", "training_missed", "line_manager_briefing",
    "match_introduction", "unmatched_notice", "monthly_nudge", "midpoint_checkin", "survey_request",
    "survey_chaser", "closure_message", "closing_event_invitation", "mentor_next_time", "gate_waiting",
    "gate_reminder", "gate_escalation", "programme_update",
}  # fmt: skip
EASY_READ_TEMPLATES = ["call_for_applications", "match_introduction", "survey_request"]


def test_every_required_template_is_shipped_with_a_sample_context():
    assert REQUIRED_TEMPLATES <= set(default_renderer().template_names())
    assert set(SPECIFIC) == set(default_renderer().template_names())


@pytest.mark.parametrize("template", sorted(REQUIRED_TEMPLATES))
def test_template_renders_subject_text_and_html(template):
    rendered = render_email(template, sample_context(template))

    assert rendered.subject and "\n" not in rendered.subject
    assert rendered.text.startswith("Dear Jane Doe,")
    assert COMMON["manager_email"] in rendered.text
    assert "<html" in rendered.html and "Dear Jane Doe," in rendered.html
    assert "{{" not in rendered.text + rendered.html


@pytest.mark.parametrize("template", sorted(REQUIRED_TEMPLATES))
def test_template_refuses_a_missing_variable(template):
    for missing in SPECIFIC[template]:
        context = sample_context(template)
        del context[missing]
        with pytest.raises(UndefinedError):
            render_email(template, context)


def test_a_missing_common_variable_raises():
    context = sample_context("monthly_nudge")
    del context["recipient_name"]
    with pytest.raises(UndefinedError):
        render_email("monthly_nudge", context)


def test_html_part_escapes_values_and_text_part_keeps_them():
    context = sample_context("unmatched_notice") | {"recipient_name": "<script>alert(1)</script> & Co"}

    rendered = render_email("unmatched_notice", context)

    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in rendered.html
    assert "Dear <script>alert(1)</script> & Co," in rendered.text


def test_lists_are_rendered_item_by_item():
    rendered = render_email("match_introduction", sample_context("match_introduction"))

    assert "- leadership\n- budgeting\n" in rendered.text
    assert "<li>leadership</li>" in rendered.html
    assert "meet monthly, 60 minutes, for 12 months" in rendered.text


@pytest.mark.parametrize("template", EASY_READ_TEMPLATES)
def test_easy_read_variant_is_used_when_asked_for(template):
    standard = render_email(template, sample_context(template))
    easy = render_email(template, sample_context(template), easy_read=True)

    assert default_renderer().has_easy_read(template)
    assert easy.text != standard.text and easy.html != standard.html
    assert easy.subject == standard.subject
    assert "19px" in easy.html
    sentences = [line for line in easy.text.split("\n") if line and not line.startswith("-")]
    assert max(len(line) for line in sentences[1:-5]) <= 80  # short sentences, one a line


def test_easy_read_falls_back_to_the_standard_parts_when_a_template_has_none():
    context = sample_context("training_missed")

    assert not default_renderer().has_easy_read("training_missed")
    assert render_email("training_missed", context, easy_read=True) == render_email("training_missed", context)


def test_outcome_template_follows_its_flags():
    accepted = render_email("eligibility_outcome", sample_context("eligibility_outcome") | {"eligible": True})
    refused = render_email("eligibility_outcome", sample_context("eligibility_outcome"))

    assert "accepted" in accepted.text and "The reason" not in accepted.text
    assert "a nomination from your manager is needed" in refused.text


def test_unknown_template_is_named_in_the_error():
    with pytest.raises(UnknownTemplateError, match="no_such_template"):
        render_email("no_such_template", COMMON)
    with pytest.raises(UnknownTemplateError):
        render_email("_layout", COMMON)


def test_session_length_reads_naturally_whether_given_as_number_or_text():
    def length(hours) -> str:
        text = render_email("training_invitation", sample_context("training_invitation") | {"duration_hours": hours}).text
        return text.split("Length: ")[1].split("\n")[0]

    assert [length(1), length("1"), length("1.5"), length(6)] == ["1 hour", "1 hour", "1.5 hours", "6 hours"]
