from datetime import date

from tasks.calendar_plan import add_months, cohort_calendar


def test_month_arithmetic_clamps_to_the_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


def test_the_cohort_calendar_follows_the_programme(programme):
    calendar = cohort_calendar(programme)
    assert calendar.recruitment_opens.date() == date(2027, 1, 11)
    assert calendar.recruitment_closes.date() == date(2027, 2, 8)  # 28-day window
    assert calendar.sessions["Mentor training day"].date() == date(2027, 2, 22)  # 14 days after close
    assert calendar.sessions["Mentor training day"].hour == 10
    assert calendar.recruitment_closes < calendar.matching_at < calendar.relationship_starts
    assert calendar.midpoint_at.date() == add_months(calendar.relationship_starts.date(), 6)
    assert calendar.closure_at.date() == add_months(calendar.relationship_starts.date(), 12)
    assert str(calendar.midpoint_at.tzinfo) == "Europe/London"
